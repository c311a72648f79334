// npm's prepare step: builds dist/ when leafgate is installed from a git checkout or a git URL.
// npm leaves devDependencies out of global installs (and out of the nested install it runs to
// prepare a git dependency), so TypeScript and esbuild may be missing here: they are installed into
// this folder first, without scripts (no recursion into prepare) and without touching package.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const tsc = path.join('node_modules', 'typescript', 'bin', 'tsc');
const esbuild = path.join('node_modules', 'esbuild');

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!fs.existsSync(tsc) || !fs.existsSync(esbuild)) {
  // The outer npm's settings (global, prefix, omit=dev) reach us as npm_config_* variables; this
  // install is a plain local one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_config_')));
  run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['install', '--no-save', '--ignore-scripts', '--include=dev', '--no-audit', '--no-fund'], env);
}
run(process.execPath, [tsc, '-p', 'tsconfig.json']);
run(process.execPath, [path.join('scripts', 'bundle.mjs')]);
