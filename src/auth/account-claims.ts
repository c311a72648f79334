// What an account JWT sets up, read as nats-server's updateAccountClaims reads it: exports and
// imports (an activation token lets its holder import an export that requires one), subject
// mappings, the client connection limit and the JetStream limits. The router and JetStream then set
// the account up as they would a configured one.

import type { AccountLinksSpec, ExportSpec, JetStreamLimits, MappingSpec, ServiceExportSpec, ServiceImportSpec, StreamImportSpec } from '../util/index.js';
import { ResponseType, subjectIsSubsetOf } from '../util/index.js';
import { decodeJwt, isRevoked, JwtError, signingKeys, timeProblem } from './jwt.js';
import type { AccountClaims, ActivationClaims, ClaimsData } from './jwt.js';

export interface JwtAccountSetup extends AccountLinksSpec {
  /** The account's public key. */
  readonly name: string;
  readonly mappings: readonly MappingSpec[];
  /** `limits.conn`: -1 for no limit. */
  readonly maxConnections: number;
  /** Absent when the JWT gives the account no JetStream. */
  readonly jetstream?: JetStreamLimits;
}

interface ExportClaim {
  readonly subject?: string;
  readonly type?: string;
  readonly token_req?: boolean;
  readonly revocations?: Readonly<Record<string, number>>;
  readonly response_type?: string;
  /** Nanoseconds. */
  readonly response_threshold?: number;
  readonly account_token_position?: number;
}

interface ImportClaim {
  readonly subject?: string;
  readonly account?: string;
  readonly token?: string;
  readonly to?: string;
  readonly local_subject?: string;
  readonly type?: string;
  readonly share?: boolean;
}

const RESPONSE_TYPES: Readonly<Record<string, ResponseType>> = { Singleton: ResponseType.Singleton, Stream: ResponseType.Streamed, Chunked: ResponseType.Chunked };

/** Each trusted account's setup; `accounts` by public key, `nowS` for activation expiry. */
export function accountSetups(accounts: ReadonlyMap<string, ClaimsData<AccountClaims>>, nowS: number): JwtAccountSetup[] {
  const activated = activatedImports(accounts, nowS);
  return [...accounts.values()].map((claims) => setupOf(claims, accounts, activated));
}

function setupOf(claims: ClaimsData<AccountClaims>, accounts: ReadonlyMap<string, ClaimsData<AccountClaims>>, activated: ReadonlyMap<string, ReadonlyMap<ExportClaim, string[]>>): JwtAccountSetup {
  const nats = claims.nats;
  const limits = nats.limits ?? {};
  const streamExports: ExportSpec[] = [];
  const serviceExports: ServiceExportSpec[] = [];
  for (const e of (nats.exports ?? []) as ExportClaim[]) {
    if (typeof e.subject !== 'string') continue;
    const accountsAllowed = e.token_req === true ? { accounts: activated.get(claims.sub)?.get(e) ?? [] } : {};
    const position = e.account_token_position ? { accountTokenPosition: e.account_token_position } : {};
    if (e.type === 'stream') streamExports.push({ subject: e.subject, ...accountsAllowed, ...position });
    else if (e.type === 'service') {
      serviceExports.push({
        subject: e.subject,
        ...accountsAllowed,
        ...position,
        responseType: RESPONSE_TYPES[e.response_type ?? ''] ?? ResponseType.Singleton,
        ...(e.response_threshold ? { responseThresholdMs: e.response_threshold / 1e6 } : {}),
      });
    }
  }
  const streamImports: StreamImportSpec[] = [];
  const serviceImports: ServiceImportSpec[] = [];
  for (const i of (nats.imports ?? []) as ImportClaim[]) {
    // An import of an account this server does not have cannot link; nats-server keeps it incomplete.
    if (typeof i.subject !== 'string' || typeof i.account !== 'string' || !accounts.has(i.account)) continue;
    if (i.type === 'stream') {
      if (i.local_subject) streamImports.push({ account: i.account, subject: i.subject, to: i.local_subject });
      else streamImports.push({ account: i.account, subject: i.subject, ...(i.to ? { prefix: i.to } : {}) });
    } else if (i.type === 'service') {
      const share = i.share === true ? { share: true } : {};
      if (i.local_subject) serviceImports.push({ account: i.account, subject: i.subject, to: i.local_subject, ...share });
      else if (i.to) serviceImports.push({ account: i.account, subject: i.to, to: i.subject, ...share });
      else serviceImports.push({ account: i.account, subject: i.subject, ...share });
    }
  }
  const jetstream = jetStreamLimits(limits);
  return {
    name: claims.sub,
    streamExports,
    serviceExports,
    streamImports,
    serviceImports,
    mappings: mappingsOf(nats),
    maxConnections: typeof limits.conn === 'number' ? limits.conn : 0,
    ...(jetstream !== undefined && { jetstream }),
  };
}

