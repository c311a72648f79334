// The keys the websocket and mqtt blocks share, read as nats-server reads them: where they listen,
// their TLS, and their own login (`authorization`, `no_auth_user`), which replaces the top-level one
// for their clients.

import type { Issues } from './conf-reader.js';
import { fieldOf, lowerCased, readHostPort, readInteger, readString } from './conf-reader.js';
import type { ConfEntry } from './conf-tree.js';
import { readTls } from './from-conf-tls.js';
import type { TlsConfig } from './options.js';

export interface ListenerAuth {
  readonly user?: string;
  readonly password?: string;
  readonly token?: string;
  readonly timeoutMs?: number;
}

/** What the shared keys set; a block's reader starts from emptyListener() and reads its own keys beside. */
export interface ListenerFields {
  host: string;
  port: number;
  tls: TlsConfig | undefined;
  auth: ListenerAuth | undefined;
  noAuthUser: string;
}

export function emptyListener(): ListenerFields {
  return { host: '', port: 0, tls: undefined, auth: undefined, noAuthUser: '' };
}

/** Reads `key` into `into` when it is one of the shared keys; false for a key of the block's own. */
export function readListenerField(issues: Issues, key: string, child: ConfEntry, into: ListenerFields, block: string): boolean {
  const field = fieldOf(child);
  switch (key) {
    case 'listen': {
      const hp = readHostPort(issues, field);
      if (hp !== undefined) [into.host, into.port] = [hp.host, hp.port];
      return true;
    }
    case 'port':
      into.port = readInteger(issues, field) ?? into.port;
      return true;
    case 'host':
    case 'net':
      into.host = readString(issues, field) ?? into.host;
      return true;
    case 'tls':
      into.tls = readTls(issues, child, `${block}.tls`);
      return true;
    case 'authorization':
    case 'authentication':
      into.auth = readSimpleAuth(issues, child);
      return true;
    case 'no_auth_user':
      into.noAuthUser = readString(issues, field) ?? into.noAuthUser;
      return true;
    default:
      return false;
  }
}

/** nats-server's parseSimpleAuth: `user`/`username`, `pass`/`password`, `token`, `timeout` (seconds); the mqtt block reads it too. */
function readSimpleAuth(issues: Issues, entry: ConfEntry): ListenerAuth | undefined {
  if (entry.value.kind !== 'map') {
    issues.error(entry.pos, `expected a map, got ${entry.value.kind}`);
    return undefined;
  }
  let user: string | undefined;
  let password: string | undefined;
  let token: string | undefined;
  let timeoutMs: number | undefined;
  for (const [key, child] of lowerCased(entry.value)) {
    const field = fieldOf(child);
    if (key === 'user' || key === 'username') user = readString(issues, field);
    else if (key === 'pass' || key === 'password') password = readString(issues, field);
    else if (key === 'token') token = readString(issues, field);
    else if (key === 'timeout') {
      const v = child.value;
      timeoutMs = v.kind === 'integer' || v.kind === 'float' ? Number(v.value) * 1000 : 1000;
    } else issues.unknownField(child);
  }
  return { ...(user !== undefined && { user }), ...(password !== undefined && { password }), ...(token !== undefined && { token }), ...(timeoutMs !== undefined && { timeoutMs }) };
}
