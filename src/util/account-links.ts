// Exports and imports between accounts, linked as nats-server links them when it loads a
// configuration: every export first, then stream imports, then service imports, each import checked
// against the exporter's exports (who may import), for a prefix that is a literal, and for a cycle.
// The result names accounts only; the router binds the names to its accounts.

import { SubjectTransform } from './subject-transform.js';
import { isValidSubscribeSubject } from './subject.js';
import { isSubsetMatch, subjectIsSubsetOf, subjectsCollide } from './subject-sets.js';

/** How many messages answer one request through a service import (nats-server's ServiceRespType). */
export const ResponseType = { Singleton: 'Singleton', Streamed: 'Streamed', Chunked: 'Chunked' } as const;
export type ResponseType = (typeof ResponseType)[keyof typeof ResponseType];

/** nats-server's DEFAULT_SERVICE_EXPORT_RESPONSE_THRESHOLD: how long a response may take. */
export const DEFAULT_RESPONSE_THRESHOLD_MS = 120_000;

export interface ExportSpec {
  readonly subject: string;
  /** Who may import: absent for anyone, empty for holders of an activation token. */
  readonly accounts?: readonly string[];
  /** 1-based token of the subject that must be the importing account's name (0: none). */
  readonly accountTokenPosition?: number;
}

export interface ServiceExportSpec extends ExportSpec {
  readonly responseType?: ResponseType;
  readonly responseThresholdMs?: number;
}

export interface StreamImportSpec {
  readonly account: string;
  readonly subject: string;
  /** Put in front of every imported subject (a literal). */
  readonly prefix?: string;
  /** The subject the messages arrive on instead (a mapping from the exported subject). */
  readonly to?: string;
}

export interface ServiceImportSpec {
  readonly account: string;
  /** The exporter's subject. */
  readonly subject: string;
  /** The importing account's subject for it (default: the same). */
  readonly to?: string;
  /** The requester's details travel with each request (Nats-Request-Info). */
  readonly share?: boolean;
  /** Made by the server itself (the system account's imports): not checked against the exports. */
  readonly internal?: boolean;
}

export interface AccountLinksSpec {
  readonly name: string;
  readonly streamExports?: readonly ExportSpec[];
  readonly serviceExports?: readonly ServiceExportSpec[];
  readonly streamImports?: readonly StreamImportSpec[];
  readonly serviceImports?: readonly ServiceImportSpec[];
}

export interface LinkedServiceExport {
  readonly account: string;
  readonly subject: string;
  readonly responseType: ResponseType;
  readonly responseThresholdMs: number;
  /** Who may import: null for anyone. */
  readonly accounts: readonly string[] | null;
}

export interface LinkedStreamExport {
  readonly subject: string;
  readonly accounts: readonly string[] | null;
}

export interface LinkedStreamImport {
  readonly exporter: string;
  /** The exporter's subject (pattern). */
  readonly from: string;
  /** The importer's subject (pattern) the messages arrive on. */
  readonly to: string;
  /** Put in front of each exported subject (ends with a dot) when the import has a `prefix`; null otherwise. */
  readonly prefix: string | null;
  /** from -> to when they differ and `from` has wildcards; null otherwise. */
  readonly transform: SubjectTransform | null;
  /** to -> from, beside `transform`: the exporter's subject for a subscription of the importer. */
  readonly reverse: SubjectTransform | null;
  /** `from` has wildcards and `to` is the same: a message keeps its subject. */
  readonly usePub: boolean;
}

export interface LinkedServiceImport {
  readonly exporter: string;
  /** The importer's subject (pattern) requests are published to. */
  readonly from: string;
  /** The exporter's subject (pattern) requests arrive on. */
  readonly to: string;
  readonly transform: SubjectTransform | null;
  readonly usePub: boolean;
  readonly share: boolean;
  readonly export: LinkedServiceExport;
}

export interface LinkedAccount {
  readonly name: string;
  readonly streamExports: readonly LinkedStreamExport[];
  readonly serviceExports: readonly LinkedServiceExport[];
  readonly streamImports: readonly LinkedStreamImport[];
  readonly serviceImports: readonly LinkedServiceImport[];
}

