import type { MetricSpec, Scenario, ScenarioResult } from './scenarios/index.js';
import { median } from './stats.js';

export type SideKey = 'nats' | 'leafgate';

/** One server column of the table. */
export interface Side {
  key: SideKey;
  label: string;
  /** Launch command with the port shown as <port>. */
  command: string;
}

/** One server's part in one run of a scenario (each run starts its servers fresh). */
export interface RunRecord {
  scenario: string;
  side: SideKey;
  rep: number;
  pid: number;
  port: number;
  wallMs: number;
  idleRssKb: number;
  /** VmHWM after the run, for scenarios that report peak RSS. */
  peakRssKb: number | null;
  /** Server CPU time over the time the scenario spent loading it (warm-up included): 1.0 is one core kept busy. */
  serverCores: number;
  /** This process's CPU time (runner and all load-generator workers) over the whole run's wall time. */
  generatorCores: number;
  result: ScenarioResult | null;
  error: { code: string; message: string } | null;
}

/** Median over the successful runs of one side, with the spread of those runs. */
export interface Cell {
  median: number;
  min: number;
  max: number;
  runs: number;
  failures: number;
}

export interface SummaryRow {
  group: string;
  metric: string;
  unit: MetricSpec['unit'];
  better: MetricSpec['better'];
  targetRatio: number | null;
  nats: Cell | null;
  leafgate: Cell | null;
  /** leafgate / nats-server: the median over runs of the ratio within each run (both servers took turns in it). */
  ratio: number | null;
}

