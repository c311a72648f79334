// The README's JavaScript examples, run as written against a leafgate: each ```js block is saved as a
// module in the repository (so the packages resolve), pointed at this server, and must print what
// its `// prints:` comments say.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT, startLeafgate } from '../../helpers/processes.js';
import { tempDir } from '../../helpers/temp-dir.js';

const run = promisify(execFile);

interface Example {
  readonly line: number;
  readonly code: string;
  readonly prints: string[];
}

function readmeExamples(): Example[] {
  const lines = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```js') continue;
    const start = i + 1;
    const body: string[] = [];
    for (i = start; i < lines.length && lines[i].trim() !== '```'; i++) body.push(lines[i]);
    const code = body.join('\n');
    const prints = [...code.matchAll(/\/\/ prints: (.*)$/gm)].map((m) => m[1].trim());
    out.push({ line: start, code, prints });
  }
  return out;
}

test('every JavaScript example of the README runs against leafgate and prints what it says', async (t) => {
  const examples = readmeExamples();
  assert.ok(examples.length >= 3, 'the README has its examples');
  const tmp = tempDir(t);
  const server = await startLeafgate({ args: ['-js', '-sd', tmp.dir] });
  t.after(() => server.stop());
  for (const ex of examples) {
    const file = path.join(REPO_ROOT, `.readme-example-${process.pid}-${ex.line}.mjs`);
    fs.writeFileSync(file, ex.code.replaceAll('localhost:4222', `127.0.0.1:${server.port}`));
    try {
      const { stdout } = await run(process.execPath, [file], { timeout: 20_000 });
      assert.deepEqual(stdout.trim().split('\n').filter((l) => l !== ''), ex.prints, `README line ${ex.line}`);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }
});
