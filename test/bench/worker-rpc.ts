import { Worker, parentPort } from 'node:worker_threads';
import { BenchError } from './errors.js';

/** A worker's commands: each takes one structured-cloneable argument and returns a cloneable value. */
export type WorkerApi = Record<string, (argument: never) => unknown>;

interface CommandRequest {
  id: number;
  command: string;
  argument: unknown;
}

interface CommandReply {
  id: number;
  ok: boolean;
  value?: unknown;
  errorCode?: string;
  errorMessage?: string;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * Worker side: answers each command message with its result or its error (code kept). Outside a
 * worker thread it does nothing: Node 20's `node --test dist/test/` runs every .js file under a
 * `test` folder, the worker scripts included, and they must load there without effect.
 */
export function serveCommands(api: WorkerApi): void {
  const port = parentPort;
  if (port === null) return;
  port.on('message', (request: CommandRequest) => {
    const handler = api[request.command] as ((argument: unknown) => unknown) | undefined;
    Promise.resolve()
      .then(() => {
        if (handler === undefined) throw new BenchError('BENCH_UNKNOWN_COMMAND', `unknown worker command ${request.command}`);
        return handler(request.argument);
      })
      .then(
        (value) => port.postMessage({ id: request.id, ok: true, value } satisfies CommandReply),
        (error: Error & { code?: unknown }) =>
          port.postMessage({
            id: request.id,
            ok: false,
            errorCode: typeof error.code === 'string' ? error.code : 'BENCH_WORKER',
            errorMessage: error.message,
          } satisfies CommandReply),
      );
  });
}

/** Main-thread side: a typed handle on one worker thread running `serveCommands`. */
export class WorkerClient<Api extends WorkerApi> {
  private readonly worker: Worker;
  private readonly pending: Map<number, PendingCall>;
  private nextId: number;
  private exited: boolean;

  constructor(script: URL) {
    this.worker = new Worker(script);
    this.pending = new Map();
    this.nextId = 1;
    this.exited = false;
    this.worker.on('message', (reply: CommandReply) => this.onReply(reply));
    this.worker.on('error', (error) => this.rejectAll(error));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.rejectAll(new BenchError('BENCH_WORKER_EXIT', `worker ${script.pathname} exited with code ${code}`));
    });
  }

  call<K extends keyof Api & string>(command: K, argument: Parameters<Api[K]>[0]): Promise<Awaited<ReturnType<Api[K]>>> {
    if (this.exited) return Promise.reject(new BenchError('BENCH_WORKER_EXIT', 'worker already exited'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, command, argument } satisfies CommandRequest);
    });
  }

  async terminate(): Promise<void> {
    if (!this.exited) await this.worker.terminate();
  }

  private onReply(reply: CommandReply): void {
    const call = this.pending.get(reply.id);
    if (call === undefined) return;
    this.pending.delete(reply.id);
    if (reply.ok) call.resolve(reply.value);
    else call.reject(new BenchError(reply.errorCode ?? 'BENCH_WORKER', reply.errorMessage ?? 'worker command failed'));
  }

  private rejectAll(error: Error): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.reject(error);
  }
}
