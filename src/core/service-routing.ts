// Requests through service imports and their answers (nats-server's processServiceImport): a request
// goes into the exporting account with a reply subject of that account's (`_R_.<prefix>.<token>`) and
// the requester's details in a Nats-Request-Info header; the responder's answer on that reply comes
// back to the requester's own reply subject, once for a singleton service, until the threshold
// passes or an empty message ends it for a streamed or chunked one. Nothing else crosses.

import { clientInfoJson, randomBase62, ResponseType } from '../util/index.js';
import { appendHeaders, encodeHeaders, headerValue, removeHeader } from '../protocol/nats/index.js';
import type { PubFrame } from '../protocol/nats/index.js';
import type { Account } from './account.js';
import { ClientConnection } from './client-connection.js';
import { ConnectionKind } from './connection.js';
import type { Connection } from './connection.js';
import { FrameView } from './frame-view.js';
import type { InternalClient } from './internal-client.js';
import { ServiceImport } from './service-import.js';
import type { ServiceExport } from './service-import.js';

/** The header nats-server puts the requester's details in. */
const REQUEST_INFO = 'Nats-Request-Info';
const JS_ACK_PREFIX = '$JS.ACK.';
/** The longest delay a timer takes (2^31 - 1 ms); a longer one would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** What ServiceRouting needs of the router. */
export interface ServiceRouter {
  /** Delivers `f` to `acc`'s subscriptions as a message that came through a service import. */
  routeImported(acc: Account, pub: Connection, f: PubFrame, oneOff: boolean): number;
  /** The internal client that holds an account's import and response subscriptions. */
  accountClient(acc: Account): InternalClient;
  readonly serverName: string;
}

export class ServiceRouting {
  private readonly router: ServiceRouter;
  /**
   * Imports being crossed by the deliveries in progress, with whose publish crosses each: a publish
   * that comes round to an export it already crossed stops there (an answer published from inside a
   * delivery is another publish).
   */
  private readonly chain: ServiceImport[] = [];
  private readonly chainPubs: Connection[] = [];
  private readonly views: FrameView[] = [];
  /** The last request info made for a requester (unshared, outside a chain), while its RTT stays. */
  private readonly infoCache = new WeakMap<Connection, { rtt: number; target: Account; json: string }>();

  constructor(router: ServiceRouter) {
    this.router = router;
  }

  /** Subscribes an account's service import on its subject. */
  listen(si: ServiceImport): void {
    si.sub = this.router.accountClient(si.owner).subscribe(si.from, null, (f, _sub, pub) => this.cross(si, f, pub));
  }

  /** A message on an import's subject (a request), or on a pending response's `_R_` subject (an answer). */
  cross(si: ServiceImport, f: PubFrame, pub: Connection): void {
    const chain = this.chain;
    for (let i = chain.length - 1; i >= 0; i--) if ((chain[i] as ServiceImport).export === si.export && this.chainPubs[i] === pub) return;
    let reply = '';
    let rsi: ServiceImport | null = null;
    if (f.reply !== '') {
      // A pull consumer's acks keep their subject: the requester acks through an import of its own.
      if (f.reply.startsWith(JS_ACK_PREFIX)) reply = f.reply;
      else {
        rsi = this.addResponse(si, f.reply);
        reply = rsi.from;
      }
    }
    let to = si.isResponse ? si.to : si.targetSubject(f.subject);
    const mappings = si.target.mappings;
    if (mappings !== null) to = mappings.map(to) ?? to;

    const view = (this.views[chain.length] ??= new FrameView()).show(f, to);
    view.setReply(reply);
    if (!si.isResponse) {
      const info = this.requestInfo(si, f, pub);
      if (info !== null) withHeader(view, f, info);
    }
    chain.push(si);
    this.chainPubs.push(pub);
    let delivered: number;
    try {
      delivered = this.router.routeImported(si.target, pub, view, si.isResponse);
    } finally {
      chain.pop();
      this.chainPubs.pop();
      view.release();
    }

    const streamed = si.responseType !== ResponseType.Singleton;
    if (streamed && delivered > 0) si.ts = Date.now();
    if (delivered === 0) {
      if (si.isResponse) this.removeResponse(si);
      else if (rsi !== null) this.removeResponse(rsi);
    } else if (si.isResponse && (!streamed || f.end - f.start === 0)) this.removeResponse(si);
  }

