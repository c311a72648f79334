// Differential: core client protocol with default options (framing, CONNECT defaults, delivery,
// headers, no-responders, and the errors that need no configuration).

import { differentialSuite } from './differential.js';
import { awaitText, bystander, bystanderWorks, closed, gather, info, MODERN, open, QUIET, send, sync, syncAnyOrder } from './script.js';
import type { Scenario } from './script.js';

const UNKNOWN_OP = "-ERR 'Unknown Protocol Operation'\r\n";
const NO_RESPONDERS = 'NATS/1.0 503\r\n\r\n\r\n';

/** A client that sends `bad` and is closed with `want` observed, while a bystander keeps working. */
function closes(name: string, bad: string, want: string, connect: string = QUIET): Scenario {
  return { name, steps: [...bystander(), ...open('a', connect), send('a', bad), closed('a', want), ...bystanderWorks] };
}

const scenarios: Scenario[] = [
  {
    name: 'INFO fields and order',
    steps: [
      info(
        'a',
        'INFO {"server_id":"<server_id>","server_name":"<server_id>","version":"2.9.10","proto":1,"go":"<go>","host":"127.0.0.1","port":"<port>","headers":true,"max_payload":1048576,"client_id":"<client_id>","client_ip":"127.0.0.1"} ',
      ),
    ],
  },
  {
    name: 'CONNECT {} is verbose: +OK for CONNECT, SUB, PUB, UNSUB, none for PING',
    steps: [...open('a', '{}'), send('a', 'SUB foo 1\r\nPUB foo 2\r\nhi\r\nUNSUB 1\r\n'), sync('a', '+OK\r\n+OK\r\n+OK\r\nMSG foo 1 2\r\nhi\r\n+OK\r\n')],
  },
  {
    name: 'operations before CONNECT use the verbose defaults',
    steps: [...open('a'), send('a', 'SUB foo 1\r\nPUB foo 2\r\nhi\r\n'), sync('a', '+OK\r\n+OK\r\nMSG foo 1 2\r\nhi\r\n')],
  },
  {
    name: 'verbose +OK for a duplicate sid SUB and an unknown sid UNSUB',
    steps: [...open('a', '{"verbose":true}'), send('a', 'SUB foo 1\r\nSUB bar 1\r\nUNSUB 99\r\n'), sync('a', '+OK\r\n+OK\r\n+OK\r\n+OK\r\n')],
  },
  {
    name: 'pedantic: invalid publish subject is reported and still routed',
    steps: [
      ...open('a', '{"verbose":false}'),
      send('a', 'SUB foo.> 1\r\nPUB foo.* 2\r\nhi\r\nPUB foo..bar 2\r\nhi\r\nPUB foo.bar 2\r\nok\r\n'),
      sync('a', "-ERR 'Invalid Publish Subject'\r\nMSG foo.* 1 2\r\nhi\r\n-ERR 'Invalid Publish Subject'\r\nMSG foo.bar 1 2\r\nok\r\n"),
    ],
  },
  {
    name: 'without pedantic a wildcard publish subject is matched as literal tokens',
    steps: [
      ...open('a', QUIET),
      send('a', 'SUB foo.* 1\r\nSUB foo.bar 2\r\nSUB foo*.bar 3\r\nPUB foo.* 1\r\nx\r\nPUB foo*.bar 1\r\ny\r\n'),
      sync('a', 'MSG foo.* 1 1\r\nx\r\nMSG foo*.bar 3 1\r\ny\r\n'),
    ],
  },
  {
    name: 'PUB with reply subject, empty payload, and leading-zero size echoed',
    steps: [
      ...open('a', QUIET),
      send('a', 'SUB foo 1\r\nPUB foo bar 2\r\nhi\r\nPUB foo 0\r\n\r\nPUB foo 002\r\nab\r\nPUB foo r 0003\r\nabc\r\n'),
      sync('a', 'MSG foo 1 bar 2\r\nhi\r\nMSG foo 1 0\r\n\r\nMSG foo 1 002\r\nab\r\nMSG foo 1 r 0003\r\nabc\r\n'),
    ],
  },
  {
    name: 'payload bytes are opaque (CRLF and control words inside a payload)',
    steps: [...open('a', QUIET), send('a', 'SUB foo 1\r\nPUB foo 9\r\nSUB x 2\r\n\r\n'), sync('a', 'MSG foo 1 9\r\nSUB x 2\r\n\r\n')],
  },
  {
    name: 'MSG carries the published subject, not the wildcard',
    steps: [
      ...open('a', QUIET),
      send('a', 'SUB a.* 1\r\nSUB a.> 2\r\nSUB > 3\r\nPUB a.b.c 1\r\nx\r\n'),
      syncAnyOrder('a', 'MSG a.b.c 2 1\r\nx\r\nMSG a.b.c 3 1\r\nx\r\n'),
    ],
  },
  {
    name: 'two matching subscriptions on one connection get a copy each',
    steps: [...open('a', QUIET), send('a', 'SUB foo 1\r\nSUB f* 2\r\nSUB foo 3\r\nPUB foo 1\r\nx\r\n'), syncAnyOrder('a', 'MSG foo 1 1\r\nx\r\nMSG foo 3 1\r\nx\r\n')],
  },
  {
    name: 'HPUB to a headers subscriber is HMSG; to a plain subscriber the headers are stripped',
    steps: [
      ...open('h', MODERN),
      ...open('p', QUIET),
      send('h', 'SUB foo 1\r\n'),
      send('p', 'SUB foo 7\r\n'),
      sync('h', ''),
      sync('p', ''),
      send('h', 'HPUB foo rep 18 20\r\nNATS/1.0\r\nA: b\r\n\r\nhi\r\n'),
      sync('h', 'HMSG foo 1 rep 18 20\r\nNATS/1.0\r\nA: b\r\n\r\nhi\r\n'),
      sync('p', 'MSG foo 7 rep 2\r\nhi\r\n'),
    ],
  },
  {
    name: 'HPUB with zero header bytes is delivered as MSG',
    steps: [...open('h', MODERN), send('h', 'SUB foo 1\r\nHPUB foo 0 2\r\nhi\r\n'), sync('h', 'MSG foo 1 2\r\nhi\r\n')],
  },
  {
    name: 'op names are case-insensitive',
    steps: [...open('a'), send('a', 'connect {"verbose":false}\r\nsub foo 1\r\nPub foo 1\r\nx\r\nuNsUb 1\r\npub foo 1\r\ny\r\nping\r\n'), awaitText('a', 'PONG\r\n', 'MSG foo 1 1\r\nx\r\nPONG\r\n'), sync('a', '')],
  },
  {
    name: 'tabs and runs of blanks separate arguments; trailing blanks ignored',
    steps: [...open('a', QUIET), send('a', 'SUB\tfoo \t q\t 1 \r\nPUB \t foo\tbar  2\t\r\nhi\r\n'), sync('a', 'MSG foo 1 bar 2\r\nhi\r\n')],
  },
  {
    name: 'bare LF ends a control line',
    steps: [...open('a', QUIET), send('a', 'SUB foo 1\nPUB foo 2\nhi\r\nPING\n'), awaitText('a', 'PONG\r\n', 'MSG foo 1 2\r\nhi\r\nPONG\r\n'), sync('a', '')],
  },
  {
    name: 'text after PING, and +OK / INFO from a client, are ignored',
    steps: [...open('a', QUIET), send('a', 'PING whatever\r\n+OK\r\nINFO {}\r\nPONG\r\n'), awaitText('a', 'PONG\r\n'), sync('a', '')],
  },
  {
    name: 'UNSUB with max: removed after that many deliveries',
    steps: [...open('a', QUIET), send('a', 'SUB foo 1\r\nUNSUB 1 2\r\nPUB foo 1\r\na\r\nPUB foo 1\r\nb\r\nPUB foo 1\r\nc\r\n'), sync('a', 'MSG foo 1 1\r\na\r\nMSG foo 1 1\r\nb\r\n')],
  },
  {
    name: 'UNSUB max counts deliveries already made; max not above them removes at once',
    steps: [
      ...open('a', QUIET),
      send('a', 'SUB foo 1\r\nSUB foo 2\r\nSUB foo 3\r\nPUB foo 1\r\na\r\nPUB foo 1\r\nb\r\n'),
      syncAnyOrder('a', 'MSG foo 1 1\r\na\r\nMSG foo 1 1\r\nb\r\nMSG foo 2 1\r\na\r\nMSG foo 2 1\r\nb\r\nMSG foo 3 1\r\na\r\nMSG foo 3 1\r\nb\r\n'),
      send('a', 'UNSUB 1 3\r\nUNSUB 2 2\r\nUNSUB 3 0\r\nPUB foo 1\r\nc\r\nPUB foo 1\r\nd\r\n'),
      sync('a', 'MSG foo 1 1\r\nc\r\n'),
    ],
  },
  {
    name: 'UNSUB with a non-numeric max removes at once',
    steps: [...open('a', QUIET), send('a', 'SUB foo 1\r\nUNSUB 1 abc\r\nPUB foo 1\r\na\r\n'), sync('a', '')],
  },
  {
    name: 're-SUB with an existing sid is ignored',
    steps: [...open('a', QUIET), send('a', 'SUB foo 1\r\nSUB bar 1\r\nPUB bar 1\r\nb\r\nPUB foo 1\r\nf\r\n'), sync('a', 'MSG foo 1 1\r\nf\r\n')],
  },
  {
    name: 'queue group: each message to exactly one member; plain subscribers get all',
    steps: [
      ...open('q1', QUIET),
      ...open('q2', QUIET),
      ...open('p', QUIET),
      send('q1', 'SUB work grp 5\r\n'),
      send('q2', 'SUB work grp 5\r\n'),
      send('p', 'SUB work 9\r\n'),
      sync('q1', ''),
      sync('q2', ''),
      sync('p', ''),
      send('p', 'PUB work 1\r\n1\r\nPUB work 1\r\n2\r\nPUB work 1\r\n3\r\nPUB work 1\r\n4\r\n'),
      sync('p', 'MSG work 9 1\r\n1\r\nMSG work 9 1\r\n2\r\nMSG work 9 1\r\n3\r\nMSG work 9 1\r\n4\r\n'),
      gather(['q1', 'q2'], 'MSG work 5 1\r\n1\r\nMSG work 5 1\r\n2\r\nMSG work 5 1\r\n3\r\nMSG work 5 1\r\n4\r\n'),
    ],
  },
  {
    name: 'no responders: exact 503 HMSG to the requester inbox',
    steps: [...open('a', MODERN), send('a', 'SUB _INBOX.x.* 1\r\nPUB svc _INBOX.x.7 2\r\nhi\r\n'), sync('a', `HMSG _INBOX.x.7 1 16 16\r\n${NO_RESPONDERS}`)],
  },
  {
    name: 'no responders: nothing without no_responders, without a reply, or without a matching inbox sub',
    steps: [
      ...open('a', '{"verbose":false,"headers":true}'),
      ...open('b', MODERN),
      send('a', 'SUB _INBOX.a.* 1\r\nPUB svc _INBOX.a.1 0\r\n\r\n'),
      send('b', 'SUB _INBOX.b.* 1\r\nPUB svc 0\r\n\r\nPUB svc other.inbox 0\r\n\r\n'),
      sync('a', ''),
      sync('b', ''),
    ],
  },
  {
    name: 'no responders: a request that has a responder gets the reply, not 503',
    steps: [
      ...open('svc', QUIET),
      ...open('req', MODERN),
      send('svc', 'SUB svc 1\r\n'),
      sync('svc', ''),
      send('req', 'SUB _INBOX.r.* 1\r\nPUB svc _INBOX.r.1 1\r\nq\r\n'),
      sync('req', ''),
      sync('svc', 'MSG svc 1 _INBOX.r.1 1\r\nq\r\n'),
      send('svc', 'PUB _INBOX.r.1 1\r\nA\r\n'),
      sync('svc', ''),
      sync('req', 'MSG _INBOX.r.1 1 1\r\nA\r\n'),
    ],
  },
  {
    name: 'echo:false: own publishes are not delivered back, others are',
    steps: [
      ...open('a', '{"verbose":false,"pedantic":false,"echo":false}'),
      ...open('b', QUIET),
      send('a', 'SUB foo 1\r\nPUB foo 4\r\nself\r\n'),
      sync('a', ''),
      send('b', 'PUB foo 5\r\nother\r\n'),
      sync('b', ''),
      sync('a', 'MSG foo 1 5\r\nother\r\n'),
    ],
  },
  {
    name: 'echo:false: a request whose only responder is the requester gets 503',
    steps: [
      ...open('a', '{"verbose":false,"pedantic":false,"echo":false,"headers":true,"no_responders":true}'),
      send('a', 'SUB svc 1\r\nSUB _INBOX.e.* 2\r\nPUB svc _INBOX.e.1 0\r\n\r\n'),
      sync('a', `HMSG _INBOX.e.1 2 16 16\r\n${NO_RESPONDERS}`),
    ],
  },
  {
    name: 'reserved reply prefixes are rejected and the connection stays open',
    steps: [
      ...open('a', QUIET),
      send('a', 'SUB > 1\r\nPUB foo _R_.x 1\r\na\r\nPUB foo $JS.ACK.x 1\r\nb\r\nPUB foo _GR_.x 1\r\nc\r\nPUB foo $GNR.x 1\r\nd\r\n'),
      sync(
        'a',
        '-ERR \'Permissions Violation for Publish with Reply of "_R_.x"\'\r\n' +
          '-ERR \'Permissions Violation for Publish with Reply of "$JS.ACK.x"\'\r\n' +
          '-ERR \'Permissions Violation for Publish with Reply of "_GR_.x"\'\r\n' +
          'MSG foo 1 $GNR.x 1\r\nd\r\n',
      ),
    ],
  },
  {
    name: 'publishing to a _GR_. subject is a permissions violation; connection stays open',
    steps: [...open('a', QUIET), send('a', 'SUB > 1\r\nPUB _GR_.x 1\r\na\r\n'), sync('a', '-ERR \'Permissions Violation for Publish to "_GR_.x"\'\r\n')],
  },
  {
    name: 'Invalid Subject for malformed SUB subjects; connection stays open, valid subs work',
    steps: [
      ...open('a', QUIET),
      send('a', 'SUB foo..bar 1\r\nSUB .foo 2\r\nSUB foo. 3\r\nSUB foo.>.bar 4\r\nSUB *.> 5\r\nPUB x.y 1\r\nz\r\n'),
      sync('a', "-ERR 'Invalid Subject'\r\n-ERR 'Invalid Subject'\r\n-ERR 'Invalid Subject'\r\n-ERR 'Invalid Subject'\r\nMSG x.y 5 1\r\nz\r\n"),
    ],
  },
  closes('unknown op', 'FOO bar\r\n', UNKNOWN_OP),
  closes('MSG from a client', 'MSG foo 1 2\r\nhi\r\n', UNKNOWN_OP),
  closes('unknown op refused before its line ends', `FOO${'x'.repeat(5000)}`, UNKNOWN_OP),
  closes('unknown op longer than twice max_control_line, no newline', `FOO ${'x'.repeat(10000)}`, UNKNOWN_OP),
  closes('unknown op with a long line and a newline', `XYZ ${'x'.repeat(5000)}\r\n`, UNKNOWN_OP),
  closes('HMSG from a client', 'HMSG foo 1 0 2\r\nhi\r\n', UNKNOWN_OP, MODERN),
  closes('payload not followed by CRLF', 'PUB foo 2\r\nhiXX', UNKNOWN_OP),
  closes('payload longer than announced', 'PUB foo 2\r\nhello\r\n', UNKNOWN_OP),
  closes('Maximum Payload Violation (PUB)', 'PUB foo 1048577\r\n', "-ERR 'Maximum Payload Violation'\r\n"),
  closes('Maximum Payload Violation (HPUB counts headers + payload)', 'HPUB foo 12 1048577\r\n', "-ERR 'Maximum Payload Violation'\r\n", MODERN),
  closes('maximum control line exceeded', `SUB ${'x'.repeat(5000)} 1\r\n`, "-ERR 'maximum control line exceeded'\r\n"),
  closes('maximum control line exceeded without a newline', `PUB ${'x'.repeat(5000)}`, "-ERR 'maximum control line exceeded'\r\n"),
  closes('invalid client protocol', 'CONNECT {"protocol":2}\r\n', "-ERR 'invalid client protocol'\r\n"),
  closes('no responders requires headers support', 'CONNECT {"no_responders":true}\r\n', "-ERR 'no responders requires headers support'\r\n"),
  closes('legacy account field in CONNECT', 'CONNECT {"verbose":false,"account":"A"}\r\n', "-ERR 'Authorization Violation'\r\n"),
  closes('legacy new_account in CONNECT', 'CONNECT {"verbose":false,"new_account":true}\r\n', "-ERR 'Authorization Violation'\r\n"),
  closes('silent: PUB without size', 'PUB foo\r\n', ''),
  closes('silent: PUB with too many arguments', 'PUB foo bar baz 1\r\nx\r\n', ''),
  closes('silent: PUB with non-numeric size', 'PUB foo abc\r\n', ''),
  closes('silent: PUB with a 10-digit size', 'PUB foo 0000000001\r\nx\r\n', ''),
  closes('silent: PUB with negative size', 'PUB foo -1\r\n', ''),
  closes('silent: SUB with one argument', 'SUB foo\r\n', ''),
  closes('silent: SUB with four arguments', 'SUB foo q 1 2\r\n', ''),
  closes('an op name with no arguments is an unknown op', 'UNSUB\r\n', UNKNOWN_OP),
  closes('silent: UNSUB with only blanks after it', 'UNSUB \r\n', ''),
  closes('silent: UNSUB with three arguments', 'UNSUB 1 2 3\r\n', ''),
  closes('silent: HPUB header size above total', 'HPUB foo 5 2\r\nhi\r\n', '', MODERN),
  closes('silent: HPUB with two arguments', 'HPUB foo 2\r\nhi\r\n', '', MODERN),
  closes('silent: HPUB without headers:true in CONNECT', 'HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n', ''),
  closes('silent: CONNECT with malformed JSON', 'CONNECT {"verbose":\r\n', ''),
  closes('silent: bare CONNECT', 'CONNECT\r\n', ''),
  closes('silent: -ERR from a client', "-ERR 'bye'\r\n", ''),
  closes('silent: CONNECT with a JSON array', 'CONNECT []\r\n', ''),
  closes('silent: CONNECT with trailing text after the JSON', 'CONNECT {} x\r\n', ''),
  closes('silent: CONNECT field of the wrong type (bool as string)', 'CONNECT {"verbose":"yes"}\r\n', ''),
  closes('silent: CONNECT field of the wrong type (name as number)', 'CONNECT {"verbose":false,"name":5}\r\n', ''),
  closes('silent: CONNECT protocol as a string', 'CONNECT {"protocol":"1"}\r\n', ''),
  closes('silent: CONNECT protocol as a fraction', 'CONNECT {"protocol":1.5}\r\n', ''),
  closes('invalid client protocol (negative)', 'CONNECT {"protocol":-1}\r\n', "-ERR 'invalid client protocol'\r\n"),
  {
    name: 'CONNECT null keeps the defaults (verbose)',
    steps: [...open('a'), send('a', 'CONNECT null\r\nSUB foo 1\r\n'), sync('a', '+OK\r\n+OK\r\n')],
  },
  {
    name: 'CONNECT fields set to null keep their defaults',
    steps: [...open('a'), send('a', 'CONNECT {"verbose":null,"pedantic":null}\r\nSUB foo 1\r\nPUB a..b 0\r\n\r\n'), sync('a', "+OK\r\n+OK\r\n-ERR 'Invalid Publish Subject'\r\n+OK\r\n")],
  },
  {
    name: 'CONNECT field names match case-insensitively',
    steps: [...open('a'), send('a', 'CONNECT {"Verbose":false,"PEDANTIC":false}\r\nSUB foo 1\r\nPUB a..b 0\r\n\r\n'), sync('a', '')],
  },
  {
    name: 'CONNECT ignores unknown fields',
    steps: [...open('a'), send('a', 'CONNECT {"verbose":false,"whatever":[1,{"x":2}],"lang":"raw"}\r\nSUB foo 1\r\nPUB foo 1\r\nx\r\n'), sync('a', 'MSG foo 1 1\r\nx\r\n')],
  },
  {
    name: 'non-ASCII subject bytes pass through unchanged',
    steps: [...open('a', QUIET), send('a', 'SUB f\xc3\xb6\xc3\xb6.* 1\r\nPUB f\xc3\xb6\xc3\xb6.\xe2\x82\xac 1\r\nx\r\n'), sync('a', 'MSG f\xc3\xb6\xc3\xb6.\xe2\x82\xac 1 1\r\nx\r\n')],
  },
  {
    name: 'queue group names are not validated',
    steps: [...open('a', QUIET), send('a', 'SUB foo a..b 1\r\nSUB foo * 2\r\nPUB foo 1\r\nx\r\n'), syncAnyOrder('a', 'MSG foo 1 1\r\nx\r\nMSG foo 2 1\r\nx\r\n')],
  },
  {
    name: 'a large payload crossing many reads',
    steps: [...open('a', QUIET), send('a', `SUB big 1\r\nPUB big 70000\r\n${'z'.repeat(70000)}\r\n`), sync('a', `MSG big 1 70000\r\n${'z'.repeat(70000)}\r\n`)],
  },
  closes('PUB with no arguments', 'PUB\r\n', UNKNOWN_OP),
  closes('silent: PUB with only a blank', 'PUB \r\n', ''),
  closes('silent: INFO from a client that is not JSON', 'INFO x\r\n', ''),
  closes('silent: bare INFO from a client', 'INFO\r\n', ''),
  closes('bare -ERR from a client', '-ERR\r\n', UNKNOWN_OP),
  closes('truncated -ERR op', '-ER\r\n', UNKNOWN_OP),
  closes('+ followed by anything but OK', '+X\r\n', UNKNOWN_OP),
  closes('an empty line', '\r\n', UNKNOWN_OP),
  closes('a bare LF', '\n', UNKNOWN_OP),
  closes('a blank before the op name', ' PING\r\n', UNKNOWN_OP),
  closes('refused at the first byte after the payload that is not CR', 'PUB foo 1\r\nx\n', UNKNOWN_OP),
  closes('payload followed by CR and another byte', 'PUB foo 1\r\nx\rX', UNKNOWN_OP),
  closes('a CR inside an op name', 'HPU\rB foo 1 2\r\n', UNKNOWN_OP),
  closes('a CR inside an op name, then a long line with no newline yet', `HPU\rB ${'x'.repeat(5000)}`, UNKNOWN_OP),
  closes('INFO from a client is held to max_control_line', `INFO {"a":"${'x'.repeat(5000)}"}\r\n`, "-ERR 'maximum control line exceeded'\r\n"),
  closes('-ERR from a client is held to max_control_line', `-ERR '${'x'.repeat(5000)}'\r\n`, "-ERR 'maximum control line exceeded'\r\n"),
  {
    name: 'text after PING, PONG or +OK is ignored however long, even across many reads',
    steps: [
      ...open('a', QUIET),
      send('a', `PING ${'x'.repeat(100_000)}\r\n+OK ${'y'.repeat(100_000)}\r\nPONG ${'z'.repeat(100_000)}\r\n`),
      awaitText('a', 'PONG\r\n'),
      sync('a', ''),
    ],
  },
  {
    name: 'anything after PING, PONG or +OK up to the newline is ignored',
    steps: [...open('a', QUIET), send('a', 'PINGXYZ\r\n+OKAY\r\nPONGABC\r\n'), awaitText('a', 'PONG\r\n'), sync('a', '')],
  },
  {
    name: 'CONNECT with a run of blanks or a tab before the JSON',
    steps: [...open('a'), send('a', 'CONNECT  \t {"verbose":true}\r\nCONNECT\t{"verbose":true}\r\n'), sync('a', '+OK\r\n+OK\r\n')],
  },
  {
    name: 'HPUB sizes with leading zeros are echoed verbatim in HMSG',
    steps: [...open('a', MODERN), send('a', 'SUB foo 1\r\nHPUB foo 012 014\r\nNATS/1.0\r\n\r\nhi\r\nHPUB foo r 00 0002\r\nhi\r\n'), sync('a', 'HMSG foo 1 012 014\r\nNATS/1.0\r\n\r\nhi\r\nMSG foo 1 r 0002\r\nhi\r\n')],
  },
  {
    name: 'UNSUB with a negative max removes at once',
    steps: [...open('a', QUIET), send('a', 'SUB foo 1\r\nUNSUB 1 -1\r\nPUB foo 1\r\nx\r\n'), sync('a', '')],
  },
  {
    name: 'a repeated CONNECT is processed again',
    steps: [...open('a', QUIET), send('a', 'CONNECT {"verbose":true}\r\nSUB foo 1\r\n'), sync('a', '+OK\r\n+OK\r\n')],
  },
  {
    name: 'a frame split across many writes',
    steps: [
      ...open('a', QUIET),
      send('a', 'SU'),
      send('a', 'B foo 1\r'),
      send('a', '\nPUB foo 5\r\nhe'),
      send('a', 'llo\r'),
      send('a', '\n'),
      sync('a', 'MSG foo 1 5\r\nhello\r\n'),
    ],
  },
];

differentialSuite('core client protocol: leafgate vs nats-server (defaults)', scenarios);
