// Raw-protocol scenarios as data: which client sends what, and what each client then observes.
// The same script runs against nats-server and leafgate; what they observe must be identical.

import { RawClient } from '../helpers/raw-client.js';
import { normaliseInfoLine, sortedFrames, withoutServerPings } from '../helpers/wire-frames.js';

export type Step =
  /** Connects client `c` and reads its INFO; with `want`, the normalised INFO line is an observation. */
  | { readonly kind: 'open'; readonly c: string; readonly want?: string }
  | { readonly kind: 'send'; readonly c: string; readonly data: string }
  /** PING/PONG round trip: observes what arrived before the PONG (or the close, if the server closed instead). */
  | { readonly kind: 'sync'; readonly c: string; readonly want: string; readonly anyOrder: boolean }
  /** Syncs several clients and observes all they received, frames sorted (queue-group members). */
  | { readonly kind: 'gather'; readonly cs: readonly string[]; readonly want: string }
  /** Waits (without sending) until `until` has arrived; observes everything up to and including it. */
  | { readonly kind: 'await'; readonly c: string; readonly until: string; readonly want: string; readonly withinMs: number }
  /** Waits for the server to close; observes what arrived before the close. */
  | { readonly kind: 'closed'; readonly c: string; readonly want: string; readonly withinMs: number };

export interface Scenario {
  readonly name: string;
  readonly steps: readonly Step[];
  /** Keep server-initiated PINGs in observations (keepalive scenarios); otherwise they are dropped. */
  readonly keepServerPings?: boolean;
}

export const open = (c: string, connect?: string): Step[] => {
  const steps: Step[] = [{ kind: 'open', c }];
  if (connect !== undefined) steps.push(send(c, `CONNECT ${connect}\r\n`));
  return steps;
};
export const info = (c: string, want: string): Step => ({ kind: 'open', c, want });
export const send = (c: string, data: string): Step => ({ kind: 'send', c, data });
export const sync = (c: string, want: string): Step => ({ kind: 'sync', c, want, anyOrder: false });
export const syncAnyOrder = (c: string, want: string): Step => ({ kind: 'sync', c, want, anyOrder: true });
export const gather = (cs: readonly string[], want: string): Step => ({ kind: 'gather', cs, want });
export const awaitText = (c: string, until: string, want = until, withinMs = 5000): Step => ({ kind: 'await', c, until, want, withinMs });
export const closed = (c: string, want: string, withinMs = 2000): Step => ({ kind: 'closed', c, want, withinMs });

/** nats.js style CONNECT: no +OK, no pedantic checks. */
export const QUIET = '{"verbose":false,"pedantic":false}';
/** Quiet, with headers and no-responders as nats.js negotiates them. */
export const MODERN = '{"verbose":false,"pedantic":false,"headers":true,"no_responders":true}';

/** Client `by`, subscribed to by.check: a second client that must keep working while another is thrown out. */
export const bystander = (connect: string = QUIET): Step[] => [...open('by', connect), send('by', 'SUB by.check 1\r\n')];
/** Proves the bystander still publishes and receives. */
export const bystanderWorks: readonly Step[] = [send('by', 'PUB by.check 2\r\nok\r\n'), sync('by', 'MSG by.check 1 2\r\nok\r\n')];

/** What a step is expected to observe, in the form runScript records it; null for steps that observe nothing. */
function expectedOf(step: Step): string | null {
  switch (step.kind) {
    case 'open':
      return step.want === undefined ? null : `${step.c} info ${step.want}`;
    case 'send':
      return null;
    case 'sync':
      return `${step.c} sync ${JSON.stringify(step.want)}`;
    case 'gather':
      return `${step.cs.join('+')} gather ${JSON.stringify(step.want)}`;
    case 'await':
      return `${step.c} await ${JSON.stringify(step.want)}`;
    case 'closed':
      return `${step.c} closed ${JSON.stringify(step.want)}`;
  }
}

export function expectedObservations(scenario: Scenario): string[] {
  return scenario.steps.map(expectedOf).filter((o): o is string => o !== null);
}

const SYNC_TIMEOUT_MS = 3000;

/** Runs the script against a server on `port`; returns one observation per observing step. */
export async function runScript(port: number, scenario: Scenario): Promise<string[]> {
  const clients = new Map<string, RawClient>();
  const seen: string[] = [];
  const clean = (text: string): string => (scenario.keepServerPings === true ? text : withoutServerPings(text));
  const client = (name: string): RawClient => {
    const c = clients.get(name);
    if (c === undefined) throw new Error(`scenario "${scenario.name}": client ${name} used before open`);
    return c;
  };
  /** Text before the PONG, or `closed: <text>` / `no PONG: <text>` when the round trip did not complete. */
  const roundTrip = async (c: RawClient): Promise<string> => {
    try {
      return clean(await c.sync(SYNC_TIMEOUT_MS));
    } catch {
      const rest = clean(c.buffered);
      return c.closed ? `closed: ${rest}` : `no PONG: ${rest}`;
    }
  };
  try {
    for (const step of scenario.steps) {
      switch (step.kind) {
        case 'open': {
          const c = await RawClient.connect(port);
          clients.set(step.c, c);
          const line = await c.readLine();
          if (step.want !== undefined) seen.push(`${step.c} info ${normaliseInfoLine(line)}`);
          else if (!line.startsWith('INFO {')) throw new Error(`expected INFO, got ${JSON.stringify(line)}`);
          break;
        }
        case 'send':
          client(step.c).send(Buffer.from(step.data, 'latin1'));
          break;
        case 'sync': {
          const got = await roundTrip(client(step.c));
          seen.push(`${step.c} sync ${JSON.stringify(step.anyOrder ? sortedFrames(got) : got)}`);
          break;
        }
        case 'gather': {
          let all = '';
          for (const name of step.cs) all += await roundTrip(client(name));
          seen.push(`${step.cs.join('+')} gather ${JSON.stringify(sortedFrames(all))}`);
          break;
        }
        case 'await': {
          const c = client(step.c);
          let got: string;
          try {
            got = await c.expect(step.until, step.withinMs);
          } catch {
            got = `not seen: ${c.buffered}`;
          }
          seen.push(`${step.c} await ${JSON.stringify(clean(got))}`);
          break;
        }
        case 'closed': {
          const c = client(step.c);
          let got: string;
          try {
            got = clean(await c.waitClosed(step.withinMs));
          } catch {
            got = `still open: ${clean(c.buffered)}`;
          }
          seen.push(`${step.c} closed ${JSON.stringify(got)}`);
          break;
        }
      }
    }
  } finally {
    for (const c of clients.values()) c.close();
  }
  return seen;
}
