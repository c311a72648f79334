/** Splits `total` into `blocks` near-equal positive parts (fewer when total < blocks). */
export function splitIntoBlocks(total: number, blocks: number): number[] {
  const parts: number[] = [];
  const size = Math.ceil(total / Math.max(1, blocks));
  for (let done = 0; done < total; done += size) parts.push(Math.min(size, total - done));
  return parts;
}

/** Round `round`'s turn order: as given on even rounds, reversed on odd ones (ABBA...). */
export function turnOrder<T>(items: readonly T[], round: number): readonly T[] {
  return round % 2 === 0 ? items : [...items].reverse();
}
