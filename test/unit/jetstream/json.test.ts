import assert from 'node:assert/strict';
import { test } from 'node:test';

import { JsonNumber, JsonObject, JsonSyntaxError, encodeJson, parseJson } from '../../../src/jetstream/json.js';
import type { JsonValue } from '../../../src/jetstream/json.js';
import { ResponseType, apiErrorResponse, apiResponse, parseApiBody } from '../../../src/jetstream/api-envelope.js';
import { apiError } from '../../../src/jetstream/errors.js';

/** A parsed value back in a comparable plain form (numbers as their literal text). */
function plain(v: JsonValue): unknown {
  if (v instanceof JsonNumber) return `#${v.text}`;
  if (v instanceof JsonObject) return v.entries.map(([k, x]) => [k, plain(x)]);
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

const parses: readonly [name: string, text: string, want: unknown][] = [
  ['integer kept as its text', '9223372036854775807', '#9223372036854775807'],
  ['fraction and exponent kept as written', '[1.0,1e9,-0.5E-3]', ['#1.0', '#1e9', '#-0.5E-3']],
  ['members in order, duplicates kept', '{"a":1,"b":true,"a":null}', [['a', '#1'], ['b', true], ['a', null]]],
  ['escapes', '"\\u00fc\\n\\"\\/"', 'ü\n"/'],
  ['surrounding whitespace', ' \r\n\t{} ', []],
  ['UTF-8 text', '"fö.>"', 'fö.>'],
];

for (const [name, text, want] of parses) {
  test(`parseJson: ${name}`, () => {
    assert.deepEqual(plain(parseJson(text)), want);
  });
}

// Messages as nats-server 2.9.10 puts them in `400 Bad Request - <message>` pull statuses (observed).
const refused: readonly [name: string, text: string, message: string][] = [
  ['empty', '', 'unexpected end of JSON input'],
  ['a word', 'not json', "invalid character 'o' in literal null (expecting 'u')"],
  ['truncated object', '{"a":', 'unexpected end of JSON input'],
  ['trailing comma', '[1,]', "invalid character ']' looking for beginning of value"],
  ['single quotes', "{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
  ['leading zero', '01', "invalid character '1' after top-level value"],
  ['a BOM', '\ufeff{}', "invalid character '\ufeff' looking for beginning of value"],
  ['raw control character in a string', '"a\nb"', "invalid character '\\x0a' in string literal"],
  ['two values', '{} {}', "invalid character '{' after top-level value"],
  ['a cut word', 'tru', 'unexpected end of JSON input'],
  ['a bare word as a value', '{"batch":x}', "invalid character 'x' looking for beginning of value"],
  ['a misspelt null', '{"batch":1,"no_wait":nul}', "invalid character '}' in literal null (expecting 'l')"],
  ['comma before the closing brace', '{"a":1,}', "invalid character '}' looking for beginning of object key string"],
];

for (const [name, text, message] of refused) {
  test(`parseJson refuses ${name}`, () => {
    assert.throws(() => parseJson(text), (e: unknown) => e instanceof JsonSyntaxError && e.message === message);
  });
}

const encodes: readonly [name: string, value: unknown, want: string][] = [
  ['Go escapes < > & and the line separators', { s: 'a<b>&\u2028\u2029' }, '{"s":"a\\u003cb\\u003e\\u0026\\u2028\\u2029"}'],
  ['short escapes and other control characters', '"\\\n\r\t\u0001', '"\\"\\\\\\n\\r\\t\\u0001"'],
  ['bigint exactly', { n: 31536000000000001n }, '{"n":31536000000000001}'],
  ['undefined members left out, null kept', { a: undefined, b: null, c: [] }, '{"b":null,"c":[]}'],
  ['non-ASCII written as is', 'fö', '"fö"'],
];

for (const [name, value, want] of encodes) {
  test(`encodeJson: ${name}`, () => {
    assert.equal(encodeJson(value), want);
  });
}

test('parseApiBody: bad JSON and a BOM are 10025, good JSON parses', () => {
  assert.deepEqual(parseApiBody(Buffer.from('{"a":')), apiError('InvalidJSON'));
  assert.deepEqual(parseApiBody(Buffer.from('\ufeff{}', 'utf8')), apiError('InvalidJSON'));
  assert.deepEqual(plain(parseApiBody(Buffer.from('{"a":"ü"}', 'utf8')) as JsonValue), [['a', 'ü']]);
});

test('parseApiBody: invalid UTF-8 becomes U+FFFD as in Go', () => {
  assert.deepEqual(plain(parseApiBody(Buffer.from([0x22, 0xff, 0x22])) as JsonValue), '\ufffd');
});

const envelopes: readonly [type: ResponseType, want: string][] = [
  [ResponseType.StreamCreate, '{"type":"io.nats.jetstream.api.v1.stream_create_response","error":{"code":404,"err_code":10059,"description":"stream not found"}}'],
  [ResponseType.StreamInfo, '{"type":"io.nats.jetstream.api.v1.stream_info_response","error":{"code":404,"err_code":10059,"description":"stream not found"},"total":0,"offset":0,"limit":0}'],
  [ResponseType.StreamPurge, '{"type":"io.nats.jetstream.api.v1.stream_purge_response","error":{"code":404,"err_code":10059,"description":"stream not found"},"purged":0}'],
  [ResponseType.StreamNames, '{"type":"io.nats.jetstream.api.v1.stream_names_response","error":{"code":404,"err_code":10059,"description":"stream not found"},"total":0,"offset":0,"limit":0,"streams":null}'],
  [ResponseType.StreamList, '{"type":"io.nats.jetstream.api.v1.stream_list_response","error":{"code":404,"err_code":10059,"description":"stream not found"},"total":0,"offset":0,"limit":0,"streams":[]}'],
  [ResponseType.ConsumerNames, '{"type":"io.nats.jetstream.api.v1.consumer_names_response","error":{"code":404,"err_code":10059,"description":"stream not found"},"total":0,"offset":0,"limit":0,"consumers":[]}'],
  [ResponseType.ConsumerList, '{"type":"io.nats.jetstream.api.v1.consumer_list_response","error":{"code":404,"err_code":10059,"description":"stream not found"},"total":0,"offset":0,"limit":0,"consumers":[]}'],
  [ResponseType.AccountInfo, '{"type":"io.nats.jetstream.api.v1.account_info_response","error":{"code":404,"err_code":10059,"description":"stream not found"}}'],
];

for (const [type, want] of envelopes) {
  test(`apiErrorResponse: ${type}`, () => {
    assert.equal(apiErrorResponse(type, apiError('StreamNotFound')), want);
  });
}

test('apiResponse: type first, then the members in order', () => {
  assert.equal(apiResponse(ResponseType.StreamDelete, { success: true }), '{"type":"io.nats.jetstream.api.v1.stream_delete_response","success":true}');
});
