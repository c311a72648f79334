export { JetStream } from './service.js';
export type { JetStreamOptions } from './service.js';
