// Every -ERR that applies with default options, the ops that close without one, and for each
// whether the connection closes or stays open, while a bystander client keeps working.

import { test } from 'node:test';
import { Bystander, MODERN, QUIET, assertClosedWith, assertOpenAfter, connected, leafgateForFile } from './harness.js';

const server = leafgateForFile();

const UNKNOWN_OP = "-ERR 'Unknown Protocol Operation'\r\n";
const MAX_PAYLOAD = "-ERR 'Maximum Payload Violation'\r\n";
const MAX_CONTROL_LINE = "-ERR 'maximum control line exceeded'\r\n";

interface Case {
  readonly name: string;
  /** CONNECT JSON sent (and round-tripped) before `send`. */
  readonly connect?: string;
  readonly send: string;
  /** Exactly what the server sends before it closes the connection ('' for a silent close). */
  readonly closesWith: string;
}

const closing: Case[] = [
  { name: 'Unknown Protocol Operation: unknown op', send: 'FOO bar\r\n', closesWith: UNKNOWN_OP },
  { name: 'Unknown Protocol Operation: op name without its blank', send: 'SUBfoo 1\r\n', closesWith: UNKNOWN_OP },
  { name: 'Unknown Protocol Operation: op name alone', send: 'UNSUB\r\n', closesWith: UNKNOWN_OP },
  { name: 'Unknown Protocol Operation: MSG from a client', send: 'MSG foo 1 2\r\nhi\r\n', closesWith: UNKNOWN_OP },
  { name: 'Unknown Protocol Operation: refused at the op name, before the line ends', send: `FOO${'x'.repeat(5000)}`, closesWith: UNKNOWN_OP },
  { name: 'Unknown Protocol Operation: an unknown op longer than max_control_line', send: `FOO ${'x'.repeat(10000)}\r\n`, closesWith: UNKNOWN_OP },
  { name: 'Unknown Protocol Operation: HMSG from a client', connect: MODERN, send: 'HMSG foo 1 0 2\r\nhi\r\n', closesWith: UNKNOWN_OP },
  { name: 'Unknown Protocol Operation: payload not followed by CRLF', send: 'PUB foo 2\r\nhiXY', closesWith: UNKNOWN_OP },
  { name: 'Unknown Protocol Operation: payload longer than its size', send: 'PUB foo 2\r\nhello\r\n', closesWith: UNKNOWN_OP },
  { name: 'Unknown Protocol Operation: HPUB total shorter than the bytes sent', connect: MODERN, send: 'HPUB foo 12 12\r\nNATS/1.0\r\n\r\nhi\r\n', closesWith: UNKNOWN_OP },
  { name: 'maximum control line exceeded: INFO from a client', send: `INFO {"a":"${'x'.repeat(5000)}"}\r\n`, closesWith: MAX_CONTROL_LINE },
  { name: 'maximum control line exceeded: -ERR from a client', send: `-ERR '${'x'.repeat(5000)}'\r\n`, closesWith: MAX_CONTROL_LINE },
  { name: 'Maximum Payload Violation: PUB one byte over 1 MiB', send: 'PUB foo 1048577\r\n', closesWith: MAX_PAYLOAD },
  { name: 'Maximum Payload Violation: HPUB total (headers + payload) over 1 MiB', connect: MODERN, send: 'HPUB foo 12 1048577\r\n', closesWith: MAX_PAYLOAD },
  { name: 'maximum control line exceeded: long SUB line', send: `SUB ${'s'.repeat(5000)} 1\r\n`, closesWith: MAX_CONTROL_LINE },
  { name: 'maximum control line exceeded: long line with no newline yet', send: `PUB ${'s'.repeat(6000)}`, closesWith: MAX_CONTROL_LINE },
  { name: 'invalid client protocol (2)', send: 'CONNECT {"protocol":2}\r\n', closesWith: "-ERR 'invalid client protocol'\r\n" },
  { name: 'invalid client protocol (-1)', send: 'CONNECT {"protocol":-1}\r\n', closesWith: "-ERR 'invalid client protocol'\r\n" },
  { name: 'no responders requires headers support', send: 'CONNECT {"no_responders":true}\r\n', closesWith: "-ERR 'no responders requires headers support'\r\n" },
  { name: 'Authorization Violation: legacy account in CONNECT', send: 'CONNECT {"account":"A"}\r\n', closesWith: "-ERR 'Authorization Violation'\r\n" },
  { name: 'Authorization Violation: legacy new_account in CONNECT', send: 'CONNECT {"new_account":true}\r\n', closesWith: "-ERR 'Authorization Violation'\r\n" },
  { name: 'silent: PUB with no size', send: 'PUB foo\r\n', closesWith: '' },
  { name: 'silent: PUB with too many arguments', send: 'PUB a b c 1\r\nx\r\n', closesWith: '' },
  { name: 'silent: PUB size not a number', send: 'PUB foo 1x\r\nx\r\n', closesWith: '' },
  { name: 'silent: PUB size of ten digits', send: 'PUB foo 0000000001\r\nx\r\n', closesWith: '' },
  { name: 'silent: PUB negative size', send: 'PUB foo -1\r\n', closesWith: '' },
  { name: 'silent: SUB with one argument', send: 'SUB foo\r\n', closesWith: '' },
  { name: 'silent: SUB with four arguments', send: 'SUB foo q 1 2\r\n', closesWith: '' },
  { name: 'silent: UNSUB with only blanks', send: 'UNSUB  \r\n', closesWith: '' },
  { name: 'silent: UNSUB with three arguments', send: 'UNSUB 1 2 3\r\n', closesWith: '' },
  { name: 'silent: HPUB header size above total', connect: MODERN, send: 'HPUB foo 5 2\r\nhi\r\n', closesWith: '' },
  { name: 'silent: HPUB with one size only', connect: MODERN, send: 'HPUB foo 2\r\nhi\r\n', closesWith: '' },
  { name: 'silent: HPUB from a client without headers:true', send: 'HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n', closesWith: '' },
  { name: 'silent: CONNECT with malformed JSON', send: 'CONNECT {"verbose":\r\n', closesWith: '' },
  { name: 'silent: CONNECT with no JSON', send: 'CONNECT\r\n', closesWith: '' },
  { name: 'silent: CONNECT with a JSON array', send: 'CONNECT [1]\r\n', closesWith: '' },
  { name: 'silent: CONNECT with text after the JSON', send: 'CONNECT {} {}\r\n', closesWith: '' },
  { name: 'silent: CONNECT with a field of the wrong type (verbose as string)', send: 'CONNECT {"verbose":"false"}\r\n', closesWith: '' },
  { name: 'silent: CONNECT with a field of the wrong type (headers as number)', send: 'CONNECT {"headers":1}\r\n', closesWith: '' },
  { name: 'silent: CONNECT with protocol as a string', send: 'CONNECT {"protocol":"1"}\r\n', closesWith: '' },
  { name: 'silent: CONNECT with protocol as a fraction', send: 'CONNECT {"protocol":0.5}\r\n', closesWith: '' },
  { name: 'silent: -ERR from a client', send: "-ERR 'go away'\r\n", closesWith: '' },
];

