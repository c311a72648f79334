import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Permissions } from '../../../src/core/index.js';
import type { PermissionRules } from '../../../src/core/index.js';

interface PublishCase {
  readonly name: string;
  readonly rules: PermissionRules;
  readonly allowed: readonly string[];
  readonly denied: readonly string[];
}

const publishCases: readonly PublishCase[] = [
  { name: 'no rules allow everything', rules: {}, allowed: ['foo', 'foo.bar', '$JS.API.INFO', '_INBOX.x'], denied: [] },
  {
    name: 'allow list',
    rules: { publish: { allow: ['foo.*', 'bar', 'baz.>'] } },
    allowed: ['foo.x', 'bar', 'baz.a', 'baz.a.b'],
    denied: ['foo', 'foo.x.y', 'bar.x', 'baz', 'qux'],
  },
  { name: 'deny list', rules: { publish: { deny: ['foo.secret', 'admin.>'] } }, allowed: ['foo.public', 'foo', 'admin'], denied: ['foo.secret', 'admin.x', 'admin.x.y'] },
  {
    name: 'deny overrides allow',
    rules: { publish: { allow: ['foo.>'], deny: ['foo.secret.>'] } },
    allowed: ['foo.a', 'foo.secret', 'foo.a.secret.b'],
    denied: ['foo.secret.x', 'foo.secret.x.y', 'bar'],
  },
  { name: 'empty allow list allows nothing', rules: { publish: { allow: [] } }, allowed: [], denied: ['foo', 'bar.baz'] },
  { name: 'subscribe rules do not limit publishing', rules: { subscribe: { allow: ['foo'], deny: ['bar'] } }, allowed: ['foo', 'bar', 'baz'], denied: [] },
];

for (const c of publishCases) {
  test(`canPublish: ${c.name}`, () => {
    const p = new Permissions(c.rules);
    for (let round = 0; round < 2; round++) {
      for (const s of c.allowed) assert.equal(p.canPublish(s), true, `${s} allowed (round ${round})`);
      for (const s of c.denied) assert.equal(p.canPublish(s), false, `${s} denied (round ${round})`);
    }
  });
}

test('canPublish: results stay right past the cache bound', () => {
  const p = new Permissions({ publish: { allow: ['ok.*'], deny: ['ok.13'] } });
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 3000; i++) {
      assert.equal(p.canPublish(`ok.${i}`), i !== 13, `ok.${i}`);
      assert.equal(p.canPublish(`no.${i}`), false, `no.${i}`);
    }
  }
});

interface SubscribeCase {
  readonly name: string;
  readonly rules: PermissionRules;
  /** [subject, queue, allowed] */
  readonly checks: readonly [string, string | null, boolean][];
}

const subscribeCases: readonly SubscribeCase[] = [
  { name: 'no rules allow everything', rules: {}, checks: [['foo', null, true], ['>', null, true], ['foo', 'q', true]] },
  {
    name: 'allow list without queues covers plain and queue subscriptions',
    rules: { subscribe: { allow: ['foo.*', 'bar.>'] } },
    checks: [
      ['foo.x', null, true],
      ['foo.x', 'q', true],
      ['foo.*', null, true],
      ['bar.a.b', null, true],
      ['foo', null, false],
      ['foo.x.y', null, false],
      ['baz', 'q', false],
      ['>', null, false],
    ],
  },
  {
    name: 'deny list without queues covers plain and queue subscriptions',
    rules: { subscribe: { deny: ['foo.secret', 'admin.>'] } },
    checks: [
      ['foo.secret', null, false],
      ['foo.secret', 'q', false],
      ['admin.x', null, false],
      ['foo.public', null, true],
      ['admin', null, true],
    ],
  },
  {
    name: 'allow entry with a queue allows only that queue',
    rules: { subscribe: { allow: ['foo queue1'] } },
    checks: [
      ['foo', null, false],
      ['foo', 'queue1', true],
      ['foo', 'queue2', false],
      ['bar', 'queue1', false],
    ],
  },
  {
    name: 'allow entry with a wildcard queue',
    rules: { subscribe: { allow: ['foo.* v1.*'] } },
    checks: [
      ['foo.x', 'v1.a', true],
      ['foo.x', 'v1.*', true],
      ['foo.x', 'v2', false],
      ['foo.x', 'v1', false],
      ['foo.x', null, false],
    ],
  },
  {
    // nats-server 2.9.10 (verified): a queue entry matching the subject restricts queue subscriptions to its queue
    // even when a plain entry also matches.
    name: 'allow entries for a subject with and without a queue',
    rules: { subscribe: { allow: ['foo', 'foo bar'] } },
    checks: [
      ['foo', null, true],
      ['foo', 'bar', true],
      ['foo', 'baz', false],
    ],
  },
  {
    name: 'deny entry with a queue denies only that queue',
    rules: { subscribe: { deny: ['foo bar'] } },
    checks: [
      ['foo', null, true],
      ['foo', 'bar', false],
      ['foo', 'baz', true],
    ],
  },
  {
    // nats-server 2.9.10 (verified): for a queue subscription a matching queue deny entry decides, even when a plain
    // deny entry also matches.
    name: 'deny entries for a subject with and without a queue',
    rules: { subscribe: { deny: ['foo', 'foo bar'] } },
    checks: [
      ['foo', null, false],
      ['foo', 'bar', false],
      ['foo', 'baz', true],
    ],
  },
  {
    name: 'allow and deny together',
    rules: { subscribe: { allow: ['foo.>'], deny: ['foo.secret'] } },
    checks: [
      ['foo.a', null, true],
      ['foo.secret', null, false],
      ['foo.secret', 'q', false],
      ['bar', null, false],
    ],
  },
  { name: 'publish rules do not limit subscribing', rules: { publish: { allow: ['x'] } }, checks: [['foo', null, true], ['foo', 'q', true]] },
];

