// Differential: server PINGs and the Stale Connection close, with a 1s ping_interval.

import { differentialSuite } from './differential.js';
import { awaitText, closed, open, QUIET, send } from './script.js';
import type { Scenario } from './script.js';

const STALE_WITHIN_MS = 8000;

const scenarios: Scenario[] = [
  {
    name: 'a client that never answers PING gets two PINGs, then Stale Connection and close',
    keepServerPings: true,
    steps: [...open('a', QUIET), closed('a', "PING\r\nPING\r\n-ERR 'Stale Connection'\r\n", STALE_WITHIN_MS)],
  },
  {
    name: 'the keepalive also runs for a client that never sent CONNECT',
    keepServerPings: true,
    steps: [...open('a'), closed('a', "PING\r\nPING\r\n-ERR 'Stale Connection'\r\n", STALE_WITHIN_MS)],
  },
  {
    name: 'a client that answers every PING stays connected',
    keepServerPings: true,
    steps: [
      ...open('a', QUIET),
      awaitText('a', 'PING\r\n'),
      send('a', 'PONG\r\n'),
      awaitText('a', 'PING\r\n'),
      send('a', 'PONG\r\n'),
      awaitText('a', 'PING\r\n'),
      send('a', 'PONG\r\n'),
      // A fourth PING instead of the Stale Connection error: the answered PINGs reset the count.
      awaitText('a', 'PING\r\n'),
    ],
  },
];

differentialSuite('keepalive: leafgate vs nats-server', scenarios, 'ping_interval: "1s"\n');
