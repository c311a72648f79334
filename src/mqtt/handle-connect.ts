// CONNECT: the protocol level, the client id, the will, the login (the same users, tokens and JWTs
// as NATS clients: the password field serves as password, token and bearer JWT, as in nats-server),
// then the session (taken over from another connection, resumed or new) and CONNACK.

import type { AuthOutcome } from '../core/index.js';
import { ConnackV4, Reason, topicToSubject } from '../protocol/mqtt/index.js';
import type { IConnectPacket } from '../protocol/mqtt/index.js';
import { MqttState } from './mqtt-connection.js';
import type { MqttConnection, Will } from './mqtt-connection.js';
import { messageProperties } from './properties.js';
import { NEVER_EXPIRES } from './session.js';

export function handleConnect(conn: MqttConnection, p: IConnectPacket): void {
  const service = conn.service;
  // mosquitto's bridges set the top bit of the level: the level is what is below it.
  const level = (p.protocolVersion ?? 4) & 0x7f;
  if (p.protocolId !== 'MQTT' || (level !== 4 && level !== 5)) {
    // [MQTT-3.1.2-2]: an unsupported level is answered in 3.1.1's terms, then closed.
    conn.send(Buffer.from([0x20, 0x02, 0x00, level === 5 ? Reason.UnsupportedProtocolVersion : ConnackV4.UnacceptableProtocolVersion]));
    return conn.close('Protocol Error', false);
  }
  conn.version = level as 4 | 5;
  conn.parser.version = conn.version;
  const clean = p.clean !== false;
  let clientId = p.clientId ?? '';
  let assigned = false;
  if (clientId === '') {
    // [MQTT-3.1.3-8]: 3.1.1 allows an empty id only with a clean session; MQTT 5 assigns one either way.
    if (conn.version === 4 && !clean) return refuse(conn, ConnackV4.IdentifierRejected, Reason.ClientIdentifierNotValid, 'empty client id without clean session');
    clientId = service.assignClientId();
    assigned = true;
  }
  conn.clientId = clientId;
  if (p.username !== undefined) conn.opts = { user: p.username };
  if (p.username === '' && conn.version === 4) return refuse(conn, ConnackV4.BadUserNameOrPassword, Reason.BadUserNameOrPassword, 'empty user name');
  let will: Will | null = null;
  if (p.will) {
    const subject = topicToSubject(p.will.topic);
    if (typeof subject !== 'string') return conn.protocolError(`invalid will topic ${JSON.stringify(p.will.topic)}`, Reason.TopicNameInvalid);
    if (p.will.qos === 2 && service.config.rejectQos2Publish) return refuse(conn, ConnackV4.ServerUnavailable, Reason.QosNotSupported, 'will with QoS 2 refused (reject_qos2_publish)');
    const wp = p.will.properties;
    will = {
      topic: p.will.topic,
      subject,
      payload: Buffer.isBuffer(p.will.payload) ? p.will.payload : Buffer.from(p.will.payload),
      qos: (p.will.qos ?? 0) as 0 | 1 | 2,
      retain: p.will.retain === true,
      properties: messageProperties(wp),
      expirySeconds: wp?.messageExpiryInterval ?? 0,
      delaySeconds: wp?.willDelayInterval ?? 0,
      perms: null,
    };
  }
  const props = p.properties;
  if (conn.version === 5) {
    if (props?.receiveMaximum !== undefined) conn.maxInflight = Math.min(conn.maxInflight, props.receiveMaximum);
    if (props?.maximumPacketSize !== undefined) conn.maxPacketOut = props.maximumPacketSize;
    if (props?.topicAliasMaximum !== undefined) conn.aliasMaxOut = props.topicAliasMaximum;
  }
  // MQTT 5 says how long the session outlives the connection; 3.1.1's clean=0 means for ever.
  const expiry = conn.version === 5 ? (props?.sessionExpiryInterval ?? 0) : clean ? 0 : NEVER_EXPIRES;
  conn.state = MqttState.Authenticating;
  conn.holdInput();
  const password = p.password === undefined ? undefined : p.password.toString('utf8');
  const credentials = { ...(p.username !== undefined && { user: p.username }), ...(password !== undefined && { pass: password, auth_token: password, jwt: password }) };
  const auth = service.router.authenticatorFor(conn.type);
  conn.login = { verbose: false, pedantic: false, echo: true, ...credentials };
  const login: Promise<AuthOutcome> = auth.configured ? auth.authenticate(conn.login, { connectionType: conn.type, nonce: '', tlsIdentity: conn.tlsIdentity, host: conn.ip }) : Promise.resolve({ ok: true, account: service.router.globalAccount().name });
  const granted: Granted = { clean, expiry, will, assigned, keepalive: p.keepalive ?? 0, credentials: p.username !== undefined || password !== undefined };
  login
    .then(
      (outcome) => loggedIn(conn, outcome, granted),
      (err: Error) => {
        service.log.error(`${conn.label()} - authentication error: ${err.message}`);
        loggedIn(conn, { ok: false }, granted);
      },
    )
    // Outside the socket's data handler nothing else would catch it: a bug closes this client, not the server.
    .catch((err: Error) => {
      service.log.error(`${conn.label()} - internal error: ${err.stack ?? String(err)}`);
      conn.close('Internal Error', false);
    });
}

