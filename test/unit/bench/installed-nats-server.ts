import { findNatsServer } from '../../bench/index.js';

function installedNatsServer(): string | null {
  try {
    return findNatsServer();
  } catch {
    return null;
  }
}

/** The nats-server the bench would use, if one is installed; tests that need it skip otherwise. */
export const natsBinary = installedNatsServer();
export const skip = natsBinary === null ? 'nats-server is not installed' : false;
