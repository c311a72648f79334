// Differential: NATS over WebSocket. The official client's wsconnect (with the `ws` package as the
// WebSocket it expects in Node) and raw HTTP requests against nats-server and leafgate, each with a
// `websocket {}` block on a port of its own choosing (read back from its log).

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { wsconnect } from '@nats-io/nats-core';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { WebSocket } from 'ws';

import { createAccount, createOperator, createUser, encodeAccount, encodeOperator, encodeUser } from '@nats-io/jwt';
import type { Account } from '@nats-io/jwt';

import { createTestPki } from '../helpers/tls-certs.js';
import { serverPair } from './differential.js';
import type { ServerPair } from './differential.js';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const CONF = `
websocket { host: 127.0.0.1, port: -1, no_tls: true, compression: true, allowed_origins: ["http://app.example:8080"] }
`;

/** The WebSocket port a server logged it listens on. */
function wsPortOf(output: string): number {
  const m = /Listening for websocket clients on wss?:\/\/[^\s]*:(\d+)/.exec(output);
  if (m === null) throw new Error(`no websocket listener in: ${output}`);
  return Number(m[1]);
}

type Side = 'natsServer' | 'leafgate';

async function sides<T>(pair: ServerPair, observe: (port: number, wsPort: number) => Promise<T>): Promise<Record<Side, T>> {
  const out = {} as Record<Side, T>;
  for (const side of ['natsServer', 'leafgate'] as const) {
    const server = pair[side];
    out[side] = await observe(server.port, wsPortOf(server.output()));
  }
  return out;
}

/** A raw upgrade request: the status line and headers of the answer. */
async function handshake(port: number, request: string): Promise<{ status: string; headers: Record<string, string> }> {
  const socket = net.connect(port, '127.0.0.1');
  socket.write(request);
  let text = '';
  for await (const chunk of socket) {
    text += (chunk as Buffer).toString('latin1');
    if (text.includes('\r\n\r\n')) break;
  }
  socket.destroy();
  const [statusLine = '', ...lines] = text.split('\r\n\r\n')[0]?.split('\r\n') ?? [];
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: statusLine.split(' ').slice(0, 2).join(' '), headers };
}

/** A login's outcome: 'connected' (and closed again), or the error the client got. */
function attempt(login: Promise<{ close(): Promise<void> }>): Promise<string> {
  return login.then(
    async (nc) => {
      await nc.close();
      return 'connected';
    },
    (err: Error) => err.message,
  );
}

