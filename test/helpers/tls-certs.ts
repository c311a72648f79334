// A throwaway PKI made with the openssl command line: a CA, a server certificate for 127.0.0.1/localhost
// and a client certificate, all signed by the CA, plus an intermediate CA under it that issues a second
// client certificate, written into a fresh temporary directory.

import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestPki {
  readonly dir: string;
  readonly caFile: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A client certificate issued by the intermediate CA, followed by the intermediate (the chain a client sends). */
  readonly chainedClientCert: string;
  readonly chainedClientKey: string;
  /** Removes the directory. */
  remove(): void;
}

function openssl(dir: string, args: readonly string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function issue(dir: string, name: string, subject: string, extensions: string, issuer = 'ca'): void {
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', subject]);
  fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}-key.pem`, '-CAcreateserial',
    '-days', '2', '-sha256', '-out', `${name}.pem`, '-extfile', `${name}.ext`,
  ]);
}

export function createTestPki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leafgate-pki-'));
  openssl(dir, [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem',
    '-days', '2', '-subj', '/CN=leafgate test CA',
  ]);
  issue(dir, 'server', '/CN=localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue(dir, 'client', '/CN=test client', 'extendedKeyUsage=clientAuth\n');
  issue(dir, 'intermediate', '/CN=leafgate test intermediate CA', 'basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n');
  issue(dir, 'chained-client', '/CN=test client via intermediate', 'extendedKeyUsage=clientAuth\n', 'intermediate');
  const file = (name: string): string => path.join(dir, name);
  fs.writeFileSync(file('chained-client-chain.pem'), fs.readFileSync(file('chained-client.pem'), 'latin1') + fs.readFileSync(file('intermediate.pem'), 'latin1'));
  return {
    dir,
    caFile: file('ca.pem'),
    serverCert: file('server.pem'),
    serverKey: file('server-key.pem'),
    clientCert: file('client.pem'),
    clientKey: file('client-key.pem'),
    chainedClientCert: file('chained-client-chain.pem'),
    chainedClientKey: file('chained-client-key.pem'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Another client certificate from the PKI's CA, with a subject of its own (`/O=Acme/CN=dave`) and
 * subject alternative names if given (`email:a@example.com,DNS:a.example.com`); returns its files.
 */
export function issueClientCert(pki: TestPki, name: string, subject: string, subjectAltName?: string): { cert: string; key: string } {
  const san = subjectAltName === undefined ? '' : `subjectAltName=${subjectAltName}\n`;
  issue(pki.dir, name, subject, `${san}extendedKeyUsage=clientAuth\n`);
  return { cert: path.join(pki.dir, `${name}.pem`), key: path.join(pki.dir, `${name}-key.pem`) };
}

/** What `pinned_certs` lists for a certificate: the SHA-256 of its SubjectPublicKeyInfo, hex. */
export function keyId(certFile: string): string {
  const spki = new crypto.X509Certificate(fs.readFileSync(certFile)).publicKey.export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(spki).digest('hex');
}
