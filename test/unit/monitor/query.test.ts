import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../../src/monitor/errors.js';
import { ConnState, Query } from '../../../src/monitor/query.js';
import { compactJson, jsonReply } from '../../../src/monitor/json.js';

const q = (text: string): Query => new Query(new URLSearchParams(text));

function rejects(fn: () => unknown, message: string): void {
  assert.throws(fn, (err: unknown) => err instanceof BadRequestError && err.code === 'MONITOR_BAD_REQUEST' && err.message === message);
}

test('bool accepts the words Go strconv.ParseBool accepts', () => {
  for (const word of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(q(`x=${word}`).bool('x'), true, word);
  for (const word of ['0', 'f', 'F', 'FALSE', 'false', 'False', '']) assert.equal(q(`x=${word}`).bool('x'), false, word);
  assert.equal(q('').bool('x'), false);
  rejects(() => q('x=yes').bool('x'), `Error decoding boolean for 'x': strconv.ParseBool: parsing "yes": invalid syntax`);
  rejects(() => q('x=tRUE').bool('x'), `Error decoding boolean for 'x': strconv.ParseBool: parsing "tRUE": invalid syntax`);
  rejects(() => q('x=a%0Ab').bool('x'), `Error decoding boolean for 'x': strconv.ParseBool: parsing "a\\nb": invalid syntax`);
});

test('int and uint follow strconv.Atoi and ParseUint', () => {
  assert.equal(q('n=42').int('n'), 42);
  assert.equal(q('n=-7').int('n'), -7);
  assert.equal(q('n=%2B7').int('n'), 7);
  assert.equal(q('').int('n'), 0);
  rejects(() => q('n=1_000').int('n'), `Error decoding int for 'n': strconv.Atoi: parsing "1_000": invalid syntax`);
  rejects(() => q('n=9223372036854775808').int('n'), `Error decoding int for 'n': strconv.Atoi: parsing "9223372036854775808": value out of range`);
  assert.equal(q('c=5').uint('c'), 5);
  rejects(() => q('c=%2B5').uint('c'), `Error decoding uint64 for 'c': strconv.ParseUint: parsing "+5": invalid syntax`);
  rejects(() => q('c=18446744073709551616').uint('c'), `Error decoding uint64 for 'c': strconv.ParseUint: parsing "18446744073709551616": value out of range`);
});

test('subs is a boolean or detail; state is open, closed, any or all', () => {
  assert.deepEqual(q('subs=DETAIL').subs(), { list: false, detail: true });
  assert.deepEqual(q('subs=1').subs(), { list: true, detail: false });
  assert.deepEqual(q('').subs(), { list: false, detail: false });
  assert.equal(q('').state(), ConnState.Open);
  assert.equal(q('state=Closed').state(), ConnState.Closed);
  assert.equal(q('state=any').state(), ConnState.All);
  assert.equal(q('state=all').state(), ConnState.All);
  rejects(() => q('state=gone').state(), 'Error decoding state for gone');
});

test('JSON escapes like Go encoding/json', () => {
  assert.equal(compactJson({ s: 'a<b>&c\u2028' }), '{"s":"a\\u003cb\\u003e\\u0026c\\u2028"}');
  assert.equal(jsonReply({ compact: false }, { a: [1], b: {} }).body, '{\n  "a": [\n    1\n  ],\n  "b": {}\n}');
  assert.equal(jsonReply({ compact: true }, { s: 'a<b>', n: 18446744073709551615n }).body, '{"s":"a\\u003cb\\u003e","n":18446744073709551615}');
});
