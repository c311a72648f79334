import { test } from 'node:test';
import assert from 'node:assert/strict';
import { healthz } from '../../../src/monitor/healthz.js';
import type { EndpointContext } from '../../../src/monitor/context.js';
import { ProcessUsage } from '../../../src/monitor/process-usage.js';
import { Query } from '../../../src/monitor/query.js';
import type { JetStreamMonitorSource } from '../../../src/monitor/jetstream-source.js';
import type { MonitorSource } from '../../../src/monitor/source.js';

interface State {
  port: number;
  lameDuck: boolean;
  /** JetStream configured, and the service (null: not running). */
  jetstream?: { ready: boolean } | null;
}

// healthz reads only the readiness of the server and of JetStream, the MQTT bridges and the uplink, so a partial source is enough.
function ask(state: State, query = ''): ReturnType<typeof healthz> {
  const source = {
    port: state.port,
    lameDuck: state.lameDuck,
    opts: state.jetstream === undefined ? {} : { jetstream: {} },
    jetStreamSource: (state.jetstream ?? null) as JetStreamMonitorSource | null,
    mqttBridges: [],
    uplink: null,
  };
  const ctx: EndpointContext = {
    source: source as unknown as MonitorSource,
    query: new Query(new URLSearchParams(query)),
    nowMs: Date.now(),
    usage: new ProcessUsage(),
    requestCounts: new Map(), compact: false,
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

test('healthz with JetStream configured is unavailable until the service runs and has recovered', () => {
  const unavailable = { kind: 'json', status: 503, body: '{"status":"unavailable","error":"JetStream not enabled (10076)"}' };
  for (const query of ['', 'js-enabled-only=true', 'js-server-only=1', 'js-enabled=true']) {
    assert.deepEqual(ask({ port: 4222, lameDuck: false, jetstream: null }, query), unavailable, query);
    assert.deepEqual(ask({ port: 4222, lameDuck: false, jetstream: { ready: false } }, query), unavailable, query);
    assert.deepEqual(ask({ port: 4222, lameDuck: false, jetstream: { ready: true } }, query), { kind: 'json', status: 200, body: '{"status":"ok"}' }, query);
  }
  // The listener comes first: a server not ready for connections says so, JetStream or not.
  const reply = ask({ port: 0, lameDuck: false, jetstream: { ready: false } });
  assert.equal(reply.kind === 'json' ? JSON.parse(reply.body).status : '', 'error');
});
