// The bin started with a config file: the file's port and auth apply, flags override it, -P writes a PID file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { AuthorizationError } from '@nats-io/transport-node';
import { freePort } from '../../helpers/ports.js';
import { startLeafgate } from '../../helpers/processes.js';
import { closeAll, connectTo } from '../../helpers/nats-client.js';
import { tempDir } from '../../helpers/temp-dir.js';

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

test('-c: the config file sets the port and the auth block', async (t) => {
  const tmp = tempDir(t);
  const port = await freePort();
  const conf = tmp.write('server.conf', `
# leafgate test config
host: 127.0.0.1
port: ${port}
authorization {
  users: [
    { user: alice, password: "alice-pw" }
  ]
}
`);
  const lg = await startLeafgate({ port, args: ['-c', conf] });
  t.after(() => lg.stop());

  const nc = await connectTo(port, { user: 'alice', pass: 'alice-pw' });
  t.after(() => closeAll([nc]));
  assert.equal(nc.info?.auth_required, true);
  assert.equal(nc.info?.port, port);
  const sub = nc.subscribe('conf.check', { max: 1 });
  nc.publish('conf.check', 'hi');
  for await (const m of sub) assert.equal(m.string(), 'hi');
  assert.equal(sub.getReceived(), 1);

  await assert.rejects(connectTo(port, { user: 'alice', pass: 'wrong' }), (err: unknown) => err instanceof AuthorizationError);
  await assert.rejects(connectTo(port), (err: unknown) => err instanceof AuthorizationError);
});

test('flags override the config file: -p beats the file port', async (t) => {
  const tmp = tempDir(t);
  const filePort = await freePort();
  const flagPort = await freePort();
  const conf = tmp.write('server.conf', `host: 127.0.0.1\nport: ${filePort}\n`);
  const lg = await startLeafgate({ port: flagPort, args: ['-c', conf, '-p', String(flagPort)] });
  t.after(() => lg.stop());

  const nc = await connectTo(flagPort);
  t.after(() => closeAll([nc]));
  assert.equal(nc.info?.port, flagPort);
  assert.equal(await isListening(filePort), false, 'nothing listens on the port from the file');
});

test('flags override the config file: --user/--pass replace the file credentials', async (t) => {
  const tmp = tempDir(t);
  const port = await freePort();
  const conf = tmp.write('server.conf', `host: 127.0.0.1\nport: ${port}\nauthorization { user: file, password: filepw }\n`);
  const lg = await startLeafgate({ port, args: ['-c', conf, '--user', 'flag', '--pass', 'flagpw'] });
  t.after(() => lg.stop());

  const nc = await connectTo(port, { user: 'flag', pass: 'flagpw' });
  t.after(() => closeAll([nc]));
  assert.equal(nc.isClosed(), false);
  await assert.rejects(connectTo(port, { user: 'file', pass: 'filepw' }), (err: unknown) => err instanceof AuthorizationError);
});

test('-P writes the PID file while running and removes it on shutdown', async (t) => {
  const tmp = tempDir(t);
  const pidFile = tmp.path('leafgate.pid');
  const lg = await startLeafgate({ args: ['-P', pidFile] });
  t.after(() => lg.stop());
  assert.equal(fs.readFileSync(pidFile, 'utf8').trim(), String(lg.pid));

  await lg.stop();
  assert.equal(await lg.exited(), 0);
  assert.equal(fs.existsSync(pidFile), false, 'the PID file is gone after a graceful shutdown');
});

test('pid_file and max_payload from the config file take effect', async (t) => {
  const tmp = tempDir(t);
  const port = await freePort();
  const pidFile = tmp.path('from-conf.pid');
  const conf = tmp.write('server.conf', `host: 127.0.0.1\nport: ${port}\npid_file: "${pidFile}"\nmax_payload: 2048\n`);
  const lg = await startLeafgate({ port, args: ['-c', conf] });
  t.after(() => lg.stop());
  assert.equal(fs.readFileSync(pidFile, 'utf8').trim(), String(lg.pid));
  const nc = await connectTo(port);
  t.after(() => closeAll([nc]));
  assert.equal(nc.info?.max_payload, 2048);
});