export interface AccountLinks {
  readonly accounts: ReadonlyMap<string, LinkedAccount>;
  /** nats-server's words for each import or export it would refuse. */
  readonly errors: readonly string[];
}

const CYCLE_SEARCH_DEPTH = 1024;

/** Who may import an export; an export named twice adds to it (nats-server's setExportAuth). */
interface ExportAuth {
  /** null: nobody named (anyone, unless a token or position is required). */
  approved: Set<string> | null;
  tokenRequired: boolean;
  accountPos: number;
}

const PUBLIC: ExportAuth = Object.freeze({ approved: null, tokenRequired: false, accountPos: 0 }) as ExportAuth;

interface ServiceExportState {
  auth: ExportAuth;
  responseType: ResponseType;
  responseThresholdMs: number;
}

class AccountState {
  readonly streamExports = new Map<string, ExportAuth>();
  readonly serviceExports = new Map<string, ServiceExportState>();
  /** The linked form of each service export, made once every export is in. */
  readonly linkedServices = new Map<string, LinkedServiceExport>();
  readonly streamImports: LinkedStreamImport[] = [];
  readonly serviceImports = new Map<string, LinkedServiceImport>();
  constructor(readonly name: string) {}
}

class CycleError extends Error {}

/** Links every account's exports and imports; an import that cannot be is left out and explained. */
export function linkAccounts(specs: readonly AccountLinksSpec[]): AccountLinks {
  const errors: string[] = [];
  const states = new Map<string, AccountState>();
  for (const s of specs) states.set(s.name, new AccountState(s.name));

  for (const s of specs) {
    const st = states.get(s.name) as AccountState;
    for (const e of s.streamExports ?? []) {
      const auth = addExportAuth(st.streamExports.get(e.subject), e, states, 'stream', errors);
      if (auth === 'invalid') errors.push(`Error adding stream export ${JSON.stringify(e.subject)}: invalid subject`);
      else st.streamExports.set(e.subject, auth);
    }
  }
  for (const s of specs) {
    const st = states.get(s.name) as AccountState;
    for (const e of s.serviceExports ?? []) {
      const before = st.serviceExports.get(e.subject);
      const auth = addExportAuth(before?.auth, e, states, 'service', errors);
      if (auth === 'invalid') {
        errors.push(`Error adding service export ${JSON.stringify(e.subject)}: invalid subject`);
        continue;
      }
      // As nats-server: a singleton declaration keeps an earlier type, the threshold starts over.
      const responseType = e.responseType !== undefined && e.responseType !== ResponseType.Singleton ? e.responseType : (before?.responseType ?? ResponseType.Singleton);
      st.serviceExports.set(e.subject, { auth, responseType, responseThresholdMs: e.responseThresholdMs ?? DEFAULT_RESPONSE_THRESHOLD_MS });
    }
  }
  for (const st of states.values()) {
    for (const [subject, e] of st.serviceExports) {
      st.linkedServices.set(subject, { account: st.name, subject, responseType: e.responseType, responseThresholdMs: e.responseThresholdMs, accounts: approvedList(e.auth) });
    }
  }
  for (const s of specs) {
    const st = states.get(s.name) as AccountState;
    for (const im of s.streamImports ?? []) {
      const err = addStreamImport(states, st, im);
      if (err === 'missing') errors.push(`${JSON.stringify(im.account)} account not defined for stream import`);
      else if (err !== null) errors.push(`Error adding stream import ${JSON.stringify(im.subject)}: ${err}`);
    }
  }
  for (const s of specs) {
    const st = states.get(s.name) as AccountState;
    for (const im of s.serviceImports ?? []) {
      const err = addServiceImport(states, st, im);
      if (err === 'missing') errors.push(`${JSON.stringify(im.account)} account not defined for service import`);
      else if (err !== null) errors.push(`Error adding service import ${JSON.stringify(im.subject)}: ${err}`);
    }
  }

  const accounts = new Map<string, LinkedAccount>();
  for (const st of states.values()) {
    accounts.set(st.name, {
      name: st.name,
      streamExports: [...st.streamExports].map(([subject, auth]) => ({ subject, accounts: approvedList(auth) })),
      serviceExports: [...st.linkedServices.values()],
      streamImports: st.streamImports,
      serviceImports: [...st.serviceImports.values()],
    });
  }
  return { accounts, errors };
}

