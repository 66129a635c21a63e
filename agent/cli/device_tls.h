/*
 * device_tls.h: the HTTPS trust options of `routeros-mcp-admin device add`
 * (--tls-ca-file, --tls-fingerprint), checked and normalized.
 */
#ifndef AGENT_CLI_DEVICE_TLS_H
#define AGENT_CLI_DEVICE_TLS_H

typedef struct {
    const char *ca_arg, *fingerprint_arg; /* as given, NULL when absent */
    char        ca_file[1024];            /* absolute path */
    char        fingerprint[65];          /* 64 lowercase hex digits */
} admin_tls_t;

/*
 * Checks the options given for a device reached over scheme: at most one,
 * only for https, a fingerprint of 32 bytes in hex (plain or colon-
 * separated), a CA file that is readable and holds a PEM certificate.
 * 0; 2 for a usage error, 1 for an unusable CA file (message on stderr).
 */
int admin_device_tls(admin_tls_t *tls, const char *scheme);

#endif
