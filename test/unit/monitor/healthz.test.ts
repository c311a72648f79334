import { test } from 'node:test';
import assert from 'node:assert/strict';
import { healthz } from '../../../src/monitor/healthz.js';
import type { EndpointContext } from '../../../src/monitor/context.js';
import { ProcessUsage } from '../../../src/monitor/process-usage.js';
import { Query } from '../../../src/monitor/query.js';
import type { MonitorSource } from '../../../src/monitor/source.js';

// healthz reads only the readiness of the server, so a partial source is enough.
function ask(state: { port: number; lameDuck: boolean }, query = ''): ReturnType<typeof healthz> {
  const ctx: EndpointContext = {
    source: state as unknown as MonitorSource,
    query: new Query(new URLSearchParams(query)),
    nowMs: Date.now(),
    usage: new ProcessUsage(),
    requestCounts: new Map(),
  };
  return healthz(ctx);
}

test('healthz is ok once the client listener is bound', () => {
  assert.deepEqual(ask({ port: 4222, lameDuck: false }), { kind: 'json', status: 200, body: '{"status":"ok"}' });
  assert.deepEqual(ask({ port: 4222, lameDuck: false }, 'js-enabled=true'), { kind: 'json', status: 200, body: '{"status":"ok"}' });
});

test('healthz is 503 before the listener is up and in lame duck mode', () => {
  for (const state of [{ port: 0, lameDuck: false }, { port: 4222, lameDuck: true }]) {
    const reply = ask(state);
    assert.equal(reply.kind, 'json');
    assert.equal(reply.kind === 'json' ? reply.status : 0, 503);
    const body = JSON.parse(reply.body) as { status: string; error: string };
    assert.equal(body.status, 'error');
    assert.match(body.error, /^failed to be ready for connections/);
  }
});
