// `mappings { source: destination }` (also `maps`), top-level (the global account's) or in an account:
// a destination is a subject, or a list of `{ destination, weight, cluster }` entries.

import type { Issues } from './conf-reader.js';
import { describeNode, fieldOf, lowerCased, typeError } from './conf-reader.js';
import type { ConfEntry, ConfNode } from './conf-tree.js';
import { MappingError, SubjectMappings } from '../util/index.js';
import type { MappingDestination } from '../util/index.js';
import type { MappingConfig } from './options.js';

export function readMappings(issues: Issues, entry: ConfEntry): MappingConfig[] | undefined {
  if (entry.value.kind !== 'map') return typeError(issues, fieldOf(entry), 'a map of subject mappings');
  const mappings: MappingConfig[] = [];
  // What the router will build from them, built here too so that -t finds a bad one, at its line.
  const check = new SubjectMappings();
  for (const m of entry.value.entries.values()) {
    const destinations = readDestinations(issues, m.value);
    if (destinations === undefined) continue;
    try {
      check.add(m.key, destinations);
    } catch (err) {
      if (!(err instanceof MappingError)) throw err;
      issues.error(m.pos, err.message);
      continue;
    }
    mappings.push({ source: m.key, destinations });
  }
  return mappings;
}

function readDestinations(issues: Issues, node: ConfNode): MappingDestination[] | undefined {
  if (node.kind === 'string') return [{ subject: node.value, weight: 100 }];
  if (node.kind !== 'array') {
    issues.error(node.pos, `Unknown type ${describeNode(node)} for mapping destination`);
    return undefined;
  }
  const dests: MappingDestination[] = [];
  for (const item of node.items) {
    if (item.kind !== 'map') {
      issues.error(item.pos, `Expected an entry for the mapping destination, got ${describeNode(item)}`);
      return undefined;
    }
    let subject = '';
    let weight: number | undefined;
    let cluster: string | undefined;
    for (const [key, e] of lowerCased(item)) {
      const v = e.value;
      if (key === 'dest' || key === 'destination') {
        if (v.kind !== 'string') {
          issues.error(v.pos, `Unknown type ${describeNode(v)} for mapping destination`);
          return undefined;
        }
        subject = v.value;
      } else if (key === 'weight') {
        weight = readWeight(issues, v);
        if (weight === undefined) return undefined;
      } else if (key === 'cluster') cluster = v.kind === 'string' ? v.value : '';
      else {
        issues.error(e.pos, `Unknown field ${JSON.stringify(e.key)} for mapping destination`);
        return undefined;
      }
    }
    if (weight === undefined) {
      issues.error(item.pos, `Missing weight for mapping destination ${JSON.stringify(subject)}`);
      return undefined;
    }
    // Weighted for a named cluster: taken only by a server of that cluster, which this one (without
    // clustering) never is; nats-server's other servers fall back to the entries without a cluster.
    if (cluster === undefined || cluster === '') dests.push({ subject, weight });
  }
  return dests;
}

function readWeight(issues: Issues, v: ConfNode): number | undefined {
  let weight: number;
  if (v.kind === 'string') {
    const text = v.value.endsWith('%') ? v.value.slice(0, -1) : v.value;
    if (!/^[+-]?\d+$/.test(text)) {
      issues.error(v.pos, `Invalid weight ${JSON.stringify(text)} for mapping destination`);
      return undefined;
    }
    weight = Number(text);
  } else if (v.kind === 'integer') weight = Number(v.value);
  else {
    issues.error(v.pos, `Unknown entry type for weight of ${describeNode(v)}`);
    return undefined;
  }
  if (weight > 100 || weight < 0) {
    issues.error(v.pos, `Invalid weight ${weight} for mapping destination`);
    return undefined;
  }
  return weight;
}
