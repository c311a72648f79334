import assert from 'node:assert/strict';
import { test } from 'node:test';

import { consumerRequest, streamRequest } from './api-flow.js';
import type { Account } from './api-flow.js';
import { consumerCases } from './consumer-cases.js';
import { streamCases } from './stream-cases.js';
import type { ApiCase } from './stream-cases.js';

function send(account: Account, subject: string, body: string): string {
  return subject.startsWith('$JS.API.STREAM.') ? streamRequest(account, subject, body) : consumerRequest(account, subject, body);
}

function run(c: ApiCase): string {
  const account: Account = new Map();
  for (const [subject, body] of c.setup ?? []) send(account, subject, body);
  return send(account, c.subject, c.body);
}

for (const c of streamCases) {
  test(`stream config: ${c.name}`, () => {
    assert.equal(run(c), c.want);
  });
}

for (const c of consumerCases) {
  test(`consumer config: ${c.name}`, () => {
    assert.equal(run(c), c.want);
  });
}
