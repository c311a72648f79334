// Start-up refusals of the websocket block that nats-server makes when it builds the server (its
// validateWebsocketOptions): a user or token of its own beside configured users, a no_auth_user that
// is no user.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { freePort } from '../../helpers/ports.js';
import { runLeafgate } from '../../helpers/processes.js';
import { tempDir } from '../../helpers/temp-dir.js';

const cases = [
  { name: 'a websocket user beside users', ws: 'authorization { user: w, password: w }', message: 'websocket authentication username not compatible with presence of users/nkeys' },
  { name: 'a websocket token beside users', ws: 'authorization { token: t }', message: 'websocket authentication token not compatible with presence of users/nkeys' },
  { name: 'a websocket no_auth_user that is no user', ws: 'no_auth_user: nobody', message: 'no_auth_user: "nobody" not present as user in authorization block or account configuration' },
  { name: 'a JWT cookie without operators', ws: 'jwt_cookie: my_jwt', message: 'trusted operators or trusted keys configuration is required for JWT authentication via cookie "my_jwt"' },
];

for (const c of cases) {
  test(`${c.name}: the start is refused with nats-server's error`, async (t) => {
    const tmp = tempDir(t);
    const [port, wsPort] = [await freePort(), await freePort()];
    const conf = tmp.write('server.conf', `host: 127.0.0.1\nport: ${port}\nauthorization { users: [ { user: a, password: a } ] }\nwebsocket { host: 127.0.0.1, port: ${wsPort}, no_tls: true, ${c.ws} }\n`);
    const start = await runLeafgate(['-c', conf]);
    assert.equal(start.code, 1, start.stdout + start.stderr);
    assert.ok((start.stdout + start.stderr).includes(c.message), start.stdout + start.stderr);
  });
}
