import { test } from 'node:test';
import assert from 'node:assert/strict';
import { programName } from '../../../src/cli/program-name.js';

test('the program name is the invoked script base name, leafgate for main.js or no script', () => {
  const cases: ReadonlyArray<readonly [string | undefined, string]> = [
    ['/usr/local/bin/nats-server', 'nats-server'],
    ['/usr/local/bin/leafgate', 'leafgate'],
    ['/opt/leafgate/dist/src/main.js', 'leafgate'],
    ['/srv/wrappers/edge-broker.js', 'edge-broker'],
    ['/srv/wrappers/edge-broker.mjs', 'edge-broker'],
    ['', 'leafgate'],
    [undefined, 'leafgate'],
  ];
  for (const [script, name] of cases) assert.equal(programName(script), name, String(script));
});
