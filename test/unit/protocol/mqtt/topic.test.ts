// MQTT topics and filters <-> NATS subjects, as nats-server 2.10+ converts them (mqtt-mapping.md §2).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TopicProblem, filterToSubject, parentOfFullWildcard, subjectToTopic, topicMatchesFilter, topicToSubject } from '../../../../src/protocol/mqtt/index.js';
import { subjectFromText } from '../../../../src/util/index.js';

const TOPICS: ReadonlyArray<readonly [string, string]> = [
  ['a/b/c', 'a.b.c'],
  ['/a', '/.a'],
  ['a/', 'a./'],
  ['a//b', 'a./.b'],
  ['/', '/./'],
  ['//', '/././'],
  ['$SYS/x', '$SYS.x'],
  ['a.b', 'a//b'],
  ['v1.2/x', 'v1//2.x'],
  ['plain', 'plain'],
  ['température/salle', subjectFromText('température.salle')],
];

test('topic names become subjects and come back unchanged', () => {
  for (const [topic, subject] of TOPICS) {
    assert.equal(topicToSubject(topic), subject, topic);
    assert.equal(subjectToTopic(subject), topic, subject);
  }
});

test('filters: + and # become * and >, wildcards must stand alone in their level, # last', () => {
  assert.equal(filterToSubject('a/+/c'), 'a.*.c');
  assert.equal(filterToSubject('a/#'), 'a.>');
  assert.equal(filterToSubject('#'), '>');
  assert.equal(filterToSubject('+'), '*');
  assert.equal(filterToSubject('a+/b'), TopicProblem.BadWildcard);
  assert.equal(filterToSubject('a/#/b'), TopicProblem.BadWildcard);
  assert.equal(filterToSubject('a/b#'), TopicProblem.BadWildcard);
  assert.equal(filterToSubject(''), TopicProblem.Empty);
});

test('topic names refuse wildcards, empty names and characters subjects cannot hold', () => {
  assert.equal(topicToSubject('a/+'), TopicProblem.WildcardInTopic);
  assert.equal(topicToSubject('a/#'), TopicProblem.WildcardInTopic);
  assert.equal(topicToSubject(''), TopicProblem.Empty);
  for (const c of [' ', '\t', '\r', '\n', '\f', '\0', '\x7f']) assert.equal(topicToSubject(`a${c}b`), TopicProblem.UnsupportedCharacter, JSON.stringify(c));
});

test('subjects from NATS publishers: a lone / is dropped, as nats-server 2.10+ does', () => {
  assert.equal(subjectToTopic('a.b/c'), 'a/bc');
  assert.equal(subjectToTopic('_INBOX.abc.1'), '_INBOX/abc/1');
});

test('x/# needs a second subscription on x', () => {
  assert.equal(parentOfFullWildcard('a.>'), 'a');
  assert.equal(parentOfFullWildcard('a.b.>'), 'a.b');
  assert.equal(parentOfFullWildcard('>'), null);
  assert.equal(parentOfFullWildcard('a.*'), null);
});

test('MQTT matching for retained messages: + one level, # the rest and the parent, $ topics only by name', () => {
  const cases: ReadonlyArray<readonly [string, string, boolean]> = [
    ['a/b', 'a/+', true],
    ['a/b/c', 'a/+', false],
    ['a', 'a/#', true],
    ['a/b/c', 'a/#', true],
    ['b', 'a/#', false],
    ['$SYS/x', '#', false],
    ['$SYS/x', '+/x', false],
    ['$SYS/x', '$SYS/#', true],
    ['a//b', 'a/+/b', true],
    ['/a', '+/a', true],
  ];
  for (const [topic, filter, want] of cases) assert.equal(topicMatchesFilter(topic, filter), want, `${topic} ~ ${filter}`);
});