function approvedList(auth: ExportAuth): readonly string[] | null {
  return auth.approved === null ? null : [...auth.approved];
}

/**
 * An export's authorization after this declaration: named accounts (or a token position) restrict
 * it and add to earlier ones; a declaration naming none leaves an earlier restriction as it was.
 */
function addExportAuth(before: ExportAuth | undefined, e: ExportSpec, states: ReadonlyMap<string, AccountState>, kind: string, errors: string[]): ExportAuth | 'invalid' {
  const pos = e.accountTokenPosition ?? 0;
  if (e.accounts === undefined && pos === 0) return before ?? PUBLIC;
  if (pos > 0) {
    const tokens = e.subject.split('.');
    if (tokens.length < pos || tokens[pos - 1] !== '*') return 'invalid';
  }
  const auth: ExportAuth = before === undefined || before === PUBLIC ? { approved: null, tokenRequired: false, accountPos: 0 } : before;
  auth.accountPos = pos;
  if (e.accounts === undefined) return auth;
  if (e.accounts.length === 0) {
    auth.tokenRequired = true;
    return auth;
  }
  auth.approved ??= new Set();
  for (const name of e.accounts) {
    if (states.has(name)) auth.approved.add(name);
    else errors.push(`${JSON.stringify(name)} account not defined for ${kind} export`);
  }
  return auth;
}

function authorizes(auth: ExportAuth, importer: string, tokens: readonly string[] | null): boolean {
  if (auth.approved === null && !auth.tokenRequired && auth.accountPos === 0) return true;
  if (auth.accountPos > 0) return tokens !== null && auth.accountPos <= tokens.length && tokens[auth.accountPos - 1] === importer;
  // An activation token comes with a JWT import only; a configured import has none to show.
  if (auth.tokenRequired) return false;
  return auth.approved !== null && auth.approved.has(importer);
}

/**
 * nats-server's check: the exact subject exported, else the first export the subject falls inside;
 * that export's key when it lets `importer` in, null otherwise.
 */
function approved<T>(exports: ReadonlyMap<string, T>, authOf: (e: T) => ExportAuth, importer: string, subject: string): string | null {
  if (!isValidSubscribeSubject(subject)) return null;
  const exact = exports.get(subject);
  if (exact !== undefined) return authorizes(authOf(exact), importer, null) ? subject : null;
  const tokens = subject.split('.');
  for (const [exported, e] of exports) {
    if (isSubsetMatch(tokens, exported.split('.'))) return authorizes(authOf(e), importer, tokens) ? exported : null;
  }
  return null;
}

function isLiteral(subject: string): boolean {
  return !subject.split('.').some((t) => t === '*' || t === '>');
}

function hasWildcard(subject: string): boolean {
  return !isLiteral(subject);
}

/** `foo.*.*` -> `foo.$1.$2`: the positional form a transform's destination takes. */
function tokenize(subject: string): string {
  let i = 0;
  return subject
    .split('.')
    .map((t) => (t === '*' ? `$${++i}` : t))
    .join('.');
}

function addStreamImport(all: Lookup, importer: AccountState, im: StreamImportSpec): string | 'missing' | null {
  const exporter = all.get(im.account);
  if (exporter === undefined) return 'missing';
  const from = im.subject;
  if (approved(exporter.streamExports, (a) => a, importer.name, from) === null) return 'stream import not authorized';
  let to = im.to ?? '';
  let prefix = im.prefix ?? '';
  if (prefix !== '') {
    if (!isLiteral(prefix)) return 'stream import prefix can not contain wildcard tokens';
    if (!prefix.endsWith('.')) prefix += '.';
    to = prefix + from;
  }
  if (to === '') to = from;
  try {
    checkStreamCycles(exporter, to, new Set([importer.name]), all);
  } catch (err) {
    if (err instanceof CycleError) return err.message;
    throw err;
  }
  let transform: SubjectTransform | null = null;
  let reverse: SubjectTransform | null = null;
  let usePub = false;
  if (hasWildcard(from)) {
    if (to === from) usePub = true;
    else {
      const dest = tokenize(to);
      const parsed = SubjectTransform.parse(from, dest);
      if ('error' in parsed) return `failed to create mapping transform for stream import subject ${JSON.stringify(from)} to ${JSON.stringify(to)}: ${parsed.error}`;
      transform = parsed.transform;
      reverse = reversed(from, dest);
      to = untokenize(to);
    }
  }
  if (importer.streamImports.some((s) => s.exporter === exporter.name && s.from === from)) return 'stream import already exists';
  importer.streamImports.push({ exporter: exporter.name, from, to, prefix: prefix === '' ? null : prefix, transform, reverse, usePub });
  return null;
}

