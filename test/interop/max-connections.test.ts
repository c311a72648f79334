// Differential: max_connections refuses the next client after sending it INFO; others keep working.

import { differentialSuite } from './differential.js';
import { closed, open, QUIET, send, sync } from './script.js';
import type { Scenario } from './script.js';

const scenarios: Scenario[] = [
  {
    name: 'the connection past max_connections gets INFO, then the error, then is closed',
    steps: [
      ...open('a', QUIET),
      ...open('b', QUIET),
      send('a', 'SUB x 1\r\n'),
      sync('a', ''),
      sync('b', ''),
      ...open('c'),
      closed('c', "-ERR 'maximum connections exceeded'\r\n"),
      send('b', 'PUB x 1\r\nk\r\n'),
      sync('b', ''),
      sync('a', 'MSG x 1 1\r\nk\r\n'),
    ],
  },
];

differentialSuite('max_connections: leafgate vs nats-server', scenarios, 'max_connections: 2\n');
