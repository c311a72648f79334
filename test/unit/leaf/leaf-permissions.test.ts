import assert from 'node:assert/strict';
import { test } from 'node:test';

import { neverCrossesIn } from '../../../src/leaf/leaf-permissions.js';

test("what never crosses into an account over a link: each side's own JetStream API, KV and Object Store subjects", () => {
  for (const subject of ['$JS.API.INFO', '$JS.API.STREAM.INFO.S', '$KV.bucket.key', '$OBJ.store.chunk']) {
    assert.equal(neverCrossesIn(subject, false), true, subject);
    assert.equal(neverCrossesIn(subject, true), true, subject);
  }
  for (const subject of ['$JS.hub.API.INFO', '$JS.ACK.S.c.1.2.3.4.5', '$JS.FC.S.c.x', '$JSC.R.abc', 'deliver.hub.S.x', '$KVX.a', 'JS.API.INFO']) {
    assert.equal(neverCrossesIn(subject, false), false, subject);
  }
  // The system account also keeps its cluster and raft traffic.
  for (const subject of ['$JSC.R.abc', '$NRG.AE.x']) assert.equal(neverCrossesIn(subject, true), true, subject);
});
