// Every -ERR text a NATS server sends, in one place (exact nats-server 2.9.10 wording).

export const WireError = {
  UnknownOp: 'Unknown Protocol Operation',
  AuthViolation: 'Authorization Violation',
  AuthTimeout: 'Authentication Timeout',
  MaxPayload: 'Maximum Payload Violation',
  MaxControlLine: 'maximum control line exceeded',
  StaleConnection: 'Stale Connection',
  MaxConnections: 'maximum connections exceeded',
  InvalidClientProtocol: 'invalid client protocol',
  NoRespondersRequiresHeaders: 'no responders requires headers support',
  SecureConnectionRequired: 'Secure Connection - TLS Required',
  InvalidSubject: 'Invalid Subject',
  InvalidPublishSubject: 'Invalid Publish Subject',
  MaxSubscriptions: 'maximum subscriptions exceeded',
  MaxAccountConnections: 'maximum account active connections exceeded',
  UserAuthExpired: 'User Authentication Expired',
  UserAuthRevoked: 'User Authentication Revoked',
  AccountAuthExpired: 'Account Authentication Expired',
  /** A client's CONNECT (it has `lang`) on the leaf node port. */
  ClientOnLeafPort: 'attempted to connect to leaf node port',
  LeafSameCluster: 'remote leafnode has same cluster name',
  StaleLeafConnection: 'Stale Leaf Node Connection - Closing',
} as const;

export type WireErrorText = (typeof WireError)[keyof typeof WireError];

/** Go's %q for the subjects and queue names quoted inside permission errors. */
function quote(s: string): string {
  return JSON.stringify(s);
}

export function pubViolation(subject: string): string {
  return `Permissions Violation for Publish to ${quote(subject)}`;
}

export function replyViolation(reply: string): string {
  return `Permissions Violation for Publish with Reply of ${quote(reply)}`;
}

export function subViolation(subject: string, queue: string | null): string {
  return queue === null
    ? `Permissions Violation for Subscription to ${quote(subject)}`
    : `Permissions Violation for Subscription to ${quote(subject)} using queue ${quote(queue)}`;
}

/** An existing subscription removed because a reload tightened the user's permissions. */
export function subRevokedViolation(subject: string, sid: string): string {
  return `Permissions Violation for Subscription to ${quote(subject)} (sid ${quote(sid)})`;
}

export function subTokensViolation(subject: string): string {
  return `Permissions Violation for Subscription to ${quote(subject)}, too many tokens`;
}

/** A leaf link whose account's loop-detection subject came back over it. */
export function leafLoopDetected(account: string, delaySeconds: number): string {
  return `Loop detected for leafnode account=${quote(account)}. Delaying attempt to reconnect for ${delaySeconds}s`;
}

/** A leaf refused for running a version older than the listener's min_version. */
export function leafMinVersion(min: string): string {
  return `connection rejected since minimum version required is ${quote(min)}`;
}

export function errFrame(text: string): Buffer {
  return Buffer.from(`-ERR '${text}'\r\n`, 'latin1');
}
