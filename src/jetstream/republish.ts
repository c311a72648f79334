// RePublish: each message a stream stores is also published, at once, to a subject made from its own
// by the stream's transform, with headers saying where it was stored (or only the headers and the
// size, with headers_only). Subscribers get a live copy without a consumer.

import { SubjectTransform, subjectMatches } from '../core/index.js';
import type { InternalClient } from '../core/index.js';
import { appendHeaders } from '../protocol/nats/index.js';
import type { StreamConfig } from './stream-config.js';

export class Republisher {
  private readonly src: string;
  private readonly transform: SubjectTransform;
  private readonly headersOnly: boolean;
  private readonly streamName: string;
  private readonly client: InternalClient;

  private constructor(config: StreamConfig, src: string, transform: SubjectTransform, client: InternalClient) {
    this.src = src;
    this.transform = transform;
    this.headersOnly = config.republish?.headersOnly === true;
    this.streamName = config.name;
    this.client = client;
  }

  /** The stream's republisher, or null when it republishes nothing. */
  static of(config: StreamConfig, client: InternalClient): Republisher | null {
    const rp = config.republish;
    if (rp === null) return null;
    // An empty source means every subject of the stream.
    const src = rp.src === '' ? '>' : rp.src;
    const transform = SubjectTransform.create(src, rp.dest);
    return transform === null ? null : new Republisher(config, src, transform, client);
  }

  /** `lastSeq` is the stream's last sequence before this message. The buffers are borrowed for the call. */
  republish(subject: string, seq: number, lastSeq: number, hdr: Buffer | null, body: Buffer): void {
    if (!subjectMatches(subject, this.src)) return;
    const fields: Array<[string, string]> = [
      ['Nats-Stream', this.streamName],
      ['Nats-Subject', subject],
      ['Nats-Sequence', String(seq)],
      ['Nats-Last-Sequence', String(lastSeq)],
    ];
    if (this.headersOnly) fields.push(['Nats-Msg-Size', String(body.length)]);
    this.client.publish(this.transform.transform(subject), '', appendHeaders(hdr, fields), this.headersOnly ? null : body);
  }
}