for (const c of subscribeCases) {
  test(`canSubscribe: ${c.name}`, () => {
    const p = new Permissions(c.rules);
    for (const [subject, queue, allowed] of c.checks) {
      assert.equal(p.canSubscribe(subject, queue), allowed, `${subject} ${queue ?? '(no queue)'}`);
    }
  });
}

test('deniesDelivery: subscribe deny entries without a queue filter delivered subjects', () => {
  const p = new Permissions({ subscribe: { allow: ['>'], deny: ['foo.secret', 'bar.*', 'baz q'] } });
  assert.equal(p.filtersDelivery, true);
  const cases: [string, boolean][] = [
    ['foo.secret', true],
    ['foo.public', false],
    ['bar.x', true],
    ['bar', false],
    ['bar.x.y', false],
    ['baz', false],
  ];
  for (let round = 0; round < 2; round++) {
    for (const [subject, denied] of cases) assert.equal(p.deniesDelivery(subject), denied, `${subject} (round ${round})`);
  }
});

test('deniesDelivery: without subscribe deny entries nothing is filtered', () => {
  for (const rules of [{}, { subscribe: { allow: ['foo'] } }, { publish: { deny: ['foo'] } }] as PermissionRules[]) {
    const p = new Permissions(rules);
    assert.equal(p.filtersDelivery, false);
    assert.equal(p.deniesDelivery('foo'), false);
  }
});

const RESPONSES = { max: 1, expiresMs: 60_000 };

test('allow_responses: without a publish allow list only granted replies are publishable', () => {
  const p = new Permissions({ allowResponses: RESPONSES });
  assert.equal(p.grantsResponses, true);
  assert.equal(p.canPublish('foo'), false);
  assert.equal(p.canPublish('_INBOX.a'), false);
  p.grantResponse('_INBOX.a', Date.now());
  assert.equal(p.canPublish('_INBOX.a'), true, 'first reply');
  assert.equal(p.canPublish('_INBOX.a'), false, 'max 1 used up');
  assert.equal(p.canPublish('_INBOX.b'), false, 'never granted');
});

test('allow_responses: max counts replies', () => {
  const p = new Permissions({ allowResponses: { max: 3, expiresMs: 60_000 } });
  p.grantResponse('r', Date.now());
  assert.deepEqual([1, 2, 3, 4].map(() => p.canPublish('r')), [true, true, true, false]);
});

test('allow_responses: a negative max is unlimited', () => {
  const p = new Permissions({ allowResponses: { max: -1, expiresMs: 60_000 } });
  p.grantResponse('r', Date.now());
  for (let i = 0; i < 100; i++) assert.equal(p.canPublish('r'), true, `reply ${i}`);
});

test('allow_responses: an expired grant allows nothing', () => {
  const p = new Permissions({ allowResponses: { max: 5, expiresMs: 1000 } });
  p.grantResponse('old', Date.now() - 10_000);
  p.grantResponse('fresh', Date.now());
  assert.equal(p.canPublish('old'), false);
  assert.equal(p.canPublish('fresh'), true);
});

