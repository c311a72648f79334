// Splits what a NATS server sent into whole frames, and masks the INFO fields that differ between
// two servers (ids, ports, runtime) so two transcripts can be compared byte for byte.

/**
 * Whole frames: a control line with its CRLF, plus the payload and its CRLF for MSG/HMSG.
 * An incomplete last frame is returned as it is, so nothing received is ever hidden.
 */
export function splitServerFrames(text: string): string[] {
  const frames: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\r\n', pos);
    if (nl < 0) {
      frames.push(text.slice(pos));
      break;
    }
    let end = nl + 2;
    const line = text.slice(pos, nl);
    if (/^H?MSG[ \t]/i.test(line)) {
      const total = Number(line.trim().split(/[ \t]+/).pop());
      if (Number.isInteger(total)) end = Math.min(text.length, nl + 2 + total + 2);
    }
    frames.push(text.slice(pos, end));
    pos = end;
  }
  return frames;
}

/** The same frames in a fixed order, for deliveries whose relative order the protocol leaves open. */
export function sortedFrames(text: string): string {
  return splitServerFrames(text).sort().join('');
}

/** Drops keepalive PINGs the server sent on its own; they depend on when the test happened to run. */
export function withoutServerPings(text: string): string {
  return splitServerFrames(text)
    .filter((f) => f !== 'PING\r\n')
    .join('');
}

/** INFO fields that legitimately differ from server to server and connection to connection. */
const VARYING_INFO_FIELDS: Readonly<Record<string, string>> = {
  server_id: '<server_id>',
  port: '<port>',
  go: '<go>',
  client_id: '<client_id>',
  nonce: '<nonce>',
};

/** `INFO {...} ` with the varying fields replaced by placeholders (key order kept); git_commit dropped (build-specific). */
export function normaliseInfoLine(line: string): string {
  const m = /^INFO (\{.*\}) $/.exec(line);
  if (m === null) return line;
  const info = JSON.parse(m[1]) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(info)) {
    if (key === 'git_commit') continue;
    if (key === 'server_name' && value === info.server_id) out[key] = '<server_id>';
    else out[key] = key in VARYING_INFO_FIELDS ? VARYING_INFO_FIELDS[key] : value;
  }
  return `INFO ${JSON.stringify(out)} `;
}
