export { MqttService } from './service.js';
export type { BridgeSpec, MqttServiceOptions } from './service.js';
export type { BridgeStatus } from './bridge/index.js';
export type { MqttConnection } from './mqtt-connection.js';
export { openMqttStore } from './store/index.js';
export type { MqttStore } from './store/index.js';