function upgrade(extra: Record<string, string> = {}, method = 'GET'): string {
  const headers = { Host: '127.0.0.1', Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': crypto.randomBytes(16).toString('base64'), 'Sec-WebSocket-Version': '13', ...extra };
  return `${method} / HTTP/1.1\r\n${Object.entries(headers)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}

describe('NATS over WebSocket: leafgate vs nats-server', () => {
  const servers = serverPair(CONF, { monitoring: true });

  test('a client over WebSocket and one over TCP exchange messages and requests', async () => {
    const seen = await sides(servers(), async (port, wsPort) => {
      const ws = await wsconnect({ servers: `ws://127.0.0.1:${wsPort}` });
      const tcp = await connect({ port });
      try {
        const got: string[] = [];
        const sub = ws.subscribe('x', { max: 2 });
        await ws.flush();
        tcp.publish('x', 'from tcp');
        ws.publish('x', Buffer.alloc(100_000, 'w'));
        for await (const m of sub) got.push(m.data.length > 20 ? `${m.data.length} bytes` : m.string());
        tcp.subscribe('svc', { callback: (_e, m) => void m.respond(`re:${m.string()}`) });
        ws.subscribe('wsvc', { callback: (_e, m) => void m.respond(`ws:${m.string()}`) });
        await Promise.all([tcp.flush(), ws.flush()]);
        const fromWs = (await ws.request('svc', 'a', { timeout: 2000 })).string();
        const fromTcp = (await tcp.request('wsvc', 'b', { timeout: 2000 })).string();
        return { got, fromWs, fromTcp };
      } finally {
        await Promise.all([ws.close(), tcp.close()]);
      }
    });
    const want = { got: ['from tcp', '100000 bytes'], fromWs: 're:a', fromTcp: 'ws:b' };
    assert.deepEqual(seen, { natsServer: want, leafgate: want });
  });

  test("the INFO a WebSocket client gets, and /connz's entry for it", async () => {
    const pair = servers();
    const seen = await sides(pair, async (_port, wsPort) => {
      const ws: NatsConnection = await wsconnect({ servers: `ws://127.0.0.1:${wsPort}`, name: 'browser-ish' });
      try {
        return { infoKeys: Object.keys(ws.info ?? {}).sort(), tls: ws.info?.tls_required ?? false };
      } finally {
        await ws.close();
      }
    });
    assert.deepEqual(seen.leafgate, seen.natsServer);
    const connz = async (side: Side): Promise<unknown> => {
      const ws = await wsconnect({ servers: `ws://127.0.0.1:${wsPortOf(pair[side].output())}`, name: 'browser-ish' });
      try {
        const res = await fetch(`http://127.0.0.1:${pair.httpPort[side]}/connz`);
        const c = ((await res.json()) as { connections: Record<string, unknown>[] }).connections.find((x) => x.name === 'browser-ish');
        return { kind: c?.kind, type: c?.type, ip: c?.ip };
      } finally {
        await ws.close();
      }
    };
    const want = { kind: 'Client', type: 'websocket', ip: '127.0.0.1' };
    assert.deepEqual({ natsServer: await connz('natsServer'), leafgate: await connz('leafgate') }, { natsServer: want, leafgate: want });
  });

  test('X-Forwarded-For goes into the log lines only; /connz shows the peer', async () => {
    const pair = servers();
    const forwarded = async (side: Side): Promise<unknown> => {
      const ws = new WebSocket(`ws://127.0.0.1:${wsPortOf(pair[side].output())}`, { headers: { 'X-Forwarded-For': '10.1.2.3' } });
      await new Promise((resolve, reject) => ws.once('message', resolve).once('error', reject));
      ws.send(Buffer.from('CONNECT {"name":"behind-proxy","verbose":false}\r\nPING\r\n'));
      await new Promise((resolve) => ws.once('message', resolve));
      try {
        const res = await fetch(`http://127.0.0.1:${pair.httpPort[side]}/connz`);
        const ip = ((await res.json()) as { connections: Record<string, unknown>[] }).connections.find((x) => x.name === 'behind-proxy')?.ip;
        // A PUB past max_payload: its error is logged under the connection's label, and the connection closed.
        const closed = new Promise((resolve) => ws.once('close', resolve));
        ws.send(Buffer.from('PUB foo 2000000\r\n'));
        await Promise.race([closed, sleep(3000)]);
        await sleep(100);
        return { ip, logged: /\[ERR\] 10\.1\.2\.3\/127\.0\.0\.1:\d+ - wid:\d+ - "behind-proxy" - maximum payload exceeded: 2000000 vs 1048576/.test(pair[side].output()) };
      } finally {
        ws.terminate();
      }
    };
    const want = { ip: '127.0.0.1', logged: true };
    assert.deepEqual({ natsServer: await forwarded('natsServer'), leafgate: await forwarded('leafgate') }, { natsServer: want, leafgate: want });
  });

  test('handshakes refused with the status nats-server answers, an allowed origin and compression accepted', async () => {
    const seen = await sides(servers(), async (_port, wsPort) => ({
      post: (await handshake(wsPort, upgrade({}, 'POST'))).status,
      noUpgrade: (await handshake(wsPort, upgrade({ Upgrade: '' }))).status,
      noKey: (await handshake(wsPort, upgrade({ 'Sec-WebSocket-Key': '' }))).status,
      oldVersion: (await handshake(wsPort, upgrade({ 'Sec-WebSocket-Version': '8' }))).status,
      otherOrigin: (await handshake(wsPort, upgrade({ Origin: 'http://evil.example:8080' }))).status,
      otherPort: (await handshake(wsPort, upgrade({ Origin: 'http://app.example:9090' }))).status,
      allowedOrigin: (await handshake(wsPort, upgrade({ Origin: 'http://app.example:8080' }))).status,
      noOrigin: (await handshake(wsPort, upgrade())).status,
      compressed: (await handshake(wsPort, upgrade({ 'Sec-WebSocket-Extensions': 'permessage-deflate' }))).headers['sec-websocket-extensions']?.startsWith('permessage-deflate') === true,
    }));
    const want = {
      post: 'HTTP/1.1 405',
      noUpgrade: 'HTTP/1.1 400',
      noKey: 'HTTP/1.1 400',
      oldVersion: 'HTTP/1.1 400',
      otherOrigin: 'HTTP/1.1 403',
      otherPort: 'HTTP/1.1 403',
      allowedOrigin: 'HTTP/1.1 101',
      noOrigin: 'HTTP/1.1 101',
      compressed: true,
    };
    assert.deepEqual(seen, { natsServer: want, leafgate: want });
  });

  test('an unmasked client frame closes the connection; other clients keep being served', async () => {
    const seen = await sides(servers(), async (port, wsPort) => {
      const socket = net.connect(wsPort, '127.0.0.1');
      socket.write(upgrade());
      let closed = false;
      socket.on('close', () => (closed = true));
      socket.on('error', () => {});
      await sleep(200);
      // A text frame of "PING\r\n" without the mask bit.
      socket.write(Buffer.concat([Buffer.from([0x81, 6]), Buffer.from('PING\r\n')]));
      for (let i = 0; i < 50 && !closed; i++) await sleep(50);
      socket.destroy();
      const tcp = await connect({ port });
      const rtt = await tcp.rtt().then(() => 'served');
      await tcp.close();
      return { closed, others: rtt };
    });
    const want = { closed: true, others: 'served' };
    assert.deepEqual(seen, { natsServer: want, leafgate: want });
  });
});

