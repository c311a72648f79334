// leafgate's own version comes from package.json, so a release needs one edit.
import { readFileSync } from 'node:fs';
import { NATS_COMPAT_VERSION } from '../protocol/nats/index.js';

/** The nats-server release whose behaviour leafgate reproduces. */
export const NATS_SERVER_COMPAT_VERSION = NATS_COMPAT_VERSION;

function readPackageVersion(): string {
  // Compiled to dist/src/cli/version.js; package.json sits at the package root.
  const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
  const version: unknown = (JSON.parse(text) as { version?: unknown }).version;
  return typeof version === 'string' ? version : '0.0.0';
}

export const LEAFGATE_VERSION: string = readPackageVersion();

export function versionLine(): string {
  return `leafgate: v${LEAFGATE_VERSION} (nats-server ${NATS_SERVER_COMPAT_VERSION} compatible)`;
}
