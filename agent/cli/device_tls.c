/*
 * device_tls.c: checks `device add`'s HTTPS trust options before anything
 * is stored: one of a CA file or a certificate fingerprint, https only.
 */
#include "device_tls.h"
#include "../routeros/rest_tls.h"

#include <errno.h>
#include <limits.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The CA file as an absolute path (the agent may run elsewhere), holding
 * at least one PEM certificate. 0 or 1. */
static int
admin_tls_ca(admin_tls_t *tls)
{
    char  path[PATH_MAX];
    FILE *f;
    X509 *cert = NULL;

    if (realpath(tls->ca_arg, path) == NULL) {
        fprintf(stderr, "routeros-mcp-admin: --tls-ca-file %s: %s\n",
                tls->ca_arg, strerror(errno));
        return 1;
    }
    if (strlen(path) >= sizeof(tls->ca_file)) {
        fprintf(stderr, "routeros-mcp-admin: --tls-ca-file: path too long\n");
        return 1;
    }
    f = fopen(path, "r");
    if (f != NULL) {
        cert = PEM_read_X509(f, NULL, NULL, NULL);
        fclose(f);
    }
    if (cert == NULL) {
        fprintf(stderr,
                "routeros-mcp-admin: --tls-ca-file %s: not readable or no "
                "PEM certificate in it\n",
                path);
        return 1;
    }
    X509_free(cert);
    snprintf(tls->ca_file, sizeof(tls->ca_file), "%s", path);
    return 0;
}

int
admin_device_tls(admin_tls_t *tls, const char *scheme)
{
    if (tls->ca_arg == NULL && tls->fingerprint_arg == NULL) {
        return 0;
    }
    if (tls->ca_arg != NULL && tls->fingerprint_arg != NULL) {
        fprintf(stderr, "routeros-mcp-admin: give --tls-ca-file or "
                        "--tls-fingerprint, not both\n");
        return 2;
    }
    if (strcmp(scheme, "https") != 0) {
        fprintf(stderr, "routeros-mcp-admin: --tls-ca-file and "
                        "--tls-fingerprint need --scheme https\n");
        return 2;
    }
    if (tls->fingerprint_arg != NULL &&
        agent_tls_fingerprint_parse(tls->fingerprint_arg, tls->fingerprint) !=
            0) {
        fprintf(stderr,
                "routeros-mcp-admin: --tls-fingerprint wants the SHA-256 of "
                "the device's certificate: 64 hex digits, plain or as 32 "
                "colon-separated pairs (AB:CD:...), got \"%s\"\n",
                tls->fingerprint_arg);
        return 2;
    }
    return tls->ca_arg != NULL ? admin_tls_ca(tls) : 0;
}
