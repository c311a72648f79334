// leafgate in-process with JetStream (where MQTT keeps its state) and an MQTT listener on a free port.

import type { TestContext } from 'node:test';
import type { MqttConfig, OptionLayer } from '../../../src/config/index.js';
import { startInProcess } from '../../helpers/in-process.js';
import type { InProcessServer } from '../../helpers/in-process.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const MQTT_DEFAULTS: MqttConfig = { host: '127.0.0.1', port: -1, ackWaitMs: 30_000, maxAckPending: 1024, rejectQos2Publish: false, downgradeQos2Subscribe: false, maxKeepaliveSeconds: 0, bridges: [] };

export interface MqttServer extends InProcessServer {
  readonly mqttUrl: string;
  readonly storeDir: string;
}

export async function startMqttServer(t: TestContext, layer: OptionLayer = {}, mqtt: Partial<MqttConfig> = {}, storeDir?: string): Promise<MqttServer> {
  const own = storeDir === undefined;
  const dir = storeDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-mqtt-'));
  const s = await startInProcess({ ...layer, jetstream: { enabled: true, storeDir: dir }, mqtt: { ...MQTT_DEFAULTS, ...mqtt } });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await s.stop();
  };
  // Stopped before its folder goes: the store commits what is pending as it closes.
  t.after(async () => {
    await stop();
    if (own) fs.rmSync(dir, { recursive: true, force: true });
  });
  return { ...s, stop, mqttUrl: `mqtt://127.0.0.1:${s.server.mqttPort}`, storeDir: dir };
}
