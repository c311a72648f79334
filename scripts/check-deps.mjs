// Enforces the dependency rules of ARCHITECTURE.md: which folder of src/ may import which, that other
// folders are reached only through their index.ts, and that each third-party package has one home.
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve('src');
const MAY_IMPORT = {
  util: [],
  protocol: ['util'],
  core: ['protocol', 'util'],
  transports: ['util'],
  auth: ['core', 'protocol', 'util'],
  jetstream: ['core', 'protocol', 'util'],
  mqtt: ['core', 'protocol', 'util', 'jetstream', 'transports'],
  // leaf uses auth for its listener's logins and, soliciting, to sign with credentials (ARCHITECTURE.md rule 4).
  leaf: ['auth', 'core', 'protocol', 'util', 'transports'],
  cluster: ['core', 'protocol', 'util', 'transports'],
  monitor: ['core', 'protocol', 'util'],
  config: ['util'],
  cli: ['config', 'protocol', 'util'],
  // The composition root's parts (server.ts split by concept): they wire the others, and nothing but server.ts imports them.
  server: ['auth', 'config', 'core', 'jetstream', 'leaf', 'monitor', 'mqtt', 'protocol', 'transports', 'util'],
};
// The one exception to MAY_IMPORT: monitor may import config's types (never its code), because /varz
// reports the configured Options as they are. Every other folder declares the types it needs.
const CONFIG_TYPES_ALLOWED_IN = ['monitor'];
// A home is a folder, or a list of them: better-sqlite3 serves both JetStream's store and the MQTT store.
const PACKAGE_HOME = {
  commander: 'cli',
  tweetnacl: 'auth',
  bcryptjs: 'auth',
  'better-sqlite3': ['jetstream', 'mqtt'],
  'mqtt-packet': 'protocol',
  ws: 'transports',
  systeminformation: 'monitor',
};
const NO_IO_IN = { protocol: ['node:net', 'node:tls', 'node:fs', 'node:http', 'node:dgram'], core: ['node:net', 'node:tls', 'node:fs', 'node:http', 'node:dgram'], transports: ['node:fs'] };

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

const problems = [];
// Static imports and re-exports, side-effect imports, and what is loaded later: `import('x')` (also in a type,
// `typeof import('x')`) and `require('x')` through a createRequire function (`requireBuiltin('node:tls')`).
const IMPORT =
  /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\w*\(\s*['"]([^'"]+)['"]\s*\)/gm;
for (const file of walk(SRC)) {
  const rel = path.relative(SRC, file);
  const folder = rel.includes(path.sep) ? rel.split(path.sep)[0] : null;
  const text = fs.readFileSync(file, 'utf8');
  for (const m of text.matchAll(IMPORT)) {
    const typeOnly = m[2] !== undefined;
    const spec = m[3] ?? m[4] ?? m[5] ?? m[6];
    if (spec.startsWith('.')) {
      const target = path.relative(SRC, path.resolve(path.dirname(file), spec));
      const targetFolder = target.includes(path.sep) ? target.split(path.sep)[0] : null;
      if (folder === null || targetFolder === folder) continue;
      if (targetFolder === null) {
        problems.push(`${rel}: imports ${spec}; only main.ts and server.ts live at the top and nothing imports them`);
        continue;
      }
      if (!/^[^/]+\/([^/]+\/)?index\.js$/.test(target.split(path.sep).join('/'))) problems.push(`${rel}: imports ${spec}; other folders are reached through their index.ts`);
      if (targetFolder === 'config' && typeOnly && CONFIG_TYPES_ALLOWED_IN.includes(folder)) continue;
      const allowed = MAY_IMPORT[folder];
      if (allowed !== undefined && !allowed.includes(targetFolder)) problems.push(`${rel}: ${folder}/ may not import ${targetFolder}/`);
    } else {
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      const homes = [PACKAGE_HOME[pkg] ?? []].flat();
      if (homes.length > 0 && !homes.some((home) => folder === home || rel.startsWith(`${home}${path.sep}`))) problems.push(`${rel}: ${pkg} may be imported only in ${homes.map((home) => `${home}/`).join(' or ')}`);
      if (folder !== null && NO_IO_IN[folder]?.includes(spec)) problems.push(`${rel}: ${folder}/ does no I/O and may not import ${spec}`);
    }
  }
}
if (problems.length > 0) {
  console.error('Dependency rules broken (see ../shared/design/ARCHITECTURE.md):');
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log('dependency rules: ok');
