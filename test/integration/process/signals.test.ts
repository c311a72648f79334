// Signals to the running bin: graceful stop (SIGTERM, SIGINT), reload and lame duck through --signal.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { NatsConnection } from '@nats-io/transport-node';
import { freePort } from '../../helpers/ports.js';
import { runLeafgate, startLeafgate } from '../../helpers/processes.js';
import type { ServerProcess } from '../../helpers/processes.js';
import { closeAll, closedWithin, connectTo, waitForStatus } from '../../helpers/nats-client.js';
import { tempDir } from '../../helpers/temp-dir.js';

/** A message goes round trip through the server on this connection. */
async function roundTrip(nc: NatsConnection, subject: string): Promise<void> {
  const sub = nc.subscribe(subject, { max: 1 });
  nc.publish(subject, subject);
  for await (const m of sub) assert.equal(m.string(), subject);
  assert.equal(sub.getReceived(), 1);
}

function exitedWithin(p: ServerProcess, timeoutMs: number): Promise<number | string> {
  return Promise.race([
    p.exited(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${p.name} still running after ${timeoutMs}ms:\n${p.output()}`)), timeoutMs).unref()),
  ]);
}

/** Retries until fn resolves (the server applies a signal asynchronously); bounded. */
async function eventually<T>(fn: () => Promise<T>, attempts = 50, pauseMs = 100): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
  throw last;
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal}: graceful shutdown, the client sees the close, exit code 0`, async (t) => {
    const lg = await startLeafgate();
    t.after(() => lg.stop());
    const nc = await connectTo(lg.port);
    t.after(() => closeAll([nc]));
    await roundTrip(nc, 'before.stop');

    lg.proc.kill(signal);
    await closedWithin(nc, 5000);
    assert.equal(nc.isClosed(), true);
    assert.equal(await exitedWithin(lg, 5000), 0);
    assert.match(lg.output(), /Server Exiting/);
  });
}

test('--signal reload=<pidfile> applies a new user without dropping the existing connection', async (t) => {
  const tmp = tempDir(t);
  const port = await freePort();
  const pidFile = tmp.path('leafgate.pid');
  const config = (users: string): string => `host: 127.0.0.1\nport: ${port}\nauthorization {\n  users: [\n${users}  ]\n}\n`;
  const conf = tmp.write('server.conf', config('    { user: alice, password: apw }\n'));
  const lg = await startLeafgate({ port, args: ['-c', conf, '-P', pidFile] });
  t.after(() => lg.stop());

  const alice = await connectTo(port, { user: 'alice', pass: 'apw' });
  t.after(() => closeAll([alice]));
  let disconnects = 0;
  void (async () => {
    for await (const s of alice.status()) if (s.type === 'disconnect') disconnects++;
  })();
  await roundTrip(alice, 'before.reload');
  await assert.rejects(connectTo(port, { user: 'bob', pass: 'bpw' }));

  tmp.write('server.conf', config('    { user: alice, password: apw }\n    { user: bob, password: bpw }\n'));
  const r = await runLeafgate(['--signal', `reload=${pidFile}`]);
  assert.equal(r.code, 0, r.stderr);

  const bob = await eventually(() => connectTo(port, { user: 'bob', pass: 'bpw' }));
  t.after(() => closeAll([bob]));
  await roundTrip(bob, 'bob.after.reload');
  await roundTrip(alice, 'alice.after.reload');
  assert.equal(alice.isClosed(), false);
  assert.equal(disconnects, 0, 'the existing connection was never dropped');

  // Both users are in the same account: alice hears bob.
  const sub = alice.subscribe('cross', { max: 1 });
  await alice.flush();
  bob.publish('cross', 'from bob');
  for await (const m of sub) assert.equal(m.string(), 'from bob');
  // As nats-server, the reload says what it changed, then that it is done.
  assert.match(lg.output(), /\[INF\] Reloaded: authorization users\n.*\[INF\] Reloaded server configuration/);
  assert.doesNotMatch(lg.output(), /Reloaded: accounts/);
});

test('--signal reload with a broken config file keeps the old configuration', async (t) => {
  const tmp = tempDir(t);
  const port = await freePort();
  const pidFile = tmp.path('leafgate.pid');
  const conf = tmp.write('server.conf', `host: 127.0.0.1\nport: ${port}\nauthorization { user: alice, password: apw }\n`);
  const lg = await startLeafgate({ port, args: ['-c', conf, '-P', pidFile] });
  t.after(() => lg.stop());
  const alice = await connectTo(port, { user: 'alice', pass: 'apw' });
  t.after(() => closeAll([alice]));

  tmp.write('server.conf', `host: 127.0.0.1\nport: ${port}\nauthorization { user: alice\n`);
  const r = await runLeafgate(['--signal', `reload=${pidFile}`]);
  assert.equal(r.code, 0, r.stderr);
  await eventually(async () => assert.match(lg.output(), /\[ERR\].*reload/i));

  await roundTrip(alice, 'still.alive');
  const again = await connectTo(port, { user: 'alice', pass: 'apw' });
  t.after(() => closeAll([again]));
  assert.equal(again.isClosed(), false);
});

test('--signal ldm=<pidfile>: new connections refused, clients get ldm INFO, then are closed and the process exits', async (t) => {
  const tmp = tempDir(t);
  const port = await freePort();
  const pidFile = tmp.path('leafgate.pid');
  const conf = tmp.write('server.conf', `host: 127.0.0.1\nport: ${port}\nlame_duck_duration: "30s"\nlame_duck_grace_period: "1s"\n`);
  const lg = await startLeafgate({ port, args: ['-c', conf, '-P', pidFile] });
  t.after(() => lg.stop());

  const nc = await connectTo(port);
  t.after(() => closeAll([nc]));
  await nc.flush(); // protocol 1 and the first PING answered: eligible for async INFO
  const ldm = waitForStatus(nc, (s) => s.type === 'ldm', 5000);

  const r = await runLeafgate(['--signal', `ldm=${pidFile}`]);
  assert.equal(r.code, 0, r.stderr);
  const status = await ldm;
  assert.equal(status.type, 'ldm');
  await assert.rejects(connectTo(port, { timeout: 2000 }), 'new connections are refused in lame duck mode');
  await roundTrip(nc, 'during.ldm');

  await closedWithin(nc, 10_000);
  assert.equal(nc.isClosed(), true);
  assert.equal(await exitedWithin(lg, 10_000), 0);
  assert.equal(fs.existsSync(pidFile), false);
});

test('SIGTERM is ignored while in lame duck mode', async (t) => {
  const tmp = tempDir(t);
  const port = await freePort();
  const conf = tmp.write('server.conf', `host: 127.0.0.1\nport: ${port}\nlame_duck_duration: "30s"\nlame_duck_grace_period: "1s"\n`);
  const lg = await startLeafgate({ port, args: ['-c', conf] });
  t.after(() => lg.stop());
  const nc = await connectTo(port);
  t.after(() => closeAll([nc]));
  await nc.flush();
  const ldm = waitForStatus(nc, (s) => s.type === 'ldm', 5000);
  lg.proc.kill('SIGUSR2');
  await ldm;
  lg.proc.kill('SIGTERM');
  // Well inside the 1s grace period: a server that obeyed SIGTERM would be gone by now.
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(lg.proc.exitCode, null, 'still running after SIGTERM');
  await roundTrip(nc, 'ignored.term');
  await closedWithin(nc, 10_000);
  assert.equal(await exitedWithin(lg, 10_000), 0);
});
