// An account without JetStream, on a server with it: every $JS.API request is answered with 10039
// in the reply type of the verb asked, as nats-server answers it, so clients learn why at once.

import { ConnectionKind } from '../core/index.js';
import type { Account, Connection, InternalClient, Router } from '../core/index.js';
import type { PubFrame } from '../protocol/nats/index.js';
import { Advisories } from './advisories.js';
import type { AdvisoryOrigin } from './advisories.js';
import { apiErrorResponse, ResponseType } from './api-envelope.js';
import { apiError } from './errors.js';

const API_PREFIX = '$JS.API.';

/** The reply type of each verb (by its first tokens); verbs not listed get no answer. */
const VERB_TYPES: ReadonlyMap<string, ResponseType> = new Map([
  ['INFO', ResponseType.AccountInfo],
  ['STREAM.CREATE', ResponseType.StreamCreate],
  ['STREAM.UPDATE', ResponseType.StreamUpdate],
  ['STREAM.INFO', ResponseType.StreamInfo],
  ['STREAM.NAMES', ResponseType.StreamNames],
  ['STREAM.LIST', ResponseType.StreamList],
  ['STREAM.DELETE', ResponseType.StreamDelete],
  ['STREAM.PURGE', ResponseType.StreamPurge],
  ['STREAM.MSG.GET', ResponseType.StreamMsgGet],
  ['STREAM.MSG.DELETE', ResponseType.StreamMsgDelete],
  ['CONSUMER.CREATE', ResponseType.ConsumerCreate],
  ['CONSUMER.DURABLE', ResponseType.ConsumerCreate],
  ['CONSUMER.INFO', ResponseType.ConsumerInfo],
  ['CONSUMER.NAMES', ResponseType.ConsumerNames],
  ['CONSUMER.LIST', ResponseType.ConsumerList],
  ['CONSUMER.DELETE', ResponseType.ConsumerDelete],
]);

export class NotEnabledResponder {
  private readonly client: InternalClient;
  private readonly advisories: Advisories;

  constructor(router: Router, account: Account, origin: AdvisoryOrigin) {
    this.client = router.createInternalClient(ConnectionKind.JetStream, account, `JetStream ${account.name} (not enabled)`);
    this.advisories = new Advisories(this.client, origin);
    this.client.subscribe(`${API_PREFIX}>`, null, (msg, _sub, from) => this.answer(msg, from));
  }

  private answer(msg: PubFrame, from: Connection): void {
    if (msg.reply === '') return;
    const tokens = msg.subject.slice(API_PREFIX.length).split('.');
    const type = VERB_TYPES.get(tokens.slice(0, 3).join('.')) ?? VERB_TYPES.get(tokens.slice(0, 2).join('.')) ?? VERB_TYPES.get(tokens[0]);
    if (type === undefined) return;
    const json = apiErrorResponse(type, apiError('NotEnabledForAccount'));
    this.client.answer(msg.reply, null, Buffer.from(json, 'utf8'));
    // nats-server audits this answer too, into the account that asked.
    this.advisories.apiAudit(from, msg.subject, msg.data.subarray(msg.start + msg.hdrLen, msg.end), json);
  }

  stop(): void {
    this.client.close('Server Shutdown');
  }
}
