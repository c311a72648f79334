// What every endpoint handler gets for one request.

import type { ProcessUsage } from './process-usage.js';
import type { Query } from './query.js';
import type { MonitorSource } from './source.js';

export interface EndpointContext {
  readonly source: MonitorSource;
  readonly query: Query;
  /** Epoch milliseconds of this request, fraction included. */
  readonly nowMs: number;
  readonly usage: ProcessUsage;
  /** Requests served per endpoint path (this one included), for /varz http_req_stats. */
  readonly requestCounts: ReadonlyMap<string, number>;
  /** Answer without indentation: a system account request's answer (HTTP answers are indented). */
  readonly compact: boolean;
}

/** What a handler answers; the HTTP layer adds JSONP and headers. */
export type EndpointReply =
  | { readonly kind: 'json'; readonly status: number; readonly body: string }
  | { readonly kind: 'html'; readonly body: string };

export type EndpointHandler = (ctx: EndpointContext) => EndpointReply;
