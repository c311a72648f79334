// /accountz: the account names, or with acc=<name> that account's detail.

import type { Account, Router, ServiceImport } from '../core/index.js';
import type { AccountJwtInfo } from '../util/index.js';
import type { EndpointContext, EndpointReply } from './context.js';
import type { JetStreamMonitorSource } from './jetstream-source.js';
import { BadRequestError } from './errors.js';
import { rfc3339Nano } from './format.js';
import { jsonReply } from './json.js';

export function accountz(ctx: EndpointContext): EndpointReply {
  const { source } = ctx;
  const router = source.router;
  const accName = ctx.query.string('acc');
  const systemAccount = router.accounts.has(router.systemAccount) ? router.systemAccount : '';
  const head = {
    server_id: source.id,
    now: rfc3339Nano(ctx.nowMs),
    ...(systemAccount !== '' ? { system_account: systemAccount } : {}),
  };
  if (accName === '') return jsonReply(ctx, { ...head, accounts: [...router.accounts.keys()] });
  const account = router.findAccount(accName);
  if (account === null) throw new BadRequestError(`Account ${accName} does not exist`);
  return jsonReply(ctx, { ...head, account_detail: accountDetail(account, router, source.configLoadTime, source.jetStreamSource, source.accountJwt(account.name)) });
}

/**
 * Accounts are (re)built from the configuration, so its load time is when each was last updated.
 * Exports list services before streams and imports streams before services, as nats-server does.
 */
export function accountDetail(account: Account, router: Router, updated: Date, js: JetStreamMonitorSource | null, claim: AccountJwtInfo | null): Record<string, unknown> {
  let clients = account.devices.size;
  let leafs = 0;
  for (const conn of account.conns) {
    if (conn.type === 'LEAFNODE') leafs++;
    else clients++;
  }
  return {
    account_name: account.name,
    update_time: rfc3339Nano(updated.getTime()),
    ...(account.name === router.systemAccount ? { is_system: true } : {}),
    expired: claim !== null && claim.expires > 0 && claim.expires * 1000 <= Date.now(),
    complete: true,
    jetstream_enabled: js?.isEnabledFor(account.name) === true,
    leafnode_connections: leafs,
    client_connections: clients,
    subscriptions: account.sublist.size,
    ...(account.mappings !== null && { mappings: account.mappings.describe() }),
    ...exportsOf(account),
    ...importsOf(account),
    ...(claim !== null && jwtDetails(claim)),
    sublist_stats: account.sublist.stats(),
    ...responsesOf(account),
  };
}

/**
 * An account JWT's token, signer, name and tags, and its revoked users with the time each is revoked
 * from (in UTC; nats-server writes the server's zone, the same on a gateway running in UTC).
 */
function jwtDetails(claim: AccountJwtInfo): Record<string, unknown> {
  const revoked = Object.entries(claim.revocations);
  return {
    jwt: claim.jwt,
    issuer_key: claim.issuerKey,
    ...(claim.nameTag !== '' && { name_tag: claim.nameTag }),
    ...(claim.tags.length > 0 && { tags: claim.tags }),
    ...(revoked.length > 0 && { revoked_user: Object.fromEntries(revoked.map(([key, s]) => [key, rfc3339Nano(s * 1000)])) }),
  };
}

function exportsOf(account: Account): { exports?: object[] } {
  const exports: object[] = [
    ...account.serviceExports.map((e) => ({ subject: e.subject, type: 'service', response_type: e.responseType, ...approved(e.accounts) })),
    ...account.streamExports.map((e) => ({ subject: e.subject, type: 'stream', ...approved(e.accounts) })),
  ];
  return exports.length > 0 ? { exports } : {};
}

function approved(accounts: readonly string[] | null): { approved_accounts?: readonly string[] } {
  return accounts !== null && accounts.length > 0 ? { approved_accounts: accounts } : {};
}

function importsOf(account: Account): { imports?: object[] } {
  const imports: object[] = [
    ...account.streamImports.map((im) => ({ subject: im.from, account: im.exporter.name, local_subject: im.to, type: 'stream', invalid: false, share: false, tracking: false })),
    ...account.serviceImports.map(serviceImport),
  ];
  return imports.length > 0 ? { imports } : {};
}

function serviceImport(si: ServiceImport): object {
  return { subject: si.from, account: si.target.name, to: si.to, type: 'service', invalid: false, share: si.share, tracking: false };
}

/** Answers through an import still awaited, by their reply subject. */
function responsesOf(account: Account): { responses?: Record<string, object> } {
  if (account.responses.size === 0) return {};
  const responses: Record<string, object> = {};
  for (const [subject, rsi] of account.responses) responses[subject] = serviceImport(rsi);
  return { responses };
}
