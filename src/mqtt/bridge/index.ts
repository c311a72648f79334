export { MqttBridge } from './bridge.js';
export type { BridgeHost, BridgeOptions, BridgeStatus } from './bridge.js';
export { BridgeRuleError } from './rules.js';
