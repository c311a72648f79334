// Dialing out (src/transports/dial.ts) against real servers on 127.0.0.1: TCP, TLS with the test PKI,
// and WebSocket (plain and TLS) with `ws` servers, and the ways a dial fails.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { after, before, test } from 'node:test';
import type { TestContext } from 'node:test';
import tls from 'node:tls';

import { WebSocketServer } from 'ws';

import { dial } from '../../../src/transports/index.js';
import type { DialOptions } from '../../../src/transports/index.js';
import { freePort } from '../../helpers/ports.js';
import { createTestPki } from '../../helpers/tls-certs.js';
import type { TestPki } from '../../helpers/tls-certs.js';

const BOUNDED = { timeout: 10000 };

let pki: TestPki;
let ca: Buffer;
let serverCreds: { cert: Buffer; key: Buffer };
before(() => {
  pki = createTestPki();
  ca = fs.readFileSync(pki.caFile);
  serverCreds = { cert: fs.readFileSync(pki.serverCert), key: fs.readFileSync(pki.serverKey) };
});
after(() => pki.remove());

/** Listens on a free loopback port; the server and every connection it accepted are closed after the test. */
async function serve(t: TestContext, server: net.Server): Promise<{ port: number; accepted: net.Socket[] }> {
  const accepted: net.Socket[] = [];
  server.on('connection', (s: net.Socket) => accepted.push(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    for (const s of accepted) s.destroy();
    server.close();
  });
  return { port: (server.address() as net.AddressInfo).port, accepted };
}

/** A WebSocket server on `server` that answers subprotocol `mqtt` when asked (unless `refuse`) and echoes every message. */
function wsEcho(server: http.Server, refuse = false): { paths: string[]; received: Buffer[] } {
  const seen = { paths: [] as string[], received: [] as Buffer[] };
  const wss = new WebSocketServer({ server, handleProtocols: (protocols) => (!refuse && protocols.has('mqtt') ? 'mqtt' : false) });
  wss.on('connection', (ws, req) => {
    seen.paths.push(req.url ?? '');
    ws.on('message', (data: Buffer, isBinary) => {
      assert.ok(isBinary, 'frames are binary');
      seen.received.push(data);
      ws.send(data);
    });
  });
  return seen;
}

/** Reads from `stream` until `n` bytes have arrived. */
function readBytes(stream: Duplex, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const onData = (chunk: Buffer): void => {
      assert.ok(Buffer.isBuffer(chunk), 'chunks are Buffers');
      chunks.push(chunk);
      got += chunk.length;
      if (got < n) return;
      stream.off('data', onData);
      stream.off('error', reject);
      resolve(Buffer.concat(chunks));
    };
    stream.on('data', onData);
    stream.once('error', reject);
  });
}

async function echoes(stream: Duplex): Promise<void> {
  stream.write(Buffer.from('hello '));
  stream.write(Buffer.from('there'));
  assert.equal((await readBytes(stream, 11)).toString(), 'hello there');
}

const ECHO_TCP = (): net.Server => net.createServer((s) => s.pipe(s));
const base = (port: number): Pick<DialOptions, 'host' | 'port' | 'timeoutMs'> => ({ host: '127.0.0.1', port, timeoutMs: 2000 });

test('tcp: a byte stream to the server, no TLS details', BOUNDED, async (t) => {
  const { port } = await serve(t, ECHO_TCP());
  const d = await dial({ kind: 'tcp', ...base(port) });
  t.after(() => d.stream.destroy());
  assert.equal(d.remoteAddress, '127.0.0.1');
  assert.equal(d.tls, null);
  await echoes(d.stream);
});

test('a closed port is refused with a message naming it', BOUNDED, async () => {
  const port = await freePort();
  await assert.rejects(dial({ kind: 'tcp', ...base(port) }), { message: `connect ECONNREFUSED 127.0.0.1:${port}` });
  await assert.rejects(dial({ kind: 'ws', ...base(port) }), { message: `connect ECONNREFUSED 127.0.0.1:${port}` });
});

test('a server that never does the TLS handshake or the upgrade: timed out, and the connection closed', BOUNDED, async (t) => {
  // Read, so that the client going away ends and closes the accepted socket.
  const { port, accepted } = await serve(t, net.createServer((s) => s.resume()));
  for (const [kind, waiting] of [['tls', 'no TLS handshake'], ['ws', 'no WebSocket upgrade']] as const) {
    const started = Date.now();
    await assert.rejects(dial({ kind, ...base(port), timeoutMs: 300 }), { message: `timed out after 300 ms connecting to 127.0.0.1:${port} (${waiting})` });
    assert.ok(Date.now() - started < 1500, 'within the deadline');
    const server = accepted.at(-1);
    assert.ok(server !== undefined);
    if (!server.destroyed) await once(server, 'close');
  }
  assert.equal(accepted.length, 2);
});

test('tls: verified by the CA, with the version and cipher of the handshake', BOUNDED, async (t) => {
  const { port } = await serve(t, tls.createServer(serverCreds, (s) => s.pipe(s)));
  const d = await dial({ kind: 'tls', ...base(port), tls: { ca, insecure: false } });
  t.after(() => d.stream.destroy());
  assert.match(d.tls?.version ?? '', /^TLSv1\.[23]$/);
  assert.match(d.tls?.cipher ?? '', /^TLS_/);
  await echoes(d.stream);
  const byName = await dial({ kind: 'tls', ...base(port), tls: { ca, insecure: false, serverName: 'localhost' } });
  byName.stream.destroy();
});

