// Names every layer shares, from config to monitoring.

/** The account everyone shares when no accounts are configured (nats-server's reserved name). */
export const GLOBAL_ACCOUNT = '$G';
