// The monitoring paths, what answers each, and the key its requests are counted under in /varz.

import { accountz } from './accountz.js';
import { accstatz } from './accstatz.js';
import { gatewayz, routez } from './absent-subsystems.js';
import { connz } from './connz.js';
import type { EndpointHandler } from './context.js';
import { healthz } from './healthz.js';
import { jsz } from './jsz.js';
import { leafz } from './leafz.js';
import { subsz } from './subsz.js';
import { varz } from './varz.js';

export interface Endpoint {
  /** Path below the base path. */
  readonly path: string;
  /** Key in http_req_stats (an alias counts under the path it aliases). */
  readonly statsKey: string;
  /** Link text on the index page; absent for aliases. */
  readonly title?: string;
  readonly handler: EndpointHandler;
}

export const ROOT_PATH = '/';

export const ENDPOINTS: readonly Endpoint[] = [
  { path: '/varz', statsKey: '/varz', title: 'General', handler: varz },
  { path: '/jsz', statsKey: '/jsz', title: 'JetStream', handler: jsz },
  { path: '/connz', statsKey: '/connz', title: 'Connections', handler: connz },
  { path: '/accountz', statsKey: '/accountz', title: 'Accounts', handler: accountz },
  { path: '/accstatz', statsKey: '/accstatz', title: 'Account Stats', handler: accstatz },
  { path: '/subsz', statsKey: '/subsz', title: 'Subscriptions', handler: subsz },
  { path: '/subscriptionsz', statsKey: '/subsz', handler: subsz },
  { path: '/routez', statsKey: '/routez', title: 'Routes', handler: routez },
  { path: '/leafz', statsKey: '/leafz', title: 'LeafNodes', handler: leafz },
  { path: '/gatewayz', statsKey: '/gatewayz', title: 'Gateways', handler: gatewayz },
  { path: '/healthz', statsKey: '/healthz', title: 'Health Probe', handler: healthz },
];

/** nats-server's normalisation of http_base_path: leading slash, cleaned; '' is '/'. */
export function normalizeBasePath(base: string): string {
  if (base === '') return '/';
  return cleanPath(base.startsWith('/') ? base : '/' + base);
}

/** Joins the base path and an endpoint path, as Go's path.Join would. */
export function joinPath(base: string, path: string): string {
  return cleanPath(`${base}/${path}`);
}

/** Go's path.Clean for absolute paths: no empty, '.' or '..' segments, no trailing slash. */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}
