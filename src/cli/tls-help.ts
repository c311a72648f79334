// What `--help_tls` prints: where TLS is configured beyond the command-line flags.

export const TLS_HELP = `TLS for client connections is configured with the flags --tls, --tlscert, --tlskey,
--tlscacert and --tlsverify, or in a tls block of the configuration file:

    tls {
        cert_file: "/etc/leafgate/server-cert.pem"   # server certificate (PEM)
        key_file:  "/etc/leafgate/server-key.pem"    # its private key (PEM)
        ca_file:   "/etc/leafgate/ca.pem"            # CA(s) that client certificates must chain to
        verify:    true                              # require a client certificate
        timeout:   2                                 # handshake deadline in seconds, or a duration ("2s")
    }

Any TLS flag replaces the file's tls block with one built from the flags alone;
--tls=false turns off TLS configured in the file.
`;
