// INFO and CONNECT as they travel on the wire (field names are the protocol's).

export interface ServerInfo {
  server_id: string;
  server_name: string;
  version: string;
  proto: number;
  go: string;
  host: string;
  port: number;
  headers: boolean;
  auth_required?: boolean;
  tls_required?: boolean;
  tls_verify?: boolean;
  tls_available?: boolean;
  max_payload: number;
  jetstream?: boolean;
  client_id: number;
  client_ip?: string;
  nonce?: string;
  cluster?: string;
  domain?: string;
  connect_urls?: string[];
  ldm?: boolean;
  git_commit?: string;
}

export interface ConnectOptions {
  verbose: boolean;
  pedantic: boolean;
  tls_required?: boolean;
  auth_token?: string;
  user?: string;
  pass?: string;
  name?: string;
  lang?: string;
  version?: string;
  protocol?: number;
  echo: boolean;
  sig?: string;
  jwt?: string;
  nkey?: string;
  headers?: boolean;
  no_responders?: boolean;
  account?: string;
  new_account?: boolean;
}

/** The nats-server release whose client protocol and behaviour leafgate reproduces; clients gate features on it. */
export const NATS_COMPAT_VERSION = '2.9.10';
