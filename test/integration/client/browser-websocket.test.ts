// A real browser: headless Chromium (Debian's `chromium`) loads a page that bundles the official
// client's wsconnect, connects to leafgate over WebSocket, answers a request from a TCP client,
// publishes to it, and shows what it received in the page title. The test reads the title over the
// DevTools protocol.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { build } from 'esbuild';
import { connect } from '@nats-io/transport-node';
import { WebSocket } from 'ws';

import { writeTempConf } from '../../helpers/conf-file.js';
import { freePort } from '../../helpers/ports.js';
import { REPO_ROOT, startLeafgate } from '../../helpers/processes.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));

/** The page's script: the official client from node_modules, bundled for the browser. */
async function pageScript(wsPort: number): Promise<string> {
  const entry = `
    import { wsconnect } from '@nats-io/nats-core';
    const nc = await wsconnect({ servers: 'ws://127.0.0.1:${wsPort}', name: 'chromium' });
    nc.subscribe('browser.echo', { callback: (_err, m) => m.respond('browser:' + m.string()) });
    const sub = nc.subscribe('to.browser', { max: 1 });
    await nc.flush();
    nc.publish('from.browser', 'ready');
    for await (const m of sub) document.title = 'got ' + m.string();
  `;
  const out = await build({ stdin: { contents: entry, resolveDir: REPO_ROOT, loader: 'js' }, bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
  return out.outputFiles[0]?.text ?? '';
}

/** Evaluates `expression` in the first page of the browser behind `debugPort`. */
async function evaluate(debugPort: number, expression: string): Promise<unknown> {
  const pages = (await (await fetch(`http://127.0.0.1:${debugPort}/json`)).json()) as { type: string; webSocketDebuggerUrl: string }[];
  const page = pages.find((p) => p.type === 'page');
  if (page === undefined) throw new Error('no page');
  const ws = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  try {
    ws.send(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }));
    const answer = await new Promise<{ result?: { result?: { value?: unknown } } }>((resolve) => ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString()) as { result?: { result?: { value?: unknown } } })));
    return answer.result?.result?.value;
  } finally {
    ws.close();
  }
}

test('a page in headless Chromium talks to TCP clients through leafgate over WebSocket', { skip: CHROMIUM === undefined ? 'chromium is not installed (.ci/run installs it)' : false }, async (t) => {
  const wsPort = await freePort();
  const conf = writeTempConf(`websocket { host: 127.0.0.1, port: ${wsPort}, no_tls: true }\n`);
  t.after(() => conf.remove());
  const server = await startLeafgate({ args: ['-c', conf.path] });
  t.after(() => server.stop());
  const script = await pageScript(wsPort);
  const web = http.createServer((req, res) => {
    if (req.url === '/app.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>loading</title><script type="module" src="/app.js"></script>');
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  t.after(() => web.close());
  const webPort = (web.address() as { port: number }).port;

  const tcp = await connect({ port: server.port });
  t.after(() => tcp.close());
  const ready = tcp.subscribe('from.browser', { max: 1 });
  await tcp.flush();

  const debugPort = await freePort();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-chromium-'));
  const browser = spawn(
    CHROMIUM as string,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, `--remote-debugging-port=${debugPort}`, `http://127.0.0.1:${webPort}/`],
    // Its own process group: Chromium's helper processes go with it.
    { stdio: 'ignore', detached: true },
  );
  const exited = new Promise((resolve) => browser.once('exit', resolve));
  t.after(async () => {
    process.kill(-(browser.pid as number), 'SIGKILL');
    await exited;
    // A helper may still be flushing into the profile for a moment after the group is killed.
    for (let attempt = 0; fs.existsSync(profile); attempt++) {
      try {
        fs.rmSync(profile, { recursive: true, force: true });
      } catch (err) {
        if (attempt >= 30) throw err;
        await sleep(100);
      }
    }
  });

  let first = '';
  for await (const m of ready) first = m.string();
  assert.equal(first, 'ready', 'the page connected and published');
  const answer = (await tcp.request('browser.echo', 'hi', { timeout: 5000 })).string();
  assert.equal(answer, 'browser:hi', 'the page answered a request from a TCP client');
  tcp.publish('to.browser', 'hello page');
  let title: unknown = '';
  for (let i = 0; i < 100 && title !== 'got hello page'; i++) {
    await sleep(50);
    title = await evaluate(debugPort, 'document.title');
  }
  assert.equal(title, 'got hello page', 'the page received a message from a TCP client');
});
