// The bin's logging flags (-l, -D, -V) and its monitoring port (-m).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { freePort } from '../../helpers/ports.js';
import { runLeafgate, startLeafgate } from '../../helpers/processes.js';
import type { ServerProcess } from '../../helpers/processes.js';
import { closeAll, connectTo } from '../../helpers/nats-client.js';
import { tempDir } from '../../helpers/temp-dir.js';

/** Connects, round-trips a message, disconnects: enough activity for debug and trace lines. */
async function someTraffic(port: number): Promise<void> {
  const nc = await connectTo(port, { name: 'log-test' });
  try {
    const sub = nc.subscribe('log.check', { max: 1 });
    nc.publish('log.check', 'hello');
    for await (const m of sub) assert.equal(m.string(), 'hello');
  } finally {
    await closeAll([nc]);
  }
}

/** Polls the text source until it matches (log writes are asynchronous to the client's view); bounded. */
async function eventuallyMatches(read: () => string, re: RegExp): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const text = read();
    if (re.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const text = read();
  assert.match(text, re);
  return text;
}

test('-l writes the log, with [INF] lines, to the file instead of stderr', async (t) => {
  const tmp = tempDir(t);
  const logFile = tmp.path('leafgate.log');
  const lg = await startLeafgate({ args: ['-l', logFile] });
  t.after(() => lg.stop());
  const text = await eventuallyMatches(() => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''), /Server is ready/);
  assert.match(text, /^\[\d+\] \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}\.\d{6} \[INF\] /m);
  assert.match(text, new RegExp(`\\[INF\\] Listening for client connections on 127\\.0\\.0\\.1:${lg.port}`));
  assert.doesNotMatch(lg.output(), /\[INF\]/, 'nothing logged to stdout/stderr');
});

test('SIGUSR1 (--signal reopen) reopens the log file after rotation moved it', async (t) => {
  const tmp = tempDir(t);
  const logFile = tmp.path('leafgate.log');
  const pidFile = tmp.path('leafgate.pid');
  const lg = await startLeafgate({ args: ['-l', logFile, '-P', pidFile, '-D'] });
  t.after(() => lg.stop());
  await eventuallyMatches(() => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''), /Server is ready/);
  fs.renameSync(logFile, tmp.path('leafgate.log.1'));
  const r = await runLeafgate(['--signal', `reopen=${pidFile}`]);
  assert.equal(r.code, 0, r.stderr);
  await eventuallyMatches(() => (fs.existsSync(logFile) ? 'exists' : ''), /exists/);
  await someTraffic(lg.port);
  const fresh = await eventuallyMatches(() => fs.readFileSync(logFile, 'utf8'), /\[DBG\] .*Client connection created/);
  assert.doesNotMatch(fresh, /Server is ready/, 'the new file starts after the rotation');
  assert.match(fs.readFileSync(tmp.path('leafgate.log.1'), 'utf8'), /Server is ready/);
});

test('--ports_file_dir writes leafgate_<pid>.ports with the listen URLs and removes it on shutdown', async (t) => {
  const tmp = tempDir(t);
  const http = await freePort();
  const lg = await startLeafgate({ args: ['--ports_file_dir', tmp.dir, '-m', String(http)] });
  t.after(() => lg.stop());
  const file = tmp.path(`leafgate_${lg.pid}.ports`);
  const ports = JSON.parse(await eventuallyMatches(() => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''), /nats/)) as Record<string, string[]>;
  assert.deepEqual(ports, { nats: [`nats://127.0.0.1:${lg.port}`], monitoring: [`http://127.0.0.1:${http}`] });
  await lg.stop();
  assert.equal(fs.existsSync(file), false);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Stops the server and returns its whole output (the last line written is "Server Exiting"). */
async function finalOutput(lg: ServerProcess): Promise<string> {
  await lg.stop();
  return eventuallyMatches(() => lg.output(), /Server Exiting/);
}

test('-D adds [DBG] lines (connection events) but no [TRC]', async (t) => {
  const lg = await startLeafgate({ args: ['-D'] });
  t.after(() => lg.stop());
  await someTraffic(lg.port);
  const out = await finalOutput(lg);
  assert.match(out, /\[DBG\] 127\.0\.0\.1:\d+ - cid:\d+ - Client connection created/);
  assert.doesNotMatch(out, /\[TRC\]/);
});

test('-V traces the protocol ops both ways with [TRC], and logs no [DBG]', async (t) => {
  const lg = await startLeafgate({ args: ['-V'] });
  t.after(() => lg.stop());
  await someTraffic(lg.port);
  const out = await finalOutput(lg);
  const trc = (op: string): RegExp => new RegExp(`\\[TRC\\] 127\\.0\\.0\\.1:\\d+ - cid:\\d+ - "v[^"]+:nats\\.js:log-test" - ${escapeRegExp(op)}`);
  // As nats-server: the CONNECT line still has the bare label; from then on the client's version, lang and name follow.
  assert.match(out, new RegExp(`\\[TRC\\] 127\\.0\\.0\\.1:\\d+ - cid:\\d+ - ${escapeRegExp('<<- [CONNECT {')}`));
  assert.match(out, trc('<<- [SUB log.check 1]'));
  assert.match(out, trc('<<- [PUB log.check 5]'));
  // nats-server 2.9.10 quotes the payload Go-style.
  assert.match(out, trc('<<- MSG_PAYLOAD: ["hello"]'));
  assert.match(out, trc('->> [PONG]'));
  assert.match(out, trc('->> [MSG log.check 1 5]'));
  assert.doesNotMatch(out, /\[DBG\]/);
});

test('-DV gives both [DBG] and [TRC]; -T=false drops the timestamps', async (t) => {
  const lg = await startLeafgate({ args: ['-DV', '-T=false'] });
  t.after(() => lg.stop());
  await someTraffic(lg.port);
  const out = await finalOutput(lg);
  assert.match(out, /\[TRC\].*<<- \[PUB log\.check/);
  assert.match(out, /\[DBG\]/);
  assert.match(out, /^\[\d+\] \[INF\] /m);
  assert.doesNotMatch(out, /^\[\d+\] \d{4}\//m);
});

test('-m serves /varz and /healthz', async (t) => {
  const lg = await startLeafgate({ monitor: true });
  t.after(() => lg.stop());
  const httpPort = lg.httpPort;

  const health = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });

  await someTraffic(lg.port);
  const varzRes = await fetch(`http://127.0.0.1:${httpPort}/varz`);
  assert.equal(varzRes.status, 200);
  assert.match(varzRes.headers.get('content-type') ?? '', /application\/json/);
  const varz = (await varzRes.json()) as Record<string, unknown>;
  assert.equal(varz.port, lg.port);
  assert.equal(varz.http_port, httpPort);
  assert.equal(varz.version, '2.9.10');
  assert.equal(typeof varz.server_id, 'string');
  assert.ok((varz.total_connections as number) >= 1);
  assert.ok((varz.in_msgs as number) >= 1);
  assert.match(lg.output(), new RegExp(`Starting http monitor on 127\\.0\\.0\\.1:${httpPort}`));
});
