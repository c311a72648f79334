// Differential: user/password authorization, the CONNECT deadline, and publish/subscribe permissions.

import { differentialSuite } from './differential.js';
import { awaitText, bystander, bystanderWorks, closed, info, open, send, sync, syncAnyOrder } from './script.js';
import type { Scenario } from './script.js';

const CONF = `
authorization {
  timeout: 1
  users: [
    { user: alice, password: secret }
    {
      user: bob, password: secret
      permissions: {
        publish: { allow: ["pub.>", "_INBOX.>"], deny: ["pub.secret"] }
        subscribe: { allow: ["sub.>", "_INBOX.>", "jobs.>", "jobs.special workers", "narrow.*", "mixed"], deny: ["sub.secret", "jobs.denied grp", "mixed", "mixed grp"] }
      }
    }
    { user: svc, password: secret, permissions: { subscribe: ["svc.>"], allow_responses: true } }
  ]
}
`;

const connectAs = (user: string, extra = ''): string => `{"verbose":false,"pedantic":false,"user":"${user}","pass":"secret"${extra}}`;
const AUTH_VIOLATION = "-ERR 'Authorization Violation'\r\n";
const AUTH_TIMEOUT_WITHIN_MS = 4000;

function refused(name: string, bad: string, want: string = AUTH_VIOLATION): Scenario {
  return { name, steps: [...bystander(connectAs('alice')), ...open('a'), send('a', bad), closed('a', want), ...bystanderWorks] };
}

const pubViolation = (s: string): string => `-ERR 'Permissions Violation for Publish to "${s}"'\r\n`;
const subViolation = (s: string, q?: string): string =>
  q === undefined ? `-ERR 'Permissions Violation for Subscription to "${s}"'\r\n` : `-ERR 'Permissions Violation for Subscription to "${s}" using queue "${q}"'\r\n`;