test('tls: an untrusted certificate or another name fails the handshake unless insecure', BOUNDED, async (t) => {
  const { port } = await serve(t, tls.createServer(serverCreds, (s) => s.pipe(s)));
  const handshakeFailed = new RegExp(`^TLS handshake with 127\\.0\\.0\\.1:${port} failed: .+`);
  await assert.rejects(dial({ kind: 'tls', ...base(port), tls: { insecure: false } }), { message: handshakeFailed });
  await assert.rejects(dial({ kind: 'tls', ...base(port), tls: { ca, insecure: false, serverName: 'example.com' } }), { message: /failed: .*example\.com/ });
  await assert.rejects(dial({ kind: 'tls', ...base(port), tls: { ca, insecure: false, serverName: '10.0.0.1' } }), { message: /failed: .*10\.0\.0\.1/ });
  const d = await dial({ kind: 'tls', ...base(port), tls: { insecure: true } });
  t.after(() => d.stream.destroy());
  await echoes(d.stream);
});

test('tls: our client certificate is presented to a server that requires one', BOUNDED, async (t) => {
  const server = tls.createServer({ ...serverCreds, ca, requestCert: true, rejectUnauthorized: true }, (s) => s.pipe(s));
  const peers: string[] = [];
  server.on('secureConnection', (s: tls.TLSSocket) => peers.push(`${s.authorized} ${String(s.getPeerCertificate().subject?.CN)}`));
  const clientErrors: Error[] = [];
  server.on('tlsClientError', (err: Error) => clientErrors.push(err));
  const { port } = await serve(t, server);
  const d = await dial({ kind: 'tls', ...base(port), tls: { ca, cert: fs.readFileSync(pki.clientCert), key: fs.readFileSync(pki.clientKey), insecure: false } });
  t.after(() => d.stream.destroy());
  await echoes(d.stream);
  assert.deepEqual(peers, ['true test client']);

  // Under TLS 1.3 the client may finish its side before the server refuses it: the refusal then ends the stream.
  const without = await dial({ kind: 'tls', ...base(port), tls: { ca, insecure: false } }).then(
    (d2) =>
      new Promise<string>((resolve) => {
        d2.stream.on('error', () => undefined);
        d2.stream.once('close', () => resolve('closed'));
        d2.stream.resume();
      }),
    (err: Error) => err.message,
  );
  assert.ok(without === 'closed' || without.startsWith('TLS handshake'), without);
  assert.equal(clientErrors.length, 1);
  assert.deepEqual(peers, ['true test client']);
});

test('ws: subprotocol mqtt negotiated, each write one binary frame, the path requested', BOUNDED, async (t) => {
  const server = http.createServer();
  const seen = wsEcho(server);
  const { port } = await serve(t, server);
  const d = await dial({ kind: 'ws', ...base(port), path: '/mqtt', subprotocol: 'mqtt' });
  t.after(() => d.stream.destroy());
  assert.equal(d.tls, null);
  assert.equal(d.remoteAddress, '127.0.0.1');
  await echoes(d.stream);
  assert.deepEqual(seen.paths, ['/mqtt']);
  assert.deepEqual(seen.received.map(String), ['hello ', 'there']);
});

test('wss: verified by the CA, subprotocol mqtt, echo', BOUNDED, async (t) => {
  const server = https.createServer(serverCreds);
  const seen = wsEcho(server);
  const { port } = await serve(t, server);
  await assert.rejects(dial({ kind: 'wss', ...base(port), subprotocol: 'mqtt', tls: { insecure: false } }), { message: new RegExp(`^TLS handshake with 127\\.0\\.0\\.1:${port} failed: `) });
  const d = await dial({ kind: 'wss', ...base(port), subprotocol: 'mqtt', tls: { ca, insecure: false } });
  t.after(() => d.stream.destroy());
  assert.match(d.tls?.version ?? '', /^TLSv1\.[23]$/);
  await echoes(d.stream);
  assert.deepEqual(seen.paths, ['/']);
});

test('ws: refused when the server accepts no subprotocol or answers with an HTTP error', BOUNDED, async (t) => {
  const server = http.createServer();
  wsEcho(server, true);
  const { port } = await serve(t, server);
  await assert.rejects(dial({ kind: 'ws', ...base(port), path: '/mqtt', subprotocol: 'mqtt' }), { message: `WebSocket upgrade to ws://127.0.0.1:${port}/mqtt failed: Server sent no subprotocol` });

  const notFound = http.createServer();
  notFound.on('upgrade', (_req, socket: Duplex) => socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found'));
  const other = await serve(t, notFound);
  await assert.rejects(dial({ kind: 'ws', ...base(other.port), path: '/mqtt' }), { message: `WebSocket upgrade to ws://127.0.0.1:${other.port}/mqtt refused: HTTP 404` });
});

test('ws: the server closing is a close on the stream; destroying the stream closes the connection', BOUNDED, async (t) => {
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  const closedByServer: Promise<unknown>[] = [];
  wss.on('connection', (ws) => {
    closedByServer.push(once(ws, 'close'));
    ws.on('message', (data: Buffer) => (String(data) === 'bye' ? ws.close() : undefined));
  });
  const { port } = await serve(t, server);

  const a = await dial({ kind: 'ws', ...base(port) });
  const aClosed = once(a.stream, 'close');
  a.stream.resume();
  a.stream.write(Buffer.from('bye'));
  await aClosed;
  assert.ok(a.stream.destroyed);

  const b = await dial({ kind: 'ws', ...base(port) });
  b.stream.destroy();
  await once(b.stream, 'close');
  await closedByServer[1];
  assert.equal(closedByServer.length, 2);
});

test('tcp: the server closing is a close on the stream', BOUNDED, async (t) => {
  const { port } = await serve(t, net.createServer((s) => s.end()));
  const d = await dial({ kind: 'tcp', ...base(port) });
  d.stream.resume();
  await once(d.stream, 'close');
});
