// The HTML page at the base path: links to every endpoint.

import { NATS_COMPAT_VERSION } from '../protocol/nats/index.js';
import type { EndpointReply } from './context.js';

export interface PageLink {
  readonly title: string;
  /** Path with the base path applied, e.g. /varz or /mon/varz. */
  readonly path: string;
}

export function indexPage(links: readonly PageLink[]): EndpointReply {
  // The page is served at the base path itself (no trailing slash), so "./<full path>" resolves
  // to the endpoint under any base path.
  const items = links.map((l) => `    <li><a href=".${escapeHtml(l.path)}">${escapeHtml(l.title)}</a></li>`).join('\n');
  const body = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>leafgate monitoring</title>
    <style>
      body { font-family: system-ui, sans-serif; margin: 2rem; }
      li { margin-bottom: 0.4rem; }
    </style>
  </head>
  <body>
    <h1>leafgate</h1>
    <p>NATS server monitoring, nats-server ${NATS_COMPAT_VERSION} compatible</p>
    <ul>
${items}
    </ul>
  </body>
</html>
`;
  return { kind: 'html', body };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
