/**
 * The start-up floor: the least a Node server that NATS clients can reach does. It listens on
 * `-p <port>` (all interfaces, as the servers it is compared with) and writes one INFO line to
 * each connection, nothing more. Node's own start-up and an ESM entry module are all it costs, so
 * `npm run bench` measures leafgate's start-up and idle memory against it.
 */
import { createServer } from 'node:net';

const INFO =
  'INFO {"server_id":"floor","server_name":"floor","version":"2.9.10","proto":1,"host":"0.0.0.0","headers":true,"max_payload":1048576}\r\n';

function listen(port: number): void {
  createServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.write(INFO);
  }).listen(port);
}

const portFlag = process.argv.indexOf('-p');
const port = Number(process.argv[portFlag + 1]);
// `node --test dist/test/` runs every .js under test/ (see run.ts): stay inert there.
if (process.env.NODE_TEST_CONTEXT === undefined) {
  if (portFlag < 0 || !Number.isInteger(port)) {
    process.stderr.write('usage: node floor-server.js -p <port>\n');
    process.exitCode = 2;
  } else {
    listen(port);
  }
}
