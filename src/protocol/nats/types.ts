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

/** A leaf node listener's INFO (leafnode-and-route-protocol.md A2): the client INFO's common fields and its own. */
export interface LeafInfo
  extends Pick<ServerInfo, 'server_id' | 'server_name' | 'version' | 'proto' | 'go' | 'host' | 'port' | 'headers' | 'auth_required' | 'tls_required' | 'tls_verify' | 'max_payload' | 'jetstream' | 'client_id' | 'nonce' | 'domain' | 'cluster'> {
  ip?: string;
  info_on_connect?: boolean;
  connect_info?: boolean;
  remote_account?: string;
  /** The leaf user's subscribe and publish permissions, for the soliciting side to enforce too. */
  import?: { readonly allow?: readonly string[]; readonly deny?: readonly string[] };
  export?: { readonly allow?: readonly string[]; readonly deny?: readonly string[] };
  leafnode_urls?: string[];
}

/** A soliciting server's CONNECT on a leaf link (A3). */
export interface LeafConnect {
  version?: string;
  jwt?: string;
  sig?: string;
  /** A user NKEY's public key (nats-server 2.10.8+), with `sig`. */
  nkey?: string;
  user?: string;
  pass?: string;
  tls_required?: boolean;
  server_id?: string;
  name?: string;
  domain?: string;
  cluster?: string;
  is_hub?: boolean;
  headers?: boolean;
  jetstream?: boolean;
  deny_pub?: string[];
  /** Set by clients only: its presence means a client dialed the leaf port. */
  lang?: string;
}

/** The nats-server release whose client protocol and behaviour leafgate reproduces; clients gate features on it. */
export const NATS_COMPAT_VERSION = '2.9.10';
