// INFO as sent on accept, and what CONNECT options change (verbose, pedantic, echo, protocol).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RawClient } from '../../helpers/raw-client.js';
import { QUIET, connected, leafgateForFile } from './harness.js';

const server = leafgateForFile();

/** nats-server 2.9.10's INFO keys for a plain client listener, in its order (git_commit omitted by the Debian build). */
const INFO_KEYS = ['server_id', 'server_name', 'version', 'proto', 'go', 'host', 'port', 'headers', 'max_payload', 'client_id', 'client_ip'];

async function firstLine(port: number): Promise<{ raw: string; info: Record<string, unknown>; client: RawClient }> {
  const client = await RawClient.connect(port);
  const raw = await client.expect('\r\n');
  const m = /^INFO (\{.*\}) \r\n$/.exec(raw);
  assert.ok(m !== null, `first frame is not "INFO {...} \\r\\n": ${JSON.stringify(raw)}`);
  return { raw, info: JSON.parse(m[1]) as Record<string, unknown>, client };
}

test('INFO is sent at once, as "INFO {json} \\r\\n" with a blank before CRLF', async () => {
  const { raw, client } = await firstLine(server().port);
  assert.ok(raw.startsWith('INFO {'));
  assert.ok(raw.endsWith('} \r\n'));
  assert.equal(client.buffered, '', 'nothing after INFO before the client speaks');
  client.close();
});

test('INFO fields: ids, version, proto, headers, max_payload, client id and ip', async () => {
  const { info, client } = await firstLine(server().port);
  assert.deepEqual(Object.keys(info), INFO_KEYS);
  assert.match(info.server_id as string, /^N[A-Z2-7]{55}$/);
  assert.equal(info.server_name, info.server_id, 'server_name defaults to server_id');
  assert.equal(info.version, '2.9.10');
  assert.equal(info.proto, 1);
  assert.equal(typeof info.go, 'string');
  assert.equal(info.host, '127.0.0.1');
  assert.equal(info.port, server().port);
  assert.equal(info.headers, true);
  assert.equal(info.max_payload, 1048576);
  assert.ok(Number.isSafeInteger(info.client_id) && (info.client_id as number) > 0);
  assert.equal(info.client_ip, '127.0.0.1');
  client.close();
});

test('each connection gets its own client_id; server_id is the same', async () => {
  const a = await firstLine(server().port);
  const b = await firstLine(server().port);
  assert.notEqual(a.info.client_id, b.info.client_id);
  assert.equal(a.info.server_id, b.info.server_id);
  a.client.close();
  b.client.close();
});

test('CONNECT {} keeps verbose on: +OK after CONNECT, SUB, PUB and UNSUB, never after PING', async () => {
  const { client } = await RawClient.open(server().port, '{}');
  assert.equal(await client.sync(), '+OK\r\n');
  client.send('SUB foo 1\r\n');
  assert.equal(await client.sync(), '+OK\r\n');
  client.send('PUB foo 2\r\nhi\r\n');
  assert.equal(await client.sync(), '+OK\r\nMSG foo 1 2\r\nhi\r\n');
  client.send('UNSUB 1\r\n');
  assert.equal(await client.sync(), '+OK\r\n');
  client.send('PING\r\n');
  assert.equal(await client.expect('PONG\r\n'), 'PONG\r\n');
  assert.equal(await client.sync(), '');
  client.close();
});

test('verbose +OK also for a duplicate-sid SUB and an unknown-sid UNSUB', async () => {
  const { client } = await RawClient.open(server().port, '{"verbose":true}');
  client.send('SUB foo 1\r\nSUB bar 1\r\nUNSUB 42\r\n');
  assert.equal(await client.sync(), '+OK\r\n+OK\r\n+OK\r\n+OK\r\n');
  client.close();
});

test('operations before CONNECT work with the verbose defaults', async () => {
  const { client } = await RawClient.open(server().port);
  client.send('SUB foo 1\r\nPUB foo 1\r\nx\r\n');
  assert.equal(await client.sync(), '+OK\r\n+OK\r\nMSG foo 1 1\r\nx\r\n');
  client.close();
});