describe('NATS over secure WebSocket (wss): leafgate vs nats-server', () => {
  const pki = createTestPki();
  after(() => pki.remove());
  const servers = serverPair(`websocket { host: 127.0.0.1, port: -1, tls { cert_file: "${pki.serverCert}", key_file: "${pki.serverKey}" } }`);

  test('the official client connects over wss with the CA it trusts; a plain ws client is refused', async () => {
    const ca = fs.readFileSync(pki.caFile);
    const plain = (globalThis as { WebSocket?: unknown }).WebSocket;
    (globalThis as { WebSocket?: unknown }).WebSocket = class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { ca });
      }
    };
    try {
      const seen = await sides(servers(), async (_port, wsPort) => {
        const nc = await wsconnect({ servers: `wss://127.0.0.1:${wsPort}` });
        const sub = nc.subscribe('s', { max: 1 });
        nc.publish('s', 'secure');
        let got = '';
        for await (const m of sub) got = m.string();
        await nc.close();
        const insecure = await wsconnect({ servers: `ws://127.0.0.1:${wsPort}`, reconnect: false, timeout: 2000 }).then(
          async (c) => {
            await c.close();
            return 'connected';
          },
          () => 'refused',
        );
        return { got, insecure };
      });
      const want = { got: 'secure', insecure: 'refused' };
      assert.deepEqual(seen, { natsServer: want, leafgate: want });
    } finally {
      (globalThis as { WebSocket?: unknown }).WebSocket = plain;
    }
  });
});

describe('allowed_connection_types with WebSocket: leafgate vs nats-server', () => {
  const servers = serverPair(`
websocket { host: 127.0.0.1, port: -1, no_tls: true }
authorization { users: [
  { user: web, password: web, allowed_connection_types: ["WEBSOCKET"] }
  { user: tcp, password: tcp, allowed_connection_types: ["STANDARD"] }
] }
`);

  test('a WEBSOCKET-only user connects over WebSocket only, a STANDARD-only user over TCP only', async () => {
    const seen = await sides(servers(), async (port, wsPort) => ({
      webOverWs: await attempt(wsconnect({ servers: `ws://127.0.0.1:${wsPort}`, user: 'web', pass: 'web', reconnect: false })),
      webOverTcp: await attempt(connect({ port, user: 'web', pass: 'web', reconnect: false })),
      tcpOverTcp: await attempt(connect({ port, user: 'tcp', pass: 'tcp', reconnect: false })),
      tcpOverWs: await attempt(wsconnect({ servers: `ws://127.0.0.1:${wsPort}`, user: 'tcp', pass: 'tcp', reconnect: false })),
    }));
    const want = { webOverWs: 'connected', webOverTcp: 'Authorization Violation', tcpOverTcp: 'connected', tcpOverWs: 'Authorization Violation' };
    assert.deepEqual(seen, { natsServer: want, leafgate: want });
  });
});

