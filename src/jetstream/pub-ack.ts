// The replies a stream sends a publisher: the PubAck once the message is stored, or the error that
// refused it. nats-server 2.9 writes them with a space after each comma; clients parse them as JSON.

import { encodeJson } from './json.js';
import type { ApiError } from './errors.js';

/** `stream` is already JSON-quoted text of the stream name. */
export function pubAck(streamJson: string, seq: number, duplicate: boolean): string {
  return duplicate ? `{"stream":${streamJson}, "seq":${seq},"duplicate": true}` : `{"stream":${streamJson}, "seq":${seq}}`;
}

/** A refused publish: the error, with `stream` and `seq: 0` present as nats-server sends them. */
export function pubAckError(streamJson: string, err: ApiError): string {
  return `{"error":${encodeJson(err)},"stream":${streamJson},"seq":0}`;
}
