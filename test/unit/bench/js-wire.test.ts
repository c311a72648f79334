import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameShapeError, NumberedTemplate, ServerFrameParser, publishNumberOf, selfNumberedPub } from '../../bench/index.js';

interface Seen {
  msgs: Array<[string, string, string, string]>;
  lines: string[];
}

function parserFor(seen: Seen): ServerFrameParser {
  return new ServerFrameParser({
    onMsg: (subject, reply, headers, payload) => seen.msgs.push([subject.toString(), reply.toString(), headers.toString(), payload.toString()]),
    onPing: () => seen.lines.push('PING'),
    onPong: () => seen.lines.push('PONG'),
    onInfo: (json) => seen.lines.push(`INFO ${json}`),
    onServerError: (text) => seen.lines.push(text),
  });
}

const STREAM =
  'INFO {"a":1}\r\n+OK\r\nMSG a.b 1 5\r\nhello\r\nMSG _INBOX.x.00000007 1 _INBOX.r 2\r\nok\r\n' +
  'HMSG r.1 2 12 14\r\nNATS/1.0\r\n\r\nhi\r\nHMSG r.2 2 _R 16 16\r\nNATS/1.0 404\r\n\r\n\r\nPING\r\nPONG\r\n-ERR \'x\'\r\n';

const EXPECTED: Seen = {
  msgs: [
    ['a.b', '', '', 'hello'],
    ['_INBOX.x.00000007', '_INBOX.r', '', 'ok'],
    ['r.1', '', 'NATS/1.0\r\n\r\n', 'hi'],
    ['r.2', '_R', 'NATS/1.0 404\r\n\r\n', ''],
  ],
  lines: ['INFO {"a":1}', 'PING', 'PONG', "-ERR 'x'"],
};

test('server frames: MSG and HMSG with and without reply, control lines, in one read and split at every byte', () => {
  const whole: Seen = { msgs: [], lines: [] };
  parserFor(whole).push(Buffer.from(STREAM, 'latin1'));
  assert.deepEqual(whole, EXPECTED);
  const bytes = Buffer.from(STREAM, 'latin1');
  for (let cut = 1; cut < bytes.length; cut++) {
    const split: Seen = { msgs: [], lines: [] };
    const parser = parserFor(split);
    parser.push(bytes.subarray(0, cut));
    parser.push(bytes.subarray(cut));
    assert.deepEqual(split, EXPECTED, `split at ${cut}`);
  }
});

test('server frames: a line the client cannot expect is a shape error', () => {
  assert.throws(() => parserFor({ msgs: [], lines: [] }).push(Buffer.from('HELLO\r\n')), FrameShapeError);
  assert.throws(() => parserFor({ msgs: [], lines: [] }).push(Buffer.from('MSG a\r\n')), FrameShapeError);
});

test('numbered frames carry the number in every field, zero-padded', () => {
  const template = new NumberedTemplate((n) => Buffer.from(`PUB s _I.${n} 8\r\n${n}\r\n`));
  const out = Buffer.alloc(template.length * 2);
  template.writeInto(out, 0, 42);
  template.writeInto(out, template.length, 123456789);
  assert.equal(out.toString(), 'PUB s _I.00000042 8\r\n00000042\r\nPUB s _I.23456789 8\r\n23456789\r\n');

  const pub = selfNumberedPub('f.x', '_I', 16);
  const frame = Buffer.alloc(pub.length);
  pub.writeInto(frame, 0, 7);
  const text = frame.toString('latin1');
  assert.equal(text, 'HPUB f.x _I.00000007 35 51\r\nNATS/1.0\r\nNats-Msg-Id: 00000007\r\n\r\n00000007........\r\n');
  assert.equal(publishNumberOf(frame.subarray(frame.length - 18, frame.length - 2)), 7);
});
