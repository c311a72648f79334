// The `leafnodes {}` block, read as nats-server's parseLeafNodes reads it: the accepting listener
// (`port`, `authorization`, `tls`) and the `remotes` this server dials. Settings leafgate cannot
// honour yet stop the start: certificate mapping changes who may connect, and running without it
// would be more open than configured. `min_version` refuses older leafs. A remote's
// `proxy` is leafgate's own: an HTTP CONNECT proxy, for plain and WebSocket links alike.

import type { Issues } from './conf-reader.js';
import { fieldOf, itemsOf, lowerCased, readBoolean, readHostPort, readInteger, readString, readStringList } from './conf-reader.js';
import type { ConfEntry, ConfNode, SourcePos } from './conf-tree.js';
import { DurationError, parseGoDurationMs } from './durations.js';
import { NkeyRole, decodeSeed } from '../util/index.js';
import { readClientTls } from './from-conf-client-tls.js';
import { readTls } from './from-conf-tls.js';
import type { ClientTlsConfig, LeafAuthConfig, LeafProxyConfig, LeafRemoteConfig, LeafnodesConfig, TlsConfig } from './options.js';

/** nats-server's default delay between attempts to reach a remote. */
const DEFAULT_RECONNECT_MS = 1000;
const URL_SCHEMES = new Set(['nats-leaf:', 'nats:', 'tcp:', 'tls:', 'ws:', 'wss:']);
const WEBSOCKET_SCHEMES = new Set(['ws:', 'wss:']);

export function readLeafnodes(issues: Issues, entry: ConfEntry): LeafnodesConfig | undefined {
  if (entry.value.kind !== 'map') {
    issues.error(entry.pos, `Expected map to define a leafnode, got ${goType(entry.value)}`);
    return undefined;
  }
  let host = '';
  let port = 0;
  let advertise = '';
  let noAdvertise = false;
  let auth: LeafAuthConfig | undefined;
  let reconnectDelayMs = DEFAULT_RECONNECT_MS;
  let remotes: LeafRemoteConfig[] = [];
  let tls: TlsConfig | undefined;
  let tlsPos: SourcePos | undefined;
  let minVersion: string | undefined;
  for (const [key, child] of lowerCased(entry.value)) {
    const field = fieldOf(child);
    switch (key) {
      case 'listen': {
        const hp = readHostPort(issues, field);
        if (hp !== undefined) [host, port] = [hp.host, hp.port];
        break;
      }
      case 'port':
        port = readInteger(issues, field) ?? port;
        break;
      case 'host':
      case 'net':
        host = readString(issues, field) ?? host;
        break;
      case 'authorization':
        auth = readLeafAuth(issues, child);
        break;
      case 'remotes':
        remotes = readRemotes(issues, child);
        break;
      case 'reconnect':
      case 'reconnect_delay':
      case 'reconnect_interval':
        reconnectDelayMs = readDelay(issues, child) ?? reconnectDelayMs;
        break;
      case 'advertise':
      case 'leafnode_advertise':
        advertise = readString(issues, field) ?? advertise;
        break;
      case 'no_advertise':
        noAdvertise = readBoolean(issues, field) ?? noAdvertise;
        break;
      case 'tls':
        tls = readTls(issues, child, 'leafnodes.tls');
        tlsPos = child.pos;
        break;
      case 'min_version':
      case 'minimum_version': {
        const v = readString(issues, field);
        const problem = v === undefined ? undefined : minVersionProblem(v);
        if (problem !== undefined) issues.error(child.pos, problem);
        else if (v !== undefined) minVersion = v;
        break;
      }
      default:
        issues.unknownField(child);
    }
  }
  // A certificate maps onto the block's own users; mapping onto the clients' logins is not built.
  if (tls?.verifyAndMap === true && tlsPos !== undefined && auth?.user === undefined && (auth?.users.length ?? 0) === 0) {
    issues.unsupportedAccessControl(tlsPos, 'leafnodes.tls verify_and_map without leafnodes authorization users is');
  }
  return { host, port, advertise, noAdvertise, ...(auth !== undefined && { auth }), ...(tls !== undefined && { tls }), ...(minVersion !== undefined && { minVersion }), reconnectDelayMs, remotes };
}