test('allow_responses: a new grant for the same reply restarts its count and expiry', () => {
  const p = new Permissions({ allowResponses: { max: 1, expiresMs: 1000 } });
  p.grantResponse('r', Date.now());
  assert.equal(p.canPublish('r'), true);
  assert.equal(p.canPublish('r'), false);
  p.grantResponse('r', Date.now());
  assert.equal(p.canPublish('r'), true);
  p.grantResponse('r', Date.now() - 10_000);
  assert.equal(p.canPublish('r'), false, 'regranted in the past');
});

test('allow_responses: with a publish allow list, allowed subjects stay allowed and do not use grants', () => {
  const p = new Permissions({ publish: { allow: ['foo'] }, allowResponses: RESPONSES });
  p.grantResponse('foo', Date.now());
  for (let i = 0; i < 3; i++) assert.equal(p.canPublish('foo'), true);
  assert.equal(p.canPublish('bar'), false);
  p.grantResponse('bar', Date.now());
  assert.equal(p.canPublish('bar'), true);
  assert.equal(p.canPublish('bar'), false);
});

test('allow_responses: a grant opens a reply subject the deny list covers', () => {
  const p = new Permissions({ publish: { deny: ['_INBOX.>'] }, allowResponses: RESPONSES });
  assert.equal(p.canPublish('other'), false, 'a deny list is no allow list: only replies are publishable');
  assert.equal(p.canPublish('_INBOX.x'), false);
  p.grantResponse('_INBOX.x', Date.now());
  assert.equal(p.canPublish('_INBOX.x'), true);
  assert.equal(p.canPublish('_INBOX.x'), false);
});

test('allow_responses: a denied result cached before the grant does not hide it, a used grant does not stick', () => {
  const p = new Permissions({ publish: { allow: ['foo'] }, allowResponses: { max: 2, expiresMs: 60_000 } });
  for (let i = 0; i < 3; i++) assert.equal(p.canPublish('reply'), false);
  p.grantResponse('reply', Date.now());
  assert.equal(p.canPublish('reply'), true);
  assert.equal(p.canPublish('reply'), true);
  for (let i = 0; i < 3; i++) assert.equal(p.canPublish('reply'), false);
});

test('allow_responses: many outstanding grants each work', () => {
  const p = new Permissions({ allowResponses: RESPONSES });
  const now = Date.now();
  for (let i = 0; i < 1500; i++) p.grantResponse(`old.${i}`, now - 120_000);
  for (let i = 0; i < 3000; i++) p.grantResponse(`r.${i}`, now);
  for (let i = 0; i < 3000; i++) assert.equal(p.canPublish(`r.${i}`), true, `r.${i}`);
  for (let i = 0; i < 1500; i += 100) assert.equal(p.canPublish(`old.${i}`), false, `old.${i}`);
  for (let i = 0; i < 3000; i += 100) assert.equal(p.canPublish(`r.${i}`), false, `r.${i} used`);
});

test('grantResponse without allow_responses grants nothing', () => {
  const p = new Permissions({ publish: { allow: ['foo'] } });
  assert.equal(p.grantsResponses, false);
  p.grantResponse('bar', Date.now());
  assert.equal(p.canPublish('bar'), false);
  assert.equal(p.canPublish('foo'), true);
});

test('allow_responses: past 4096 outstanding grants the oldest goes; a grant given again is young', () => {
  const p = new Permissions({ allowResponses: { max: 1, expiresMs: 60_000 } });
  const now = Date.now();
  for (let i = 0; i < 4096; i++) p.grantResponse(`r.${i}`, now);
  p.grantResponse('r.0', now);
  p.grantResponse('r.4096', now);
  assert.equal(p.canPublish('r.1'), false, 'the oldest grant was evicted');
  for (const reply of ['r.0', 'r.2', 'r.4095', 'r.4096']) assert.equal(p.canPublish(reply), true, reply);
  assert.equal(p.canPublish('r.2'), false, 'max 1: a grant is used up');
});

test('allow_responses: at the limit expired grants make room before any live one is evicted', () => {
  const p = new Permissions({ allowResponses: { max: -1, expiresMs: 60_000 } });
  const now = Date.now();
  for (let i = 0; i < 10; i++) p.grantResponse(`expired.${i}`, now - 120_000);
  for (let i = 0; i < 4086; i++) p.grantResponse(`live.${i}`, now);
  for (let i = 0; i < 10; i++) p.grantResponse(`new.${i}`, now);
  for (const reply of ['live.0', 'live.4085', 'new.0', 'new.9']) assert.equal(p.canPublish(reply), true, reply);
  assert.equal(p.canPublish('live.0'), true, 'max -1: no limit on responses');
  assert.equal(p.canPublish('expired.0'), false);
});
