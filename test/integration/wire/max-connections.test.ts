// max_connections on the wire: the client over the limit gets INFO, the error, and is closed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RawClient } from '../../helpers/raw-client.js';
import { Bystander, connected, leafgateForFile } from './harness.js';

const server = leafgateForFile('max_connections: 2\n');

test('maximum connections exceeded: INFO, then -ERR, then close; connected clients keep working', async () => {
  const by = await Bystander.start(server().port);
  const other = await connected(server().port);
  const over = await RawClient.connect(server().port);
  assert.match(await over.readLine(), /^INFO \{.*\} $/);
  assert.equal(await over.waitClosed(), "-ERR 'maximum connections exceeded'\r\n");
  await by.check();
  other.close();
  by.close();
});
