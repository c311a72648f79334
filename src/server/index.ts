// The composition root's parts: server.ts wires them; nothing else imports them.
export { StartError } from './start-error.js';
export { diskAvailable } from './disk.js';
export { loadTls } from './tls-setup.js';
export { authOptionsOf, listenerAuthenticatorOf, openAccountDir, operatorModeOf, withOperatorAccounts } from './login-setup.js';
export { MqttFront } from './mqtt-front.js';
export { openWebsocketListener } from './websocket-listener.js';
export { portsFilePath, writePortsFile } from './ports-file.js';
export { openLeafNodes } from './leaf-setup.js';
export { withDomainMappings } from './jetstream-domain.js';