function addServiceImport(all: Lookup, importer: AccountState, im: ServiceImportSpec): string | 'missing' | null {
  const exporter = all.get(im.account);
  if (exporter === undefined) return 'missing';
  let to = im.subject;
  let from = im.to ?? to;
  if (!isValidSubscribeSubject(from) || !isValidSubscribeSubject(to)) return 'invalid subject';
  const exported = approved(exporter.serviceExports, (e) => e.auth, importer.name, to);
  // The system account's own imports are made by the server, without an authorization check.
  if (exported === null && im.internal !== true) return 'service import not authorized';
  try {
    checkServiceCycles(exporter, from, new Set([importer.name]), all);
  } catch (err) {
    if (err instanceof CycleError) return err.message;
    throw err;
  }
  const dup = importer.serviceImports.get(from);
  if (dup !== undefined) return `duplicate service import subject ${JSON.stringify(from)}, previously used in import for account ${JSON.stringify(dup.exporter)}, subject ${JSON.stringify(dup.to)}`;
  let transform: SubjectTransform | null = null;
  let usePub = false;
  if (hasWildcard(to)) {
    if (to === from) usePub = true;
    else {
      // nats-server makes the transform from the exporter's subject to the importer's and turns it
      // round, so `$n` in the importer's subject may reorder the wildcards.
      to = untokenize(to);
      const back = tokenize(from);
      if ('error' in SubjectTransform.parse(to, back)) return `failed to create mapping transform for service import subject ${JSON.stringify(from)} to ${JSON.stringify(to)}: invalid subject`;
      transform = reversed(to, back);
      from = untokenize(from);
      if (transform === null) return `failed to create mapping transform for service import subject ${JSON.stringify(from)} to ${JSON.stringify(to)}: invalid subject`;
    }
  }
  const linked = exported === null ? null : (exporter.linkedServices.get(exported) ?? null);
  const exp: LinkedServiceExport = linked ?? { account: exporter.name, subject: to, responseType: ResponseType.Singleton, responseThresholdMs: DEFAULT_RESPONSE_THRESHOLD_MS, accounts: null };
  importer.serviceImports.set(from, { exporter: exporter.name, from, to, transform, usePub, share: im.share === true, export: exp });
  return null;
}

/**
 * The transform that undoes `src -> dest` (dest positional, `$n`): from dest's pattern back to src,
 * each `*` of src taking the placeholder in the order dest uses them (nats-server's reverse()).
 */
function reversed(src: string, dest: string): SubjectTransform | null {
  const placeholders = dest.split('.').filter(isPlaceholder);
  let k = 0;
  const back = src
    .split('.')
    .map((t) => (t === '*' ? (placeholders[k++] ?? '*') : t))
    .join('.');
  const parsed = SubjectTransform.parse(untokenize(dest), back);
  return 'transform' in parsed ? parsed.transform : null;
}

function isPlaceholder(t: string): boolean {
  return t.length > 1 && t[0] === '$' && t[1]! >= '1' && t[1]! <= '9';
}

/** `foo.$1.$2` -> `foo.*.*`. */
function untokenize(subject: string): string {
  return subject
    .split('.')
    .map((t) => (isPlaceholder(t) ? '*' : t))
    .join('.');
}

type Lookup = ReadonlyMap<string, AccountState>;

