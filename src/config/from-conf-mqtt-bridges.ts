// The mqtt block's `bridges` list: leafgate's own extension, links to other MQTT brokers. Types,
// ranges and required keys are checked here, each message naming the bridge; whether the rules'
// names and wildcards can work is checked when the bridges start (mqtt/bridge/rules.ts).

import type { Field, Issues } from './conf-reader.js';
import { describeNode, fieldOf, itemsOf, lowerCased, readBoolean, readInteger, readString, typeError } from './conf-reader.js';
import type { ConfEntry, ConfMap, ConfNode } from './conf-tree.js';
import { readClientTls, readDuration, readSecondsOrDuration, readSize } from './from-conf-client-tls.js';
import type { ClientTlsConfig, MqttBridgeConfig, MqttBridgeInRule, MqttBridgeOutRule } from './options.js';

const SCHEMES: Readonly<Record<string, string>> = { 'mqtt:': 'mqtt:', 'tcp:': 'mqtt:', 'mqtts:': 'mqtts:', 'ssl:': 'mqtts:', 'tls:': 'mqtts:', 'ws:': 'ws:', 'wss:': 'wss:' };
const NAME = /^[A-Za-z0-9_-]+$/;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** Reads `bridges: [ {...}, ... ]`; problems are reported, and a bridge with any is left out. */
export function readMqttBridges(issues: Issues, entry: ConfEntry): MqttBridgeConfig[] {
  const field = fieldOf(entry);
  const nodes = field.node.kind === 'array' ? itemsOf(field, field.node.items) : [field];
  const out: MqttBridgeConfig[] = [];
  for (const item of nodes) {
    if (item.node.kind !== 'map') {
      typeError(issues, item, 'a map for each bridge');
      continue;
    }
    const bridge = readBridge(issues, item, item.node);
    if (bridge === undefined) continue;
    if (out.some((b) => b.name === bridge.name)) issues.error(item.pos, `mqtt bridge ${JSON.stringify(bridge.name)}: duplicate name`);
    else out.push(bridge);
  }
  return out;
}

function readBridge(issues: Issues, at: Field, map: ConfMap): MqttBridgeConfig | undefined {
  const nameEntry = [...lowerCased(map)].find(([k]) => k === 'name')?.[1];
  if (nameEntry === undefined) {
    issues.error(at.pos, 'mqtt bridge: name is required');
    return undefined;
  }
  const name = readString(issues, fieldOf(nameEntry));
  if (name === undefined) return undefined;
  if (!NAME.test(name)) {
    issues.error(nameEntry.pos, `mqtt bridge ${JSON.stringify(name)}: a name is letters, digits, _ and -`);
    return undefined;
  }
  const errorsBefore = issues.errors.length;
  const fail = (pos: Field['pos'], message: string): void => issues.error(pos, `mqtt bridge ${JSON.stringify(name)}: ${message}`);
  // Given but wrong is reported where it is wrong; these say whether to report it as missing too.
  let urlGiven = false;
  let rulesGiven = false;
  let url: string | undefined;
  let account: string | undefined;
  let clientId: string | undefined;
  let username: string | undefined;
  let password: string | undefined;
  let tls: ClientTlsConfig | undefined;
  let clean = false;
  let keepaliveSeconds = 60;
  let protocolVersion: 4 | 5 = 5;
  const inRules: MqttBridgeInRule[] = [];
  const outRules: MqttBridgeOutRule[] = [];
  let maxBytes = DEFAULT_MAX_BYTES;
  let maxAgeMs = 0;
  let maxInflight = 256;
  let reconnectDelayMs = 1000;
  let maxReconnectDelayMs = 30_000;
  for (const [key, child] of lowerCased(map)) {
    const f = fieldOf(child);
    switch (key) {
      case 'name':
        break;
      case 'url': {
        urlGiven = true;
        const text = readString(issues, f);
        if (text === undefined) break;
        url = normalUrl(text, (message) => fail(child.pos, message));
        break;
      }
      case 'account':
        account = readString(issues, f);
        break;
      case 'client_id':
        clientId = readString(issues, f);
        break;
      case 'username':
      case 'user':
        username = readString(issues, f);
        break;
      case 'password':
        password = readString(issues, f);
        break;
      case 'tls':
        tls = readClientTls(issues, child, fail);
        break;
      case 'clean':
        clean = readBoolean(issues, f) ?? clean;
        break;
      case 'keepalive': {
        const ms = readSecondsOrDuration(issues, f, fail);
        if (ms === undefined) break;
        // Rounding "400ms" would turn keepalive off without a word.
        if (ms < 0 || ms > 65_535_000 || ms % 1000 !== 0) fail(child.pos, 'keepalive must be 0 to 65535 whole seconds');
        else keepaliveSeconds = ms / 1000;
        break;
      }
      case 'protocol_version': {
        const v = f.node.kind === 'string' ? ({ '3.1.1': 4, '4': 4, '5': 5, '5.0': 5 } as Record<string, 4 | 5>)[f.node.value] : f.node.kind === 'integer' || f.node.kind === 'float' ? Number(f.node.value) : undefined;
        if (v === 4 || v === 5) protocolVersion = v;
        else fail(child.pos, `protocol_version must be 4 (3.1.1) or 5, not ${describeValue(f.node)}`);
        break;
      }
      case 'in':
        rulesGiven ||= f.node.kind !== 'array' || f.node.items.length > 0;
        for (const rule of mapsOf(issues, f)) {
          const r = readRule(issues, rule, ['remote', 'local', 'qos'], fail);
          if (r.bad) continue;
          if (r.remote === undefined) fail(rule.pos, 'an in rule needs remote (a topic filter there)');
          else inRules.push({ remote: r.remote, ...(r.local !== undefined && { local: r.local }), qos: r.qos });
        }
        break;
      case 'out':
        rulesGiven ||= f.node.kind !== 'array' || f.node.items.length > 0;
        for (const rule of mapsOf(issues, f)) {
          const r = readRule(issues, rule, ['local', 'remote', 'qos', 'retain'], fail);
          if (r.bad) continue;
          if (r.local === undefined) fail(rule.pos, 'an out rule needs local (a subject here)');
          else outRules.push({ local: r.local, ...(r.remote !== undefined && { remote: r.remote }), qos: r.qos, retain: r.retain });
        }
        break;
      case 'max_bytes': {
        const bytes = readSize(issues, f, fail);
        if (bytes !== undefined && bytes <= 0) fail(child.pos, 'max_bytes must be more than 0');
        else if (bytes !== undefined) maxBytes = bytes;
        break;
      }
      case 'max_age': {
        const ms = readDuration(issues, f, fail);
        if (ms !== undefined && ms < 0) fail(child.pos, 'max_age must not be negative');
        else if (ms !== undefined) maxAgeMs = ms;
        break;
      }
      case 'max_inflight': {
        const n = readInteger(issues, f);
        if (n !== undefined && (n < 1 || n > 65_535)) fail(child.pos, 'max_inflight must be 1 to 65535');
        else if (n !== undefined) maxInflight = n;
        break;
      }
      case 'reconnect_delay':
        reconnectDelayMs = readDuration(issues, f, fail) ?? reconnectDelayMs;
        break;
      case 'max_reconnect_delay':
        maxReconnectDelayMs = readDuration(issues, f, fail) ?? maxReconnectDelayMs;
        break;
      default:
        issues.unknownField(child);
    }
  }
  if (!urlGiven) fail(at.pos, 'url is required');
  if (!rulesGiven) fail(at.pos, 'no in or out rules: nothing to bridge');
  if (reconnectDelayMs <= 0) fail(at.pos, 'reconnect_delay must be more than 0');
  if (maxReconnectDelayMs < reconnectDelayMs) fail(at.pos, 'max_reconnect_delay must be at least reconnect_delay');
  if (url !== undefined && tls !== undefined && !/^(mqtts|wss):/.test(url)) fail(at.pos, 'tls is set but the url is not mqtts:// or wss://');
  if (issues.errors.length > errorsBefore || url === undefined) return undefined;
  return {
    name,
    url,
    ...(account !== undefined && { account }),
    ...(clientId !== undefined && { clientId }),
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
    ...(tls !== undefined && { tls }),
    clean,
    keepaliveSeconds,
    protocolVersion,
    in: inRules,
    out: outRules,
    maxBytes,
    maxAgeMs,
    maxInflight,
    reconnectDelayMs,
    maxReconnectDelayMs,
  };
}

