// Checks on a complete option set that no single setting can make (nats-server's validateOptions):
// run on the config file merged over the defaults, and again by the server after flags are applied.

import type { SourcePos } from './conf-tree.js';
import { formatPos } from './conf-tree.js';
import { formatGoDuration, subjectsCollide } from '../util/index.js';
import type { Options } from './options.js';

/** Where a config key (lower-case nats-server name, e.g. "max_payload") was set, if it came from a file. */
export type PositionOf = (configKey: string) => SourcePos | undefined;

const NOWHERE: PositionOf = () => undefined;

/** Problems with the option set, one message each; empty when valid. */
export function validateOptions(opts: Options, positionOf: PositionOf = NOWHERE): string[] {
  const problems: string[] = [];
  const report = (configKey: string, message: string): void => {
    const pos = positionOf(configKey);
    problems.push(pos === undefined ? message : `${formatPos(pos)}: ${message}`);
  };

  if (opts.lameDuckDurationMs > 0 && opts.lameDuckGracePeriodMs >= opts.lameDuckDurationMs) {
    report(
      'lame_duck_grace_period',
      `lame duck grace period (${formatGoDuration(opts.lameDuckGracePeriodMs)}) should be strictly lower than ` +
        `lame duck duration (${formatGoDuration(opts.lameDuckDurationMs)})`,
    );
  }
  if (opts.maxPayload > opts.maxPending) {
    report('max_payload', `max_payload (${opts.maxPayload}) cannot be higher than max_pending (${opts.maxPending})`);
  }

  const domain = opts.jetstream?.domain ?? '';
  if (domain !== '') {
    const api = `$JS.${domain}.API.>`;
    if (!isValidSubject(api)) report('jetstream', `invalid domain name: derived ${JSON.stringify(api)} is not a valid subject`);
    else if (/[ \t\r\n\f.*>]/.test(domain)) report('jetstream', 'invalid domain name: may not contain ., * or >');
  }

  const noAuthUser = noAuthUserProblem(opts, opts.auth.noAuthUser);
  if (noAuthUser !== undefined) report('no_auth_user', noAuthUser);

  const mqtt = opts.mqtt;
  if (mqtt !== undefined) {
    const mqttNoAuthUser = noAuthUserProblem(opts, mqtt.noAuthUser);
    if (mqttNoAuthUser !== undefined) report('mqtt', mqttNoAuthUser);
    const hasUsers =
      opts.auth.users.length > 0 ||
      (opts.auth.nkeys?.length ?? 0) > 0 ||
      opts.accounts.some((account) => account.users.length > 0 || (account.nkeys?.length ?? 0) > 0);
    if (hasUsers && mqtt.auth?.user) report('mqtt', 'mqtt authentication username not compatible with presence of users/nkeys');
    if (hasUsers && mqtt.auth?.token) report('mqtt', 'mqtt authentication token not compatible with presence of users/nkeys');
  }
  const uplink = opts.uplink;
  if (uplink !== undefined) {
    if (opts.jetstream === undefined) report('uplink', 'uplink keeps its backlog in a local stream: it needs JetStream (-js or a jetstream block)');
    const account = uplink.account ?? '$G';
    if (!opts.leafnodes?.remotes.some((r) => (r.account ?? '$G') === account)) report('uplink', `uplink forwards over a leafnode remote of account ${JSON.stringify(account)}, and none is configured`);
    // A forwarded message is published under the prefix: were that captured again, it would loop.
    const prefix = uplink.prefix ?? `${uplink.name !== '' ? uplink.name : opts.serverName}.`;
    for (const s of uplink.subjects) {
      if (prefix !== '.' && uplink.subjects.some((c) => subjectsCollide(`${prefix}${s}`, c))) report('uplink', `uplink prefix ${JSON.stringify(prefix)} puts ${JSON.stringify(s)} back under the captured subjects`);
    }
  }
  const leaf = opts.leafnodes;
  if (leaf !== undefined && opts.operatorMode === undefined) {
    const known = new Set(['$G', ...opts.accounts.map((a) => a.name)]);
    const bound = [leaf.auth?.account, ...(leaf.auth?.users ?? []).map((u) => u.account), ...leaf.remotes.map((r) => r.account)];
    for (const name of bound) {
      if (name !== undefined && !known.has(name)) report('leafnodes', `leafnode account ${JSON.stringify(name)} not found`);
    }
  }
  return problems;
}

/** nats-server's validateNoAuthUser: the user must be one of the configured users (top-level or in an account). */
function noAuthUserProblem(opts: Options, noAuthUser: string | undefined): string | undefined {
  if (noAuthUser === undefined || noAuthUser === '') return undefined;
  const users = [...opts.auth.users, ...opts.accounts.flatMap((account) => account.users)];
  if (users.length === 0) return `no_auth_user: ${JSON.stringify(noAuthUser)} present, but users are not defined`;
  if (users.some((u) => u.user === noAuthUser)) return undefined;
  return `no_auth_user: ${JSON.stringify(noAuthUser)} not present as user in authorization block or account configuration`;
}

/** nats-server's IsValidSubject: no empty token, no whitespace, `>` only last. */
function isValidSubject(subject: string): boolean {
  const tokens = subject.split('.');
  return tokens.every((token, i) => token !== '' && !/[ \t\n\f\r]/.test(token) && (token !== '>' || i === tokens.length - 1));
}
