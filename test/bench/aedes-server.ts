// aedes (MQTT broker in Node.js, in-memory persistence) on a port given as the first argument: the
// bench's fourth MQTT broker, run as a process of its own like the others.

import net from 'node:net';

import { Aedes } from 'aedes';

const port = Number(process.argv[2]);
const broker = await Aedes.createBroker();
const server = net.createServer(broker.handle);
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => broker.close(() => process.exit(0))));