describe("the websocket block's own authorization and no_auth_user: leafgate vs nats-server", () => {
  describe('a token for WebSocket clients in place of the top-level one', () => {
    const servers = serverPair(`
websocket { host: 127.0.0.1, port: -1, no_tls: true, authorization { token: wstoken } }
authorization { token: tcptoken }
`);
    test('each transport takes its own token only', async () => {
      const seen = await sides(servers(), async (port, wsPort) => ({
        wsOwn: await attempt(wsconnect({ servers: `ws://127.0.0.1:${wsPort}`, token: 'wstoken', reconnect: false })),
        wsTopLevel: await attempt(wsconnect({ servers: `ws://127.0.0.1:${wsPort}`, token: 'tcptoken', reconnect: false })),
        tcpOwn: await attempt(connect({ port, token: 'tcptoken', reconnect: false })),
        tcpWebsocketToken: await attempt(connect({ port, token: 'wstoken', reconnect: false })),
      }));
      const want = { wsOwn: 'connected', wsTopLevel: 'Authorization Violation', tcpOwn: 'connected', tcpWebsocketToken: 'Authorization Violation' };
      assert.deepEqual(seen, { natsServer: want, leafgate: want });
    });
  });

  describe('a no_auth_user for WebSocket clients only', () => {
    const servers = serverPair(
      `
websocket { host: 127.0.0.1, port: -1, no_tls: true, no_auth_user: guest }
accounts { GUESTS: { users: [ { user: guest, password: g } ] }, APP: { users: [ { user: app, password: a } ] } }
`,
      { monitoring: true },
    );
    test('a WebSocket client without credentials is the websocket no_auth_user; over TCP it is refused', async () => {
      const pair = servers();
      const seen = await sides(pair, async (port, wsPort) => {
        const side: Side = pair.natsServer.port === port ? 'natsServer' : 'leafgate';
        const ws = await wsconnect({ servers: `ws://127.0.0.1:${wsPort}`, name: 'anon-ws', reconnect: false });
        try {
          const res = await fetch(`http://127.0.0.1:${pair.httpPort[side]}/connz?auth=1`);
          const c = ((await res.json()) as { connections: Record<string, unknown>[] }).connections.find((x) => x.name === 'anon-ws');
          return { account: c?.account, user: c?.authorized_user, authRequired: ws.info?.auth_required ?? false, tcp: await attempt(connect({ port, reconnect: false })) };
        } finally {
          await ws.close();
        }
      });
      const want = { account: 'GUESTS', user: 'guest', authRequired: true, tcp: 'Authorization Violation' };
      assert.deepEqual(seen, { natsServer: want, leafgate: want });
    });
  });
});

const cookieOperator = createOperator();
const cookieSys = createAccount();
const cookieAccount = createAccount();
const COOKIE_LIMITS = { conn: -1, subs: -1, payload: -1, data: -1, leaf: -1, imports: -1, exports: -1, wildcards: true };
const COOKIE_CONF = `
websocket { host: 127.0.0.1, port: -1, no_tls: true, jwt_cookie: my_jwt }
operator: ${await encodeOperator('op', cookieOperator, { system_account: cookieSys.getPublicKey() })}
resolver: MEMORY
resolver_preload: {
  ${cookieSys.getPublicKey()}: ${await encodeAccount('SYS', cookieSys, { limits: COOKIE_LIMITS } as Partial<Account>, { signer: cookieOperator })}
  ${cookieAccount.getPublicKey()}: ${await encodeAccount('A', cookieAccount, { limits: COOKIE_LIMITS } as Partial<Account>, { signer: cookieOperator })}
}
`;

describe('a user JWT in the websocket jwt_cookie (operator mode): leafgate vs nats-server', () => {
  const servers = serverPair(COOKIE_CONF);

  test('CONNECT without a JWT takes the cookie; without the cookie it is refused', async () => {
    const user = createUser();
    const jwt = await encodeUser('u', user, cookieAccount);
    /** A raw WebSocket client: CONNECT with only the nonce's signature, and the first answer. */
    const login = async (wsPort: number, headers: Record<string, string>): Promise<string> => {
      const ws = new WebSocket(`ws://127.0.0.1:${wsPort}`, { headers });
      const info = await new Promise<Buffer>((resolve, reject) => ws.once('message', resolve).once('error', reject));
      const nonce = (JSON.parse(info.toString().slice(5)) as { nonce: string }).nonce;
      ws.send(Buffer.from(`CONNECT ${JSON.stringify({ verbose: false, sig: Buffer.from(user.sign(Buffer.from(nonce))).toString('base64url') })}\r\nPING\r\n`));
      const answer = await new Promise<Buffer>((resolve) => ws.once('message', resolve));
      ws.terminate();
      return answer.toString();
    };
    const seen = await sides(servers(), async (_port, wsPort) => ({
      withCookie: await login(wsPort, { Cookie: `theme=dark; my_jwt=${jwt}` }),
      withoutCookie: await login(wsPort, {}),
    }));
    const want = { withCookie: 'PONG\r\n', withoutCookie: "-ERR 'Authorization Violation'\r\n" };
    assert.deepEqual(seen, { natsServer: want, leafgate: want });
  });
});
