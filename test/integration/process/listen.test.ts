// Listening as nats-server does: the wildcard host is one dual-stack socket for every listener, and the ports
// file is named after the invoked program and lists every address a client can use.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { freePort } from '../../helpers/ports.js';
import { LEAFGATE_MAIN, findNatsServer, startLeafgate, startNatsServer } from '../../helpers/processes.js';
import type { ServerProcess } from '../../helpers/processes.js';
import { createTestPki } from '../../helpers/tls-certs.js';
import { tempDir } from '../../helpers/temp-dir.js';

const HAS_IPV6_LOOPBACK = Object.values(os.networkInterfaces()).some((addrs) => addrs?.some((a) => a.address === '::1'));

/** Reads `<name>_<pid>.ports` once the server has written it (bounded). */
async function readPortsFile(dir: string, name: string, server: ServerProcess): Promise<Record<string, string[]>> {
  const file = path.join(dir, `${name}_${server.pid}.ports`);
  for (let i = 0; i < 100 && !fs.existsSync(file); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(fs.existsSync(file), `${file} exists; dir has ${fs.readdirSync(dir).join(', ')}\n${server.output()}`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string[]>;
}

/** The URLs with their ports replaced, to compare two servers' files. */
function withoutPorts(ports: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(ports).map(([key, urls]) => [key, urls.map((u) => u.replace(/:\d+$/, ':PORT'))]));
}

/** Connects with the official client, checks the server answers, and returns the host its INFO names. */
async function infoHost(server: string): Promise<string | undefined> {
  const nc = await connect({ servers: server, reconnect: false });
  try {
    await nc.flush();
    return nc.info?.host;
  } finally {
    await nc.close();
  }
}

test('started through a link named nats-server (default host): nats-server_<pid>.ports lists every address, as nats-server does', async (t) => {
  const tmp = tempDir(t);
  fs.chmodSync(LEAFGATE_MAIN, 0o755);
  const link = tmp.path('nats-server');
  fs.symlinkSync(LEAFGATE_MAIN, link);
  const portsDir = tmp.path('ports');
  fs.mkdirSync(portsDir);
  const port = await freePort();
  const http = await freePort();
  // The bin's shebang runs `node` from PATH: the one running these tests.
  const env = { PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
  const lg = await startLeafgate({ executable: link, port, env, args: ['-p', String(port), '-m', String(http), '--ports_file_dir', portsDir] });
  t.after(() => lg.stop());
  const ports = await readPortsFile(portsDir, 'nats-server', lg);
  assert.deepEqual(Object.keys(ports), ['nats', 'monitoring']);
  assert.ok(ports.nats!.includes(`nats://127.0.0.1:${port}`), JSON.stringify(ports));
  assert.ok(ports.monitoring!.includes(`http://127.0.0.1:${http}`), JSON.stringify(ports));
  if (HAS_IPV6_LOOPBACK) assert.ok(ports.nats!.includes(`nats://[::1]:${port}`), JSON.stringify(ports));
  assert.equal(await infoHost(ports.nats![0]!), '0.0.0.0');

  const nsDir = tmp.path('ns-ports');
  fs.mkdirSync(nsDir);
  const nsPort = await freePort();
  const ns = await startNatsServer({ port: nsPort, args: ['-p', String(nsPort), '-m', String(await freePort()), '--ports_file_dir', nsDir] });
  t.after(() => ns.stop());
  const nsPorts = await readPortsFile(nsDir, path.basename(findNatsServer()), ns);
  assert.deepEqual(withoutPorts(ports), withoutPorts(nsPorts));

  await lg.stop();
  assert.deepEqual(fs.readdirSync(portsDir), [], 'the ports file is removed on shutdown');
});

test('TLS required: the ports file lists tls:// URLs', async (t) => {
  const tmp = tempDir(t);
  const pki = createTestPki();
  t.after(() => pki.remove());
  const lg = await startLeafgate({ args: ['--tlscert', pki.serverCert, '--tlskey', pki.serverKey, '--ports_file_dir', tmp.dir] });
  t.after(() => lg.stop());
  assert.deepEqual(await readPortsFile(tmp.dir, 'leafgate', lg), { nats: [`tls://127.0.0.1:${lg.port}`] });
});

test('default host: the client and the monitoring port answer over IPv6 (::1) and IPv4, and still name host 0.0.0.0', { skip: !HAS_IPV6_LOOPBACK && 'no ::1 on this machine' }, async (t) => {
  const port = await freePort();
  const http = await freePort();
  const lg = await startLeafgate({ port, args: ['-p', String(port), '-m', String(http)] });
  t.after(() => lg.stop());
  assert.equal(await infoHost(`[::1]:${port}`), '0.0.0.0');
  assert.equal(await infoHost(`127.0.0.1:${port}`), '0.0.0.0');
  for (const host of ['[::1]', '127.0.0.1']) {
    const res = await fetch(`http://${host}:${http}/varz`);
    assert.equal(res.status, 200);
    const varz = (await res.json()) as { host: string; port: number; http_host: string };
    assert.deepEqual([varz.host, varz.port, varz.http_host], ['0.0.0.0', port, '0.0.0.0']);
  }
  assert.match(lg.output(), new RegExp(`\\[INF\\] Listening for client connections on 0\\.0\\.0\\.0:${port}\\n`));
  assert.match(lg.output(), new RegExp(`\\[INF\\] Starting http monitor on 0\\.0\\.0\\.0:${http}\\n`));
});
