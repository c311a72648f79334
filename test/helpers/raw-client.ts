// A raw TCP NATS peer for exact wire checks: send bytes, wait for bytes, see when the server closes.

import net from 'node:net';

export class RawClient {
  private readonly socket: net.Socket;
  private data = '';
  private closedFlag = false;
  private readonly closedPromise: Promise<void>;
  private waiters: (() => void)[] = [];

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.data += d.toString('latin1');
      this.wake();
    });
    this.closedPromise = new Promise((resolve) =>
      socket.on('close', () => {
        this.closedFlag = true;
        this.wake();
        resolve();
      }),
    );
    socket.on('error', () => undefined);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host, port }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  /** Connects and consumes the INFO line; returns the client and the parsed INFO. */
  static async open(port: number, connect?: string): Promise<{ client: RawClient; info: Record<string, unknown> }> {
    const client = await RawClient.connect(port);
    const line = await client.readLine();
    const m = /^INFO (\{.*\}) $/.exec(line);
    if (m === null) throw new Error(`expected INFO, got ${JSON.stringify(line)}`);
    if (connect !== undefined) client.send(`CONNECT ${connect}\r\n`);
    return { client, info: JSON.parse(m[1]) as Record<string, unknown> };
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Everything received and not yet consumed. */
  get buffered(): string {
    return this.data;
  }

  /** Waits until the received text contains `needle` (or matches it); consumes through the match. */
  async expect(needle: string | RegExp, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (typeof needle === 'string') {
        const i = this.data.indexOf(needle);
        if (i >= 0) {
          const got = this.data.slice(0, i + needle.length);
          this.data = this.data.slice(i + needle.length);
          return got;
        }
      } else {
        const m = needle.exec(this.data);
        if (m !== null) {
          this.data = this.data.slice(m.index + m[0].length);
          return m[0];
        }
      }
      if (this.closedFlag) throw new Error(`connection closed before ${String(needle)}; got ${JSON.stringify(this.data)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(needle)}; got ${JSON.stringify(this.data)}`);
      await this.waitAny(deadline - Date.now());
    }
  }

  async readLine(timeoutMs = 5000): Promise<string> {
    const line = await this.expect('\r\n', timeoutMs);
    return line.slice(0, -2);
  }

  /** Waits for the server to close the connection; returns everything received before the close. */
  async waitClosed(timeoutMs = 5000): Promise<string> {
    const t = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`server did not close; got ${JSON.stringify(this.data)}`)), timeoutMs).unref());
    await Promise.race([this.closedPromise, t]);
    const d = this.data;
    this.data = '';
    return d;
  }

  /** Round-trips a PING so everything the server sent before it has arrived; returns what came before PONG. */
  async sync(timeoutMs = 5000): Promise<string> {
    this.send('PING\r\n');
    const got = await this.expect('PONG\r\n', timeoutMs);
    return got.slice(0, -'PONG\r\n'.length);
  }

  private waitAny(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, Math.max(ms, 1));
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
