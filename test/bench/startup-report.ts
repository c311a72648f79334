import { renderColumns } from './report.js';
import { median } from './stats.js';
import { FLOOR_KEY, type StartupSample, type StartupSubject, type StartupTarget } from './startup.js';

/** Median of a subject's starts, with the extremes. */
export interface StartupCell {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** One row of the start-up table. */
export interface StartupRow {
  subject: string;
  label: string;
  command: string;
  readyMs: StartupCell | null;
  idleRssMiB: StartupCell | null;
  failures: number;
  /** Median over rounds of this subject's ready time divided by the floor's in the same round. */
  timeVsFloor: number | null;
  /** Median over rounds of this subject's idle RSS minus the floor's in the same round, MiB. */
  rssOverFloorMiB: number | null;
  target: StartupTarget | null;
}

const KIB_PER_MIB = 1024;

export function summarizeStartup(subjects: readonly StartupSubject[], samples: readonly StartupSample[]): StartupRow[] {
  const floorByRound = new Map(samples.filter((s) => s.subject === FLOOR_KEY && s.error === null).map((s) => [s.round, s]));
  return subjects.map((subject) => {
    const mine = samples.filter((s) => s.subject === subject.key);
    const ok = mine.filter((s) => s.error === null);
    const timeRatios: number[] = [];
    const rssDeltas: number[] = [];
    for (const sample of ok) {
      const floor = floorByRound.get(sample.round);
      if (floor === undefined) continue;
      if (sample.readyMs !== null && floor.readyMs !== null && floor.readyMs > 0) timeRatios.push(sample.readyMs / floor.readyMs);
      if (sample.idleRssKb !== null && floor.idleRssKb !== null) rssDeltas.push((sample.idleRssKb - floor.idleRssKb) / KIB_PER_MIB);
    }
    return {
      subject: subject.key,
      label: subject.label,
      command: [subject.file, ...subject.args].join(' '),
      readyMs: cellOf(ok.map((s) => s.readyMs)),
      idleRssMiB: cellOf(ok.map((s) => (s.idleRssKb === null ? null : s.idleRssKb / KIB_PER_MIB))),
      failures: mine.length - ok.length,
      timeVsFloor: timeRatios.length === 0 ? null : median(timeRatios),
      rssOverFloorMiB: rssDeltas.length === 0 ? null : median(rssDeltas),
      target: subject.target,
    };
  });
}

function cellOf(values: Array<number | null>): StartupCell | null {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return null;
  return { median: median(present), min: Math.min(...present), max: Math.max(...present), runs: present.length };
}

export function formatStartupTable(rows: readonly StartupRow[]): string {
  const header = ['server', 'ready (ms)', 'idle RSS (MiB)', 'time/floor', 'RSS-floor (MiB)', 'note'];
  const body = rows.map((row) => [
    row.label,
    formatCell(row.readyMs, row.failures),
    formatCell(row.idleRssMiB, row.failures),
    row.timeVsFloor === null ? '-' : `${row.timeVsFloor.toFixed(2)}x`,
    row.rssOverFloorMiB === null ? '-' : `${row.rssOverFloorMiB >= 0 ? '+' : ''}${row.rssOverFloorMiB.toFixed(1)}`,
    noteFor(row),
  ]);
  return renderColumns([header, ...body], new Set([1, 2, 3, 4]));
}

function formatCell(cell: StartupCell | null, failures: number): string {
  if (cell === null) return failures > 0 ? 'FAILED' : '-';
  let text = cell.median.toFixed(1);
  if (cell.runs > 1 && cell.median !== 0) text += ` ±${Math.round(((cell.max - cell.min) / 2 / cell.median) * 100)}%`;
  if (failures > 0) text += ` (${failures} failed)`;
  return text;
}

function noteFor(row: StartupRow): string {
  if (row.subject === FLOOR_KEY) return 'the floor';
  const target = row.target;
  if (target === null || row.timeVsFloor === null || row.rssOverFloorMiB === null) return '';
  const time = row.timeVsFloor <= target.maxTimeRatio ? 'met' : 'NOT met';
  const rss = row.rssOverFloorMiB <= target.maxExtraRssMiB ? 'met' : 'NOT met';
  return `target time <= ${target.maxTimeRatio.toFixed(2)}x ${time}, RSS <= +${target.maxExtraRssMiB} MiB ${rss}`;
}
