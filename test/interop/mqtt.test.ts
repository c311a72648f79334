// Differential: MQTT through leafgate (the real bin) against mosquitto 2.0 and nats-server 2.9.10.
// Each scenario runs the same steps against every broker it applies to, at once, and requires the
// same observation from all of them, equal to what MQTT requires. nats-server 2.9.10 is an oracle
// only for MQTT 3.1.1 at QoS 0/1 (no QoS 2, no MQTT 5, no `$`-topic protection, `.` refused in
// topics); mosquitto is the oracle for the rest of MQTT.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { connect } from '@nats-io/transport-node';
import type { IClientOptions, IDisconnectPacket } from 'mqtt';

import { loginCode, mqttConnect, settle } from '../helpers/mqtt-client.js';
import type { Received } from '../helpers/mqtt-client.js';
import { across, alike, hasMosquittoPasswd, rawExchange, startLeafgateMqtt, startMosquitto, startNatsServerMqtt } from './mqtt-oracles.js';
import type { MqttBroker } from './mqtt-oracles.js';

/** Order-free comparison of lists: deliveries on different topics (or QoS paths) have no required order. */
function sorted<T>(xs: readonly T[]): T[] {
  return [...xs].sort((a, b) => {
    const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

const tqr = (m: Received): [string, string, number, boolean] => [m.topic, m.payload, m.packet.qos, m.packet.retain];

const V5_PERSISTENT: IClientOptions = { protocolVersion: 5, clean: false, properties: { sessionExpiryInterval: 300 } };

/** A CONNECT built by hand, so that names and levels a client library refuses can be sent. */
function rawConnect(name: string, level: number, clientId: string): Buffer {
  const n = Buffer.from(name);
  const id = Buffer.from(clientId);
  const body = Buffer.concat([Buffer.from([0, n.length]), n, Buffer.from([level, 0x02, 0, 60]), Buffer.from([0, id.length]), id]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

interface CliRun {
  stdout(): string;
  /** Resolves with stdout once the process exits; killed (by its PID) after `timeoutMs`. */
  done: Promise<string>;
}

function cli(cmd: 'mosquitto_pub' | 'mosquitto_sub', args: readonly string[], timeoutMs = 10_000): CliRun {
  // Line-buffered, so that mosquitto_sub's debug line for SUBACK shows while it runs (stdbuf execs: same PID).
  const proc = spawn('stdbuf', ['-oL', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} still running after ${timeoutMs} ms:\n${out}${err}`));
    }, timeoutMs);
    // 'close', not 'exit': the last output may still be in the pipe when the process exits.
    proc.once('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
  done.catch(() => undefined);
  return { stdout: () => out, done };
}

async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('MQTT: leafgate against mosquitto and nats-server 2.9.10', () => {
  let leafgate: MqttBroker;
  let mosquitto: MqttBroker;
  let natsServer: MqttBroker;
  // The same login table everywhere: top-level users for the NATS servers, a password file for mosquitto.
  const AUTH = 'authorization { users: [ { user: alice, password: secret } ] }';
  let authBrokers: MqttBroker[] = [];
  const started: MqttBroker[] = [];

  before(async () => {
    const starts = [startLeafgateMqtt(), startMosquitto(), startNatsServerMqtt(), startLeafgateMqtt(AUTH), startNatsServerMqtt(AUTH), ...(hasMosquittoPasswd() ? [startMosquitto({ users: { alice: 'secret' } })] : [])];
    const settled = await Promise.allSettled(starts);
    for (const s of settled) if (s.status === 'fulfilled') started.push(s.value);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const [lg, mq, ns, ...auth] = started;
    [leafgate, mosquitto, natsServer, authBrokers] = [lg, mq, ns, auth];
  });
  after(async () => {
    await Promise.all(started.map((b) => b.stop()));
  });

  const all = (): MqttBroker[] => [leafgate, mosquitto, natsServer];
  // Where nats-server 2.9.10 is no oracle: QoS 2, MQTT 5, `$` topics, `.` in topics, will on takeover.
  const full = (): MqttBroker[] => [leafgate, mosquitto];

  describe('1. QoS', () => {
    test('3.1.1, QoS 0 and 1: each delivery at the lower of publish and granted QoS', async (t) => {
      const seen = await across(all(), async (b) => {
        const sub = await mqttConnect(t, b.url, { clientId: 'q01-sub' });
        const pub = await mqttConnect(t, b.url, { clientId: 'q01-pub' });
        const granted = (await sub.client.subscribeAsync({ 'q01/zero': { qos: 0 }, 'q01/one': { qos: 1 } })).map((g) => g.qos);
        await pub.client.publishAsync('q01/zero', 'a', { qos: 1 });
        await pub.client.publishAsync('q01/one', 'b', { qos: 1 });
        await pub.client.publishAsync('q01/one', 'c', { qos: 0 });
        await sub.waitFor(3);
        await settle();
        return { granted, got: sorted(sub.received.map(tqr)) };
      });
      const want = { granted: [0, 1], got: [['q01/one', 'b', 1, false], ['q01/one', 'c', 0, false], ['q01/zero', 'a', 0, false]] };
      assert.deepEqual(seen, alike(all(), want));
    });

    for (const protocolVersion of [4, 5] as const) {
      // nats-server 2.9.10 grants QoS 2 as 1 and closes a QoS 2 publisher: no oracle for this.
      test(`MQTT ${protocolVersion}, QoS 2 granted and delivered, downgraded to the granted QoS`, async (t) => {
        const seen = await across(full(), async (b) => {
          const sub = await mqttConnect(t, b.url, { protocolVersion, clientId: `q2-sub-${protocolVersion}` });
          const pub = await mqttConnect(t, b.url, { protocolVersion, clientId: `q2-pub-${protocolVersion}` });
          const granted = (await sub.client.subscribeAsync({ 'q2/two': { qos: 2 }, 'q2/one': { qos: 1 }, 'q2/zero': { qos: 0 } })).map((g) => g.qos);
          for (const topic of ['q2/two', 'q2/one', 'q2/zero']) await pub.client.publishAsync(topic, 'x', { qos: 2 });
          await pub.client.publishAsync('q2/two', 'y', { qos: 1 });
          await sub.waitFor(4);
          await settle();
          return { granted, got: sorted(sub.received.map(tqr)) };
        });
        const want = { granted: [2, 1, 0], got: [['q2/one', 'x', 1, false], ['q2/two', 'x', 2, false], ['q2/two', 'y', 1, false], ['q2/zero', 'x', 0, false]] };
        assert.deepEqual(seen, alike(full(), want));
      });
    }
  });

  test('2. retained: set, replaced, cleared by an empty payload; RETAIN=1 to new subscribers, 0 live', async (t) => {
    const seen = await across(all(), async (b) => {
      const pub = await mqttConnect(t, b.url, { clientId: 'ret-pub' });
      const live = await mqttConnect(t, b.url, { clientId: 'ret-live' });
      await live.client.subscribeAsync('ret/#', { qos: 1 });
      await pub.client.publishAsync('ret/a', 'first', { qos: 1, retain: true });
      await pub.client.publishAsync('ret/a', 'second', { qos: 1, retain: true });
      await pub.client.publishAsync('ret/b', 'bee', { qos: 0, retain: true });
      await live.waitFor(3);
      const late = await mqttConnect(t, b.url, { clientId: 'ret-late' });
      await late.client.subscribeAsync('ret/+', { qos: 1 });
      await late.waitFor(2);
      await settle();
      // The clearing publish below reaches `late` live (RETAIN=0, empty): [MQTT-3.3.1-12]. Seen before it: 2.
      assert.equal(late.received.length, 2);
      await pub.client.publishAsync('ret/a', '', { qos: 1, retain: true });
      const later = await mqttConnect(t, b.url, { clientId: 'ret-later' });
      await later.client.subscribeAsync('ret/#', { qos: 1 });
      await later.waitFor(1);
      await settle();
      const observed = { live: sorted(live.received.slice(0, 3).map(tqr)), late: sorted(late.received.slice(0, 2).map(tqr)), later: later.received.map(tqr) };
      // Later scenarios subscribe to `#`: nothing retained is left behind.
      await pub.client.publishAsync('ret/b', '', { qos: 1, retain: true });
      return observed;
    });
    const want = {
      live: [['ret/a', 'first', 1, false], ['ret/a', 'second', 1, false], ['ret/b', 'bee', 0, false]],
      late: [['ret/a', 'second', 1, true], ['ret/b', 'bee', 0, true]],
      later: [['ret/b', 'bee', 0, true]],
    };
    assert.deepEqual(seen, alike(all(), want));
  });

  describe('3. wildcards', () => {
    const PUBLISHED = ['wc', 'wc/b', 'wc/b/c', 'wc/x/c', 'wc/b/c/d', 'xw/b/c'];
    const FILTERS = ['wc/+/c', 'wc/#', 'wc/b/#', '+/b/+', 'wc/+', 'wc'];

    test('+ matches one level, # any number including the parent', async (t) => {
      const seen = await across(all(), async (b) => {
        // One client per filter: mosquitto sends one copy for overlapping subscriptions, NATS one per subscription.
        const subs = await Promise.all(FILTERS.map(async (f, i) => {
          const c = await mqttConnect(t, b.url, { clientId: `wc-sub-${i}` });
          await c.client.subscribeAsync(f, { qos: 1 });
          return c;
        }));
        const pub = await mqttConnect(t, b.url, { clientId: 'wc-pub' });
        for (const topic of PUBLISHED) await pub.client.publishAsync(topic, topic, { qos: 1 });
        await subs[1].waitFor(5);
        await settle(300);
        return Object.fromEntries(FILTERS.map((f, i) => [f, subs[i].received.map((m) => m.topic).sort()]));
      });
      const want = {
        'wc/+/c': ['wc/b/c', 'wc/x/c'],
        'wc/#': ['wc', 'wc/b', 'wc/b/c', 'wc/b/c/d', 'wc/x/c'],
        'wc/b/#': ['wc/b', 'wc/b/c', 'wc/b/c/d'],
        '+/b/+': ['wc/b/c', 'xw/b/c'],
        'wc/+': ['wc/b'],
        wc: ['wc'],
      };
      assert.deepEqual(seen, alike(all(), want));
    });

    // nats-server 2.9.10 does not apply MQTT-4.7.2 (its `#` even sees $MQTT traffic) and refuses `.`
    // in topics; leafgate follows 2.10+, where `.` is carried (as `//`) and delivered back unchanged.
    test('$ topics are not matched by a leading # or +, only by a filter naming them; . inside a level', async (t) => {
      const topics = ['$dw/x', 'dw/x', 'dw/v1.2'];
      const filters = ['#', '+/x', '$dw/#', '+/+', 'dw/+'];
      const seen = await across(full(), async (b) => {
        const subs = await Promise.all(filters.map(async (f, i) => {
          const c = await mqttConnect(t, b.url, { clientId: `dw-sub-${i}` });
          await c.client.subscribeAsync(f, { qos: 0 });
          return c;
        }));
        const pub = await mqttConnect(t, b.url, { clientId: 'dw-pub' });
        for (const topic of topics) await pub.client.publishAsync(topic, topic, { qos: 1 });
        await subs[2].waitFor(1);
        await settle(300);
        // `#` sees whatever else the broker carries (e.g. mosquitto's clients): only this scenario's topics count.
        return Object.fromEntries(filters.map((f, i) => [f, subs[i].received.map((m) => m.topic).filter((x) => topics.includes(x)).sort()]));
      });
      const want = { '#': ['dw/v1.2', 'dw/x'], '+/x': ['dw/x'], '$dw/#': ['$dw/x'], '+/+': ['dw/v1.2', 'dw/x'], 'dw/+': ['dw/v1.2', 'dw/x'] };
      assert.deepEqual(seen, alike(full(), want));
    });
  });

  describe('4. persistent sessions', () => {
    for (const protocolVersion of [4, 5] as const) {
      const brokers = protocolVersion === 4 ? all : full;
      const persistent: IClientOptions = protocolVersion === 5 ? V5_PERSISTENT : { protocolVersion: 4, clean: false };
      const clean: IClientOptions = { protocolVersion, clean: true };
      test(`MQTT ${protocolVersion}: QoS 1 queued while away, delivered on resume with session present; a clean session gets nothing`, async (t) => {
        const id = `ps${protocolVersion}`;
        const seen = await across(brokers(), async (b) => {
          const first = await mqttConnect(t, b.url, { ...persistent, clientId: `${id}-keeper` });
          await first.client.subscribeAsync(`${id}/+`, { qos: 1 });
          await first.client.endAsync();
          const forgetful = await mqttConnect(t, b.url, { ...clean, clientId: `${id}-clean` });
          await forgetful.client.subscribeAsync(`${id}/+`, { qos: 1 });
          await forgetful.client.endAsync();
          const pub = await mqttConnect(t, b.url, { protocolVersion, clientId: `${id}-pub` });
          // Queuing QoS 0 for an offline session is optional in MQTT; none of the three does. It goes
          // first: the QoS 1 publish's PUBACK then says the broker has handled both before the resume.
          await pub.client.publishAsync(`${id}/b`, 'qos 0 while away', { qos: 0 });
          await pub.client.publishAsync(`${id}/a`, 'while away', { qos: 1 });
          const back = await mqttConnect(t, b.url, { ...persistent, clientId: `${id}-keeper` });
          const again = await mqttConnect(t, b.url, { ...clean, clientId: `${id}-clean` });
          await back.waitFor(1);
          await pub.client.publishAsync(`${id}/c`, 'live after resume', { qos: 1 });
          await back.waitFor(2);
          await settle();
          return {
            resumed: back.connack.sessionPresent,
            resumedGot: back.received.map(tqr),
            cleanPresent: again.connack.sessionPresent,
            cleanGot: again.received.map(tqr),
          };
        });
        const want = { resumed: true, resumedGot: [[`${id}/a`, 'while away', 1, false], [`${id}/c`, 'live after resume', 1, false]], cleanPresent: false, cleanGot: [] };
        assert.deepEqual(seen, alike(brokers(), want));
      });
    }
  });

  test('5. the will goes out when the connection drops, not after DISCONNECT', async (t) => {
    const seen = await across(all(), async (b) => {
      const watcher = await mqttConnect(t, b.url, { clientId: 'will-watch' });
      await watcher.client.subscribeAsync('will/#', { qos: 1 });
      const polite = await mqttConnect(t, b.url, { clientId: 'will-polite', will: { topic: 'will/polite', payload: Buffer.from('bye'), qos: 1, retain: false } });
      await polite.client.endAsync();
      const rude = await mqttConnect(t, b.url, { clientId: 'will-rude', will: { topic: 'will/rude', payload: Buffer.from('dropped'), qos: 1, retain: false } });
      rude.client.stream.destroy();
      await watcher.waitFor(1);
      await settle(300);
      return watcher.received.map(tqr);
    });
    assert.deepEqual(seen, alike(all(), [['will/rude', 'dropped', 1, false]]));
  });

  describe('6. client id takeover', () => {
    for (const protocolVersion of [4, 5] as const) {
      test(`MQTT ${protocolVersion}: a second connection with the same id closes the first and carries on`, async (t) => {
        const id = `tk${protocolVersion}`;
        const brokers = protocolVersion === 4 ? all() : full();
        const seen = await across(brokers, async (b) => {
          const watcher = await mqttConnect(t, b.url, { protocolVersion, clientId: `${id}-watch` });
          await watcher.client.subscribeAsync(`${id}/#`, { qos: 1 });
          const first = await mqttConnect(t, b.url, { protocolVersion, clientId: id, will: { topic: `${id}/will`, payload: Buffer.from('taken over'), qos: 1, retain: false } });
          let reason: number | undefined;
          first.client.on('disconnect', (p: IDisconnectPacket) => (reason = p.reasonCode));
          const closed = new Promise<boolean>((resolve) => first.client.once('close', () => resolve(true)));
          const second = await mqttConnect(t, b.url, { protocolVersion, clientId: id });
          const firstClosed = await Promise.race([closed, sleep(3000).then(() => false)]);
          await second.client.publishAsync(`${id}/alive`, 'second', { qos: 1 });
          await watcher.waitFor(1);
          await settle(300);
          return { firstClosed, secondConnected: second.client.connected, reason, watched: sorted(watcher.received.map((m) => m.topic)) };
        });
        // nats-server discards the will on takeover by design; MQTT publishes it (the connection ends
        // without DISCONNECT) and so do mosquitto and leafgate. mosquitto 2.0.11 closes a v5 client
        // without the DISCONNECT 0x8E (Session taken over) that MQTT 5 describes; leafgate sends it.
        const want = { firstClosed: true, secondConnected: true, reason: undefined as number | undefined, watched: [`${id}/alive`, `${id}/will`] };
        if (protocolVersion === 4) {
          const ns = seen.natsServer;
          assert.deepEqual(ns, { ...want, watched: [`${id}/alive`] });
          delete seen.natsServer;
        }
        if (protocolVersion === 5) {
          assert.equal(seen.leafgate?.reason, 0x8e, 'MQTT 5: the first client hears why (Session taken over)');
          if (seen.leafgate !== undefined) seen.leafgate.reason = undefined;
        }
        assert.deepEqual(seen, alike(full(), want));
      });
    }
  });

  describe('7. mosquitto_pub / mosquitto_sub', () => {
    const FMT = ['-F', 'MSG %t q%q r%r %p'];
    const msgs = (out: string): string[] => out.split('\n').filter((l) => l.startsWith('MSG ')).sort();

    for (const version of ['mqttv311', 'mqttv5'] as const) {
      // nats-server applies to 3.1.1 only.
      const brokers = (): MqttBroker[] => (version === 'mqttv311' ? all() : full());
      test(`-V ${version}: QoS 0/1, -r retained (live RETAIN=0, later RETAIN=1), -r -n clears it`, async () => {
        const seen = await across(brokers(), async (b) => {
          const base = ['-h', '127.0.0.1', '-p', String(b.mqttPort), '-V', version];
          const pre = `cli/${version}`;
          const sub = cli('mosquitto_sub', [...base, '-d', '-i', `${version}-cli-sub`, '-q', '1', '-t', `${pre}/#`, '-C', '3', ...FMT]);
          await until(() => sub.stdout().includes('received SUBACK'), 'mosquitto_sub to subscribe');
          await cli('mosquitto_pub', [...base, '-q', '1', '-t', `${pre}/one`, '-m', 'hello']).done;
          await cli('mosquitto_pub', [...base, '-q', '0', '-t', `${pre}/zero`, '-m', 'quiet']).done;
          await cli('mosquitto_pub', [...base, '-q', '1', '-r', '-t', `${pre}/kept`, '-m', 'kept']).done;
          const live = msgs(await sub.done);
          const retained = msgs(await cli('mosquitto_sub', [...base, '-q', '1', '-t', `${pre}/#`, '-C', '1', '-W', '5', ...FMT]).done);
          await cli('mosquitto_pub', [...base, '-q', '1', '-r', '-n', '-t', `${pre}/kept`]).done;
          // -W 1: exits after a second with nothing to print once the retained message is gone.
          const cleared = msgs(await cli('mosquitto_sub', [...base, '-q', '1', '-t', `${pre}/#`, '-C', '1', '-W', '1', ...FMT]).done);
          return { live, retained, cleared };
        });
        const pre = `cli/${version}`;
        const want = { live: [`MSG ${pre}/kept q1 r0 kept`, `MSG ${pre}/one q1 r0 hello`, `MSG ${pre}/zero q0 r0 quiet`], retained: [`MSG ${pre}/kept q1 r1 kept`], cleared: [] };
        assert.deepEqual(seen, alike(brokers(), want));
      });
    }
  });

  describe('9. MQTT 5 (mosquitto only)', () => {
    test('no-local, retain-as-published, subscription identifier, user properties and content type', async (t) => {
      const seen = await across(full(), async (b) => {
        const a = await mqttConnect(t, b.url, { protocolVersion: 5, clientId: 'v5opt-a' });
        const x = await mqttConnect(t, b.url, { protocolVersion: 5, clientId: 'v5opt-x' });
        await a.client.subscribeAsync('nl/t', { qos: 1, nl: true });
        await x.client.subscribeAsync('nl/t', { qos: 1 });
        await a.client.publishAsync('nl/t', 'own', { qos: 1 });
        await a.client.subscribeAsync('rap/t', { qos: 1, rap: true });
        await x.client.subscribeAsync('rap/t', { qos: 1, rap: false });
        await a.client.publishAsync('rap/t', 'kept', { qos: 1, retain: true });
        await a.client.subscribeAsync('sid/+', { qos: 1, properties: { subscriptionIdentifier: 7 } });
        await x.client.publishAsync('sid/a', 'props', {
          qos: 1,
          properties: { userProperties: { k: 'v', multi: ['1', '2'] }, contentType: 'text/plain', responseTopic: 'resp/x', correlationData: Buffer.from('cd'), payloadFormatIndicator: true },
        });
        await a.waitFor(2);
        await x.waitFor(2);
        await settle();
        const props = a.received.find((m) => m.topic === 'sid/a')?.packet.properties;
        const observed = {
          a: sorted(a.received.map(tqr)),
          x: sorted(x.received.map(tqr)),
          props: { ...props, userProperties: { ...props?.userProperties }, correlationData: props?.correlationData?.toString() },
        };
        await a.client.publishAsync('rap/t', '', { qos: 1, retain: true });
        return observed;
      });
      const want = {
        // No-local: `a` does not get its own nl/t; retain-as-published: only `a` sees RETAIN=1 live.
        a: [['rap/t', 'kept', 1, true], ['sid/a', 'props', 1, false]],
        x: [['nl/t', 'own', 1, false], ['rap/t', 'kept', 1, false]],
        props: { subscriptionIdentifier: 7, userProperties: { k: 'v', multi: ['1', '2'] }, contentType: 'text/plain', responseTopic: 'resp/x', correlationData: 'cd', payloadFormatIndicator: true },
      };
      assert.deepEqual(seen, alike(full(), want));
    });

    test('retain handling: 0 always, 1 only for a new subscription, 2 never', async (t) => {
      const seen = await across(full(), async (b) => {
        const pub = await mqttConnect(t, b.url, { protocolVersion: 5, clientId: 'rh-pub' });
        await pub.client.publishAsync('rh/t', 'r', { qos: 1, retain: true });
        const s = await mqttConnect(t, b.url, { protocolVersion: 5, clientId: 'rh-sub' });
        const counts: number[] = [];
        const step = async (rh: 0 | 1 | 2, unsubscribeFirst = false): Promise<void> => {
          if (unsubscribeFirst) await s.client.unsubscribeAsync('rh/t');
          await s.client.subscribeAsync('rh/t', { qos: 1, rh });
          await settle(150);
          counts.push(s.received.length);
        };
        await step(2);
        await step(1);
        await step(1, true);
        await step(1);
        await step(0);
        const observed = { counts, retain: s.received.map((m) => m.packet.retain) };
        await pub.client.publishAsync('rh/t', '', { qos: 1, retain: true });
        return observed;
      });
      assert.deepEqual(seen, alike(full(), { counts: [0, 0, 1, 1, 2], retain: [true, true] }));
    });

    test('message expiry: retained and queued messages past their 1 s expiry are not delivered', async (t) => {
      const seen = await across(full(), async (b) => {
        const away = await mqttConnect(t, b.url, { ...V5_PERSISTENT, clientId: 'exp-away' });
        await away.client.subscribeAsync('exq/+', { qos: 1 });
        await away.client.endAsync();
        const pub = await mqttConnect(t, b.url, { protocolVersion: 5, clientId: 'exp-pub' });
        for (const [topic, expiry] of [['short', 1], ['long', 100]] as const) {
          await pub.client.publishAsync(`exq/${topic}`, topic, { qos: 1, properties: { messageExpiryInterval: expiry } });
          await pub.client.publishAsync(`exr/${topic}`, topic, { qos: 1, retain: true, properties: { messageExpiryInterval: expiry } });
        }
        await sleep(2100);
        const back = await mqttConnect(t, b.url, { ...V5_PERSISTENT, clientId: 'exp-away' });
        const late = await mqttConnect(t, b.url, { protocolVersion: 5, clientId: 'exp-late' });
        await late.client.subscribeAsync('exr/+', { qos: 1 });
        await back.waitFor(1);
        await late.waitFor(1);
        await settle();
        // What is left of the 100 s is passed on, counted down by the time spent waiting.
        const left = (m: Received): boolean => {
          const e = m.packet.properties?.messageExpiryInterval;
          return e !== undefined && e >= 95 && e <= 98;
        };
        const observed = {
          queued: back.received.map((m) => [m.topic, left(m)]),
          retained: late.received.map((m) => [m.topic, m.packet.retain, left(m)]),
        };
        await pub.client.publishAsync('exr/long', '', { qos: 1, retain: true });
        return observed;
      });
      assert.deepEqual(seen, alike(full(), { queued: [['exq/long', true]], retained: [['exr/long', true, true]] }));
    });

    test('shared subscription $share/g/t: each message to one member, both members used', async (t) => {
      const N = 20;
      const seen = await across(full(), async (b) => {
        const members = [await mqttConnect(t, b.url, { protocolVersion: 5, clientId: 'sh-1' }), await mqttConnect(t, b.url, { protocolVersion: 5, clientId: 'sh-2' })];
        for (const m of members) await m.client.subscribeAsync('$share/g/sh/t', { qos: 1 });
        const plain = await mqttConnect(t, b.url, { protocolVersion: 5, clientId: 'sh-plain' });
        await plain.client.subscribeAsync('sh/t', { qos: 1 });
        const pub = await mqttConnect(t, b.url, { protocolVersion: 5, clientId: 'sh-pub' });
        for (let i = 0; i < N; i++) await pub.client.publishAsync('sh/t', String(i).padStart(2, '0'), { qos: 1 });
        await plain.waitFor(N);
        await until(() => members[0].received.length + members[1].received.length >= N, 'shared deliveries');
        await settle();
        return {
          topics: [...new Set(members.flatMap((m) => m.received.map((r) => r.topic)))],
          eachUsed: members.map((m) => m.received.length > 0),
          union: members.flatMap((m) => m.received.map((r) => r.payload)).sort(),
          plain: plain.received.length,
        };
      });
      const all20 = Array.from({ length: N }, (_, i) => String(i).padStart(2, '0'));
      assert.deepEqual(seen, alike(full(), { topics: ['sh/t'], eachUsed: [true, true], union: all20, plain: N }));
    });

    test('topic alias set by the client: the second publish names the topic by alias only', async (t) => {
      const seen = await across(full(), async (b) => {
        const sub = await mqttConnect(t, b.url, { protocolVersion: 5, clientId: 'ta-sub' });
        await sub.client.subscribeAsync('ta/x', { qos: 1 });
        const pub = await mqttConnect(t, b.url, { protocolVersion: 5, clientId: 'ta-pub' });
        const max = pub.connack.properties?.topicAliasMaximum ?? 0;
        await pub.client.publishAsync('ta/x', 'named', { qos: 1, properties: { topicAlias: 1 } });
        await pub.client.publishAsync('', 'aliased', { qos: 1, properties: { topicAlias: 1 } });
        await sub.waitFor(2);
        await settle();
        return { aliasesAllowed: max >= 1, got: sub.received.map(tqr) };
      });
      assert.deepEqual(seen, alike(full(), { aliasesAllowed: true, got: [['ta/x', 'named', 1, false], ['ta/x', 'aliased', 1, false]] }));
    });
  });

  test('10. MQTT meets NATS: Nmqtt-Pub header on a.b one way, QoS 0 on a/+ the other', async (t) => {
    // mosquitto has no NATS side.
    const brokers = [leafgate, natsServer];
    const seen = await across(brokers, async (b) => {
      const nc = await connect({ port: b.natsPort });
      t.after(() => nc.close());
      const natsSeen: Array<[string, string, string | undefined]> = [];
      nc.subscribe('nx.>', { callback: (_e, m) => void natsSeen.push([m.subject, m.string(), m.headers?.get('Nmqtt-Pub')]) });
      await nc.flush();
      const mq = await mqttConnect(t, b.url, { clientId: 'nx-mqtt' });
      // Granted QoS 1, yet NATS publishers' messages arrive at QoS 0: they were never acknowledged by anyone.
      await mq.client.subscribeAsync('nx/+', { qos: 1 });
      await mq.client.publishAsync('nx/b', 'from mqtt q1', { qos: 1 });
      await mq.client.publishAsync('nx/c', 'from mqtt q0', { qos: 0 });
      await mq.waitFor(2);
      nc.publish('nx.d', 'from nats');
      await mq.waitFor(3);
      await nc.flush();
      await until(() => natsSeen.length >= 3, 'NATS deliveries');
      return { nats: sorted(natsSeen), mqtt: sorted(mq.received.map(tqr)) };
    });
    const want = {
      nats: [['nx.b', 'from mqtt q1', '1'], ['nx.c', 'from mqtt q0', '0'], ['nx.d', 'from nats', undefined]],
      mqtt: [['nx/b', 'from mqtt q1', 1, false], ['nx/c', 'from mqtt q0', 0, false], ['nx/d', 'from nats', 0, false]],
    };
    assert.deepEqual(seen, alike(brokers, want));
  });

  // Last: a refused CONNECT must not disturb the broker, and if it does, only what follows suffers.
  describe('8. CONNACK refusals', () => {
    test('protocol levels nobody here speaks: CONNACK 1 (3.1.1 format), then closed', async () => {
      const seen = await across(all(), async (b) => ({
        mqtt3: await rawExchange(b.mqttPort, rawConnect('MQTT', 3, 'lvl3')),
        mqtt6: await rawExchange(b.mqttPort, rawConnect('MQTT', 6, 'lvl6')),
        stillServes: await loginCode(b.url, { clientId: 'after-bad-level' }),
      }));
      // [MQTT-3.1.2-2]: an unsupported level is answered with return code 1 before closing.
      const refused = { reply: '20020001', closed: true };
      assert.deepEqual(seen, alike(all(), { mqtt3: refused, mqtt6: refused, stillServes: 0 }));
    });

    test("3.1's MQIsdp: leafgate refuses it as 3.1 expects (mosquitto speaks 3.1, nats-server drops it)", async () => {
      // MQTT-3.1.2-1 lets a server close on a protocol name it does not speak, or follow that other
      // protocol: mosquitto accepts 3.1 (CONNACK 0) and nats-server closes without CONNACK, so neither
      // is an oracle for a 3.1.1/5 broker. 3.1's own answer to a version it lacks is CONNACK 1.
      const seen = await across(all(), async (b) => rawExchange(b.mqttPort, rawConnect('MQIsdp', 3, 'mqisdp')));
      assert.deepEqual(seen.mosquitto, { reply: '20020000', closed: false });
      assert.deepEqual(seen.natsServer, { reply: '', closed: true });
      assert.deepEqual(seen.leafgate, { reply: '20020001', closed: true });
    });

    test('logins against a user table: 3.1.1 return codes, MQTT 5 reason codes', async () => {
      const cases: Record<string, IClientOptions> = {
        right: { username: 'alice', password: 'secret' },
        wrongPassword: { username: 'alice', password: 'wrong' },
        unknownUser: { username: 'bob', password: 'secret' },
        none: {},
      };
      const codes = async (b: MqttBroker, protocolVersion: 4 | 5): Promise<Record<string, number | string>> => {
        const out: Record<string, number | string> = {};
        for (const [name, opts] of Object.entries(cases)) out[name] = await loginCode(b.url, { protocolVersion, clientId: `login-${name}-${protocolVersion}`, ...opts });
        return out;
      };
      assert.ok(authBrokers.length >= 2);
      const v4 = await across(authBrokers, (b) => codes(b, 4));
      assert.deepEqual(v4, alike(authBrokers, { right: 0, wrongPassword: 5, unknownUser: 5, none: 5 }));
      const v5Brokers = authBrokers.filter((b) => b.name !== 'natsServer');
      const v5 = await across(v5Brokers, (b) => codes(b, 5));
      // Wrong credentials in MQTT 5: leafgate answers 0x86 (Bad User Name or Password), mosquitto 0x87
      // (Not authorized); both are refusals MQTT 5 allows for this. Without credentials both say 0x87.
      const badCredentials = new Set([0x86, 0x87]);
      const v5Seen = Object.fromEntries(Object.entries(v5).map(([k, c]) => [k, { ...c, wrongPassword: badCredentials.has(c?.wrongPassword as number), unknownUser: badCredentials.has(c?.unknownUser as number) }]));
      assert.deepEqual(v5Seen, alike(v5Brokers, { right: 0, wrongPassword: true, unknownUser: true, none: 0x87 }));
      assert.deepEqual([v5.leafgate?.wrongPassword, v5.leafgate?.unknownUser], [0x86, 0x86]);
    });
  });
});
