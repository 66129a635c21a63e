/*
 * rest_tls.h: HTTPS trust of one device's REST connection: its CA file
 * (chain and address verified), or its pinned certificate fingerprint.
 */
#ifndef AGENT_ROUTEROS_REST_TLS_H
#define AGENT_ROUTEROS_REST_TLS_H

#include "../db/devices.h"

#include <curl/curl.h>
#include <stddef.h>

/* What the handshake of a pinned device saw; outlives the transfer. */
typedef struct {
    char expected[65]; /* the pin: SHA-256 of the leaf's DER, hex */
    char got[65];      /* the leaf the device presented, hex */
    int  mismatch;
} agent_tls_pin_t;

/*
 * Parses a SHA-256 certificate fingerprint written as 64 hex digits, plain
 * or as 32 colon-separated pairs (openssl x509 -fingerprint), either case,
 * into out as 64 lowercase hex digits. 0, or -1 for anything else.
 */
int agent_tls_fingerprint_parse(const char *in, char out[65]);

/*
 * Sets the TLS options of one request to dev on c (after curl_easy_reset):
 * a pin checked in the handshake before anything is sent (no session
 * resumption, so every handshake shows the certificate), else the CA file
 * as the only trust anchor with host/address verification, else the
 * system store when verify_tls (nothing verified when 0).
 */
void agent_tls_configure(CURL *c, const agent_device_t *dev, int verify_tls,
                         agent_tls_pin_t *pin);

/*
 * Whether a failed transfer (cc, curl's error buffer errbuf) is a TLS trust
 * failure; then 1 with msg naming the device and the cause: "certificate
 * fingerprint mismatch for <id>: expected <pin>, got <leaf>" or the
 * certificate problem under the CA file. Such failures are never retried.
 */
int agent_tls_failed(const agent_device_t *dev, const agent_tls_pin_t *pin,
                     CURLcode cc, const char *errbuf, char *msg, size_t len);

#endif
