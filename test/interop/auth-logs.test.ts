// Differential: what an operator reads when a client fails to authenticate. Both servers must log the
// same [ERR] line: the client label (with its version, lang and name once CONNECT gave them) and the
// user it tried.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RawClient } from '../helpers/raw-client.js';
import type { ServerProcess } from '../helpers/processes.js';
import { serverPair } from './differential.js';

const CONF = `
accounts {
  a { users: [ { user: foo, password: fpw } ] }
  b { users: [ { user: bar, password: bpw } ] }
}
`;

/** The [ERR] lines, without pid, time, client port and cid. */
function errorLines(output: string): string[] {
  return output
    .split('\n')
    .filter((l) => l.includes('[ERR]'))
    .map((l) => l.replace(/^\[\d+\] [\d/]+ [\d:.]+ /, '').replace(/127\.0\.0\.1:\d+/, '127.0.0.1:<port>').replace(/cid:\d+/, 'cid:<n>'));
}

async function refusedAfter(port: number, data: string): Promise<string> {
  const { client } = await RawClient.open(port);
  try {
    client.send(data);
    return await client.waitClosed(3000);
  } finally {
    client.close();
  }
}

async function loggedEventually(server: ServerProcess, count: number): Promise<string[]> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const lines = errorLines(server.output());
    if (lines.length >= count || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('authentication failure logs', () => {
  const servers = serverPair(CONF);

  test('the label names the client, the line names the user it tried', async () => {
    const { natsServer, leafgate } = servers();
    const wrongPassword = 'CONNECT {"verbose":false,"user":"bar","pass":"nope","name":"probe","lang":"raw","version":"1.2.3"}\r\n';
    const unnamed = 'CONNECT {"verbose":false,"user":"mallory","pass":"x"}\r\n';
    for (const data of [wrongPassword, unnamed, 'PING\r\n']) {
      const [fromNats, fromLeafgate] = await Promise.all([refusedAfter(natsServer.port, data), refusedAfter(leafgate.port, data)]);
      assert.equal(fromLeafgate, fromNats, data);
    }
    const want = [
      '[ERR] 127.0.0.1:<port> - cid:<n> - "v1.2.3:raw:probe" - authentication error - User "bar"',
      '[ERR] 127.0.0.1:<port> - cid:<n> - authentication error - User "mallory"',
      // Refused before CONNECT: users are configured, so nats-server names the (empty) user.
      '[ERR] 127.0.0.1:<port> - cid:<n> - authentication error - User ""',
    ];
    const [fromNats, fromLeafgate] = await Promise.all([loggedEventually(natsServer, want.length), loggedEventually(leafgate, want.length)]);
    assert.deepEqual({ natsServer: fromNats, leafgate: fromLeafgate }, { natsServer: want, leafgate: want });
  });
});
