// One $JS.API request as the handlers see it.

import type { JsAccount } from '../js-account.js';

export interface ApiRequest {
  /** The subject's tokens after `$JS.API.` (byte strings). */
  readonly tokens: readonly string[];
  readonly reply: string;
  /** The request body without headers; borrowed for the call (util borrowed-bytes). */
  readonly body: Buffer;
}

export type ApiHandler = (acc: JsAccount, req: ApiRequest) => void;
