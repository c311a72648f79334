export { MonitorServer } from './monitor-server.js';
export { SystemRequests } from './system-requests.js';
export type { MonitorLog, MonitorSource } from './source.js';
export type { JetStreamMonitorSource } from './jetstream-source.js';
export { BadRequestError, MonitorError, MonitorListenError } from './errors.js';
export type { MonitorErrorCode } from './errors.js';
