export { MqttService } from './service.js';
export type { MqttServiceOptions } from './service.js';
export type { MqttConnection } from './mqtt-connection.js';
export { openMqttStore } from './store/index.js';
export type { MqttStore } from './store/index.js';
