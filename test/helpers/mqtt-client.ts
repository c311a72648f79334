// mqtt.js clients for tests: connected with a bounded wait, messages collected, always ended.

import type { TestContext } from 'node:test';
import mqtt from 'mqtt';
import type { IClientOptions, IConnackPacket, IPublishPacket, MqttClient } from 'mqtt';

export interface Received {
  readonly topic: string;
  readonly payload: string;
  readonly packet: IPublishPacket;
}

export interface TestMqttClient {
  readonly client: MqttClient;
  readonly received: Received[];
  readonly connack: IConnackPacket;
  /** Resolves once `count` messages have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
}

/** Connects (CONNACK received) or rejects with the error mqtt.js reports (a refused CONNACK included). */
export async function mqttConnect(t: TestContext, url: string, options: IClientOptions = {}): Promise<TestMqttClient> {
  const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
  t.after(() => new Promise<void>((resolve) => client.end(true, {}, () => resolve())));
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  client.on('message', (topic, payload, packet) => {
    received.push({ topic, payload: payload.toString(), packet });
    for (const w of waiters.splice(0)) w();
  });
  const connack = await new Promise<IConnackPacket>((resolve, reject) => {
    client.once('connect', (packet) => resolve(packet));
    client.once('error', reject);
    client.once('close', () => reject(new Error('closed before CONNACK')));
  });
  return {
    client,
    received,
    connack,
    waitFor(count: number, timeoutMs = 5000): Promise<Received[]> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${received.length} of ${count} messages after ${timeoutMs} ms`)), timeoutMs);
        const check = (): void => {
          if (received.length >= count) {
            clearTimeout(timer);
            resolve(received.slice(0, count));
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

/** Resolves when `ms` pass; for checking that nothing arrives. */
export function settle(ms = 200): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The CONNACK code a login gets: 0, or the refusal mqtt.js reports (3.1.1 return code / MQTT 5 reason). */
export function loginCode(url: string, options: IClientOptions): Promise<number | string> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
    const done = (code: number | string): void => {
      client.end(true);
      resolve(code);
    };
    client.once('connect', (p) => done(p.returnCode ?? p.reasonCode ?? 0));
    client.once('error', (e: Error & { code?: number | string }) => done(e.code ?? e.message));
    client.once('close', () => done('closed without CONNACK'));
  });
}