/**
 * For each exporter, the importers whose activation tokens open each of its token-requiring exports:
 * a token the exporter (or one of its signing keys) issued to the importer, for a subject the import
 * falls inside, not expired and not revoked by the export.
 */
function activatedImports(accounts: ReadonlyMap<string, ClaimsData<AccountClaims>>, nowS: number): Map<string, Map<ExportClaim, string[]>> {
  const out = new Map<string, Map<ExportClaim, string[]>>();
  for (const importer of accounts.values()) {
    for (const i of (importer.nats.imports ?? []) as ImportClaim[]) {
      const exporter = typeof i.account === 'string' ? accounts.get(i.account) : undefined;
      if (exporter === undefined || typeof i.token !== 'string' || typeof i.subject !== 'string') continue;
      const act = activation(i.token, importer.sub, exporter, i.subject, nowS);
      if (act === null) continue;
      for (const e of (exporter.nats.exports ?? []) as ExportClaim[]) {
        if (e.token_req !== true || e.type !== i.type || typeof e.subject !== 'string' || !subjectIsSubsetOf(i.subject, e.subject)) continue;
        if (isRevoked(e.revocations, importer.sub, act.iat)) continue;
        const byExport = out.get(exporter.sub) ?? new Map<ExportClaim, string[]>();
        out.set(exporter.sub, byExport);
        byExport.set(e, [...(byExport.get(e) ?? []), importer.sub]);
      }
    }
  }
  return out;
}

function activation(token: string, importer: string, exporter: ClaimsData<AccountClaims>, subject: string, nowS: number): ClaimsData<ActivationClaims> | null {
  let act: ClaimsData<ActivationClaims>;
  try {
    act = decodeJwt<ActivationClaims>(token, 'activation');
  } catch (err) {
    if (err instanceof JwtError) return null;
    throw err;
  }
  if (act.sub !== importer || timeProblem(act, nowS) !== null) return null;
  if (act.nats.subject !== undefined && act.nats.subject !== '' && !subjectIsSubsetOf(subject, act.nats.subject)) return null;
  const issuerAccount = act.nats.issuer_account ?? '';
  if (act.iss === exporter.sub) return act;
  return issuerAccount === exporter.sub && signingKeys(exporter.nats.signing_keys).has(act.iss) ? act : null;
}

type MappingClaims = Readonly<Record<string, readonly { subject?: string; weight?: number; cluster?: string }[]>>;

/**
 * What makes nats-server refuse an account JWT when it looks the account up (a blocking validation
 * error), as far as it is checked here: a mapping whose weights add up to more than 100% (summed as
 * Go's uint8, so past 255 it wraps as there). Null when none.
 */
export function accountClaimsProblem(nats: AccountClaims): string | null {
  const mappings = (nats as { mappings?: MappingClaims }).mappings ?? {};
  for (const [source, dests] of Object.entries(mappings)) {
    let total = 0;
    for (const d of dests) total = (total + (d.weight ? d.weight : 100)) & 0xff;
    if (total > 100) return `Mapping "${source}" exceeds 100% among all of it's weighted to mappings`;
  }
  return null;
}

/**
 * `mappings: { "<subject>": [{ subject, weight, cluster }] }`; a weight of 0 is 100, and a destination
 * scoped to a cluster never applies on this unclustered server (as in the configuration's mappings).
 */
function mappingsOf(nats: AccountClaims): MappingSpec[] {
  const mappings = (nats as { mappings?: MappingClaims }).mappings ?? {};
  return Object.entries(mappings).map(([source, dests]) => ({
    source,
    destinations: dests.filter((d) => typeof d.subject === 'string' && !d.cluster).map((d) => ({ subject: d.subject as string, weight: d.weight ? d.weight : 100 })),
  }));
}

/** JetStream is on for the account when its JWT gives it memory or disk storage (nats-server's IsJSEnabled). */
function jetStreamLimits(limits: Readonly<Record<string, number | boolean>>): JetStreamLimits | undefined {
  const n = (key: string): number => (typeof limits[key] === 'number' ? (limits[key] as number) : 0);
  if (n('mem_storage') === 0 && n('disk_storage') === 0) return undefined;
  const unlimitedIfNone = (v: number): number => (v > 0 ? v : -1);
  return {
    maxMemory: n('mem_storage'),
    maxStore: n('disk_storage'),
    maxStreams: n('streams'),
    maxConsumers: n('consumer'),
    maxBytesRequired: limits['max_bytes_required'] === true,
    memoryMaxStreamBytes: unlimitedIfNone(n('mem_max_stream_bytes')),
    storeMaxStreamBytes: unlimitedIfNone(n('disk_max_stream_bytes')),
    maxAckPending: unlimitedIfNone(n('max_ack_pending')),
  };
}
