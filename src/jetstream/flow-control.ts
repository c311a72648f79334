// A push consumer's flow control, as nats-server does it: once half the window of unanswered bytes
// is out, a `100 FlowControl Request` goes to the deliver subject with a `$JS.FC` reply; delivery
// stops past the whole window until the client answers, and each answer doubles the window.

import { randomToken } from './random-token.js';

/** The window of unanswered bytes starts here and doubles with each answer up to the limit. */
const WINDOW_START = 2 * 1024 * 1024;
const WINDOW_MAX = 32 * 1024 * 1024;

export class FlowControl {
  private readonly prefix: string;
  private window = WINDOW_START;
  private bytes = 0;
  /** The bytes the outstanding request covers. */
  private size = 0;
  /** The reply subject of the outstanding request; '' when none is out. */
  private id = '';

  /** `prefix`: `$JS.FC.<stream>.<consumer>.` */
  constructor(prefix: string) {
    this.prefix = prefix;
  }

  /** Delivery waits for an answer. */
  get stalled(): boolean {
    return this.bytes > this.window;
  }

  /** The outstanding request's subject, or null (idle heartbeats name it while stalled). */
  get outstanding(): string | null {
    return this.id === '' ? null : this.id;
  }

  /**
   * `size` bytes went out: returns the reply subject of a flow-control request to send now, or null.
   */
  sent(size: number): string | null {
    this.bytes += size;
    if (this.id === '' && this.bytes > this.window / 2) {
      this.id = this.prefix + randomToken(4);
      this.size = this.bytes;
      return this.id;
    }
    if (this.id !== '' && this.bytes - this.size >= this.window) this.size += size;
    return null;
  }

  /** An answer on a `$JS.FC` subject: true when it answers the latest request (only that one counts). */
  answered(subject: string): boolean {
    if (subject !== this.id) return false;
    this.bytes = Math.max(0, this.bytes - this.size);
    this.id = '';
    this.size = 0;
    if (this.window < WINDOW_MAX) this.window = Math.min(WINDOW_MAX, this.window * 2);
    return true;
  }
}
