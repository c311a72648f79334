// JetStream inside one account: the internal client that listens on $JS.API.> and captures the
// streams' subjects, the streams themselves, and the API counters. Accounts never see each other's
// streams: each has its own client, its own subject space and its own folder.

import type { Account, Connection, InternalClient, Router } from '../core/index.js';
import { ConnectionKind } from '../core/index.js';
import type { PubFrame } from '../protocol/nats/index.js';
import { Advisories } from './advisories.js';
import type { AdvisoryOrigin } from './advisories.js';
import { API_HANDLERS } from './api/index.js';
import type { ApiRequest } from './api/request.js';
import { apiErrorResponse, apiResponse, parseApiBody } from './api-envelope.js';
import type { ResponseType } from './api-envelope.js';
import { apiError, isApiError } from './errors.js';
import type { ApiError } from './errors.js';
import type { StructFields } from './go-decode.js';
import type { JsonValue } from './json.js';
import { limitsJson } from './account-limits.js';
import type { AccountLimits } from './account-limits.js';
import type { StreamStores } from './stream-stores.js';
import { Stream } from './stream.js';
import type { StreamConfig, StreamConfigContext } from './stream-config.js';

const API_PREFIX = '$JS.API.';
const API_SUBJECT = '$JS.API.>';

export interface JsAccountLog {
  error(msg: string): void;
  warn(msg: string): void;
  info(msg: string): void;
}

export class JsAccount {
  readonly account: Account;
  readonly client: InternalClient;
  /** Consumers' deliveries go out through it. */
  readonly streams = new Map<string, Stream>();
  readonly stores: StreamStores;
  readonly log: JsAccountLog;
  readonly advisories: Advisories;
  apiTotal = 0;
  apiErrors = 0;
  /** The request being answered, which the API audit advisory repeats; null outside a handler. */
  private answering: { subject: string; body: Buffer; from: Connection } | null = null;
  private readonly onApi = (msg: PubFrame, _sub: unknown, from: Connection): void => this.api(msg, from);

  readonly limits: AccountLimits;
  /** The server's JetStream domain ('' = none): PubAcks, stream and account infos name it. */
  readonly domain: string;

  constructor(router: Router, account: Account, stores: StreamStores, limits: AccountLimits, log: JsAccountLog, origin: AdvisoryOrigin) {
    this.account = account;
    this.domain = origin.domain;
    this.stores = stores;
    this.limits = limits;
    this.log = log;
    this.client = router.createInternalClient(ConnectionKind.JetStream, account, `JetStream ${account.name}`);
    this.advisories = new Advisories(this.client, origin);
  }

  /** Recovers the account's streams from its folder, then starts answering the API. */
  start(): void {
    for (const recovered of this.stores.recover(this.context(true))) {
      const stream = new Stream(this, recovered.config, recovered.store, recovered.createdNs);
      this.streams.set(stream.name, stream);
      stream.recoverMsgIds();
      stream.recoverSources();
      stream.attach();
    }
    // Every origin is back before any mirror or source starts reading it.
    this.linkSources();
    this.client.subscribe(API_SUBJECT, null, this.onApi);
  }

  /**
   * Links each mirror and source to its origin stream once the account has it: after the recovery,
   * and whenever a stream is created or updated (an origin created after its mirror, or deleted and
   * created again, is picked up, as nats-server's retries would). An external origin's reader starts
   * asking the other domain for a consumer, and retries on its own.
   */
  linkSources(): void {
    for (const stream of this.streams.values()) {
      for (const r of stream.readers) {
        // nats-server links a mirror or source by creating a consumer through its own API, which the
        // account's API counters show; /jsz and INFO count a local link the same way here.
        if (r.connect(this.streams)) this.apiTotal++;
      }
    }
  }

  stop(): void {
    for (const stream of this.streams.values()) stream.close();
    this.streams.clear();
    this.client.close('Server Shutdown');
  }

