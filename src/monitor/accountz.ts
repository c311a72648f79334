// /accountz: the account names, or with acc=<name> that account's detail.

import type { Account, Router } from '../core/index.js';
import type { EndpointContext, EndpointReply } from './context.js';
import type { JetStreamMonitorSource } from './jetstream-source.js';
import { BadRequestError } from './errors.js';
import { rfc3339Nano } from './format.js';
import { indentedJson } from './json.js';

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
  if (accName === '') return reply({ ...head, accounts: [...router.accounts.keys()] });
  const account = router.findAccount(accName);
  if (account === null) throw new BadRequestError(`Account ${accName} does not exist`);
  return reply({ ...head, account_detail: accountDetail(account, router, source.configLoadTime, source.jetStreamSource) });
}

/**
 * Accounts are (re)built from the configuration, so its load time is when each was last updated.
 * This server has no JWT accounts, imports or exports yet, so those fields stay out.
 */
function accountDetail(account: Account, router: Router, updated: Date, js: JetStreamMonitorSource | null): Record<string, unknown> {
  let clients = 0;
  let leafs = 0;
  for (const conn of account.conns) {
    if (conn.type === 'LEAFNODE') leafs++;
    else clients++;
  }
  return {
    account_name: account.name,
    update_time: rfc3339Nano(updated.getTime()),
    ...(account.name === router.systemAccount ? { is_system: true } : {}),
    expired: false,
    complete: true,
    jetstream_enabled: js?.isEnabledFor(account.name) === true,
    leafnode_connections: leafs,
    client_connections: clients,
    subscriptions: account.sublist.size,
    ...(account.mappings !== null && { mappings: account.mappings.describe() }),
    sublist_stats: account.sublist.stats(),
  };
}

function reply(body: object): EndpointReply {
  return { kind: 'json', status: 200, body: indentedJson(body) };
}