interface Granted {
  clean: boolean;
  expiry: number;
  will: Will | null;
  assigned: boolean;
  keepalive: number;
  credentials: boolean;
}

function loggedIn(conn: MqttConnection, outcome: AuthOutcome, g: Granted): void {
  if (conn.closed) return;
  const service = conn.service;
  if (!outcome.ok) {
    const user = outcome.user === undefined ? '' : ` - User ${JSON.stringify(outcome.user)}`;
    if (outcome.logError !== undefined) service.log.error(`${conn.label()} - ${outcome.logError}`);
    service.log.error(`${conn.label()} - authentication error${user}`);
    return refuse(conn, ConnackV4.NotAuthorized, g.credentials ? Reason.BadUserNameOrPassword : Reason.NotAuthorized, '');
  }
  const account = service.router.findAccount(outcome.account);
  if (account === null) return refuse(conn, ConnackV4.NotAuthorized, Reason.NotAuthorized, `unknown account ${outcome.account}`);
  // The account's connection limit (its JWT's `conn`) counts MQTT clients as nats-server does.
  if (account.connectionsFull()) return refuse(conn, ConnackV4.ServerUnavailable, Reason.QuotaExceeded, 'Maximum Account Connections Exceeded');
  if (service.router.closing) return refuse(conn, ConnackV4.ServerUnavailable, Reason.ServerShuttingDown, '');
  // A full server (max_connections) answers "server unavailable", MQTT 5 "quota exceeded".
  if (service.router.connectionCount >= service.router.limits.maxConnections) return refuse(conn, ConnackV4.ServerUnavailable, Reason.QuotaExceeded, 'maximum connections exceeded');
  conn.account = account;
  conn.user = outcome.user ?? '';
  conn.issuerKey = outcome.issuerKey ?? '';
  conn.nameTag = outcome.nameTag ?? '';
  conn.tags = outcome.tags ?? [];
  conn.perms = service.permissionsOf(outcome);
  conn.will = g.will === null ? null : { ...g.will, perms: conn.perms };
  const { session, present } = service.attachSession(conn, g.clean, g.expiry);
  const props: Record<string, unknown> = {};
  if (conn.version === 5) {
    if (g.assigned) props.assignedClientIdentifier = conn.clientId;
    props.receiveMaximum = service.config.maxAckPending;
    props.maximumPacketSize = service.maxPacketSize;
    props.topicAliasMaximum = service.topicAliasMaximum;
    // max_keepalive: a client asking for none, or for longer, is told the server's (MQTT 5's Server Keep Alive).
    const max = service.config.maxKeepaliveSeconds;
    if (max > 0 && (g.keepalive === 0 || g.keepalive > max)) props.serverKeepAlive = g.keepalive = max;
    props.maximumQoS = service.config.rejectQos2Publish ? 1 : undefined;
  }
  conn.sendPacket({ cmd: 'connack', sessionPresent: present, returnCode: 0, reasonCode: 0, ...(conn.version === 5 && { properties: withoutUndefined(props) }) });
  if (service.log.debugEnabled) service.log.debug(`${conn.label()} - Client connected (MQTT ${conn.version === 5 ? '5' : '3.1.1'}, session ${present ? 'resumed' : 'new'})`);
  // Attached before packets held behind CONNECT run: one of them may end the connection again.
  session.attach(conn);
  conn.connected(g.keepalive);
}

/** CONNACK with a refusal: 3.1.1's return code or MQTT 5's reason [MQTT-3.2.2-5], then close. */
function refuse(conn: MqttConnection, v4: number, v5: Reason, why: string): void {
  if (why !== '') conn.service.log.error(`${conn.label()} - ${why}`);
  conn.sendPacket({ cmd: 'connack', sessionPresent: false, returnCode: v4, reasonCode: v5 });
  conn.close('Authentication Failure', false);
}

function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