function checkServiceCycles(acc: AccountState, from: string, visited: Set<string>, lookup: Lookup): void {
  if (visited.size >= CYCLE_SEARCH_DEPTH) throw new CycleError('search cycle depth exhausted');
  for (const si of acc.serviceImports.values()) {
    if (!subjectsCollide(from, si.to)) continue;
    if (visited.has(si.exporter)) throw new CycleError('import forms a cycle');
    visited.add(acc.name);
    let next = from;
    if (subjectIsSubsetOf(si.from, from)) next = si.from;
    const exporter = lookup.get(si.exporter);
    if (exporter !== undefined) checkServiceCycles(exporter, next, visited, lookup);
  }
}

function checkStreamCycles(acc: AccountState, to: string, visited: Set<string>, lookup: Lookup): void {
  if (visited.size >= CYCLE_SEARCH_DEPTH) throw new CycleError('search cycle depth exhausted');
  let exported = false;
  for (const subject of acc.streamExports.keys()) {
    if (subjectIsSubsetOf(to, subject)) {
      exported = true;
      break;
    }
  }
  if (!exported) return;
  for (const si of acc.streamImports) {
    if (!subjectsCollide(to, si.to)) continue;
    if (visited.has(si.exporter)) throw new CycleError('import forms a cycle');
    visited.add(acc.name);
    let next = to;
    if (subjectIsSubsetOf(si.to, to)) next = si.to;
    const exporter = lookup.get(si.exporter);
    if (exporter !== undefined) checkStreamCycles(exporter, next, visited, lookup);
  }
}

/** What a user asks for its own details, and the system account's subject for each account's users. */
const USER_INFO = '$SYS.REQ.USER.INFO';
const USER_INFO_EXPORT = '$SYS.REQ.USER.*.INFO';

/**
 * `specs` with what the system account adds (nats-server's addSystemAccountExports and
 * registerSystemImports): it exports each account's CONNZ and STATZ requests, the account's own name
 * in the subject's fourth token, and every other account imports them under the PING subjects, so
 * that a client of any account can ask about its own account; likewise `$SYS.REQ.USER.INFO`, with
 * the requester's details shared.
 */
export function withSystemLinks(specs: readonly AccountLinksSpec[], system: string, names: readonly string[]): AccountLinksSpec[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const out: AccountLinksSpec[] = [];
  for (const name of new Set([...names, ...byName.keys()])) {
    const spec = byName.get(name) ?? { name };
    if (name === system) {
      // An export of its own that covers one of these stays as configured (nats-server's hasServiceExportMatching).
      const own = spec.serviceExports ?? [];
      const exports: ServiceExportSpec[] = ['CONNZ', 'STATZ']
        .map((ep) => `$SYS.REQ.ACCOUNT.*.${ep}`)
        .filter((subject) => !own.some((e) => subjectIsSubsetOf(subject, e.subject)))
        .map((subject) => ({ subject, responseType: ResponseType.Streamed, accountTokenPosition: 4 }));
      // A user's own details (nats-server 2.10's $SYS.REQ.USER.INFO), open to every account.
      if (!own.some((e) => subjectIsSubsetOf(USER_INFO_EXPORT, e.subject))) exports.push({ subject: USER_INFO_EXPORT });
      out.push({ ...spec, serviceExports: [...own, ...exports] });
      continue;
    }
    const own = new Set((spec.serviceImports ?? []).map((im) => im.to ?? im.subject));
    const imports: ServiceImportSpec[] = [
      { account: system, subject: `$SYS.REQ.ACCOUNT.${name}.CONNZ`, to: '$SYS.REQ.ACCOUNT.PING.CONNZ', internal: true },
      { account: system, subject: `$SYS.REQ.ACCOUNT.${name}.CONNZ`, to: '$SYS.REQ.SERVER.PING.CONNZ', internal: true },
      { account: system, subject: `$SYS.REQ.ACCOUNT.${name}.STATZ`, to: '$SYS.REQ.ACCOUNT.PING.STATZ', internal: true },
      { account: system, subject: `$SYS.REQ.USER.${name}.INFO`, to: USER_INFO, internal: true, share: true },
    ].filter((im) => !own.has(im.to));
    out.push({ ...spec, serviceImports: [...(spec.serviceImports ?? []), ...imports] });
  }
  return out;
}
