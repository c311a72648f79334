// CONNECT's JSON decoded the way nats-server's Go decoder does it: field names match case-insensitively,
// null leaves a field alone, a value of the wrong type fails the whole CONNECT.

import type { ConnectOptions } from './types.js';

type FieldType = 'boolean' | 'string' | 'int';

const FIELDS: ReadonlyMap<string, [keyof ConnectOptions, FieldType]> = new Map(
  (
    [
      ['verbose', 'boolean'],
      ['pedantic', 'boolean'],
      ['tls_required', 'boolean'],
      ['auth_token', 'string'],
      ['user', 'string'],
      ['pass', 'string'],
      ['name', 'string'],
      ['lang', 'string'],
      ['version', 'string'],
      ['protocol', 'int'],
      ['echo', 'boolean'],
      ['sig', 'string'],
      ['jwt', 'string'],
      ['nkey', 'string'],
      ['headers', 'boolean'],
      ['no_responders', 'boolean'],
      ['account', 'string'],
      ['new_account', 'boolean'],
    ] as [keyof ConnectOptions, FieldType][]
  ).map(([k, t]) => [k.toLowerCase(), [k, t]]),
);

/** nats-server pre-fills these and decodes CONNECT over them: absent fields stay true. */
export const CONNECT_DEFAULTS: ConnectOptions = Object.freeze({ verbose: true, pedantic: true, echo: true });

/** The CONNECT options, or null when the JSON does not decode (the server then closes silently). */
export function decodeConnect(json: string): ConnectOptions | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  if (parsed === null) return { ...CONNECT_DEFAULTS };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const out: Record<string, unknown> = { ...CONNECT_DEFAULTS };
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const field = FIELDS.get(key.toLowerCase());
    if (field === undefined || value === null) continue;
    const [name, type] = field;
    if (type === 'int' ? !Number.isInteger(value) : typeof value !== type) return null;
    out[name] = value;
  }
  return out as unknown as ConnectOptions;
}