test('pedantic (the default): Invalid Publish Subject, connection stays open, message still routed', async () => {
  const client = await connected(server().port, '{"verbose":false}');
  client.send('SUB foo.> 1\r\nPUB foo.* 1\r\na\r\nPUB foo.> 1\r\nb\r\nPUB foo..x 1\r\nc\r\nPUB foo.ok 1\r\nd\r\n');
  assert.equal(
    await client.sync(),
    "-ERR 'Invalid Publish Subject'\r\nMSG foo.* 1 1\r\na\r\n" + "-ERR 'Invalid Publish Subject'\r\nMSG foo.> 1 1\r\nb\r\n" + "-ERR 'Invalid Publish Subject'\r\n" + 'MSG foo.ok 1 1\r\nd\r\n',
  );
  assert.equal(client.closed, false);
  client.close();
});

test('pedantic false: no subject check on publish', async () => {
  const client = await connected(server().port, QUIET);
  client.send('SUB foo.> 1\r\nPUB foo.* 1\r\na\r\n');
  assert.equal(await client.sync(), 'MSG foo.* 1 1\r\na\r\n');
  client.close();
});

test('echo:false: the publisher does not get its own messages; other publishers are delivered', async () => {
  const a = await connected(server().port, '{"verbose":false,"echo":false}');
  const b = await connected(server().port);
  a.send('SUB e 1\r\nPUB e 4\r\nself\r\n');
  assert.equal(await a.sync(), '');
  b.send('PUB e 5\r\nother\r\n');
  assert.equal(await b.sync(), '');
  assert.equal(await a.sync(), 'MSG e 1 5\r\nother\r\n');
  a.close();
  b.close();
});

test('echo:false with a queue group: the publisher is skipped, another member gets it', async () => {
  const a = await connected(server().port, '{"verbose":false,"echo":false}');
  const b = await connected(server().port);
  a.send('SUB work grp 1\r\n');
  b.send('SUB work grp 1\r\n');
  assert.equal(await a.sync(), '');
  assert.equal(await b.sync(), '');
  for (let i = 0; i < 5; i++) a.send(`PUB work 1\r\n${i}\r\n`);
  assert.equal(await a.sync(), '');
  assert.equal(await b.sync(), 'MSG work 1 1\r\n0\r\nMSG work 1 1\r\n1\r\nMSG work 1 1\r\n2\r\nMSG work 1 1\r\n3\r\nMSG work 1 1\r\n4\r\n');
  a.close();
  b.close();
});

test('a repeated CONNECT is processed again (verbose switched on)', async () => {
  const client = await connected(server().port);
  client.send('CONNECT {"verbose":true}\r\nSUB foo 1\r\n');
  assert.equal(await client.sync(), '+OK\r\n+OK\r\n');
  client.close();
});

test('CONNECT ignores unknown fields', async () => {
  const client = await connected(server().port, '{"verbose":false,"pedantic":false,"somefield":{"a":[1,2]},"lang":"raw","version":"0"}');
  client.send('SUB x 1\r\nPUB x 1\r\ny\r\n');
  assert.equal(await client.sync(), 'MSG x 1 1\r\ny\r\n');
  client.close();
});

test('CONNECT field names are matched case-insensitively (Go JSON decoding)', async () => {
  const { client } = await RawClient.open(server().port, '{"Verbose":false,"PEDANTIC":false}');
  client.send('SUB x 1\r\nPUB a..b 0\r\n\r\n');
  assert.equal(await client.sync(), '');
  client.close();
});

test('CONNECT null, and fields set to null, keep the defaults', async () => {
  const { client } = await RawClient.open(server().port, 'null');
  client.send('SUB x 1\r\n');
  assert.equal(await client.sync(), '+OK\r\n+OK\r\n');
  client.send('CONNECT {"verbose":null,"pedantic":null}\r\nPUB a..b 0\r\n\r\n');
  assert.equal(await client.sync(), "+OK\r\n-ERR 'Invalid Publish Subject'\r\n+OK\r\n");
  client.close();
});
