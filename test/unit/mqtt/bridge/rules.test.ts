// A bridge's rules: remote topics to local subjects and back, wildcards carried over in order, each
// piece converted as the MQTT listener converts names, and the rules that cannot work refused.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BridgeRuleError, InRule, OutRule } from '../../../../src/mqtt/bridge/rules.js';

const inRule = (remote: string, local?: string): InRule => new InRule('b', { remote, ...(local !== undefined && { local }), qos: 1 });
const outRule = (local: string, remote?: string): OutRule => new OutRule('b', { local, ...(remote !== undefined && { remote }), qos: 1, retain: false });

test('in: without a local subject each topic keeps the name the MQTT listener gives it', () => {
  const r = inRule('sensors/#');
  assert.equal(r.subjectOf('sensors/kitchen/temp'), 'sensors.kitchen.temp');
  assert.equal(r.subjectOf('sensors/a.b'), 'sensors.a//b');
  assert.equal(r.subjectOf('sensors//x'), 'sensors./.x');
});

test('in: wildcards map in order, `#` taking the rest, and nothing when it matched the parent', () => {
  const r = inRule('site/+/cmd/#', 'edge.*.commands.>');
  assert.ok(r.matches('site/dev1/cmd/reboot/now'));
  assert.ok(!r.matches('other/dev1/cmd/x'));
  assert.equal(r.subjectOf('site/dev1/cmd/reboot/now'), 'edge.dev1.commands.reboot.now');
  assert.equal(r.subjectOf('site/dev1/cmd'), 'edge.dev1.commands');
  assert.equal(r.subjectOf('site//cmd/x'), 'edge./.commands.x');
});

test('in: a literal local subject takes every matching topic', () => {
  assert.equal(inRule('a/+/b', 'one.place').subjectOf('a/x/b'), 'one.place');
});

test('in: a topic with no subject form is not published', () => {
  assert.equal(inRule('a/+', 'x.*').subjectOf('a/with space'), null);
  assert.equal(inRule('a/#').subjectOf('a/with space'), null);
});

test('out: subjects map to topics, wildcards in order, or as the listener names them', () => {
  assert.equal(outRule('sensors.>').topicOf('sensors.kitchen.temp'), 'sensors/kitchen/temp');
  assert.equal(outRule('sensors.*.temp.>', 'site1/+/t/#').topicOf('sensors.hall.temp.c.now'), 'site1/hall/t/c/now');
  assert.equal(outRule('a.*', 'fixed/topic').topicOf('a.b'), 'fixed/topic');
  assert.equal(outRule('a.>').topicOf('a.x//y'), 'a/x.y');
});

test('rules whose wildcards do not correspond are refused with the bridge named', () => {
  assert.throws(() => inRule('a/#', 'x.*'), (e: unknown) => e instanceof BridgeRuleError && /mqtt bridge "b": in local "x\.\*" must have the wildcards of remote "a\/#"/.test(e.message));
  assert.throws(() => inRule('a/+/+', 'x.*'), BridgeRuleError);
  assert.throws(() => outRule('a.>', 'x/+'), /out remote "x\/\+" must have the wildcards of local "a\.>"/);
  assert.throws(() => outRule('a.*.b', 'x/#/y'), /is not a topic/);
  assert.throws(() => inRule('a/#/b'), /in remote "a\/#\/b" is not a topic filter/);
  assert.throws(() => inRule('$share/g/a'), /is not a topic filter/);
  assert.throws(() => outRule('a..b'), /out local "a\.\.b" is not a subject/);
  assert.throws(() => inRule('a', 'x..y'), /in local "x\.\.y" is not a subject/);
});
