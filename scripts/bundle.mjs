// Bundles the compiled server (dist/src) into the shipped bin (dist/bin/leafgate.js). On a Raspberry Pi every
// ES module file costs start-up time and memory (resolution, a module record, V8 compiling Node's own
// loader code hot): one entry with a few chunks starts in about the time of a bare Node server and idles
// megabytes lower. Code the command line may never need (the monitor, the config reader, the help) stays in
// chunks of its own, loaded on demand as in dist/src; packages in node_modules stay outside.
import fs from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry a content hash: a stale chunk from an earlier build must not ship.
fs.rmSync('dist/bin', { recursive: true, force: true });
await build({
  // A stream file's applier thread is started by its file name, beside the chunk that starts it.
  entryPoints: { leafgate: 'dist/src/main.js', 'log-applier-thread': 'dist/src/jetstream/store/sqlite/log-applier-thread.js' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: '[name]-[hash]',
  logLevel: 'warning',
});
