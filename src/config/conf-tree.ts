// The value tree the config parser produces. Every node remembers where it came from,
// so the option mapping can point at the exact file, line and column of a bad value.

export interface SourcePos {
  readonly file: string;
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export function formatPos(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.column}`;
}

interface NodeBase {
  readonly pos: SourcePos;
}

export interface ConfString extends NodeBase {
  readonly kind: 'string';
  readonly value: string;
}

/** Integers keep int64 semantics (sizes like 1E exceed 2^53), hence bigint. */
export interface ConfInteger extends NodeBase {
  readonly kind: 'integer';
  readonly value: bigint;
}

export interface ConfFloat extends NodeBase {
  readonly kind: 'float';
  readonly value: number;
}

export interface ConfBoolean extends NodeBase {
  readonly kind: 'boolean';
  readonly value: boolean;
}

export interface ConfDatetime extends NodeBase {
  readonly kind: 'datetime';
  readonly value: Date;
}

export interface ConfArray extends NodeBase {
  readonly kind: 'array';
  readonly items: readonly ConfNode[];
}

export interface ConfMap extends NodeBase {
  readonly kind: 'map';
  /** Insertion order; a duplicate key replaces the earlier value (last wins). */
  readonly entries: ReadonlyMap<string, ConfEntry>;
}

export type ConfNode = ConfString | ConfInteger | ConfFloat | ConfBoolean | ConfDatetime | ConfArray | ConfMap;

export type ConfKind = ConfNode['kind'];

export interface ConfEntry {
  readonly key: string;
  /** Position of the key: errors about a setting point at its name, as nats-server does. */
  readonly pos: SourcePos;
  readonly value: ConfNode;
  /**
   * Set once a `$name` reference resolved to this entry. Such helper keys are exempt from the
   * unknown-field check (nats-server semantics), so it changes after the entry is created.
   */
  usedAsVariable: boolean;
}

/** Plain JavaScript view of a node: maps become objects, integers numbers (bigint beyond 2^53). */
export function toPlain(node: ConfNode): unknown {
  switch (node.kind) {
    case 'integer': {
      const n = Number(node.value);
      return Number.isSafeInteger(n) ? n : node.value;
    }
    case 'array':
      return node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [key, entry] of node.entries) out[key] = toPlain(entry.value);
      return out;
    }
    default:
      return node.value;
  }
}
