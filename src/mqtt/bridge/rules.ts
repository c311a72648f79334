// A bridge's rules: which remote topics come in as which local subjects, and which local subjects go
// out as which remote topics. A side given without wildcards is a fixed name; a side given with them
// takes the other side's wildcard matches in order (`+`/`*` one level or token, `#`/`>` the rest), and
// each matched piece is converted as the MQTT listener converts topics and subjects. A side left out
// is the other side under that same conversion, so a bridged message has the name an MQTT client of
// leafgate would see.

import { filterToSubject, subjectToTopic, topicMatchesFilter, topicToSubject } from '../../protocol/mqtt/index.js';
import { isValidSubscribeSubject, subjectFromText } from '../../util/index.js';

/** A rule that cannot work, found at start; the message names the bridge and the rule. */
export class BridgeRuleError extends Error {
  constructor(bridge: string, message: string) {
    super(`mqtt bridge ${JSON.stringify(bridge)}: ${message}`);
    this.name = 'BridgeRuleError';
  }
}

export interface InRuleSpec {
  readonly remote: string;
  readonly local?: string;
  readonly qos: 0 | 1;
}

export interface OutRuleSpec {
  readonly local: string;
  readonly remote?: string;
  readonly qos: 0 | 1;
  readonly retain: boolean;
}

/** Remote topics matching `filter` become local subjects. */
export class InRule {
  readonly filter: string;
  readonly qos: 0 | 1;
  private readonly filterLevels: readonly string[];
  /** The local subject's tokens (internal encoding); null: each topic's own subject. */
  private readonly template: readonly string[] | null;

  constructor(bridge: string, spec: InRuleSpec) {
    this.filter = spec.remote;
    this.qos = spec.qos;
    if (typeof filterToSubject(spec.remote) !== 'string' || spec.remote.startsWith('$share/')) throw new BridgeRuleError(bridge, `in remote ${JSON.stringify(spec.remote)} is not a topic filter`);
    this.filterLevels = spec.remote.split('/');
    this.template = null;
    if (spec.local !== undefined) {
      const local = subjectFromText(spec.local);
      if (!isValidSubscribeSubject(local)) throw new BridgeRuleError(bridge, `in local ${JSON.stringify(spec.local)} is not a subject`);
      this.template = local.split('.');
      checkWildcards(bridge, this.filterLevels, this.template, ['+', '#'], ['*', '>'], `in local ${JSON.stringify(spec.local)}`, `remote ${JSON.stringify(spec.remote)}`);
    }
  }

  matches(topic: string): boolean {
    return topicMatchesFilter(topic, this.filter);
  }

  /** The local subject of a remote topic this rule matches; null when the topic has no subject form. */
  subjectOf(topic: string): string | null {
    if (this.template === null) return asSubject(topicToSubject(topic));
    const levels = topic.split('/');
    // null: `a/#` matched `a` itself, and nothing is left for `>`.
    const pieces: Array<string | null> = [];
    for (let i = 0; i < this.filterLevels.length; i++) {
      const f = this.filterLevels[i];
      if (f === '+') pieces.push(levels[i]);
      else if (f === '#') pieces.push(i < levels.length ? levels.slice(i).join('/') : null);
    }
    let piece = 0;
    const out: string[] = [];
    for (const token of this.template) {
      if (token !== '*' && token !== '>') {
        out.push(token);
        continue;
      }
      const level = pieces[piece++];
      if (level === null) continue;
      const converted = level === '' ? '/' : asSubject(topicToSubject(level));
      if (converted === null) return null;
      out.push(converted);
    }
    return out.length === 0 ? null : out.join('.');
  }
}

/** Local subjects matching `subject` become remote topics. */
export class OutRule {
  /** The local subscription (internal encoding). */
  readonly subject: string;
  readonly qos: 0 | 1;
  readonly retain: boolean;
  private readonly subjectTokens: readonly string[];
  /** The remote topic's levels; null: each subject's own topic. */
  private readonly template: readonly string[] | null;

  constructor(bridge: string, spec: OutRuleSpec) {
    this.subject = subjectFromText(spec.local);
    this.qos = spec.qos;
    this.retain = spec.retain;
    if (!isValidSubscribeSubject(this.subject)) throw new BridgeRuleError(bridge, `out local ${JSON.stringify(spec.local)} is not a subject`);
    this.subjectTokens = this.subject.split('.');
    this.template = null;
    if (spec.remote !== undefined) {
      if (typeof filterToSubject(spec.remote) !== 'string') throw new BridgeRuleError(bridge, `out remote ${JSON.stringify(spec.remote)} is not a topic`);
      this.template = spec.remote.split('/');
      checkWildcards(bridge, this.subjectTokens, this.template, ['*', '>'], ['+', '#'], `out remote ${JSON.stringify(spec.remote)}`, `local ${JSON.stringify(spec.local)}`);
    }
  }

  /** The remote topic of a local subject this rule's subscription delivered. */
  topicOf(subject: string): string {
    if (this.template === null) return subjectToTopic(subject);
    const tokens = subject.split('.');
    const pieces: string[] = [];
    for (let i = 0; i < this.subjectTokens.length; i++) {
      const s = this.subjectTokens[i];
      if (s === '*') pieces.push(tokens[i]);
      else if (s === '>') pieces.push(tokens.slice(i).join('.'));
    }
    let piece = 0;
    return this.template.map((level) => (level === '+' || level === '#' ? subjectToTopic(pieces[piece++]) : level)).join('/');
  }
}

function asSubject(converted: string | number): string | null {
  return typeof converted === 'string' ? converted : null;
}

/** The target side has no wildcards, or the source's in the same order. */
function checkWildcards(bridge: string, source: readonly string[], target: readonly string[], sourceWild: readonly [string, string], targetWild: readonly [string, string], targetName: string, sourceName: string): void {
  const targetKinds = target.filter((t) => t === targetWild[0] || t === targetWild[1]).map((t) => (t === targetWild[0] ? 1 : 2));
  if (targetKinds.length === 0) return;
  const sourceKinds = source.filter((t) => t === sourceWild[0] || t === sourceWild[1]).map((t) => (t === sourceWild[0] ? 1 : 2));
  if (targetKinds.join() !== sourceKinds.join()) throw new BridgeRuleError(bridge, `${targetName} must have the wildcards of ${sourceName} in the same order, or none`);
}
