import fs from 'node:fs';

/** Bytes free for us where JetStream's data goes (created first, as nats-server does); undefined when unknown. */
export function diskAvailable(dir: string): number | undefined {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const st = fs.statfsSync(dir);
    return st.bavail * st.bsize;
  } catch {
    return undefined;
  }
}
