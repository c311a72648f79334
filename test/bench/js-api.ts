import { BenchError } from './errors.js';
import type { JsConnection, Reply } from './js-connection.js';

/** The part of a stream configuration the bench and fault tools set. */
export interface StreamSetup {
  name: string;
  subjects: string[];
  storage?: 'file' | 'memory';
  allow_direct?: boolean;
  max_msgs_per_subject?: number;
  duplicate_window?: number;
  discard?: 'old' | 'new';
  allow_rollup_hdrs?: boolean;
  deny_delete?: boolean;
}

export interface StreamState {
  messages: number;
  bytes: number;
  first_seq: number;
  last_seq: number;
}

/** A stored message as DIRECT.GET or STREAM.MSG.GET returns it. */
export interface StoredMessage {
  seq: number;
  subject: string;
  payload: Buffer;
}

const API = '$JS.API';

function apiError(what: string, text: string): BenchError {
  return new BenchError('BENCH_JS_API', `${what}: ${text.slice(0, 300)}`);
}

/** The JSON body of an API reply; an `error` member (or a no-responders status) becomes a BenchError. */
function apiReply<T>(what: string, reply: Reply): T {
  const text = reply.payload.toString('utf8');
  if (text === '') throw apiError(what, reply.headers.trim() || 'empty reply');
  const body = JSON.parse(text) as T & { error?: unknown };
  if (body.error !== undefined) throw apiError(what, text);
  return body;
}

export async function createStream(connection: JsConnection, setup: StreamSetup): Promise<void> {
  const config = { storage: 'file', retention: 'limits', ...setup };
  apiReply('STREAM.CREATE', await connection.request(`${API}.STREAM.CREATE.${setup.name}`, JSON.stringify(config)));
}

export async function streamState(connection: JsConnection, stream: string, timeoutMs?: number): Promise<StreamState> {
  const reply = await connection.request(`${API}.STREAM.INFO.${stream}`, '', timeoutMs);
  return apiReply<{ state: StreamState }>('STREAM.INFO', reply).state;
}

/** DIRECT.GET by sequence (the stream needs allow_direct); null when the sequence holds no message. */
export async function directGet(connection: JsConnection, stream: string, seq: number, timeoutMs?: number): Promise<StoredMessage | null> {
  const reply = await connection.request(`${API}.DIRECT.GET.${stream}`, JSON.stringify({ seq }), timeoutMs);
  return directMessage(reply);
}

/**
 * A DIRECT.GET reply: the message with `Nats-Sequence` and `Nats-Subject` headers, or a 404 status.
 * Headers come as latin1 (wire bytes).
 */
export function directMessage(reply: Reply): StoredMessage | null {
  const status = /^NATS\/1\.0 (\d{3})/.exec(reply.headers);
  if (status !== null) {
    if (status[1] === '404') return null;
    throw apiError('DIRECT.GET', reply.headers.trim());
  }
  const seq = /\r\nNats-Sequence: *(\d+)/i.exec(reply.headers);
  const subject = /\r\nNats-Subject: *([^\r]+)/i.exec(reply.headers);
  if (seq === null || subject === null) throw apiError('DIRECT.GET', `reply without Nats-Sequence/Nats-Subject: ${reply.headers.trim()}`);
  return { seq: Number(seq[1]), subject: subject[1] as string, payload: reply.payload };
}

/** A durable pull consumer over the whole stream, each message acked on its own. */
export async function createDurablePull(connection: JsConnection, stream: string, durable: string): Promise<void> {
  const body = { stream_name: stream, config: { durable_name: durable, deliver_policy: 'all', ack_policy: 'explicit' } };
  apiReply('CONSUMER.DURABLE.CREATE', await connection.request(`${API}.CONSUMER.DURABLE.CREATE.${stream}.${durable}`, JSON.stringify(body)));
}

/** The CONSUMER.MSG.NEXT subject of a pull consumer. */
export function nextSubject(stream: string, consumer: string): string {
  return `${API}.CONSUMER.MSG.NEXT.${stream}.${consumer}`;
}