/** The URL with its scheme's usual alias resolved (tcp:// is mqtt://, ssl:// and tls:// are mqtts://). */
function normalUrl(text: string, fail: (message: string) => void): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    fail(`url ${JSON.stringify(text)} is not a URL`);
    return undefined;
  }
  const scheme = SCHEMES[url.protocol];
  if (scheme === undefined) {
    fail(`url scheme ${JSON.stringify(url.protocol.slice(0, -1))} is not one of mqtt, mqtts, ws, wss`);
    return undefined;
  }
  if (url.hostname === '') {
    // Not echoed: the text may hold a password.
    fail('url has no host');
    return undefined;
  }
  return scheme === url.protocol ? text : `${scheme}${text.slice(url.protocol.length)}`;
}

function mapsOf(issues: Issues, field: Field): Array<Field & { node: ConfMap }> {
  const items = field.node.kind === 'array' ? itemsOf(field, field.node.items) : [field];
  const maps: Array<Field & { node: ConfMap }> = [];
  for (const item of items) {
    if (item.node.kind === 'map') maps.push(item as Field & { node: ConfMap });
    else typeError(issues, item, 'a map for each rule');
  }
  return maps;
}

interface RuleRead {
  /** A key of the rule was wrong (and reported): the rule is not used, nothing more is said of it. */
  bad: boolean;
  remote?: string;
  local?: string;
  qos: 0 | 1;
  retain: boolean;
}

function readRule(issues: Issues, rule: Field & { node: ConfMap }, keys: readonly string[], fail: (pos: Field['pos'], message: string) => void): RuleRead {
  const r: RuleRead = { bad: false, qos: 1, retain: false };
  const before = issues.errors.length;
  for (const [key, child] of lowerCased(rule.node)) {
    const f = fieldOf(child);
    if (!keys.includes(key)) {
      issues.unknownField(child);
      continue;
    }
    if (key === 'qos') {
      const qos = readInteger(issues, f);
      if (qos === 2) fail(child.pos, 'qos 2 is not supported, use 0 or 1');
      else if (qos === 0 || qos === 1) r.qos = qos;
      else if (qos !== undefined) fail(child.pos, `qos must be 0 or 1, not ${qos}`);
    } else if (key === 'retain') {
      r.retain = readBoolean(issues, f) ?? r.retain;
    } else {
      const name = readString(issues, f);
      if (name !== undefined && (name === '' || /\s/.test(name))) fail(child.pos, `${key} ${JSON.stringify(name)} is empty or has spaces`);
      else if (name !== undefined) r[key as 'remote' | 'local'] = name;
    }
  }
  r.bad = issues.errors.length > before;
  return r;
}


function describeValue(node: ConfNode): string {
  return node.kind === 'string' ? JSON.stringify(node.value) : node.kind === 'integer' ? String(node.value) : describeNode(node);
}
