// Run by sqlite-mqtt-store.test.ts as a child process (arguments: the file, the sync policy): writes
// the samples; once whenDurable calls back, writes another turn and dies by SIGKILL before that turn
// can commit. The parent opens what the crash left. Without arguments (a test runner walking the
// folder) it does nothing.

import { openMqttStore } from '../../../../src/mqtt/store/index.js';
import { retained, writeSamples } from './samples.js';

const [file, sync] = process.argv.slice(2);
if (file !== undefined) {
  const store = openMqttStore({ file, sync: sync === 'always' ? 'always' : Number(sync) });
  writeSamples(store);
  store.whenDurable((err) => {
    if (err !== null) throw err;
    store.deleteSession('A', 'dev-1');
    store.putRetained(retained('A', 'never', 'committed'));
    process.kill(process.pid, 'SIGKILL');
  });
}
