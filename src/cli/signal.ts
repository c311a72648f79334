// `--signal <command>[=<pid|pidfile>]`: signal a running leafgate the way nats-server's --signal does.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { binScript } from './package-files.js';
import { PROGRAM_NAME } from './program-name.js';
import { quote } from './argv.js';
import { CliError } from './errors.js';

/** Command → signal, as server/signal.go maps them. `stop` is SIGKILL: not graceful, by design. */
const SIGNALS = {
  stop: 'SIGKILL',
  quit: 'SIGINT',
  term: 'SIGTERM',
  reload: 'SIGHUP',
  reopen: 'SIGUSR1',
  ldm: 'SIGUSR2',
} as const satisfies Record<string, NodeJS.Signals>;

export type SignalCommand = keyof typeof SIGNALS;

export interface SignalRequest {
  readonly command: SignalCommand;
  /** A pid, or the path of a file holding one; absent = the single running leafgate. */
  readonly target?: string;
}

export function signalFor(command: SignalCommand): NodeJS.Signals {
  return SIGNALS[command];
}

function isSignalCommand(text: string): text is SignalCommand {
  return Object.hasOwn(SIGNALS, text);
}

/** Parses the flag's value; throws CliError for an unknown command or extra `=` parts. */
export function parseSignalArgument(text: string): SignalRequest {
  const [command = '', target, ...extra] = text.split('=');
  if (extra.length > 0) throw new CliError('SIGNAL_PARAMETERS', `invalid signal parameters: [${extra.join(' ')}]`);
  if (!isSignalCommand(command)) throw new CliError('SIGNAL_UNKNOWN', `unknown signal ${quote(command)}`);
  return target === undefined || target === '' ? { command } : { command, target };
}

export interface SignalDeps {
  readonly kill: (pid: number, signal: NodeJS.Signals) => void;
  readonly findProcesses: () => number[];
}

const SYSTEM_DEPS: SignalDeps = {
  kill: (pid, signal) => {
    process.kill(pid, signal);
  },
  findProcesses: () => findLeafgateProcesses(),
};

/** Sends the request's signal and returns the pid signalled; throws CliError with nats-server's wording. */
export function sendSignal(request: SignalRequest, deps: SignalDeps = SYSTEM_DEPS): number {
  const pid = request.target === undefined ? singleRunningPid(deps.findProcesses()) : pidFromTarget(request.target);
  try {
    deps.kill(pid, SIGNALS[request.command]);
  } catch (err) {
    throw new CliError('SIGNAL_FAILED', killFailure(err));
  }
  return pid;
}

function singleRunningPid(pids: readonly number[]): number {
  if (pids.length === 0) throw new CliError('SIGNAL_NO_PROCESS', 'no leafgate processes running');
  if (pids.length > 1) {
    throw new CliError('SIGNAL_MANY_PROCESSES', `multiple leafgate processes running:\n${pids.join('\n')}`);
  }
  return pids[0]!;
}

/** The target is a readable file's content if it names one, else the text itself. */
function pidFromTarget(target: string): number {
  let text = target;
  try {
    text = readFileSync(target, 'utf8');
  } catch {
    // Not a readable file: the target is the pid itself.
  }
  const trimmed = text.trim();
  // 0 and negative pids would signal a process group or every process we may signal: never a server.
  if (!/^\+?\d+$/.test(trimmed) || Number(trimmed) <= 0) throw new CliError('SIGNAL_PID', `invalid pid: ${trimmed}`);
  return Number(trimmed);
}

function killFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ESRCH') return 'no such process';
  if (code === 'EPERM') return 'operation not permitted';
  return err instanceof Error ? err.message : String(err);
}

export interface ProcessScan {
  /** Default /proc; tests point it at a fake tree. */
  readonly procDir?: string;
  /** Never reported (the CLI itself); default this process. */
  readonly selfPid?: number;
  /** Absolute path of leafgate's bin script; default this installation's. */
  readonly mainScript?: string;
}

/**
 * Pids of running leafgate servers, ascending: processes whose command line is a `leafgate` executable, or a
 * node running leafgate's bin script (this installation's, any `.../leafgate/dist/bin/leafgate.js` or the compiled
 * `.../leafgate/dist/src/main.js`, or a `leafgate` bin).
 */
export function findLeafgateProcesses(scan: ProcessScan = {}): number[] {
  const procDir = scan.procDir ?? '/proc';
  const selfPid = scan.selfPid ?? process.pid;
  const mainScript = scan.mainScript ?? binScript();
  const pids: number[] = [];
  for (const entry of readdirSync(procDir)) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === selfPid) continue;
    const argv = readCommandLine(`${procDir}/${entry}`);
    if (argv !== undefined && isLeafgate(argv, `${procDir}/${entry}`, mainScript)) pids.push(pid);
  }
  return pids.sort((a, b) => a - b);
}

function readCommandLine(processDir: string): string[] | undefined {
  try {
    const raw = readFileSync(`${processDir}/cmdline`, 'latin1');
    return raw.split('\0').filter((part) => part !== '');
  } catch {
    // The process exited while we looked, or is not ours to read.
    return undefined;
  }
}

/** `node -e <code>` runs no script file, whatever the code text mentions. */
const INLINE_CODE_FLAGS: ReadonlySet<string> = new Set(['-e', '--eval', '-p', '--print']);

function isLeafgate(argv: readonly string[], processDir: string, mainScript: string): boolean {
  const executable = argv[0];
  if (executable === undefined) return false;
  if (basename(executable) === PROGRAM_NAME) return true;
  if (!/^node/.test(basename(executable))) return false;
  if (argv.some((arg) => INLINE_CODE_FLAGS.has(arg))) return false;
  const script = argv.slice(1).find((arg) => !arg.startsWith('-'));
  if (script === undefined) return false;
  const scriptPath = resolve(workingDirectory(processDir), script);
  return (
    basename(scriptPath) === PROGRAM_NAME ||
    scriptPath === mainScript ||
    scriptPath.endsWith('/leafgate/dist/bin/leafgate.js') ||
    scriptPath.endsWith('/leafgate/dist/src/main.js')
  );
}

function workingDirectory(processDir: string): string {
  try {
    return readlinkSync(`${processDir}/cwd`);
  } catch {
    // Unreadable cwd (another user's process): only absolute script paths can match.
    return '/';
  }
}
