// Runs every compiled *.test.js under dist/test with node's test runner. Node 20 expands no globs and
// treats every .js file under a test/ folder as a test, so the files are listed here explicitly.
// The report is short (scripts/test-reporter.mjs): dots, then each failure in full, then the closing counts.
// TEST_REPORTER=tap (or spec) gives node's own reporters instead.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.test.js') ? [path.join(dir, e.name)] : []));
}

const only = process.argv.slice(2);
const files = walk('dist/test').filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
if (files.length === 0) {
  console.error('no test files found under dist/test (did the build run?)');
  process.exit(1);
}
const reporter = process.env.TEST_REPORTER ?? new URL('./test-reporter.mjs', import.meta.url).href;
const args = ['--test', '--test-concurrency=2', '--test-timeout=120000', `--test-reporter=${reporter}`, '--test-reporter-destination=stdout'];
const r = spawnSync(process.execPath, [...args, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
