// Differential: configured limits (max_payload, max_control_line, max_subscriptions, max_sub_tokens),
// exactly at and just past each boundary.

import { differentialSuite } from './differential.js';
import { bystander, bystanderWorks, closed, info, MODERN, open, QUIET, send, sync, syncAnyOrder } from './script.js';
import type { Scenario } from './script.js';

const CONF = `
max_payload: 512
max_control_line: 128
max_subscriptions: 3
max_sub_tokens: 4
`;

/** A subject that makes the PUB arguments `<subject> 0` exactly `n` bytes long. */
const subjectForArgs = (n: number): string => 's'.repeat(n - 2);

const scenarios: Scenario[] = [
  {
    name: 'INFO advertises the configured max_payload',
    steps: [
      info(
        'a',
        'INFO {"server_id":"<server_id>","server_name":"<server_id>","version":"2.9.10","proto":1,"go":"<go>","host":"127.0.0.1","port":"<port>","headers":true,"max_payload":512,"client_id":"<client_id>","client_ip":"127.0.0.1"} ',
      ),
    ],
  },
  {
    name: 'payload of exactly max_payload is delivered',
    steps: [...open('a', QUIET), send('a', `SUB p 1\r\nPUB p 512\r\n${'x'.repeat(512)}\r\n`), sync('a', `MSG p 1 512\r\n${'x'.repeat(512)}\r\n`)],
  },
  {
    name: 'payload one byte over max_payload: Maximum Payload Violation and close',
    steps: [...bystander(), ...open('a', QUIET), send('a', `PUB p 513\r\n${'x'.repeat(513)}\r\n`), closed('a', "-ERR 'Maximum Payload Violation'\r\n"), ...bystanderWorks],
  },
  {
    name: 'HPUB limit applies to headers plus payload',
    steps: [
      ...bystander(),
      ...open('ok', MODERN),
      send('ok', `SUB p 1\r\nHPUB p 12 512\r\nNATS/1.0\r\n\r\n${'y'.repeat(500)}\r\n`),
      sync('ok', `HMSG p 1 12 512\r\nNATS/1.0\r\n\r\n${'y'.repeat(500)}\r\n`),
      ...open('a', MODERN),
      send('a', 'HPUB p 12 513\r\n'),
      closed('a', "-ERR 'Maximum Payload Violation'\r\n"),
      ...bystanderWorks,
    ],
  },
  {
    name: 'control line arguments of exactly max_control_line are accepted',
    steps: [...open('a', QUIET), send('a', `SUB ${subjectForArgs(128)} 1\r\nPUB ${subjectForArgs(128)} 0\r\n\r\n`), sync('a', `MSG ${subjectForArgs(128)} 1 0\r\n\r\n`)],
  },
  {
    name: 'control line arguments one byte over: maximum control line exceeded and close',
    steps: [...bystander(), ...open('a', QUIET), send('a', `PUB ${subjectForArgs(129)} 0\r\n\r\n`), closed('a', "-ERR 'maximum control line exceeded'\r\n"), ...bystanderWorks],
  },
  {
    name: 'the CR before LF does not count toward max_control_line',
    steps: [...open('a', QUIET), send('a', `SUB ${subjectForArgs(128)} 1\r\n`), sync('a', '')],
  },
  {
    name: 'blanks between op name and arguments do not count toward max_control_line',
    steps: [...open('a', QUIET), send('a', `SUB    ${subjectForArgs(128)} 1\r\nPUB\t\t${subjectForArgs(128)} 0\r\n\r\n`), sync('a', `MSG ${subjectForArgs(128)} 1 0\r\n\r\n`)],
  },
  {
    name: 'CONNECT is held to max_control_line too',
    steps: [...bystander(), ...open('a'), send('a', `CONNECT {"verbose":false,"name":"${'n'.repeat(120)}"}\r\n`), closed('a', "-ERR 'maximum control line exceeded'\r\n"), ...bystanderWorks],
  },
  {
    name: 'maximum subscriptions exceeded: sub refused, connection stays open, room again after UNSUB',
    steps: [
      ...bystander(),
      ...open('a', QUIET),
      send('a', 'SUB s.1 1\r\nSUB s.2 2\r\nSUB s.3 3\r\nSUB s.4 4\r\nPUB s.4 1\r\nx\r\n'),
      sync('a', "-ERR 'maximum subscriptions exceeded'\r\n"),
      send('a', 'UNSUB 1\r\nSUB s.4 4\r\nPUB s.4 1\r\nx\r\n'),
      sync('a', 'MSG s.4 4 1\r\nx\r\n'),
      ...bystanderWorks,
    ],
  },
  {
    name: 'the subscription limit is per connection',
    steps: [...open('a', QUIET), ...open('b', QUIET), send('a', 'SUB s.1 1\r\nSUB s.2 2\r\nSUB s.3 3\r\n'), send('b', 'SUB s.1 1\r\nSUB s.2 2\r\nSUB s.3 3\r\n'), sync('a', ''), sync('b', '')],
  },
  {
    name: 'max_sub_tokens: too many tokens is a permissions violation; connection stays open',
    steps: [
      ...open('a', QUIET),
      send('a', 'SUB a.b.c.d 1\r\nSUB a.b.c.d.e 2\r\nSUB a.b.c.> 3\r\nPUB a.b.c.d 1\r\nx\r\n'),
      syncAnyOrder('a', '-ERR \'Permissions Violation for Subscription to "a.b.c.d.e", too many tokens\'\r\nMSG a.b.c.d 1 1\r\nx\r\nMSG a.b.c.d 3 1\r\nx\r\n'),
    ],
  },
  {
    name: 'max_sub_tokens does not limit publish subjects',
    steps: [...open('a', QUIET), send('a', 'SUB > 1\r\nPUB a.b.c.d.e.f 1\r\nx\r\n'), sync('a', 'MSG a.b.c.d.e.f 1 1\r\nx\r\n')],
  },
];

differentialSuite('configured limits: leafgate vs nats-server', scenarios, CONF);
