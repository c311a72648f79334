// Leaf node links as the options configure them: the leaf module is loaded only when the leafnodes
// block is set, and its listener failing to open stops the start like any other.

import type { LeafnodesConfig, Options } from '../config/index.js';
import type { ClientAuthenticator, Router } from '../core/index.js';
import type { LeafNodes } from '../leaf/index.js';
import { GLOBAL_ACCOUNT, ListenError } from '../util/index.js';
import { StartError } from './start-error.js';

export async function openLeafNodes(config: LeafnodesConfig, opts: Options, router: Router, clients: ClientAuthenticator): Promise<LeafNodes> {
  const { LeafNodes } = await import('../leaf/index.js');
  const leafs = new LeafNodes(
    router,
    {
      host: config.host !== '' ? config.host : opts.host,
      port: config.port,
      advertise: config.advertise,
      noAdvertise: config.noAdvertise,
      ...(config.auth !== undefined && { login: config.auth }),
      reconnectDelayMs: config.reconnectDelayMs,
      remotes: config.remotes.map((r) => ({ urls: r.urls, account: r.account ?? GLOBAL_ACCOUNT, hub: r.hub, noRandomize: r.noRandomize })),
      domain: opts.jetstream?.domain ?? '',
      jetstream: opts.jetstream !== undefined,
    },
    clients,
  );
  await leafs.start().catch((err: Error) => {
    leafs.stop();
    throw new StartError(err instanceof ListenError ? `Error listening on port: ${err.hostPort}, "${err.message}"` : err.message, err);
  });
  return leafs;
}
