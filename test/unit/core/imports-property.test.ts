// Property: with random accounts, exports, imports and publishes, every account's subscriber gets
// exactly what was published in its own account plus what its imports bring, under the subjects they
// bring it on; nothing reaches an account that did not import it. The expected deliveries are worked
// out here from the configuration alone, not from the router's structures.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { linkAccounts, subjectMatches } from '../../../src/util/index.js';
import type { AccountLinksSpec, LinkedAccount } from '../../../src/util/index.js';
import { memoryClient, messagesIn, routerConfig, testRouter, usersAuthenticator } from './socketless.js';
import type { MemoryClient } from './socketless.js';

function clientOf(clients: ReadonlyMap<string, MemoryClient>, name: string): MemoryClient {
  const c = clients.get(name);
  assert.ok(c !== undefined, name);
  return c;
}

/** A small deterministic generator, so a failure names the seed that reproduces it. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    s ^= s >>> 12;
    return (s >>> 0) / 2 ** 32;
  };
}

const TOKENS = ['a', 'b', 'c'];

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)] as T;
}

function literal(r: () => number): string {
  const n = 1 + Math.floor(r() * 3);
  return Array.from({ length: n }, () => pick(r, TOKENS)).join('.');
}

function pattern(r: () => number): string {
  const n = 1 + Math.floor(r() * 3);
  const tokens = Array.from({ length: n }, (_, i) => {
    const x = r();
    if (x < 0.15) return '*';
    if (x < 0.25 && i === n - 1) return '>';
    return pick(r, TOKENS);
  });
  return tokens.join('.');
}

function randomSpecs(r: () => number): AccountLinksSpec[] {
  const names = ['A', 'B', 'C', 'D'].slice(0, 2 + Math.floor(r() * 3));
  const specs = names.map((name) => {
    const others = names.filter((n) => n !== name);
    const exported = (): { subject: string; accounts?: string[] } => {
      const subject = pattern(r);
      return r() < 0.3 ? { subject, accounts: others.filter(() => r() < 0.5) } : { subject };
    };
    return { name, streamExports: Array.from({ length: Math.floor(r() * 3) }, exported), serviceExports: Array.from({ length: Math.floor(r() * 3) }, exported) };
  });
  return specs.map((s) => {
    const others = specs.filter((o) => o.name !== s.name);
    const streamImports = Array.from({ length: Math.floor(r() * 4) }, () => {
      const from = pick(r, others);
      // Mostly exported subjects (or narrower ones), sometimes anything: an import no export allows is refused.
      const e = from.streamExports.length > 0 && r() < 0.8 ? pick(r, from.streamExports).subject.replace(/\*/g, () => (r() < 0.5 ? pick(r, TOKENS) : '*')) : pattern(r);
      return { account: from.name, subject: e, ...(r() < 0.5 && { prefix: pick(r, ['p', 'q.r']) }) };
    });
    const serviceImports = Array.from({ length: Math.floor(r() * 3) }, () => {
      const from = pick(r, others);
      const e = from.serviceExports.length > 0 && r() < 0.8 ? pick(r, from.serviceExports).subject : pattern(r);
      const isLiteral = !e.split('.').some((t) => t === '*' || t === '>');
      return { account: from.name, subject: e, ...(isLiteral && r() < 0.5 && { to: `svc.${literal(r)}` }) };
    });
    return { ...s, streamImports, serviceImports };
  });
}

/**
 * What each account's `>` subscriber should get when `acc` publishes `subject` (a multiset of
 * "ACC subject"): its own account's copy; a copy in each account whose stream import covers it, under
 * the import's subject; a copy in each account a service import takes it to, and so on from there
 * (a service import also takes what a stream import brought); a service's copy is not passed on by
 * stream imports, and a publish never crosses the same export twice.
 */
function expected(linked: ReadonlyMap<string, LinkedAccount>, acc: string, subject: string): string[] {
  const out = [`${acc} ${subject}`];
  const viaServices = (from: string, subj: string, crossed: readonly string[]): void => {
    for (const si of linked.get(from)?.serviceImports ?? []) {
      if (!subjectMatches(subj, si.from)) continue;
      const exportKey = `${si.export.account} ${si.export.subject}`;
      if (crossed.includes(exportKey)) continue;
      const to = si.usePub ? subj : si.to;
      out.push(`${si.exporter} ${to}`);
      viaServices(si.exporter, to, [...crossed, exportKey]);
    }
  };
  for (const [name, la] of linked) {
    for (const im of la.streamImports) {
      if (im.exporter !== acc || !subjectMatches(subject, im.from)) continue;
      const delivered = im.to === im.from || im.usePub ? subject : im.transform !== null ? `${im.to.slice(0, im.to.length - im.from.length)}${subject}` : im.to;
      out.push(`${name} ${delivered}`);
      viaServices(name, delivered, []);
    }
  }
  viaServices(acc, subject, []);
  return out.sort();
}