for (const c of closing) {
  test(`closes: ${c.name}`, async () => {
    const bystander = await Bystander.start(server().port);
    const client = await connected(server().port, c.connect ?? QUIET);
    client.send(c.send);
    await assertClosedWith(client, c.closesWith, bystander);
    bystander.close();
  });
}

interface OpenCase {
  readonly name: string;
  readonly connect?: string;
  readonly send: string;
  /** Exactly what arrives before the PONG of a follow-up PING. */
  readonly reply: string;
}

const staysOpen: OpenCase[] = [
  {
    name: 'Permissions Violation for Publish with Reply of a reserved prefix (_R_., $JS.ACK., _GR_.)',
    send: 'SUB > 1\r\nPUB foo _R_.a 1\r\nx\r\nPUB foo $JS.ACK.b 1\r\nx\r\nPUB foo _GR_.c 1\r\nx\r\n',
    reply:
      '-ERR \'Permissions Violation for Publish with Reply of "_R_.a"\'\r\n' +
      '-ERR \'Permissions Violation for Publish with Reply of "$JS.ACK.b"\'\r\n' +
      '-ERR \'Permissions Violation for Publish with Reply of "_GR_.c"\'\r\n',
  },
  { name: 'reply prefixes that only look reserved are fine ($GNR., _R_ without dot)', send: 'SUB > 1\r\nPUB foo $GNR.x 1\r\nx\r\nPUB foo _R_x 1\r\ny\r\n', reply: 'MSG foo 1 $GNR.x 1\r\nx\r\nMSG foo 1 _R_x 1\r\ny\r\n' },
  { name: 'reserved reply on HPUB', connect: MODERN, send: 'SUB > 1\r\nHPUB foo _R_.a 12 12\r\nNATS/1.0\r\n\r\n\r\n', reply: '-ERR \'Permissions Violation for Publish with Reply of "_R_.a"\'\r\n' },
  { name: 'Permissions Violation for Publish to a _GR_. subject', send: 'SUB > 1\r\nPUB _GR_.x 1\r\nx\r\n', reply: '-ERR \'Permissions Violation for Publish to "_GR_.x"\'\r\n' },
  {
    name: 'Invalid Subject for SUB with empty tokens or > not last; sub not created',
    send: 'SUB a..b 1\r\nSUB .a 2\r\nSUB a. 3\r\nSUB a.>.b 4\r\nPUB a..b 1\r\nx\r\n',
    reply: "-ERR 'Invalid Subject'\r\n-ERR 'Invalid Subject'\r\n-ERR 'Invalid Subject'\r\n-ERR 'Invalid Subject'\r\n",
  },
  { name: 'wildcards inside a token are literal, so these subjects are valid', send: 'SUB a*.b> 1\r\nPUB a*.b> 1\r\nx\r\n', reply: 'MSG a*.b> 1 1\r\nx\r\n' },
  { name: 'Invalid Publish Subject (pedantic) and the message is still routed', connect: '{"verbose":false}', send: 'SUB a.* 1\r\nPUB a.* 1\r\nx\r\n', reply: "-ERR 'Invalid Publish Subject'\r\nMSG a.* 1 1\r\nx\r\n" },
  { name: 'a payload of exactly max_payload is accepted', send: `SUB m 1\r\nPUB m 1048576\r\n${'m'.repeat(1048576)}\r\n`, reply: `MSG m 1 1048576\r\n${'m'.repeat(1048576)}\r\n` },
];

for (const c of staysOpen) {
  test(`stays open: ${c.name}`, async () => {
    const bystander = await Bystander.start(server().port);
    const client = await connected(server().port, c.connect ?? QUIET);
    client.send(c.send);
    await assertOpenAfter(client, c.reply);
    await bystander.check();
    client.close();
    bystander.close();
  });
}