/** `authorization { user, password, account, timeout, users: [{ user, password, account }] }`. */
function readLeafAuth(issues: Issues, entry: ConfEntry): LeafAuthConfig | undefined {
  if (entry.value.kind !== 'map') {
    issues.error(entry.pos, `expected a map, got ${entry.value.kind}`);
    return undefined;
  }
  let user: string | undefined;
  let password: string | undefined;
  let account: string | undefined;
  let timeoutMs: number | undefined;
  let users: { user: string; password: string; account?: string }[] = [];
  for (const [key, child] of lowerCased(entry.value)) {
    const field = fieldOf(child);
    switch (key) {
      case 'user':
      case 'username':
        user = readString(issues, field);
        break;
      case 'pass':
      case 'password':
        password = readString(issues, field);
        break;
      case 'account':
        account = readString(issues, field);
        break;
      case 'timeout': {
        const v = child.value;
        timeoutMs = v.kind === 'integer' || v.kind === 'float' ? Number(v.value) * 1000 : 1000;
        break;
      }
      case 'users':
        users = readLeafUsers(issues, child);
        break;
      default:
        issues.unknownField(child);
    }
  }
  if (users.length > 0 && user !== undefined) {
    issues.error(entry.pos, 'can not have a single user/pass and a users array');
    return undefined;
  }
  for (const u of users) {
    if (users.filter((x) => x.user === u.user).length > 1) {
      issues.error(entry.pos, `duplicate user ${JSON.stringify(u.user)} detected in leafnode authorization`);
      return undefined;
    }
  }
  return {
    ...(user !== undefined && { user }),
    ...(password !== undefined && { password }),
    ...(account !== undefined && { account }),
    ...(timeoutMs !== undefined && { timeoutMs }),
    users,
  };
}

function readLeafUsers(issues: Issues, entry: ConfEntry): { user: string; password: string; account?: string }[] {
  if (entry.value.kind !== 'array') {
    issues.error(entry.pos, `Expected users field to be an array, got ${goType(entry.value)}`);
    return [];
  }
  const users: { user: string; password: string; account?: string }[] = [];
  for (const item of itemsOf(fieldOf(entry), entry.value.items)) {
    if (item.node.kind !== 'map') {
      issues.error(item.pos, `Expected user entry to be a map/struct, got ${goType(item.node)}`);
      continue;
    }
    let user = '';
    let password = '';
    let account: string | undefined;
    for (const [key, child] of lowerCased(item.node)) {
      const field = fieldOf(child);
      if (key === 'user' || key === 'username') user = readString(issues, field) ?? user;
      else if (key === 'pass' || key === 'password') password = readString(issues, field) ?? password;
      else if (key === 'account') account = readString(issues, field);
      else issues.unknownField(child);
    }
    users.push({ user, password, ...(account !== undefined && { account }) });
  }
  return users;
}

function readRemotes(issues: Issues, entry: ConfEntry): LeafRemoteConfig[] {
  if (entry.value.kind !== 'array') {
    issues.error(entry.pos, `Expected remotes field to be an array, got ${goType(entry.value)}`);
    return [];
  }
  const remotes: LeafRemoteConfig[] = [];
  for (const item of itemsOf(fieldOf(entry), entry.value.items)) {
    if (item.node.kind !== 'map') {
      issues.error(item.pos, `Expected remote leafnode entry to be a map/struct, got ${goType(item.node)}`);
      continue;
    }
    let urls: string[] = [];
    let account: string | undefined;
    let hub = false;
    let noRandomize = false;
    let urlGiven = false;
    let tls: ClientTlsConfig | undefined;
    let credentials: string | undefined;
    let denyImports: string[] = [];
    let denyExports: string[] = [];
    let proxy: LeafProxyConfig | undefined;
    let nkey: string | undefined;
    for (const [key, child] of lowerCased(item.node)) {
      const field = fieldOf(child);
      switch (key) {
        case 'url':
        case 'urls':
          urlGiven = true;
          urls = readUrls(issues, child);
          break;
        case 'account':
        case 'local':
          account = readString(issues, field);
          break;
        case 'hub':
          hub = readBoolean(issues, field) ?? hub;
          break;
        case 'no_randomize':
        case 'dont_randomize':
          noRandomize = readBoolean(issues, field) ?? noRandomize;
          break;
        case 'creds':
        case 'credentials':
          credentials = readString(issues, field);
          break;
        case 'tls':
          tls = readClientTls(issues, child, (pos, message) => issues.error(pos, `leafnodes remote: ${message}`));
          break;
        case 'deny_imports':
        case 'deny_import':
          denyImports = readStringList(issues, field) ?? denyImports;
          break;
        case 'deny_exports':
        case 'deny_export':
          denyExports = readStringList(issues, field) ?? denyExports;
          break;
        case 'proxy':
          proxy = readProxy(issues, child);
          break;
        case 'ws_compress':
        case 'ws_compression':
        case 'websocket_compress':
        case 'websocket_compression':
        case 'ws_no_masking':
        case 'websocket_no_masking':
          if (readBoolean(issues, field) === true) issues.unsupported(child, `leafnodes remote ${child.key}`);
          break;
        case 'nkey':
        case 'seed': {
          const seed = readString(issues, field);
          const decoded = seed === undefined ? null : decodeSeed(seed);
          if (seed !== undefined && (decoded === null || decoded.role !== NkeyRole.User)) issues.error(child.pos, `Remote leafnode nkey is not a valid seed: ${JSON.stringify(seed)}`);
          else nkey = seed;
          break;
        }
        default:
          issues.unknownField(child);
      }
    }
    if (urls.length === 0) {
      // A url that was given but refused has its own error already.
      if (!urlGiven) issues.error(item.pos, 'remote leafnode needs a url');
      continue;
    }
    if (nkey !== undefined && credentials !== undefined) {
      issues.error(item.pos, 'Remote leafnode can not have both creds and nkey defined');
      continue;
    }
    const websockets = urls.filter((u) => WEBSOCKET_SCHEMES.has(new URL(u).protocol)).length;
    if (websockets > 0 && websockets < urls.length) {
      issues.error(item.pos, 'remote leafnode URLs must all be websocket (ws://, wss://) or none');
      continue;
    }
    remotes.push({ urls, ...(account !== undefined && { account }), hub, noRandomize, denyImports, denyExports, ...(tls !== undefined && { tls }), ...(proxy !== undefined && { proxy }), ...(nkey !== undefined && { nkey }), ...(credentials !== undefined && { credentials }) });
  }
  return remotes;
}

