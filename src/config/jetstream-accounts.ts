// Which accounts get JetStream, and with what limits, as nats-server 2.9.10 decides at start and on every
// reload (Server.Start, enableJetStreamAccounts, globalAccountOnly, configJetStream).

import { GLOBAL_ACCOUNT } from '../util/index.js';
import type { JetStreamAccountLimits, Options } from './options.js';
import { UNLIMITED_ACCOUNT_JETSTREAM } from './options.js';

export type JetStreamAccounts =
  | { readonly ok: true; readonly limits: ReadonlyMap<string, JetStreamAccountLimits> }
  | { readonly ok: false; readonly error: string };

/**
 * With JetStream off, no account has it. With it on and no account declared besides the system account, the
 * global account ($G) has it, unlimited. Once any other account is declared, exactly the accounts whose config
 * says `jetstream` have it ($G then has none). The system account may never have it: nats-server refuses to start.
 */
export function jetStreamAccounts(opts: Options): JetStreamAccounts {
  const limits = new Map<string, JetStreamAccountLimits>();
  if (opts.jetstream === undefined) return { ok: true, limits };
  if (opts.accounts.some((account) => account.name === opts.systemAccount && account.jetstream !== undefined)) {
    return { ok: false, error: 'Not allowed to enable JetStream on the system account' };
  }
  const others = opts.accounts.filter((account) => account.name !== opts.systemAccount);
  if (others.length === 0) {
    limits.set(GLOBAL_ACCOUNT, UNLIMITED_ACCOUNT_JETSTREAM);
  } else {
    for (const account of others) if (account.jetstream !== undefined) limits.set(account.name, account.jetstream);
  }
  return { ok: true, limits };
}
