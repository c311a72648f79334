// Core's seams for links to other servers, without sockets: interest told to each link as it changes
// (counted per link, its own subscriptions left out), and the router's policy toward links (one copy
// per link, queue groups listed, local members first, nothing back where it came from).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';

import { ConnectionKind, LinkConnection, Subscription } from '../../../src/core/index.js';
import type { Account, InterestFeed, InterestTally, Router } from '../../../src/core/index.js';
import { NatsParser } from '../../../src/protocol/nats/index.js';
import type { LeafOpHandler, PubFrame } from '../../../src/protocol/nats/index.js';
import { memoryClient, testRouter } from './socketless.js';

/** A link whose output is kept as text, whose interest changes are recorded, and which can take LMSG as its peer sent them. */
class TestLink extends LinkConnection implements InterestFeed, LeafOpHandler {
  readonly changes: string[] = [];
  private written = '';
  private readonly router: Router;
  private tally: InterestTally | null = null;
  private readonly parser: NatsParser;

  constructor(router: Router, account: Account) {
    super(router.newLinkCid(), ConnectionKind.Leaf);
    this.router = router;
    this.headers = true;
    this.bindAccount(account, '', undefined);
    this.parser = new NatsParser(this, 1 << 20, 1 << 20, true);
  }

  attach(fixed: readonly string[] = []): void {
    this.tally = (this.account as Account).feedInterest(this, fixed);
  }

  label(): string {
    return `link ${this.cid}`;
  }

  get pendingBytes(): number {
    return this.outbound.pendingBytes;
  }

  flushOutbound(): void {
    const sink = { data: [] as Buffer[], write: (b: Buffer) => (sink.data.push(Buffer.from(b)), true), cork() {}, uncork() {}, writableLength: 0 };
    this.outbound.flushTo(sink);
    this.written += Buffer.concat(sink.data).toString('latin1');
  }

  pauseInput(): void {}
  resumeInput(): void {}

  close(reason: string): void {
    this.closed = true;
    this.closeReason = reason;
    this.tally?.stop();
    this.removeAllSubs();
  }

  counts(sub: Subscription): boolean {
    return sub.conn !== this;
  }

  changed(subject: string, queue: string | null, total: number): void {
    this.changes.push(`${total > 0 ? '+' : '-'}${subject}${queue === null ? '' : ` ${queue}${total > 0 ? ` ${total}` : ''}`}`);
  }

  /** The peer's LS+/LS-/LMSG, as it would send them. */
  peer(text: string): void {
    this.parser.parse(Buffer.from(text, 'latin1'));
  }

  onLeafSub(subject: string, queue: string | null, weight: number): void {
    this.remoteSub(subject, queue, weight);
  }

  onLeafUnsub(subject: string, queue: string | null): void {
    this.remoteUnsub(subject, queue);
  }

  onPub(frame: PubFrame): void {
    this.router.route(this, frame);
  }

  onConnect(): void {}
  onInfo(): void {}
  onErr(): void {}
  onPing(): void {}
  onPong(): void {}
  onParseError(kind: number): void {
    throw new Error(`parse error ${kind}`);
  }

  /** What went out over the link since the last call, after this turn's flush. */
  async sent(): Promise<string> {
    await turn();
    const out = this.written;
    this.written = '';
    return out;
  }
}

test('interest: the initial burst, then first and last of each subject and every queue weight change', async (t) => {
  const router = testRouter(t);
  const acc = router.globalAccount();
  const a = await memoryClient(router);
  a.send('SUB foo 1\r\nSUB foo 2\r\nSUB bar q 3\r\n');
  const link = new TestLink(router, acc);
  link.attach(['$LDS.test']);
  assert.deepEqual(link.changes.sort(), ['+$LDS.test', '+bar q 1', '+foo']);
  link.changes.length = 0;
  a.send('SUB bar q 4\r\nSUB baz 5\r\nUNSUB 1\r\n');
  assert.deepEqual(link.changes, ['+bar q 2', '+baz'], 'a second foo subscriber is not news; its leaving is not either');
  a.send('UNSUB 2\r\nUNSUB 3\r\n');
  assert.deepEqual(link.changes, ['+bar q 2', '+baz', '-foo', '+bar q 1']);
});

