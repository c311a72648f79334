// An HTTP CONNECT proxy of our own for tests, on a loopback port: it opens a TCP tunnel to the host
// a CONNECT names (loopback only), optionally asking for Basic credentials, and counts its tunnels.

import net from 'node:net';
import type { TestContext } from 'node:test';

export interface HttpProxy {
  readonly port: number;
  /** Tunnels opened so far, by target. */
  readonly tunnels: string[];
}

export async function startHttpProxy(t: TestContext, auth?: { username: string; password: string }): Promise<HttpProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      const lines = head.toString('latin1', 0, end).split('\r\n');
      const m = /^CONNECT (127\.0\.0\.1|localhost):(\d+) HTTP\/1\.[01]$/.exec(lines[0] ?? '');
      if (m === null) return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      const expected = auth === undefined ? null : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
      const given = lines.find((l) => l.toLowerCase().startsWith('proxy-authorization:'))?.slice('proxy-authorization:'.length).trim();
      if (expected !== null && given !== expected) return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
      const upstream = net.connect({ host: '127.0.0.1', port: Number(m[2]) }, () => {
        tunnels.push(`${m[1]}:${m[2]}`);
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        const rest = head.subarray(end + 4);
        if (rest.length > 0) upstream.write(rest);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      sockets.add(upstream);
      upstream.on('close', () => {
        sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
      client.on('close', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return { port: (server.address() as net.AddressInfo).port, tunnels };
}