export function summarize(scenarios: Scenario[], runs: RunRecord[], sides: Side[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const cellFor = (side: SideKey, selected: RunRecord[], value: (run: RunRecord) => number | null) => {
    if (!sides.some((s) => s.key === side)) return null;
    const mine = selected.filter((run) => run.side === side);
    const values = mine.map(value).filter((v): v is number => v !== null && Number.isFinite(v));
    return makeCell(values, mine.length - values.length);
  };
  const addRow = (group: string, metric: MetricSpec, selected: RunRecord[], value: (run: RunRecord) => number | null) => {
    const nats = cellFor('nats', selected, value);
    const leafgate = cellFor('leafgate', selected, value);
    rows.push({
      group,
      metric: metric.label,
      unit: metric.unit,
      better: metric.better,
      targetRatio: metric.targetRatio ?? null,
      nats,
      leafgate,
      ratio: nats !== null && leafgate !== null ? pairedRatio(selected, value) : null,
    });
  };

  for (const scenario of scenarios) {
    const selected = runs.filter((run) => run.scenario === scenario.id);
    for (const metric of scenario.metrics) {
      addRow(scenario.title, metric, selected, (run) => (run.result === null ? null : (run.result[metric.key] ?? null)));
    }
  }
  const rss = (label: string): MetricSpec => ({ key: label, label, unit: 'MiB', better: 'lower' });
  addRow('server RSS', rss('idle after start'), runs, (run) => run.idleRssKb / 1024);
  for (const scenario of scenarios.filter((s) => s.reportsPeakRss)) {
    const selected = runs.filter((run) => run.scenario === scenario.id);
    addRow('server RSS', rss(`peak during ${scenario.title}`), selected, (run) =>
      run.peakRssKb === null ? null : run.peakRssKb / 1024,
    );
  }
  return rows;
}

/** Median of leafgate/nats-server over the runs where both produced the value. */
function pairedRatio(selected: RunRecord[], value: (run: RunRecord) => number | null): number | null {
  const byRun = new Map<string, Partial<Record<SideKey, number>>>();
  for (const run of selected) {
    const v = value(run);
    if (v === null || !Number.isFinite(v)) continue;
    const key = `${run.scenario}#${run.rep}`;
    const pair = byRun.get(key) ?? {};
    pair[run.side] = v;
    byRun.set(key, pair);
  }
  const ratios: number[] = [];
  for (const { nats, leafgate } of byRun.values()) {
    if (nats !== undefined && leafgate !== undefined && nats > 0) ratios.push(leafgate / nats);
  }
  return ratios.length === 0 ? null : median(ratios);
}

function makeCell(values: number[], failures: number): Cell {
  return {
    median: median(values),
    min: values.length === 0 ? Number.NaN : Math.min(...values),
    max: values.length === 0 ? Number.NaN : Math.max(...values),
    runs: values.length,
    failures,
  };
}

export function formatTable(rows: SummaryRow[], sides: Side[]): string {
  const showNats = sides.some((s) => s.key === 'nats');
  const showLeafgate = sides.some((s) => s.key === 'leafgate');
  const showRatio = showNats && showLeafgate;
  const labelOf = (key: SideKey) => sides.find((s) => s.key === key)?.label ?? key;
  const header = ['scenario', 'metric'];
  if (showNats) header.push(labelOf('nats'));
  if (showLeafgate) header.push(labelOf('leafgate'));
  if (showRatio) header.push(`${labelOf('leafgate')}/${labelOf('nats')}`, 'note');
  const body = rows.map((row, index) => {
    const sameGroup = index > 0 && rows[index - 1]?.group === row.group;
    const line = [sameGroup ? '' : row.group, `${row.metric} (${row.unit})`];
    if (showNats) line.push(formatCell(row.nats, row.unit));
    if (showLeafgate) line.push(formatCell(row.leafgate, row.unit));
    if (showRatio) line.push(row.ratio === null ? '-' : `${row.ratio.toFixed(2)}x`, noteFor(row));
    return line;
  });
  return renderColumns([header, ...body], new Set([2, 3, 4]));
}

function formatCell(cell: Cell | null, unit: MetricSpec['unit']): string {
  if (cell === null) return '-';
  if (cell.runs === 0) return cell.failures === 0 ? 'not run' : 'FAILED';
  let text = formatValue(cell.median, unit);
  if (cell.runs > 1 && cell.median !== 0) {
    text += ` ±${Math.round(((cell.max - cell.min) / 2 / cell.median) * 100)}%`;
  }
  if (cell.failures > 0) text += ` (${cell.failures} failed)`;
  return text;
}

export function formatValue(value: number, unit: MetricSpec['unit']): string {
  if (unit === 'msgs/s' || unit === 'ops/s' || unit === 'B/msg') return Math.round(value).toLocaleString('en-US');
  return value.toFixed(1);
}

function noteFor(row: SummaryRow): string {
  const direction = row.better === 'higher' ? 'higher is better' : 'lower is better';
  if (row.targetRatio === null || row.ratio === null) return direction;
  const met = row.ratio >= row.targetRatio ? 'met' : 'NOT met';
  return `${direction}; target >= ${row.targetRatio.toFixed(2)}x ${met}`;
}

/** Aligns a header row and body rows into columns under a rule; `rightAligned` holds column indexes. */
export function renderColumns(table: string[][], rightAligned: Set<number>): string {
  const widths: number[] = [];
  for (const line of table) line.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const render = (line: string[]) =>
    line
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const [header, ...body] = table;
  return [render(header ?? []), rule, ...body.map(render)].join('\n');
}

/** One line per scenario: how busy the servers and the load generator were (medians over runs). */
export function formatCpuUse(scenarios: Scenario[], runs: RunRecord[], sides: Side[]): string {
  const lines = ['CPU use (cores busy, median over runs): each server during its turns; load generator over the whole run'];
  const width = Math.max(...scenarios.map((scenario) => scenario.title.length));
  for (const scenario of scenarios) {
    const selected = runs.filter((run) => run.scenario === scenario.id);
    const parts = sides.map((side) => {
      const mine = selected.filter((run) => run.side === side.key && run.error === null);
      return `${side.label} ${mine.length === 0 ? '-' : median(mine.map((run) => run.serverCores)).toFixed(2)}`;
    });
    const generator = selected.length === 0 ? '-' : median(selected.map((run) => run.generatorCores)).toFixed(2);
    lines.push(`  ${scenario.title.padEnd(width)}  ${parts.join(',  ')},  load generator ${generator}`);
  }
  return lines.join('\n');
}