test('random exports, imports and publishes: each account gets its own messages and what it imported, nothing else', async (t) => {
  const CASES = 60;
  for (let seed = 1; seed <= CASES; seed++) {
    const r = rng(seed);
    const specs = randomSpecs(r);
    const { accounts: linked } = linkAccounts(specs);
    const names = specs.map((s) => s.name);
    const cfg = { ...routerConfig(), authenticator: usersAuthenticator(Object.fromEntries(names.map((n) => [n, undefined])), (user) => user), accountNames: names, links: linked };
    const router = testRouter(t, cfg);
    const subs = new Map<string, MemoryClient>();
    const pubs = new Map<string, MemoryClient>();
    for (const name of names) {
      const sub = await memoryClient(router, `{"verbose":false,"user":"${name}"}`);
      sub.send('SUB > 1\r\nPING\r\n');
      const pub = await memoryClient(router, `{"verbose":false,"user":"${name}"}`);
      pub.send('PING\r\n');
      assert.match(await sub.received(), /PONG/);
      assert.match(await pub.received(), /PONG/);
      subs.set(name, sub);
      pubs.set(name, pub);
    }
    for (let i = 0; i < 8; i++) {
      const acc = pick(r, names);
      const subject = literal(r);
      clientOf(pubs, acc).send(`PUB ${subject} 1\r\nx\r\n`);
      const got: string[] = [];
      for (const name of names) {
        for (const m of messagesIn(await clientOf(subs, name).received())) got.push(`${name} ${m.subject}`);
      }
      const want = expected(linked, acc, subject);
      assert.deepEqual(got.sort(), want, `seed ${seed}: ${acc} published ${subject}; links ${JSON.stringify(specs)}`);
    }
    router.closeAll('case over');
  }
});

test('random service imports: an answer reaches only the requester, once, under its own reply subject', async (t) => {
  const CASES = 40;
  for (let seed = 1; seed <= CASES; seed++) {
    const r = rng(1000 + seed);
    const names = ['A', 'B', 'C', 'D'].slice(0, 2 + Math.floor(r() * 3));
    // Exporters export services only and import nothing, so every request crosses one import.
    const exporters = names.filter((_, i) => i % 2 === 0);
    const importers = names.filter((_, i) => i % 2 === 1);
    const specs: AccountLinksSpec[] = [
      ...exporters.map((name) => ({ name, serviceExports: [{ subject: `svc.${name}.*` }] })),
      ...importers.map((name) => ({ name, serviceImports: exporters.map((e) => ({ account: e, subject: `svc.${e}.*`, ...(r() < 0.5 && { to: `call.${e}.*` }) })) })),
    ];
    const { accounts: linked, errors } = linkAccounts(specs);
    assert.deepEqual(errors, []);
    const cfg = { ...routerConfig(), authenticator: usersAuthenticator(Object.fromEntries(names.map((n) => [n, undefined])), (user) => user), accountNames: names, links: linked };
    const router = testRouter(t, cfg);
    const subs = new Map<string, MemoryClient>();
    const pubs = new Map<string, MemoryClient>();
    for (const name of names) {
      const sub = await memoryClient(router, `{"verbose":false,"user":"${name}","headers":true}`);
      sub.send('SUB > 1\r\nPING\r\n');
      const pub = await memoryClient(router, `{"verbose":false,"user":"${name}","headers":true}`);
      pub.send('PING\r\n');
      assert.match(await sub.received(), /PONG/);
      assert.match(await pub.received(), /PONG/);
      subs.set(name, sub);
      pubs.set(name, pub);
    }
    const drain = async (): Promise<Map<string, ReturnType<typeof messagesIn>>> => {
      const got = new Map<string, ReturnType<typeof messagesIn>>();
      for (const name of names) got.set(name, messagesIn(await clientOf(subs, name).received()));
      return got;
    };
    for (let i = 0; i < 6; i++) {
      const requester = pick(r, importers);
      const exporter = pick(r, exporters);
      const si = linked.get(requester)?.serviceImports.find((x) => x.exporter === exporter);
      assert.ok(si !== undefined);
      const subject = si.from.replace('*', pick(r, TOKENS));
      const reply = `_INBOX.${requester}.${i}`;
      clientOf(pubs, requester).send(`PUB ${subject} ${reply} 1\r\nq\r\n`);
      const asked = await drain();
      const request = (asked.get(exporter) ?? []).find((m) => m.reply.startsWith('_R_.'));
      assert.ok(request !== undefined, `seed ${seed}: ${exporter} got the request`);
      assert.equal(request.subject, si.to.replace('*', subject.split('.')[2] as string));
      // The responder answers twice: a singleton service passes the first answer only.
      clientOf(pubs, exporter).send(`PUB ${request.reply} 1\r\na\r\nPUB ${request.reply} 1\r\nb\r\n`);
      const answered = await drain();
      for (const name of names) {
        const seen = (answered.get(name) ?? []).map((m) => `${m.subject} ${m.body}`);
        if (name === requester) assert.deepEqual(seen, [`${reply} a`], `seed ${seed}: the requester's answer`);
        else if (name === exporter) assert.deepEqual(seen, [`${request.reply} a`, `${request.reply} b`], `seed ${seed}: the responder's own account sees its publishes`);
        else assert.deepEqual(seen, [], `seed ${seed}: nothing reaches ${name}`);
      }
    }
    router.closeAll('case over');
  }
});
