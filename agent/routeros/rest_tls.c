/*
 * rest_tls.c: the TLS options of a device's REST requests and the pin
 * check inside the handshake (SHA-256 of the leaf certificate's DER).
 */
#include "rest_tls.h"
#include "../../shared/util/hex.h"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>

int
agent_tls_fingerprint_parse(const char *in, char out[65])
{
    char          hex[65];
    unsigned char md[32];
    size_t        i, n = 0, len = strlen(in);
    int           colons = len == 95;

    if (len != 64 && !colons) {
        return -1;
    }
    /* with colons, every third character is one and nothing else is */
    for (i = 0; i < len; i++) {
        if (colons && i % 3 == 2) {
            if (in[i] != ':') {
                return -1;
            }
        } else {
            hex[n++] = in[i];
        }
    }
    hex[n] = '\0';
    if (mcp_hex_decode(hex, md, sizeof(md)) != 0) {
        return -1;
    }
    mcp_hex_encode(md, sizeof(md), out);
    return 0;
}

/*
 * Replaces OpenSSL's chain verification for a pinned device: the leaf's
 * fingerprint must equal the pin. Returning 0 aborts the handshake (the
 * context is in SSL_VERIFY_PEER mode), so no request goes out.
 */
static int
agent_tls_pin_check(X509_STORE_CTX *store, void *arg)
{
    agent_tls_pin_t *pin = arg;
    X509            *leaf = X509_STORE_CTX_get0_cert(store);
    unsigned char    md[EVP_MAX_MD_SIZE];
    unsigned int     n = 0;

    if (leaf == NULL || X509_digest(leaf, EVP_sha256(), md, &n) != 1 ||
        n != 32) {
        snprintf(pin->got, sizeof(pin->got), "no certificate");
        pin->mismatch = 1;
    } else {
        mcp_hex_encode(md, n, pin->got);
        pin->mismatch = strcmp(pin->got, pin->expected) != 0;
    }
    X509_STORE_CTX_set_error(
        store, pin->mismatch ? X509_V_ERR_APPLICATION_VERIFICATION : X509_V_OK);
    return !pin->mismatch;
}

/* CURLOPT_SSL_CTX_FUNCTION: runs on each new connection's context. */
static CURLcode
agent_tls_ctx(CURL *c, void *sslctx, void *arg)
{
    (void)c;
    SSL_CTX_set_verify(sslctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_cert_verify_callback(sslctx, agent_tls_pin_check, arg);
    return CURLE_OK;
}

void
agent_tls_configure(CURL *c, const agent_device_t *dev, int verify_tls,
                    agent_tls_pin_t *pin)
{
    memset(pin, 0, sizeof(*pin));
    snprintf(pin->expected, sizeof(pin->expected), "%s", dev->tls_fingerprint);
    if (dev->tls_fingerprint[0] != '\0') {
        /* the pin replaces chain and name checks (self-signed is common) */
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_SESSIONID_CACHE, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, agent_tls_ctx);
        curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, pin);
    } else if (dev->tls_ca_file[0] != '\0') {
        curl_easy_setopt(c, CURLOPT_CAINFO, dev->tls_ca_file);
        curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
        /* a replaced CA file counts from the next connection on */
        curl_easy_setopt(c, CURLOPT_CA_CACHE_TIMEOUT, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    } else {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, (long)verify_tls);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, verify_tls ? 2L : 0L);
    }
}

int
agent_tls_failed(const agent_device_t *dev, const agent_tls_pin_t *pin,
                 CURLcode cc, const char *errbuf, char *msg, size_t len)
{
    if (pin->mismatch) {
        snprintf(msg, len,
                 "certificate fingerprint mismatch for %s: expected %s, got "
                 "%s (SHA-256 of the certificate %s:%d presented); nothing "
                 "was sent",
                 dev->id, pin->expected, pin->got, dev->ip, dev->port);
        return 1;
    }
    if (cc != CURLE_PEER_FAILED_VERIFICATION &&
        cc != CURLE_SSL_CACERT_BADFILE && cc != CURLE_SSL_ISSUER_ERROR) {
        return 0;
    }
    snprintf(msg, len,
             "TLS verification of %s (%s:%d) failed%s%s: %s; nothing was "
             "sent",
             dev->id, dev->ip, dev->port,
             dev->tls_ca_file[0] ? " against CA file " : "", dev->tls_ca_file,
             errbuf[0] ? errbuf : curl_easy_strerror(cc));
    return 1;
}
