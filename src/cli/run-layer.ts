// From the flags given to the option layer they contribute. Only flags actually given appear; the server
// applies this layer over the config file's, so a flag always beats the file (as in nats-server, also on reload).
// `-c` is not part of the layer: the config loader records the file it read (as an absolute path).
import type { Options, OptionLayer, TlsConfig } from '../config/index.js';
import { quote } from './argv.js';
import { CliError } from './errors.js';
import { FLAGS } from './flags.js';
import type { FlagValues } from './flags.js';

export interface RunLayer {
  readonly flags: OptionLayer;
  /** Keys the command line turns off even if the config file sets them (`--tls=false` drops the file's tls). */
  readonly clearedKeys: ReadonlyArray<keyof Options>;
  /** Flags accepted and validated but without an effect yet (`--cluster`, `--syslog`...), for a startup warning. */
  readonly notYetSupported: readonly string[];
}

/** nats-server's default TLS handshake deadline; the flags have no way to set it. */
const TLS_HANDSHAKE_TIMEOUT_MS = 2000;

/** Flags with no home in Options yet. A boolean one given as false asks for nothing, so it is not reported. */
const NOT_YET_SUPPORTED: readonly string[] = FLAGS.filter((spec) => !spec.supported).map((spec) => spec.key);

const TLS_FLAGS: readonly string[] = ['tls', 'tlscert', 'tlskey', 'tlscacert', 'tlsverify'];

export function buildRunLayer(values: FlagValues): RunLayer {
  const flags: OptionLayer = {};
  const clearedKeys: Array<keyof Options> = [];

  copyString(values, 'addr', (v) => (flags.host = v));
  copyInt(values, 'port', (v) => (flags.port = v));
  copyString(values, 'server_name', (v) => (flags.serverName = v));
  copyString(values, 'pid', (v) => (flags.pidFile = v));
  copyInt(values, 'http_port', (v) => (flags.httpPort = v));
  copyString(values, 'client_advertise', (v) => (flags.clientAdvertise = v));
  copyString(values, 'ports_file_dir', (v) => (flags.portsFileDir = v));
  copyString(values, 'log', (v) => (flags.logFile = v));
  copyBool(values, 'logtime', (v) => (flags.logtime = v));
  copyInt(values, 'max_traced_msg_len', (v) => (flags.maxTracedMsgLen = v));
  applyJetStream(values, flags);
  applyLogLevels(values, flags);
  applyAuth(values, flags);
  applyTls(values, flags, clearedKeys);
  validateCluster(values);

  const notYetSupported = NOT_YET_SUPPORTED.filter((key) => values.has(key) && values.bool(key) !== false).map(
    (key) => `--${key}`,
  );
  return { flags, clearedKeys, notYetSupported };
}

function copyString(values: FlagValues, key: string, set: (value: string) => void): void {
  const value = values.string(key);
  if (value !== undefined) set(value);
}

function copyInt(values: FlagValues, key: string, set: (value: number) => void): void {
  const value = values.int(key);
  if (value !== undefined) set(value);
}

function copyBool(values: FlagValues, key: string, set: (value: boolean) => void): void {
  const value = values.bool(key);
  if (value !== undefined) set(value);
}

/**
 * -D/-V set one level each; the combined flags then override them in nats-server's order (DV, DVV, VV), each
 * also when given as false: `-DV=false` turns debug and trace off.
 */
function applyLogLevels(values: FlagValues, flags: OptionLayer): void {
  copyBool(values, 'debug', (v) => (flags.debug = v));
  copyBool(values, 'trace', (v) => (flags.trace = v));
  copyBool(values, 'DV', (v) => (flags.debug = flags.trace = v));
  copyBool(values, 'DVV', (v) => (flags.debug = flags.trace = flags.traceVerbose = v));
  copyBool(values, 'VV', (v) => (flags.trace = flags.traceVerbose = v));
}

/** -js turns JetStream on (or, as -js=false, off); -sd only says where its data goes (nats-server: -sd alone enables nothing). */
function applyJetStream(values: FlagValues, flags: OptionLayer): void {
  const enabled = values.bool('jetstream');
  const storeDir = values.string('store_dir');
  if (enabled === undefined && storeDir === undefined) return;
  flags.jetstream = { ...(enabled !== undefined && { enabled }), ...(storeDir !== undefined && { storeDir }) };
}

/**
 * --user/--pass/--auth are single-user and token auth. The layer carries them in an `auth` with no users list;
 * the server merges these fields over the file's authorization rather than replacing it.
 */
function applyAuth(values: FlagValues, flags: OptionLayer): void {
  const user = values.string('user');
  const password = values.string('pass');
  const token = values.string('auth');
  if (user === undefined && password === undefined && token === undefined) return;
  flags.auth = {
    users: [],
    ...(user !== undefined && { user }),
    ...(password !== undefined && { password }),
    ...(token !== undefined && { token }),
  };
}

/**
 * Any TLS flag rebuilds the client TLS config from the flags alone; `--tls=false` instead drops TLS, and then
 * the other TLS flags are ignored. Certificate and key are checked for presence here, for validity by the server.
 */
function applyTls(values: FlagValues, flags: OptionLayer, clearedKeys: Array<keyof Options>): void {
  if (!TLS_FLAGS.some((key) => values.has(key))) return;
  if (values.bool('tls') === false) {
    clearedKeys.push('tls');
    return;
  }
  const certFile = values.string('tlscert') ?? '';
  const keyFile = values.string('tlskey') ?? '';
  if (certFile === '') throw new CliError('TLS_INCOMPLETE', 'TLS Server certificate must be present and valid');
  if (keyFile === '') throw new CliError('TLS_INCOMPLETE', 'TLS Server private key must be present and valid');
  const caFile = values.string('tlscacert');
  const tls: TlsConfig = {
    certFile,
    keyFile,
    ...(caFile !== undefined && caFile !== '' && { caFile }),
    verify: values.bool('tlsverify') ?? false,
    timeoutMs: TLS_HANDSHAKE_TIMEOUT_MS,
  };
  flags.tls = tls;
}

/** The cluster listen URL is checked the way nats-server reads it, so a typo fails now rather than later. */
function validateCluster(values: FlagValues): void {
  for (const key of ['cluster', 'cluster_listen']) {
    const url = values.string(key);
    if (url !== undefined && url !== '') checkClusterUrl(url);
  }
}

function checkClusterUrl(text: string): void {
  // ":-1" asks for a random port, which URL parsing would reject.
  const parsable = text.endsWith(':-1') ? `${text.slice(0, -3)}:0` : text;
  if (!URL.canParse(parsable)) throw new CliError('CLUSTER_URL', `invalid cluster URL ${quote(text)}`);
  const authority = authorityOf(parsable);
  const at = authority.lastIndexOf('@');
  const hostPort = authority.slice(at + 1);
  if (!/:\d+$/.test(hostPort)) {
    throw new CliError(
      'CLUSTER_URL',
      hostPort === '' ? 'missing port in address' : `address ${hostPort}: missing port in address`,
    );
  }
  if (at >= 0 && !authority.slice(0, at).includes(':')) {
    throw new CliError('CLUSTER_URL', 'expected cluster password to be set');
  }
}

function authorityOf(url: string): string {
  const start = url.indexOf('//');
  if (start < 0) return '';
  const rest = url.slice(start + 2);
  const end = rest.search(/[/?#]/);
  return end < 0 ? rest : rest.slice(0, end);
}