const scenarios: Scenario[] = [
  {
    name: 'INFO says auth_required',
    steps: [
      info(
        'a',
        'INFO {"server_id":"<server_id>","server_name":"<server_id>","version":"2.9.10","proto":1,"go":"<go>","host":"127.0.0.1","port":"<port>","headers":true,"auth_required":true,"max_payload":1048576,"client_id":"<client_id>","client_ip":"127.0.0.1"} ',
      ),
    ],
  },
  {
    name: 'good credentials connect (verbose +OK) and work',
    steps: [...open('a'), send('a', 'CONNECT {"user":"alice","pass":"secret"}\r\nSUB x 1\r\nPUB x 1\r\nk\r\n'), sync('a', '+OK\r\n+OK\r\n+OK\r\nMSG x 1 1\r\nk\r\n')],
  },
  {
    name: 'CONNECT and the first operations in one write',
    steps: [...open('a'), send('a', `CONNECT ${connectAs('alice')}\r\nSUB x 1\r\nPUB x 1\r\nk\r\nPING\r\n`), awaitText('a', 'PONG\r\n', 'MSG x 1 1\r\nk\r\nPONG\r\n')],
  },
  refused('wrong password', 'CONNECT {"verbose":false,"user":"alice","pass":"nope"}\r\n'),
  refused('unknown user', 'CONNECT {"verbose":false,"user":"mallory","pass":"secret"}\r\n'),
  refused('no credentials', 'CONNECT {"verbose":false}\r\n'),
  refused('token instead of user', 'CONNECT {"verbose":false,"auth_token":"secret"}\r\n'),
  refused('PING before CONNECT', 'PING\r\n'),
  refused('PONG before CONNECT', 'PONG\r\n'),
  refused('SUB before CONNECT', 'SUB foo 1\r\n'),
  refused('PUB before CONNECT', 'PUB foo 1\r\nx\r\n'),
  refused('INFO before CONNECT', 'INFO {}\r\n'),
  refused('+OK before CONNECT', '+OK\r\n'),
  refused('an unknown op before CONNECT', 'FOO\r\n'),
  refused('legacy account in CONNECT, after successful auth', `CONNECT ${connectAs('alice', ',"account":"A"')}\r\n`),
  refused('silent: malformed CONNECT JSON when auth is required', 'CONNECT {\r\n', ''),
  {
    name: 'Authentication Timeout when no CONNECT arrives in time',
    steps: [...bystander(connectAs('alice')), ...open('a'), closed('a', "-ERR 'Authentication Timeout'\r\n", AUTH_TIMEOUT_WITHIN_MS), ...bystanderWorks],
  },
  {
    name: 'publish permissions: denied publishes are reported and dropped; connection stays open',
    steps: [
      ...open('watch', connectAs('alice')),
      send('watch', 'SUB > 1\r\n'),
      sync('watch', ''),
      ...open('b', connectAs('bob')),
      send('b', 'PUB pub.ok 1\r\n1\r\nPUB other 1\r\n2\r\nPUB pub.secret 1\r\n3\r\nPUB pub.ok 1\r\n4\r\n'),
      sync('b', pubViolation('other') + pubViolation('pub.secret')),
      sync('watch', 'MSG pub.ok 1 1\r\n1\r\nMSG pub.ok 1 1\r\n4\r\n'),
    ],
  },
  {
    name: 'subscribe permissions: allow and deny lists',
    steps: [
      ...open('b', connectAs('bob')),
      send('b', 'SUB sub.a 1\r\nSUB other 2\r\nSUB sub.secret 3\r\nSUB sub.* 4\r\n'),
      sync('b', subViolation('other') + subViolation('sub.secret')),
    ],
  },
  {
    name: 'subscribe deny also filters what a permitted wildcard subscription receives',
    steps: [
      ...open('b', connectAs('bob')),
      ...open('pub', connectAs('alice')),
      send('b', 'SUB sub.* 1\r\n'),
      sync('b', ''),
      send('pub', 'PUB sub.a 1\r\na\r\nPUB sub.secret 1\r\ns\r\nPUB sub.b 1\r\nb\r\n'),
      sync('pub', ''),
      sync('b', 'MSG sub.a 1 1\r\na\r\nMSG sub.b 1 1\r\nb\r\n'),
    ],
  },
  {
    name: 'a wildcard subscription wider than the allow pattern',
    steps: [...open('b', connectAs('bob')), send('b', 'SUB narrow.> 1\r\nSUB narrow.* 2\r\nSUB > 3\r\n'), sync('b', subViolation('>'))],
  },
  {
    name: 'queue permissions: a queue-specific allow entry restricts queue subscriptions to that queue',
    steps: [
      ...open('b', connectAs('bob')),
      send('b', 'SUB jobs.a 1\r\nSUB jobs.a anyq 2\r\nSUB jobs.special 3\r\nSUB jobs.special workers 4\r\nSUB jobs.special other 5\r\n'),
      sync('b', subViolation('jobs.special', 'other')),
    ],
  },
  {
    name: 'queue permissions: a queue-specific deny entry',
    steps: [...open('b', connectAs('bob')), send('b', 'SUB jobs.denied 1\r\nSUB jobs.denied grp 2\r\nSUB jobs.denied other 3\r\n'), sync('b', subViolation('jobs.denied', 'grp'))],
  },
  {
    name: 'queue permissions: when queue-specific deny entries match, only the queue name decides',
    steps: [...open('b', connectAs('bob')), send('b', 'SUB mixed 1\r\nSUB mixed grp 2\r\nSUB mixed other 3\r\n'), sync('b', subViolation('mixed') + subViolation('mixed', 'grp'))],
  },
  {
    name: 'allow_responses: a responder may publish one reply to each request it received',
    steps: [
      ...open('svc', connectAs('svc')),
      ...open('req', connectAs('alice')),
      send('svc', 'SUB svc.echo 1\r\n'),
      sync('svc', ''),
      send('req', 'SUB _INBOX.r.* 1\r\nPUB svc.echo _INBOX.r.1 1\r\nq\r\n'),
      sync('req', ''),
      sync('svc', 'MSG svc.echo 1 _INBOX.r.1 1\r\nq\r\n'),
      send('svc', 'PUB _INBOX.r.1 1\r\nA\r\nPUB _INBOX.r.1 1\r\nB\r\nPUB _INBOX.r.2 1\r\nC\r\nPUB svc.other 1\r\nD\r\n'),
      sync('svc', pubViolation('_INBOX.r.1') + pubViolation('_INBOX.r.2') + pubViolation('svc.other')),
      sync('req', 'MSG _INBOX.r.1 1 1\r\nA\r\n'),
    ],
  },
  {
    name: 'reserved reply prefixes are refused for an authenticated user too',
    steps: [...open('a', connectAs('alice')), send('a', 'PUB foo _R_.x 0\r\n\r\n'), sync('a', '-ERR \'Permissions Violation for Publish with Reply of "_R_.x"\'\r\n')],
  },
  {
    name: 'a permitted requester with no responder gets 503',
    steps: [
      ...open('b', connectAs('bob', ',"headers":true,"no_responders":true')),
      send('b', 'SUB _INBOX.b.* 1\r\nPUB pub.nobody _INBOX.b.1 0\r\n\r\n'),
      syncAnyOrder('b', 'HMSG _INBOX.b.1 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\n'),
    ],
  },
];

differentialSuite('authorization and permissions: leafgate vs nats-server', scenarios, CONF);