test('interest: a link never counts its own remote subscriptions, while other links hear of them with their weight', async (t) => {
  const router = testRouter(t);
  const acc = router.globalAccount();
  const one = new TestLink(router, acc);
  const two = new TestLink(router, acc);
  one.attach();
  two.attach();
  one.peer('LS+ remote.x\r\nLS+ work w 3\r\n');
  assert.deepEqual(one.changes, []);
  assert.deepEqual(two.changes, ['+remote.x', '+work w 3']);
  one.peer('LS+ work w 5\r\nLS- remote.x\r\n');
  assert.deepEqual(two.changes, ['+remote.x', '+work w 3', '+work w 5', '-remote.x']);
  one.close('gone');
  assert.deepEqual(two.changes.at(-1), '-work w');
});

test('delivery: one copy per link however many of its subscriptions match', async (t) => {
  const router = testRouter(t);
  const link = new TestLink(router, router.globalAccount());
  link.peer('LS+ foo.*\r\nLS+ foo.>\r\nLS+ foo.bar\r\n');
  const pub = await memoryClient(router);
  pub.send('PUB foo.bar reply.1 2\r\nhi\r\n');
  assert.equal(await link.sent(), 'LMSG foo.bar reply.1 2\r\nhi\r\n');
});

test('delivery: a queue group prefers a local member; with none, the link gets the message with the group listed', async (t) => {
  const router = testRouter(t);
  const link = new TestLink(router, router.globalAccount());
  link.peer('LS+ jobs workers 2\r\nLS+ jobs audit 1\r\n');
  const local = await memoryClient(router);
  local.send('SUB jobs workers 1\r\n');
  const pub = await memoryClient(router);
  for (let i = 0; i < 20; i++) pub.send('PUB jobs 1\r\nx\r\n');
  const sent = await link.sent();
  assert.equal(sent, 'LMSG jobs | audit 1\r\nx\r\n'.repeat(20), 'workers stay local, audit has no local member');
  assert.equal((await local.received()).split('MSG jobs 1 1').length - 1, 20);
  local.send('UNSUB 1\r\n');
  pub.send('PUB jobs r.2 1\r\ny\r\n');
  assert.equal(await link.sent(), 'LMSG jobs + r.2 workers audit 1\r\ny\r\n');
});

test('delivery: a message from a link goes to the groups it lists only, and never back over that link', async (t) => {
  const router = testRouter(t);
  const acc = router.globalAccount();
  const from = new TestLink(router, acc);
  const other = new TestLink(router, acc);
  from.peer('LS+ jobs\r\nLS+ jobs workers 1\r\n');
  other.peer('LS+ jobs\r\n');
  const local = await memoryClient(router);
  local.send('SUB jobs workers 1\r\nSUB jobs audit 2\r\n');
  await local.received();
  from.peer('LMSG jobs | workers 1\r\na\r\n');
  from.peer('LMSG jobs 1\r\nb\r\n');
  const got = await local.received();
  assert.match(got, /MSG jobs 1 1\r\na\r\n/);
  assert.doesNotMatch(got, /MSG jobs 2/, 'audit was not listed');
  assert.doesNotMatch(got, /\r\nb\r\n/, 'a plain message reaches no queue group');
  assert.equal(await from.sent(), '', 'nothing goes back where it came from');
  assert.equal(await other.sent(), 'LMSG jobs 1\r\na\r\nLMSG jobs 1\r\nb\r\n');
});

test('delivery: headers are dropped for a link that did not negotiate them', async (t) => {
  const router = testRouter(t);
  const link = new TestLink(router, router.globalAccount());
  link.peer('LS+ h\r\n');
  const pub = await memoryClient(router);
  pub.send('CONNECT {"headers":true,"verbose":false}\r\nHPUB h 12 14\r\nNATS/1.0\r\n\r\nhi\r\n');
  assert.equal(await link.sent(), 'HMSG h 12 14\r\nNATS/1.0\r\n\r\nhi\r\n');
  link.headers = false;
  pub.send('HPUB h 12 14\r\nNATS/1.0\r\n\r\nhi\r\n');
  assert.equal(await link.sent(), 'LMSG h 2\r\nhi\r\n');
});
