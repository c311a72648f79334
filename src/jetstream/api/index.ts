// The $JS.API verbs, keyed by their first one or two tokens (STREAM.CREATE, INFO, ...). A verb not
// listed gets no answer, as from nats-server.

import { accountInfo } from './account-info.js';
import { consumerCreate } from './consumer-create.js';
import { consumerDelete, consumerInfoApi, consumerList, consumerMsgNext, consumerNames } from './consumer-info.js';
import type { ApiHandler } from './request.js';
import { streamCreate, streamUpdate } from './stream-create.js';
import { streamDelete } from './stream-delete.js';
import { streamInfoApi } from './stream-info.js';
import { streamList, streamNames } from './stream-list.js';
import { streamMsgDelete } from './stream-msg-delete.js';
import { streamMsgGet } from './stream-msg-get.js';
import { streamPurge } from './stream-purge.js';

export const API_HANDLERS: ReadonlyMap<string, ApiHandler> = new Map([
  ['INFO', accountInfo],
  ['STREAM.CREATE', streamCreate],
  ['STREAM.UPDATE', streamUpdate],
  ['STREAM.INFO', streamInfoApi],
  ['STREAM.NAMES', streamNames],
  ['STREAM.LIST', streamList],
  ['STREAM.DELETE', streamDelete],
  ['STREAM.PURGE', streamPurge],
  ['STREAM.MSG', streamMsgVerb],
  ['CONSUMER.CREATE', consumerCreate],
  ['CONSUMER.DURABLE', consumerCreate],
  ['CONSUMER.INFO', consumerInfoApi],
  ['CONSUMER.NAMES', consumerNames],
  ['CONSUMER.LIST', consumerList],
  ['CONSUMER.DELETE', consumerDelete],
  ['CONSUMER.MSG', consumerMsgNext],
]);

/** STREAM.MSG.GET and STREAM.MSG.DELETE share their first two tokens. */
function streamMsgVerb(...args: Parameters<ApiHandler>): void {
  const [, req] = args;
  if (req.tokens[2] === 'GET') return streamMsgGet(...args);
  if (req.tokens[2] === 'DELETE') return streamMsgDelete(...args);
}
