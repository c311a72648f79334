// $JS.API.INFO: what the account stores and may store, and how many API calls it made.

import { ResponseType } from '../api-envelope.js';
import type { ApiHandler } from './request.js';

export const accountInfo: ApiHandler = (acc, req) => {
  const usage = acc.usage();
  acc.respond(req.reply, ResponseType.AccountInfo, {
    memory: usage.memory,
    storage: usage.storage,
    streams: usage.streams,
    consumers: usage.consumers,
    limits: acc.limitsJson(),
    domain: acc.domain === '' ? undefined : acc.domain,
    api: { total: acc.apiTotal, errors: acc.apiErrors },
  });
};
