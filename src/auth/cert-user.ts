// TLS `verify_and_map`: the configured user a client certificate names, looked up as nats-server 2.9
// does (server/auth.go checkClientTLSCertSubject): its e-mail addresses, then its DNS names, then its
// URIs, then a user whose name is a distinguished name with the certificate subject's attributes,
// then the subject written as Go writes it (RFC 2253 order, domain components appended), then the
// same without the domain components.

import type { CertIdentity } from '../util/index.js';

/** Go's pkix.Name keeps these attributes, in this order, and writes them with these names. */
const GO_NAME_ORDER: readonly (readonly [node: string, go: string])[] = [
  ['C', 'C'],
  ['ST', 'ST'],
  ['L', 'L'],
  ['street', 'STREET'],
  ['postalCode', 'POSTALCODE'],
  ['O', 'O'],
  ['OU', 'OU'],
  ['CN', 'CN'],
  ['serialNumber', 'SERIALNUMBER'],
];

/** A user name candidate is accepted when `accept` finds a user of that name the connection may be. */
export function certUser<U>(id: CertIdentity, users: Iterable<[name: string, user: U]>, accept: (name: string) => U | undefined): U | undefined {
  for (const name of [...id.emails, ...id.dnsNames, ...id.uris]) {
    const u = accept(name);
    if (u !== undefined) return u;
  }
  const byDn = dnMatch(id, users, accept);
  if (byDn !== undefined) return byDn;
  const rdn = goSubjectString(id);
  const dcs = id.subject.filter(([t]) => t === 'DC').map(([, v]) => `DC=${v}`);
  if (dcs.length > 0) {
    const u = accept(`${rdn},${dcs.join(',')}`);
    if (u !== undefined) return u;
  }
  return accept(rdn);
}

/** Go's cert.Subject.ToRDNSequence().String(): the kept attributes, one RDN per type, last first. */
export function goSubjectString(id: CertIdentity): string {
  const rdns: string[] = [];
  for (const [node, go] of GO_NAME_ORDER) {
    let values = id.subject.filter(([t]) => t === node).map(([, v]) => v);
    // Go's Name keeps one CommonName and one SerialNumber: the last.
    if ((node === 'CN' || node === 'serialNumber') && values.length > 1) values = values.slice(-1);
    if (values.length > 0) rdns.push(values.map((v) => `${go}=${escapeValue(v)}`).join('+'));
  }
  return rdns.reverse().join(',');
}

function escapeValue(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i] as string;
    const escape = ',+"\\<>;'.includes(c) || (c === ' ' && (i === 0 || i === v.length - 1)) || (c === '#' && i === 0);
    out += escape ? `\\${c}` : c;
  }
  return out;
}

type Attribute = readonly [type: string, value: string];

/** A user whose name parses as a distinguished name of the subject's attributes: in order first, then in any order. */
function dnMatch<U>(id: CertIdentity, users: Iterable<[string, U]>, accept: (name: string) => U | undefined): U | undefined {
  const cert: Attribute[][] = id.subject.map(([t, v]) => [[certType(t), v]]);
  const dns: [string, Attribute[][]][] = [];
  for (const [name] of users) {
    const dn = parseDn(name);
    if (dn !== null && dn.length === cert.length) dns.push([name, dn]);
  }
  const inOrder = (dn: Attribute[][]): boolean => dn.every((rdn, i) => rdnEqual(rdn, cert[i] as Attribute[]));
  const anyOrder = (dn: Attribute[][]): boolean => dn.every((rdn) => cert.some((c) => rdnEqual(rdn, c)));
  for (const matches of [inOrder, anyOrder]) {
    for (const [name, dn] of dns) {
      const u = matches(dn) ? accept(name) : undefined;
      if (u !== undefined) return u;
    }
  }
  return undefined;
}

/** Attribute names as go-ldap reads them from a certificate (compared case-insensitively). */
function certType(node: string): string {
  return GO_NAME_ORDER.find(([n]) => n === node)?.[1] ?? node;
}

function rdnEqual(a: readonly Attribute[], b: readonly Attribute[]): boolean {
  return a.length === b.length && a.every(([t, v]) => b.some(([bt, bv]) => bt.toLowerCase() === t.toLowerCase() && bv === v));
}

/**
 * An RFC 4514 distinguished name (`CN=alice,O=Acme\, Inc.`): RDNs split at unescaped commas,
 * attributes at unescaped `+`, values unescaped (`\,` and `\2C` alike). Null when it is not one.
 */
export function parseDn(text: string): Attribute[][] | null {
  const rdns: Attribute[][] = [];
  let rdn: Attribute[] = [];
  let type = '';
  let value = '';
  let inValue = false;
  const finishAttribute = (): boolean => {
    const t = type.trim();
    if (!inValue || t === '' || !/^[A-Za-z][A-Za-z0-9-]*$|^\d+(\.\d+)*$/.test(t)) return false;
    rdn.push([t, value.trim()]);
    type = '';
    value = '';
    inValue = false;
    return true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (!inValue) {
      if (c === '=') inValue = true;
      else if (c === ',' || c === '+' || c === '\\') return null;
      else type += c;
      continue;
    }
    if (c === '\\') {
      const hex = text.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        value += String.fromCharCode(parseInt(hex, 16));
        i += 2;
      } else if (i + 1 < text.length) value += text[++i];
      else return null;
    } else if (c === '+') {
      if (!finishAttribute()) return null;
    } else if (c === ',' || c === ';') {
      if (!finishAttribute()) return null;
      rdns.push(rdn);
      rdn = [];
    } else value += c;
  }
  if (!finishAttribute()) return null;
  rdns.push(rdn);
  return rdns;
}
