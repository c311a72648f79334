// nats-server's ClientInfo as JSON: the requester of a request through an import (Nats-Request-Info)
// and the client of a connect, disconnect or auth error event.

/** Go's ClientInfo field order. */
const ORDER = ['start', 'host', 'id', 'acc', 'svc', 'user', 'name', 'lang', 'ver', 'rtt', 'server', 'cluster', 'alts', 'stop', 'jwt', 'issuer_key', 'name_tag', 'tags', 'kind', 'client_type', 'client_id'];

/** The fields in Go's order; empty ones left out as its omitempty does (`acc` is always written). */
export function clientInfoJson(ci: Readonly<Record<string, unknown>>): string {
  const out: Record<string, unknown> = {};
  for (const k of ORDER) {
    const v = ci[k];
    if (v === undefined || v === null || v === '' || v === 0) {
      if (k === 'acc') out[k] = v ?? '';
      continue;
    }
    out[k] = v;
  }
  return JSON.stringify(out);
}
