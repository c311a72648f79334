// leafgate's own version comes from package.json, so a release needs one edit.
import { NATS_COMPAT_VERSION } from '../protocol/nats/index.js';
import { packageVersion } from './package-files.js';

/** The nats-server release whose behaviour leafgate reproduces. */
export const NATS_SERVER_COMPAT_VERSION = NATS_COMPAT_VERSION;

export const LEAFGATE_VERSION: string = packageVersion();

export function versionLine(): string {
  return `leafgate: v${LEAFGATE_VERSION} (nats-server ${NATS_SERVER_COMPAT_VERSION} compatible)`;
}
