// A server's start loads only what its command line needs: commander (help), the config file reader (-c), the
// monitor and node:http (-m), node:tls and node:crypto (TLS, secrets) stay unloaded otherwise. Start-up time and
// idle memory grow with every module, and one stray static import would undo this unnoticed.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../helpers/ports.js';
import { startLeafgate } from '../../helpers/processes.js';
import { tempDir } from '../../helpers/temp-dir.js';

const TRACER = fileURLToPath(new URL('../../helpers/module-trace.js', import.meta.url));

const LOADED_ON_DEMAND: Readonly<Record<string, (url: string) => boolean>> = {
  commander: (url) => url.includes('/node_modules/commander/'),
  'config file reader': (url) => /\/dist\/bin\/reader-\w+\.js$/.test(url),
  monitor: (url) => /\/dist\/bin\/monitor-\w+\.js$/.test(url),
  'node:http': (url) => url === 'node:http',
  'node:tls': (url) => url === 'node:tls',
  'node:crypto': (url) => url === 'node:crypto',
};

/** Starts leafgate with `args`, waits until it listens, and returns the modules it resolved. */
async function modulesLoadedBy(t: TestContext, args: (dir: ReturnType<typeof tempDir>) => string[]): Promise<string[]> {
  const dir = tempDir(t, 'leafgate-modules-');
  const trace = dir.path('modules.txt');
  const server = await startLeafgate({
    args: args(dir),
    env: { NODE_OPTIONS: `--import ${TRACER}`, LEAFGATE_MODULE_TRACE: trace },
  });
  try {
    return readFileSync(trace, 'utf8').split('\n').filter((line) => line !== '');
  } finally {
    await server.stop();
  }
}

function onDemandLoaded(modules: string[]): string[] {
  return Object.entries(LOADED_ON_DEMAND)
    .filter(([, matches]) => modules.some(matches))
    .map(([name]) => name);
}

test('a plain start loads no help, config reader, monitor, TLS or crypto code', async (t) => {
  const modules = await modulesLoadedBy(t, () => []);
  assert.ok(modules.some((url) => url.endsWith('/dist/bin/leafgate.js')), 'the trace records the server itself');
  assert.deepEqual(onDemandLoaded(modules), []);
});

test('-c loads the config file reader and -m the monitor, and nothing else on demand', async (t) => {
  const httpPort = await freePort();
  const modules = await modulesLoadedBy(t, (dir) => ['-c', dir.write('server.conf', 'max_payload: 65536\n'), '-m', String(httpPort)]);
  assert.deepEqual(onDemandLoaded(modules), ['config file reader', 'monitor', 'node:http']);
});
