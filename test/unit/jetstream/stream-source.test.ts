import assert from 'node:assert/strict';
import { test } from 'node:test';

import { indexNameOf } from '../../../src/jetstream/stream-source.js';

const source = { optStartSeq: 0, optStartTime: null, filterSubject: '' };

test("a source's index name: its origin's name, and for another domain's origin a hash of the API prefix", () => {
  assert.equal(indexNameOf({ ...source, name: 'ORIGIN', external: null }), 'ORIGIN');
  // The value nats-server 2.9.10 wrote into Nats-Stream-Source for this source.
  assert.equal(indexNameOf({ ...source, name: 'ORIGIN', external: { api: '$JS.hub.API', deliver: 'deliver.hub' } }), 'ORIGIN:bTMUkJQk');
  // The deliver prefix is not part of it; another API prefix is another source.
  assert.equal(indexNameOf({ ...source, name: 'ORIGIN', external: { api: '$JS.hub.API', deliver: '' } }), 'ORIGIN:bTMUkJQk');
  assert.notEqual(indexNameOf({ ...source, name: 'ORIGIN', external: { api: '$JS.edge.API', deliver: '' } }), 'ORIGIN:bTMUkJQk');
});
