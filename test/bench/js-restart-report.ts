import type { RestartRecord, RestartSample } from './js-restart.js';
import { renderColumns } from './report.js';
import { median } from './stats.js';

interface Row {
  metric: string;
  value(record: RestartRecord): number | null;
  format(value: number): string;
  note: string;
}

const MIB = 1024;
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const mib = (kb: number) => `${(kb / MIB).toFixed(1)}`;
const ms = (value: number) => value.toFixed(0);

/** Median over the successful restarts, with ± half the min..max spread when there are several. */
function restartMedian(pick: (sample: RestartSample) => number | null): (record: RestartRecord) => number | null {
  return (record) => {
    const values = record.restarts.map(pick).filter((v): v is number => v !== null);
    return values.length === 0 ? null : median(values);
  };
}

function rows(messages: number): Row[] {
  const n = messages.toLocaleString('en-US');
  return [
    { metric: `build: acked msgs/s (window 256, 128 B)`, value: (r) => r.buildMsgsPerS, format: count, note: 'higher is better' },
    { metric: 'build: written to disk (B/msg)', value: (r) => r.writeBytesPerMsg, format: count, note: 'write_bytes / stored msgs' },
    { metric: `RSS at ${(messages / 10).toLocaleString('en-US')} msgs stored (MiB)`, value: (r) => r.rssTenthKb, format: mib, note: '' },
    { metric: `RSS at ${n} msgs stored (MiB)`, value: (r) => r.rssFullKb, format: mib, note: 'lower is better' },
    { metric: `pull: fetch 500 + ack each (msgs/s, ${n} msgs)`, value: (r) => r.pullMsgsPerS, format: count, note: 'target >= 0.5x' },
    { metric: 'restart: spawn -> INFO (ms)', value: restartMedian((s) => s.infoMs), format: ms, note: '' },
    { metric: 'restart: spawn -> STREAM.INFO (ms)', value: restartMedian((s) => s.streamInfoMs), format: ms, note: '' },
    { metric: 'restart: spawn -> DIRECT.GET last (ms)', value: restartMedian((s) => s.lastMessageMs), format: ms, note: 'lower is better' },
    { metric: 'restart: spawn -> first fetch (ms)', value: restartMedian((s) => s.firstFetchMs), format: ms, note: 'target <= 1000 ms' },
    { metric: 'RSS after the restart (MiB)', value: restartMedian((s) => s.rssKb), format: mib, note: '' },
  ];
}

/** One row per figure, one column per server, and leafgate/nats-server when both ran. */
export function formatRestartTable(records: readonly RestartRecord[], messages: number): string {
  const nats = records.find((r) => r.side === 'nats');
  const leafgate = records.find((r) => r.side === 'leafgate');
  const header = ['figure', ...records.map((r) => (r.leafgateSync === null ? r.label : `${r.label} (sync ${r.leafgateSync})`))];
  const showRatio = nats !== undefined && leafgate !== undefined;
  if (showRatio) header.push(`${leafgate.label}/${nats.label}`, 'note');
  const body = rows(messages).map((row) => {
    const line = [row.metric, ...records.map((r) => (r.error !== null ? 'FAILED' : formatted(row, r)))];
    if (showRatio) {
      const a = leafgate.error === null ? row.value(leafgate) : null;
      const b = nats.error === null ? row.value(nats) : null;
      line.push(a === null || b === null || b === 0 ? '-' : `${(a / b).toFixed(2)}x`, row.note);
    }
    return line;
  });
  const right = new Set(Array.from({ length: records.length + 1 }, (_, i) => i + 1));
  return renderColumns([header, ...body], right);
}

function formatted(row: Row, record: RestartRecord): string {
  const value = row.value(record);
  return value === null ? '-' : row.format(value);
}
