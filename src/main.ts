#!/usr/bin/env node
// bin entry: parses the command line, resolves options (flags over config file) and runs the server.
// Start-up time and idle memory grow with every module loaded, so what only some command lines need (the
// config file reader, the monitor, TLS, commander for the help) is loaded when they ask for it.

import { parseCommandLine, programName, runCliCommand } from './cli/index.js';
import type { CommandLine } from './cli/index.js';
import { loadConfigReader, mergeOptions } from './config/index.js';
import type { LoadedConfig, OptionLayer, Options } from './config/index.js';
import { Server } from './server.js';
import { Logger } from './util/index.js';

type RunCommand = Extract<CommandLine, { kind: 'run' }>;

/** Reads the command line's config file (again on every reload). */
type ConfigFileRead = () => LoadedConfig;

/** Loads the config file reader when the command line names a file; null when it names none. */
async function configFileRead(cmd: RunCommand): Promise<ConfigFileRead | null> {
  const file = cmd.configFile;
  if (file === undefined) return null;
  const reader = await loadConfigReader();
  return () => reader.loadConfigFile(file);
}

/** Flags are applied over the config file, on start and on every reload (nats-server's precedence). */
function resolveOptions(cmd: RunCommand, readConfigFile: ConfigFileRead | null): { opts: Options; warnings: string[] } {
  let fileLayer: OptionLayer = {};
  let warnings: string[] = [];
  if (readConfigFile !== null) {
    const loaded = readConfigFile();
    fileLayer = { ...loaded.layer };
    for (const key of cmd.clearedKeys) delete fileLayer[key];
    warnings = loaded.warnings;
  }
  const flags: OptionLayer = { ...cmd.flags };
  // --user/--pass/--auth override single fields; the file's users lists stay.
  if (flags.auth !== undefined && fileLayer.auth !== undefined) flags.auth = { ...fileLayer.auth, ...flags.auth, users: fileLayer.auth.users, ...(fileLayer.auth.nkeys !== undefined && { nkeys: fileLayer.auth.nkeys }) };
  const opts = mergeOptions(fileLayer, flags);
  return { opts, warnings };
}

async function main(argv: string[]): Promise<number | null> {
  const cmd = parseCommandLine(argv);
  if (cmd.kind !== 'run') return runCliCommand(cmd);
  const readConfigFile = await configFileRead(cmd);
  let resolved: { opts: Options; warnings: string[] };
  try {
    resolved = resolveOptions(cmd, readConfigFile);
  } catch (err) {
    process.stderr.write(`leafgate: ${(err as Error).message}\n`);
    return 1;
  }
  const { opts, warnings } = resolved;
  const log = new Logger({ debug: opts.debug, trace: opts.trace, logtime: opts.logtime, logFile: opts.logFile });
  for (const w of warnings) log.warn(w);
  for (const flag of cmd.notYetSupported) log.warn(`flag ${flag} is not supported yet`);
  let server: Server;
  try {
    server = new Server(opts, log, () => resolveOptions(cmd, readConfigFile).opts, programName(process.argv[1]));
    await server.start();
  } catch (err) {
    // Like nats-server's Fatalf: exit now, so a supervisor sees the failure and restarts.
    log.fatal((err as Error).message);
    process.exit(1);
  }
  // A failure in one connection's asynchronous work must not take the gateway down with it.
  process.on('unhandledRejection', (reason) => log.error(`unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`));
  server.installSignalHandlers();
  server.onExit(() => process.exit(0));
  return null;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`leafgate: ${err.stack ?? err.message}\n`);
    process.exitCode = 1;
  },
);
