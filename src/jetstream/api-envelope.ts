// The envelope of every $JS.API JSON reply: its `type`, the `error` member, and the zero-valued members
// nats-server 2.9.10 writes beside an error for each reply type (its response structs without omitempty).
// nats.js counts list pages by `type`, so these strings must be exact.

import { apiError } from './errors.js';
import type { ApiError } from './errors.js';
import { JsonSyntaxError, encodeJson, parseJson } from './json.js';
import type { JsonValue } from './json.js';

const PREFIX = 'io.nats.jetstream.api.v1.';

export const ResponseType = {
  AccountInfo: `${PREFIX}account_info_response`,
  StreamCreate: `${PREFIX}stream_create_response`,
  StreamUpdate: `${PREFIX}stream_update_response`,
  StreamInfo: `${PREFIX}stream_info_response`,
  StreamNames: `${PREFIX}stream_names_response`,
  StreamList: `${PREFIX}stream_list_response`,
  StreamDelete: `${PREFIX}stream_delete_response`,
  StreamPurge: `${PREFIX}stream_purge_response`,
  StreamMsgGet: `${PREFIX}stream_msg_get_response`,
  StreamMsgDelete: `${PREFIX}stream_msg_delete_response`,
  ConsumerCreate: `${PREFIX}consumer_create_response`,
  ConsumerInfo: `${PREFIX}consumer_info_response`,
  ConsumerNames: `${PREFIX}consumer_names_response`,
  ConsumerList: `${PREFIX}consumer_list_response`,
  ConsumerDelete: `${PREFIX}consumer_delete_response`,
} as const;
export type ResponseType = (typeof ResponseType)[keyof typeof ResponseType];

// Keeps a leading BOM, which Go's decoder refuses like any other stray character.
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

const PAGED = { total: 0, offset: 0, limit: 0 };

/** Members 2.9.10 writes next to `error`, per reply type (observed). */
const ERROR_ZERO_MEMBERS: Partial<Record<ResponseType, Record<string, unknown>>> = {
  [ResponseType.StreamInfo]: PAGED,
  [ResponseType.StreamNames]: { ...PAGED, streams: null },
  [ResponseType.StreamList]: { ...PAGED, streams: [] },
  [ResponseType.StreamPurge]: { purged: 0 },
  [ResponseType.ConsumerNames]: { ...PAGED, consumers: [] },
  [ResponseType.ConsumerList]: { ...PAGED, consumers: [] },
};

/** A successful reply: `type` first, then the members in the order given (undefined members left out). */
export function apiResponse(type: ResponseType, members: Record<string, unknown>): string {
  return encodeJson({ type, ...members });
}

/** An error reply: `{"type":..,"error":{"code","err_code","description"}}` plus that type's zero members. */
export function apiErrorResponse(type: ResponseType, error: ApiError): string {
  return encodeJson({ type, error: { code: error.code, err_code: error.err_code, description: error.description }, ...ERROR_ZERO_MEMBERS[type] });
}

/**
 * A request body as JSON (UTF-8, invalid sequences replaced as Go does), or 10025 as nats-server answers a
 * body its decoder refuses. An empty body is refused too: call this only where a body is required.
 */
export function parseApiBody(body: Uint8Array): JsonValue | ApiError {
  try {
    return parseJson(UTF8.decode(body));
  } catch (e) {
    if (e instanceof JsonSyntaxError) return apiError('InvalidJSON');
    throw e;
  }
}
