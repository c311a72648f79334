// The `uplink {}` block, leafgate's own (nats-server has none): local subjects kept in a local
// stream and forwarded, in order and exactly once, into a stream of the hub over the leaf link.
//
//   uplink {
//     subjects: ["telemetry.>"]     # captured locally
//     stream: EDGE_DATA             # the hub's stream
//     domain: hub                   # the hub's JetStream domain (its API crosses the link as $JS.hub.API)
//     prefix: "edge1."              # prepended to each subject on the hub (default: <name>.)
//     name: edge1                   # this edge's name in message ids (default: the server name)
//     account: APP                  # the local account (default the global account)
//     max_bytes: "1GB", max_age: "168h", max_msgs: -1, max_inflight: 1024
//   }

import type { Field, Issues } from './conf-reader.js';
import { fieldOf, lowerCased, readInteger, readString, readStringList, typeError } from './conf-reader.js';
import type { ConfEntry } from './conf-tree.js';
import { readDuration, readSize } from './from-conf-client-tls.js';
import type { UplinkConfig } from './options.js';

const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;
const DEFAULT_MAX_INFLIGHT = 1024;
const NAME = /^[A-Za-z0-9_-]+$/;

export function readUplink(issues: Issues, entry: ConfEntry): UplinkConfig | undefined {
  if (entry.value.kind !== 'map') return typeError(issues, fieldOf(entry), 'a map');
  const fail = (pos: Field['pos'], message: string): void => issues.error(pos, `uplink: ${message}`);
  let subjects: string[] = [];
  let stream = '';
  let domain = '';
  let prefix: string | undefined;
  let name = '';
  let account: string | undefined;
  let maxBytes = DEFAULT_MAX_BYTES;
  let maxAgeMs = 0;
  let maxMsgs = -1;
  let maxInflight = DEFAULT_MAX_INFLIGHT;
  const before = issues.errors.length;
  for (const [key, child] of lowerCased(entry.value)) {
    const field = fieldOf(child);
    switch (key) {
      case 'subjects':
        subjects = readStringList(issues, field) ?? subjects;
        break;
      case 'stream':
        stream = readString(issues, field) ?? stream;
        break;
      case 'domain':
        domain = readString(issues, field) ?? domain;
        break;
      case 'prefix':
        prefix = readString(issues, field);
        break;
      case 'name':
        name = readString(issues, field) ?? name;
        break;
      case 'account':
        account = readString(issues, field);
        break;
      case 'max_bytes':
        maxBytes = readSize(issues, field, fail) ?? maxBytes;
        break;
      case 'max_age':
        maxAgeMs = readDuration(issues, field, fail) ?? maxAgeMs;
        break;
      case 'max_msgs':
        maxMsgs = readInteger(issues, field) ?? maxMsgs;
        break;
      case 'max_inflight':
        maxInflight = readInteger(issues, field) ?? maxInflight;
        if (maxInflight < 1 || maxInflight > 65535) fail(child.pos, 'max_inflight must be between 1 and 65535');
        break;
      default:
        issues.unknownField(child);
    }
  }
  if (subjects.length === 0) fail(entry.pos, 'needs subjects, the local subjects to forward');
  if (stream === '') fail(entry.pos, "needs stream, the hub's stream to forward into");
  if (domain === '') fail(entry.pos, "needs domain, the hub's JetStream domain");
  if (name !== '' && !NAME.test(name)) fail(entry.pos, `name ${JSON.stringify(name)} may hold only letters, digits, - and _`);
  if (prefix !== undefined && prefix !== '' && !prefix.endsWith('.')) fail(entry.pos, `prefix ${JSON.stringify(prefix)} must end with a dot`);
  if (issues.errors.length > before) return undefined;
  return { name, ...(account !== undefined && { account }), subjects, stream, domain, ...(prefix !== undefined && { prefix }), maxBytes, maxAgeMs, maxMsgs, maxInflight };
}