  /** The answer to a request that left `si.owner` with `reply`: a response import the other way. */
  private addResponse(si: ServiceImport, reply: string): ServiceImport {
    const responder = si.target;
    const requester = si.owner;
    const from = this.newReply(responder);
    const rsi = new ServiceImport(responder, requester, from, reply, null, false, si.share, si.export, true);
    rsi.ts = Date.now();
    responder.responses.set(from, rsi);
    si.export.pending.add(rsi);
    const waiting = requester.awaitedReplies.get(reply);
    if (waiting === undefined) requester.awaitedReplies.set(reply, [rsi]);
    else waiting.push(rsi);
    this.watchThreshold(si.export);
    return rsi;
  }

  private removeResponse(rsi: ServiceImport): void {
    if (!rsi.dropResponse()) return;
    const awaited = rsi.target.awaitedReplies;
    const waiting = awaited.get(rsi.to);
    if (waiting === undefined) return;
    const at = waiting.indexOf(rsi);
    if (at >= 0) waiting.splice(at, 1);
    if (waiting.length === 0) awaited.delete(rsi.to);
  }

  /** `_R_.<account prefix>.<6 random>`; the first one subscribes the account's `_R_.<prefix>.>`. */
  private newReply(acc: Account): string {
    if (acc.replyPrefix === '') {
      acc.replyPrefix = `_R_.${randomBase62(6)}.`;
      this.router.accountClient(acc).subscribe(`${acc.replyPrefix}>`, null, (f, _sub, pub) => {
        const rsi = acc.responses.get(f.subject);
        if (rsi !== undefined) this.cross(rsi, f, pub);
      });
    }
    return acc.replyPrefix + randomBase62(6);
  }

  /**
   * Drops the export's answers that have waited longer than its threshold, while any are pending
   * (those answered the other way included). A threshold beyond a timer's range waits in steps.
   */
  private watchThreshold(se: ServiceExport): void {
    if (se.timer !== null) return;
    se.timer = setTimeout(() => {
      se.timer = null;
      const oldest = Date.now() - se.thresholdMs;
      for (const rsi of [...se.pending]) if (rsi.ts <= oldest) this.removeResponse(rsi);
      if (se.pending.size > 0) this.watchThreshold(se);
    }, Math.min(se.thresholdMs, MAX_TIMER_MS));
    se.timer.unref();
  }

  /**
   * The Nats-Request-Info value a request carries into the exporter: the requester's account and
   * RTT, all its details when the import shares them; a request already carried through an import
   * keeps its requester and names the account it passed (`svc`).
   */
  private requestInfo(si: ServiceImport, f: PubFrame, pub: Connection): string | null {
    const sysImport = si.target.isSystem;
    const previous = this.chainPubs.lastIndexOf(pub);
    if (previous >= 0 && f.hdrLen > 0) {
      const carried = headerValue(f.data, f.start, f.start + f.hdrLen, REQUEST_INFO);
      if (carried !== null) {
        try {
          const ci = JSON.parse(carried) as Record<string, unknown>;
          ci['svc'] = si.owner.name;
          // Moving from an import that did not share into one that shares, or into the system account.
          if (!(this.chain[previous] as ServiceImport).share && (si.share || sysImport)) ci['server'] ??= this.router.serverName;
          return clientInfoJson(ci);
        } catch {
          return null;
        }
      }
    }
    if (pub.kind === ConnectionKind.System) return null;
    const client = pub instanceof ClientConnection ? pub : null;
    const rtt = client !== null ? Math.round(client.rttMs * 1e6) : 0;
    if (!si.share) {
      const cached = this.infoCache.get(pub);
      if (cached !== undefined && cached.rtt === rtt && cached.target === si.target) return cached.json;
    }
    const ci: Record<string, unknown> = { acc: (pub.account as Account).name };
    if (client !== null) ci['rtt'] = rtt;
    if (si.share) {
      const details = client !== null ? client.clientInfo() : { id: pub.cid, kind: pub.kind === ConnectionKind.JetStream ? 'JetStream' : 'Account' };
      return clientInfoJson({ ...ci, ...details, server: this.router.serverName });
    }
    if (sysImport) ci['server'] = this.router.serverName;
    const json = clientInfoJson(ci);
    this.infoCache.set(pub, { rtt, target: si.target, json });
    return json;
  }
}

/**
 * Gives the view the frame's headers and body with `Nats-Request-Info: <info>` as the last header,
 * any earlier one of that name taken out (nats-server's setHeader).
 */
function withHeader(view: FrameView, f: PubFrame, info: string): void {
  const fields: [string, string][] = [[REQUEST_INFO, info]];
  const head = f.hdrLen > 0 ? appendHeaders(removeHeader(f.data.subarray(f.start, f.start + f.hdrLen), REQUEST_INFO), fields) : encodeHeaders('', fields);
  view.setData(Buffer.concat([head, f.data.subarray(f.start + f.hdrLen, f.end)]), head.length);
}