  private api(msg: PubFrame, from: Connection): void {
    const reply = msg.reply;
    // Requests without a reply subject have nobody to answer (nats-server ignores them too).
    if (reply === '') return;
    const tokens = msg.subject.slice(API_PREFIX.length).split('.');
    const handler = API_HANDLERS.get(tokens[0] === 'STREAM' || tokens[0] === 'CONSUMER' || tokens[0] === 'DIRECT' ? `${tokens[0]}.${tokens[1]}` : tokens[0]);
    // Unknown verbs get no answer at all, as from nats-server.
    if (handler === undefined) return;
    const req: ApiRequest = { tokens, reply, body: msg.data.subarray(msg.start + msg.hdrLen, msg.end) };
    // Saved and restored: an answer delivered in-process may carry a request of its own.
    const outer = this.answering;
    this.answering = { subject: msg.subject, body: req.body, from };
    try {
      handler(this, req);
    } finally {
      this.answering = outer;
    }
  }

  /** The request's JSON body; an empty body is `null`. Undefined after answering `invalid JSON`. */
  body(req: ApiRequest, type: ResponseType): JsonValue | undefined {
    if (req.body.length === 0) return null;
    const json = parseApiBody(req.body);
    if (!isApiError(json)) return json;
    this.fail(req.reply, type, json);
    return undefined;
  }

  // The API counters count answers as nats-server does: a success counts in `total`, an error in
  // `total` and `errors`; a request left unanswered counts nowhere.

  /**
   * The request's body decoded into `target` (an empty body leaves it as it is), or undefined after
   * answering `invalid JSON` as nats-server does for a body its decoder refuses.
   */
  decodeBody<T>(req: ApiRequest, type: ResponseType, fields: StructFields<T>, target: T): T | undefined {
    const body = this.body(req, type);
    if (body === undefined) return undefined;
    if (fields.tryDecode(target, body)) return target;
    this.fail(req.reply, type, apiError('InvalidJSON'));
    return undefined;
  }

  respond(reply: string, type: ResponseType, members: Record<string, unknown>): void {
    this.apiTotal++;
    this.answer(reply, apiResponse(type, members));
  }

  /** An error answer, with the zero members nats-server writes beside the error for that reply type. */
  fail(reply: string, type: ResponseType, err: ApiError): void {
    this.apiTotal++;
    this.apiErrors++;
    this.answer(reply, apiErrorResponse(type, err));
  }

  /** An error that nats-server answers as a plain response: counted in `total` only (MSG.DELETE's store errors). */
  failAsResponse(reply: string, type: ResponseType, err: ApiError): void {
    this.apiTotal++;
    this.answer(reply, apiErrorResponse(type, err));
  }

  /** Sends an API answer, then its audit advisory, as nats-server's sendAPIResponse does. */
  private answer(reply: string, json: string): void {
    this.send(reply, json);
    const req = this.answering;
    if (req !== null) this.advisories.apiAudit(req.from, req.subject, req.body, json);
  }

  send(reply: string, json: string): void {
    this.client.answer(reply, null, Buffer.from(json, 'utf8'));
  }

  /** What the config checks need to know about the account's other streams. */
  context(recovering = false): StreamConfigContext {
    return {
      lookupStream: (name: string): StreamConfig | undefined => this.streams.get(name)?.config,
      recovering,
    };
  }

  usage(): { memory: number; storage: number; streams: number; consumers: number } {
    let memory = 0;
    let storage = 0;
    let consumers = 0;
    for (const stream of this.streams.values()) {
      consumers += stream.consumerCount;
      const bytes = stream.store.state().bytes;
      if (stream.config.storage === 'memory') memory += bytes;
      else storage += bytes;
    }
    return { memory, storage, streams: this.streams.size, consumers };
  }

  limitsJson(): Record<string, unknown> {
    return limitsJson(this.limits);
  }
}
