// Binds any listener (client, monitoring, and those to come) the way nats-server binds: the wildcard host is one
// dual-stack socket (IPv4 and IPv6, `*:4222` in `ss -ltn`), and a failure reads like Go's net.Listen error.
import type { AddressInfo, Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { getSystemErrorMap } from 'node:util';

export interface ListenTarget {
  /** As configured; '' and '0.0.0.0' mean every interface. */
  readonly host: string;
  /** -1 = any free port. */
  readonly port: number;
  readonly backlog?: number;
}

/** The bind failed; `message` is Go's wording: `listen tcp 0.0.0.0:4222: bind: address already in use`. */
export class ListenError extends Error {
  readonly code = 'LISTEN_FAILED';
  /** The configured host and port, as nats-server prints them. */
  readonly hostPort: string;

  constructor(hostPort: string, cause: NodeJS.ErrnoException) {
    super(`listen tcp ${hostPort}: bind: ${systemReason(cause)}`, { cause });
    this.name = 'ListenError';
    this.hostPort = hostPort;
  }
}

/** True for the hosts that mean "every interface". */
function isWildcardHost(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::';
}

/** `host:port`, with IPv6 hosts in brackets. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Starts listening; rejects with ListenError. For the wildcard host no address is given, so Node opens `::`
 * with IPv6-only off (dual-stack), or `0.0.0.0` on a machine without IPv6.
 */
export function listen(server: Server, target: ListenTarget): Promise<void> {
  const port = target.port < 0 ? 0 : target.port;
  const host = isWildcardHost(target.host) ? undefined : target.host;
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(new ListenError(formatHostPort(target.host === '' ? '0.0.0.0' : target.host, port), err));
    };
    server.once('error', onError);
    server.listen({ host, port, ipv6Only: false, ...(target.backlog !== undefined && { backlog: target.backlog }) }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * The URLs a client can reach a bound listener at, as nats-server's ports file lists them: the bound address,
 * or for a wildcard socket every interface's address (IPv6 ones only when the socket is dual-stack).
 */
export function reachableUrls(scheme: string, bound: AddressInfo): string[] {
  const wildcard = bound.address === '::' || bound.address === '0.0.0.0';
  const hosts = wildcard ? interfaceAddresses(bound.family === 'IPv6') : [bound.address];
  return hosts.map((host) => `${scheme}://${formatHostPort(host, bound.port)}`);
}

/** Every address of every interface, in the system's order (loopback first), as Go's net.Interfaces gives them. */
function interfaceAddresses(withIPv6: boolean): string[] {
  return Object.values(networkInterfaces()).flatMap((addrs) =>
    (addrs ?? []).filter((a) => withIPv6 || a.family === 'IPv4').map((a) => a.address),
  );
}

/** The operating system's text for the error (`address already in use`), as Go prints it. */
function systemReason(err: NodeJS.ErrnoException): string {
  const known = typeof err.errno === 'number' ? getSystemErrorMap().get(err.errno) : undefined;
  return known !== undefined ? known[1] : err.message;
}
