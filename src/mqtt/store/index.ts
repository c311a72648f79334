// What MQTT keeps across restarts: the records, the MqttStore interface, and its SQLite implementation.
export { OutboundState, QUEUED_AT_START } from './types.js';
export type { MessageProperties, MqttState, MqttStore, OutboxMessage, OutboxSummary, StoredInbound, StoredMessage, StoredOutbound, StoredRetained, StoredSession, StoredSubscription } from './types.js';
export { openMqttStore } from './sqlite-mqtt-store.js';
export type { MqttStoreOptions } from './sqlite-mqtt-store.js';
