// STREAM.CREATE / STREAM.UPDATE requests with what nats-server 2.9.10 answers (observed; the interop test
// test/interop/jetstream-config.test.ts replays every row against the real server so the table stays honest).
// `want` is the JSON of the reply's `error` member, or of its `config` member on success.

export interface ApiCase {
  readonly name: string;
  /** Requests made first, in order (their replies are not checked). */
  readonly setup?: readonly (readonly [subject: string, body: string])[];
  readonly subject: string;
  readonly body: string;
  readonly want: string;
}

const CFG_TAIL = '"allow_direct":false,"mirror_direct":false,"sealed":false,"deny_delete":false,"deny_purge":false,"allow_rollup_hdrs":false}';
const LIMITS = '"retention":"limits","max_consumers":-1,"max_msgs":-1,"max_bytes":-1';
export const err = (code: number, errCode: number, description: string): string => JSON.stringify({ code, err_code: errCode, description }).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
const invalid = (description: string): string => err(500, 10052, description);
const create = (name: string, body: object): [string, string] => [`$JS.API.STREAM.CREATE.${name}`, JSON.stringify({ name, ...body })];

export const streamCases: readonly ApiCase[] = [
  {
    name: 'minimal config gets every default',
    subject: '$JS.API.STREAM.CREATE.S1',
    body: '{"name":"S1"}',
    want: `{"name":"S1","subjects":["S1"],${LIMITS},"max_age":0,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":1,"duplicate_window":120000000000,${CFG_TAIL}`,
  },
  {
    name: 'duplicate window follows a shorter max_age',
    subject: '$JS.API.STREAM.CREATE.S2',
    body: '{"name":"S2","subjects":["a.>"],"max_age":1000000000}',
    want: `{"name":"S2","subjects":["a.\\u003e"],${LIMITS},"max_age":1000000000,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":1,"duplicate_window":1000000000,${CFG_TAIL}`,
  },
  {
    name: 'max_age of exactly 100ms',
    subject: '$JS.API.STREAM.CREATE.V',
    body: '{"name":"V","subjects":["v"],"max_age":100000000}',
    want: `{"name":"V","subjects":["v"],${LIMITS},"max_age":100000000,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":1,"duplicate_window":100000000,${CFG_TAIL}`,
  },
  {
    name: 'memory storage and max_msg_size kept',
    subject: '$JS.API.STREAM.CREATE.S3',
    body: '{"name":"S3","subjects":["b.*","c"],"storage":"memory","max_msg_size":100}',
    want: `{"name":"S3","subjects":["b.*","c"],${LIMITS},"max_age":0,"max_msgs_per_subject":-1,"max_msg_size":100,"discard":"old","storage":"memory","num_replicas":1,"duplicate_window":120000000000,${CFG_TAIL}`,
  },
  {
    name: 'member names match case-insensitively',
    subject: '$JS.API.STREAM.CREATE.S5',
    body: '{"Name":"S5","SUBJECTS":["q"]}',
    want: `{"name":"S5","subjects":["q"],${LIMITS},"max_age":0,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":1,"duplicate_window":120000000000,${CFG_TAIL}`,
  },
  {
    name: 'null members keep their zero value',
    subject: '$JS.API.STREAM.CREATE.A',
    body: '{"name":"A","max_msg_size":null,"subjects":null}',
    want: `{"name":"A","subjects":["A"],${LIMITS},"max_age":0,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":1,"duplicate_window":120000000000,${CFG_TAIL}`,
  },
  {
    name: 'non-ASCII subject and int64 nanoseconds past 2^53 kept exactly',
    subject: '$JS.API.STREAM.CREATE.U',
    body: '{"name":"U","subjects":["fö.>"],"max_bytes":1000,"max_age":31536000000000001}',
    want: `{"name":"U","subjects":["fö.\\u003e"],"retention":"limits","max_consumers":-1,"max_msgs":-1,"max_bytes":1000,"max_age":31536000000000001,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":1,"duplicate_window":120000000000,${CFG_TAIL}`,
  },
  {
    name: 'description kept as UTF-8 text',
    subject: '$JS.API.STREAM.CREATE.D',
    body: '{"name":"D","description":"ü"}',
    want: `{"name":"D","description":"ü","subjects":["D"],${LIMITS},"max_age":0,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":1,"duplicate_window":120000000000,${CFG_TAIL}`,
  },
  {
    name: 'republish source defaults to >',
    subject: '$JS.API.STREAM.CREATE.R',
    body: '{"name":"R","subjects":["r.*"],"republish":{"dest":"rp.>"}}',
    want: `{"name":"R","subjects":["r.*"],${LIMITS},"max_age":0,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":1,"duplicate_window":120000000000,"republish":{"src":"\\u003e","dest":"rp.\\u003e"},${CFG_TAIL}`,
  },
  {
    name: 'mirror of a stream not there yet: no subjects, no duplicate window',
    subject: '$JS.API.STREAM.CREATE.M',
    body: '{"name":"M","mirror":{"name":"NOPE"}}',
    want: `{"name":"M",${LIMITS},"max_age":0,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":1,"mirror":{"name":"NOPE"},${CFG_TAIL}`,
  },
  { name: 'bad JSON', subject: '$JS.API.STREAM.CREATE.S5', body: 'not json', want: err(400, 10025, 'invalid JSON') },
  { name: 'a leading BOM is bad JSON', subject: '$JS.API.STREAM.CREATE.A', body: '\ufeff{"name":"A"}', want: err(400, 10025, 'invalid JSON') },
  { name: 'unknown retention', subject: '$JS.API.STREAM.CREATE.S5', body: '{"name":"S5","retention":"bogus"}', want: err(400, 10025, 'invalid JSON') },
  { name: 'null retention', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","retention":null}', want: err(400, 10025, 'invalid JSON') },
  { name: 'fraction for a duration', subject: '$JS.API.STREAM.CREATE.S5', body: '{"name":"S5","max_age":1.5}', want: err(400, 10025, 'invalid JSON') },
  { name: 'exponent for a duration', subject: '$JS.API.STREAM.CREATE.S5', body: '{"name":"S5","max_age":1e9}', want: err(400, 10025, 'invalid JSON') },
  { name: '1.0 for an integer', subject: '$JS.API.STREAM.CREATE.V2', body: '{"name":"V2","subjects":["v2"],"max_msgs":1.0}', want: err(400, 10025, 'invalid JSON') },
  { name: 'name differs from the subject', subject: '$JS.API.STREAM.CREATE.S5', body: '{"name":"S6"}', want: err(400, 10056, 'stream name in subject does not match request') },
  { name: 'wildcard name', subject: '$JS.API.STREAM.CREATE.*', body: '{"name":"*"}', want: invalid("stream name is required and can not contain '.', '*', '>'") },
  { name: 'path separator in the name', subject: '$JS.API.STREAM.CREATE.a/b', body: '{"name":"a/b"}', want: err(400, 10128, 'Stream name can not contain path separators') },
  { name: 'name of 256 bytes', subject: `$JS.API.STREAM.CREATE.${'x'.repeat(256)}`, body: `{"name":"${'x'.repeat(256)}"}`, want: invalid('stream name is too long, maximum allowed is 255') },
  { name: 'sealed at create', subject: '$JS.API.STREAM.CREATE.S5', body: '{"name":"S5","sealed":true}', want: invalid('stream configuration for create can not be sealed') },
  { name: 'mirror_direct without a mirror', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","mirror_direct":true}', want: invalid('stream has no mirror but does have mirror direct') },
  { name: 'subject in the API space', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","subjects":["$JS.API.foo"]}', want: invalid('subjects overlap with jetstream api') },
  { name: 'the same subject twice', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","subjects":["x","x"]}', want: invalid('duplicate subjects detected') },
  { name: 'subjects overlapping each other', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","subjects":["a.*","a.b"]}', want: invalid('subject "a.*" overlaps with "a.b"') },
  { name: 'empty token', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","subjects":["a..b"]}', want: invalid('invalid subject') },
  { name: 'space in a subject', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","subjects":["a b"]}', want: invalid('invalid subject') },
  { name: 'max_age under 100ms', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","max_age":50000000}', want: invalid('max age needs to be >= 100ms') },
  { name: 'duplicate window over max_age', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","max_age":1000000000,"duplicate_window":2000000000}', want: invalid('duplicates window can not be larger then max age') },
  { name: 'duplicate window under 100ms', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","duplicate_window":50000000}', want: invalid('duplicates window needs to be >= 100ms') },
  { name: 'deny_purge with rollups', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","deny_purge":true,"allow_rollup_hdrs":true}', want: invalid('roll-ups require the purge permission') },
  { name: 'discard new per subject without discard new', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","discard_new_per_subject":true}', want: invalid('discard new per subject requires discard new policy to be set') },
  { name: 'discard new per subject without a per-subject limit', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","discard_new_per_subject":true,"discard":"new"}', want: invalid('discard new per subject requires max msgs per subject > 0') },
  { name: 'mirror with subjects', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","mirror":{"name":"B"},"subjects":["q"]}', want: err(400, 10034, 'stream mirrors can not contain subjects') },
  { name: 'three replicas standalone', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","num_replicas":3}', want: err(500, 10074, 'replicas > 1 not supported in non-clustered mode') },
  { name: 'negative replicas', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","num_replicas":-1}', want: err(400, 10133, 'replicas count cannot be negative') },
  { name: 'six replicas', subject: '$JS.API.STREAM.CREATE.A', body: '{"name":"A","num_replicas":6}', want: invalid('maximum replicas is 5') },
  {
    name: 'republish destination inside the stream',
    subject: '$JS.API.STREAM.CREATE.R',
    body: '{"name":"R","subjects":["r.*"],"republish":{"src":"r.*","dest":"r.x"}}',
    want: invalid('stream configuration for republish destination forms a cycle'),
  },
  {
    name: 'mirror filter outside the origin',
    setup: [create('R', { subjects: ['r.*'] })],
    subject: '$JS.API.STREAM.CREATE.M',
    body: '{"name":"M","mirror":{"name":"R","filter_subject":"zz"}}',
    want: invalid("mirror 'R' filter subject 'zz' does not overlap with any origin stream subject"),
  },
  { name: 'a stream sourcing itself', subject: '$JS.API.STREAM.CREATE.SRC', body: '{"name":"SRC","sources":[{"name":"SRC"}]}', want: invalid('detected cycle') },
  {
    name: 'subjects of another stream',
    setup: [create('S2', { subjects: ['a.>'] })],
    subject: '$JS.API.STREAM.CREATE.S4',
    body: '{"name":"S4","subjects":["a.b"]}',
    want: err(400, 10065, 'subjects overlap with an existing stream'),
  },
  {
    name: 'create again with another config',
    setup: [create('S1', {})],
    subject: '$JS.API.STREAM.CREATE.S1',
    body: '{"name":"S1","max_msgs":5}',
    want: err(400, 10058, 'stream name already in use with a different configuration'),
  },
  {
    name: 'create again with the same config',
    setup: [create('S1', {})],
    subject: '$JS.API.STREAM.CREATE.S1',
    body: '{"name":"S1","subjects":["S1"]}',
    want: `{"name":"S1","subjects":["S1"],${LIMITS},"max_age":0,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":1,"duplicate_window":120000000000,${CFG_TAIL}`,
  },
  {
    name: 'update: storage',
    setup: [create('S1', {})],
    subject: '$JS.API.STREAM.UPDATE.S1',
    body: '{"name":"S1","storage":"memory"}',
    want: invalid('stream configuration update can not change storage type'),
  },
  {
    name: 'update: three replicas are accepted standalone',
    setup: [create('S1', {})],
    subject: '$JS.API.STREAM.UPDATE.S1',
    body: '{"name":"S1","max_msgs":5,"num_replicas":3}',
    want: `{"name":"S1","subjects":["S1"],"retention":"limits","max_consumers":-1,"max_msgs":5,"max_bytes":-1,"max_age":0,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"old","storage":"file","num_replicas":3,"duplicate_window":120000000000,${CFG_TAIL}`,
  },
  {
    name: 'update: retention',
    setup: [create('R', { subjects: ['r.*'] })],
    subject: '$JS.API.STREAM.UPDATE.R',
    body: '{"name":"R","subjects":["r.*"],"retention":"interest"}',
    want: invalid('stream configuration update can not change retention policy'),
  },
  {
    name: 'update: max_consumers',
    setup: [create('R', { subjects: ['r.*'] })],
    subject: '$JS.API.STREAM.UPDATE.R',
    body: '{"name":"R","subjects":["r.*"],"max_consumers":3}',
    want: invalid('stream configuration update can not change MaxConsumers'),
  },
  {
    name: 'update: republish',
    setup: [create('R', { subjects: ['r.*'], republish: { dest: 'rp.>' } })],
    subject: '$JS.API.STREAM.UPDATE.R',
    body: '{"name":"R","subjects":["r.*"]}',
    want: invalid('stream configuration update can not change RePublish'),
  },
  {
    name: 'update: mirror',
    setup: [create('M', { mirror: { name: 'NOPE' } })],
    subject: '$JS.API.STREAM.UPDATE.M',
    body: '{"name":"M","mirror":{"name":"R2"}}',
    want: err(400, 10055, 'stream mirror configuration can not be updated'),
  },
  {
    name: 'update: name differs from the subject',
    setup: [create('R', { subjects: ['r.*'] })],
    subject: '$JS.API.STREAM.UPDATE.R',
    body: '{"name":"X","subjects":["r.*"]}',
    want: err(400, 10056, 'stream name in subject does not match request'),
  },
  { name: 'update: missing stream', subject: '$JS.API.STREAM.UPDATE.NOPE', body: '{"name":"NOPE"}', want: err(404, 10059, 'stream not found') },
  {
    name: 'update: cancel deny_delete',
    setup: [create('Q', { max_age: 5000000000, deny_delete: true })],
    subject: '$JS.API.STREAM.UPDATE.Q',
    body: '{"name":"Q","max_age":5000000000,"deny_delete":false}',
    want: invalid('stream configuration update can not cancel deny message deletes'),
  },
  {
    name: 'update: sealing forces the sealed settings',
    setup: [create('Q', { max_age: 5000000000, deny_delete: true })],
    subject: '$JS.API.STREAM.UPDATE.Q',
    body: '{"name":"Q","max_age":5000000000,"deny_delete":true,"sealed":true,"allow_rollup_hdrs":true}',
    want: `{"name":"Q","subjects":["Q"],${LIMITS},"max_age":0,"max_msgs_per_subject":-1,"max_msg_size":-1,"discard":"new","storage":"file","num_replicas":1,"duplicate_window":5000000000,"allow_direct":false,"mirror_direct":false,"sealed":true,"deny_delete":true,"deny_purge":true,"allow_rollup_hdrs":false}`,
  },
  {
    name: 'update: unseal',
    setup: [create('Q', { max_age: 5000000000, deny_delete: true }), ['$JS.API.STREAM.UPDATE.Q', '{"name":"Q","max_age":5000000000,"deny_delete":true,"sealed":true}']],
    subject: '$JS.API.STREAM.UPDATE.Q',
    body: '{"name":"Q","max_age":5000000000,"deny_delete":true}',
    want: invalid('stream configuration update can not unseal a sealed stream'),
  },
];
