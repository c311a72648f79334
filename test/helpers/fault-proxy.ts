// A TCP proxy of our own that breaks the link it carries, for fault tests: between an edge and its
// hub it cuts connections, stalls them, slows them down and half-closes them, at random (seeded, so a
// failing run can be repeated), on loopback only. Without faults it is a gate (no target: refused)
// that counts the bytes it carries, for the benches.

import net from 'node:net';

import { prng } from '../unit/core/prng.js';

export type FaultKind = 'cut' | 'stall' | 'slow' | 'half-close';

export interface FaultProxy {
  readonly port: number;
  /** Where connections go; 0 refuses them until set. */
  target: number;
  /** Faults made so far, by kind. */
  readonly faults: Record<FaultKind, number>;
  /** Bytes carried toward the target and back, over every connection so far. */
  readonly bytes: { toTarget: number; fromTarget: number };
  /** Starts breaking the link every `everyMs` (±50%), until stopChaos(). */
  startChaos(everyMs: number): void;
  stopChaos(): void;
  close(): void;
}

interface Pair {
  readonly client: net.Socket;
  readonly upstream: net.Socket;
  /** While set, chunks wait this long before they are passed on. */
  delayMs: number;
}

export async function startFaultProxy(seed = Date.now()): Promise<FaultProxy & { readonly seed: number }> {
  const random = prng(seed);
  const pairs = new Set<Pair>();
  const faults: Record<FaultKind, number> = { cut: 0, stall: 0, slow: 0, 'half-close': 0 };
  let chaos: NodeJS.Timeout | null = null;
  const bytes = { toTarget: 0, fromTarget: 0 };
  const forward = (from: net.Socket, to: net.Socket, pair: Pair, toTarget: boolean): void => {
    from.on('data', (chunk: Buffer) => {
      if (toTarget) bytes.toTarget += chunk.length;
      else bytes.fromTarget += chunk.length;
      if (pair.delayMs === 0) {
        if (!to.write(chunk)) from.pause();
        return;
      }
      from.pause();
      setTimeout(() => {
        to.write(chunk);
        from.resume();
      }, pair.delayMs);
    });
    to.on('drain', () => from.resume());
    from.on('end', () => to.end());
  };
  const server = net.createServer((client) => {
    if (proxy.target === 0) return void client.destroy();
    const upstream = net.connect({ host: '127.0.0.1', port: proxy.target });
    const pair: Pair = { client, upstream, delayMs: 0 };
    pairs.add(pair);
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    forward(client, upstream, pair, true);
    forward(upstream, client, pair, false);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const breakSomething = (): void => {
    const kinds: FaultKind[] = ['cut', 'stall', 'slow', 'half-close'];
    const kind = kinds[Math.floor(random() * kinds.length)] as FaultKind;
    faults[kind]++;
    for (const pair of [...pairs]) {
      if (kind === 'cut') {
        pair.client.destroy();
        pair.upstream.destroy();
      } else if (kind === 'half-close') {
        pair.client.end();
      } else if (kind === 'stall') {
        pair.client.pause();
        pair.upstream.pause();
        setTimeout(() => {
          pair.client.resume();
          pair.upstream.resume();
        }, 200 + random() * 1300);
      } else {
        pair.delayMs = 5 + Math.floor(random() * 30);
        setTimeout(() => (pair.delayMs = 0), 500 + random() * 1000);
      }
    }
  };
  const proxy = {
    seed,
    port: (server.address() as net.AddressInfo).port,
    target: 0,
    faults,
    bytes,
    startChaos(everyMs: number): void {
      const next = (): void => {
        chaos = setTimeout(() => {
          breakSomething();
          next();
        }, everyMs * (0.5 + random()));
      };
      next();
    },
    stopChaos(): void {
      if (chaos !== null) clearTimeout(chaos);
      chaos = null;
    },
    close(): void {
      proxy.stopChaos();
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      server.close();
    },
  };
  return proxy;
}