/** `url` or `urls`: a string or a list; `nats-leaf://[user:pass@]host[:port]` (port 7422 by default), or `ws://`/`wss://`. */
function readUrls(issues: Issues, entry: ConfEntry): string[] {
  const nodes: readonly ConfNode[] = entry.value.kind === 'array' ? entry.value.items : [entry.value];
  const urls: string[] = [];
  for (const node of nodes) {
    if (node.kind !== 'string') {
      issues.error(node.pos, `Expected remote leafnode url to be an array or string, got ${goType(node)}`);
      continue;
    }
    const text = node.value.includes('://') ? node.value : `nats-leaf://${node.value}`;
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      issues.error(node.pos, `error parsing leafnode url ${JSON.stringify(node.value)}`);
      continue;
    }
    if (!URL_SCHEMES.has(url.protocol)) {
      issues.unsupportedAccessControl(node.pos, `leafnode url scheme ${JSON.stringify(url.protocol.slice(0, -1))} is`);
      continue;
    }
    urls.push(text);
  }
  return urls;
}

/** leafgate's `proxy { url, username, password }`: an HTTP proxy that opens CONNECT tunnels. */
function readProxy(issues: Issues, entry: ConfEntry): LeafProxyConfig | undefined {
  if (entry.value.kind !== 'map') {
    issues.error(entry.pos, `leafnodes remote proxy: expected a map, got ${entry.value.kind}`);
    return undefined;
  }
  let url: string | undefined;
  let username: string | undefined;
  let password: string | undefined;
  for (const [key, child] of lowerCased(entry.value)) {
    const field = fieldOf(child);
    if (key === 'url') url = readString(issues, field);
    else if (key === 'username' || key === 'user') username = readString(issues, field);
    else if (key === 'password' || key === 'pass') password = readString(issues, field);
    else issues.unknownField(child);
  }
  if (url === undefined || !/^https?:\/\/[^/]+/.test(url) || !URL.canParse(url)) {
    issues.error(entry.pos, `leafnodes remote proxy needs a url such as "http://proxy:3128"`);
    return undefined;
  }
  return { url, ...(username !== undefined && { username }), ...(password !== undefined && { password }) };
}

/** nats-server 2.9.10 reads whole seconds; 2.12 a Go duration. Both are taken. */
function readDelay(issues: Issues, entry: ConfEntry): number | undefined {
  const v = entry.value;
  if (v.kind === 'integer') return Number(v.value) * 1000;
  if (v.kind === 'string') {
    try {
      return parseGoDurationMs(v.value);
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      issues.error(entry.pos, err.message);
      return undefined;
    }
  }
  issues.error(entry.pos, `leafnodes ${entry.key}: expected an integer number of seconds or a duration, got ${v.kind}`);
  return undefined;
}

/** nats-server's checkLeafMinVersionConfig: a version, and at least 2.8.0. */
function minVersionProblem(v: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v);
  if (m === null) return `invalid leafnode's minimum version: invalid semver`;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 2 || (major === 2 && minor >= 8) ? undefined : 'the minimum version should be at least 2.8.0';
}

function goType(node: ConfNode): string {
  return node.kind === 'array' ? '[]interface {}' : node.kind === 'map' ? 'map[string]interface {}' : node.kind;
}
