import { BenchError } from './errors.js';
import { NumberedFrame, benchPayload, msgFrame, pubFrame, subFrame } from './nats-wire.js';
import { RawConnection } from './raw-connection.js';
import { serveCommands } from './worker-rpc.js';

/** One subscriber connection holding one subscription (sid 1). */
export interface SubscriptionSpec {
  /** Connections are counted per group (one group per server under test). */
  group: string;
  port: number;
  subject: string;
  queue?: string;
  payloadSize: number;
  /**
   * Set for a responder: the reply subject every request carries. It is part of the expected MSG
   * frame, and each delivery is answered with a PUB of the same payload to it.
   */
  replyTo?: string;
  /**
   * With replyTo: each request carries its own reply subject `<replyTo>.<n>` (n counting from 0 per
   * connection, as the requester numbers them), and each answer goes to that subject.
   */
  numberedReplies?: boolean;
}

export interface SubscriberSetup {
  subscriptions: SubscriptionSpec[];
}

/** The deliveries of one group so far. */
export interface GroupCounts {
  messages: number;
  /** hrtime (ns) of the group's last read that delivered messages. */
  lastMessageNs: bigint;
  /** The first connection failure in the group, if any (slow-consumer close, bad frame...). */
  error: string | null;
}

const SID = 1;

interface Member {
  group: string;
  connection: RawConnection;
}

let members: Member[] = [];

async function openOne(spec: SubscriptionSpec, index: number): Promise<Member> {
  const payload = benchPayload(spec.payloadSize);
  const holder: { connection: RawConnection | null } = { connection: null };
  const replyTo = spec.replyTo;
  let answer: ((delivered: number) => void) | undefined;
  let expectedMsg = msgFrame(spec.subject, SID, payload, replyTo);
  if (replyTo !== undefined && spec.numberedReplies === true) {
    const reply = new NumberedFrame((n) => pubFrame(`${replyTo}.${n}`, payload));
    // Frames differ in their reply number only: the template gives their length.
    expectedMsg = new NumberedFrame((n) => msgFrame(spec.subject, SID, payload, `${replyTo}.${n}`)).make(0);
    let next = 0;
    answer = (delivered) => {
      for (let i = 0; i < delivered; i++) holder.connection?.send(reply.make(next++));
    };
  } else if (replyTo !== undefined) {
    const reply = pubFrame(replyTo, payload);
    answer = (delivered) => {
      for (let i = 0; i < delivered; i++) holder.connection?.send(reply);
    };
  }
  holder.connection = await RawConnection.open({
    port: spec.port,
    name: `bench-sub-${index}`,
    expectedMsg,
    subscribe: subFrame(spec.subject, SID, spec.queue),
    onMessages: answer,
    ...(spec.numberedReplies === true ? { verifiedFrames: 0 } : {}),
  });
  return { group: spec.group, connection: holder.connection };
}

const subscriberApi = {
  async open(setup: SubscriberSetup): Promise<void> {
    if (members.length > 0) throw new BenchError('BENCH_ALREADY_OPEN', 'subscriber worker already connected');
    members = await Promise.all(setup.subscriptions.map((spec, index) => openOne(spec, index)));
  },

  counts(): Record<string, GroupCounts> {
    const groups: Record<string, GroupCounts> = {};
    for (const { group, connection } of members) {
      const counts = (groups[group] ??= { messages: 0, lastMessageNs: 0n, error: null });
      counts.messages += connection.messages;
      if (connection.lastMessageNs > counts.lastMessageNs) counts.lastMessageNs = connection.lastMessageNs;
      if (counts.error === null && connection.error !== null) counts.error = connection.error.message;
    }
    return groups;
  },

  close(): void {
    for (const { connection } of members) connection.close();
    members = [];
  },
};

export type SubscriberApi = typeof subscriberApi;

serveCommands(subscriberApi);
