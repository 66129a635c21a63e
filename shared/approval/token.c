/*
 * token.c: approval tokens "rmcp1-<id>-<expiry>-<mac>": mac is the hex
 * HMAC-SHA256 of the claims under ROUTEROS_MCP_APPROVAL_KEY.
 */
#include "token.h"
#include "../util/hex.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MCP_TOKEN_PREFIX "rmcp1-"
#define MCP_TOKEN_MAC_HEX 64

int
mcp_token_key_parse(const char *hex, mcp_token_key_t *key, char *err,
    size_t errlen)
{
    if (hex == NULL || hex[0] == '\0') {
        snprintf(err, errlen, "%s is not set: approval tokens cannot be "
                 "issued or checked (set it to 64 hex characters)",
                 MCP_TOKEN_KEY_ENV);
        return -1;
    }
    if (mcp_hex_decode(hex, key->bytes, MCP_TOKEN_KEY_LEN) != 0) {
        snprintf(err, errlen, "%s must be 64 hex characters (a 32-byte key)",
                 MCP_TOKEN_KEY_ENV);
        OPENSSL_cleanse(key, sizeof(*key));
        return -1;
    }
    return 0;
}

int
mcp_token_key_from_env(mcp_token_key_t *key, char *err, size_t errlen)
{
    return mcp_token_key_parse(getenv(MCP_TOKEN_KEY_ENV), key, err, errlen);
}

/* Hex HMAC-SHA256 of the claims, fields separated by newlines (none of
 * them can hold one: ids and hashes are patterned, the approver is
 * refused with one). */
static int
mcp_token_mac(const mcp_token_key_t *key, const mcp_token_claims_t *c,
    const char *token_id, char *hex, char *err, size_t errlen)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    char          head[64];
    size_t        maclen = 0;
    EVP_MAC      *alg;
    EVP_MAC_CTX  *ctx = NULL;
    OSSL_PARAM    params[2];
    const char   *parts[5];
    int           i, ok;

    alg = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (alg != NULL) {
        ctx = EVP_MAC_CTX_new(alg);
    }
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                                 (char *) "SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    snprintf(head, sizeof(head), "rmcp-approval-v1\n%lld\n",
             (long long) c->expires_at);
    parts[0] = head;
    parts[1] = c->plan_id;
    parts[2] = c->content_hash;
    parts[3] = c->approver;
    parts[4] = token_id;
    ok = ctx != NULL
         && EVP_MAC_init(ctx, key->bytes, sizeof(key->bytes), params) == 1;
    for (i = 0; ok && i < 5; i++) {
        ok = EVP_MAC_update(ctx, (const unsigned char *) parts[i],
                            strlen(parts[i])) == 1
             && EVP_MAC_update(ctx, (const unsigned char *) "\n", 1) == 1;
    }
    ok = ok && EVP_MAC_final(ctx, mac, &maclen, sizeof(mac)) == 1
         && maclen == 32;
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(alg);
    if (!ok) {
        snprintf(err, errlen, "HMAC-SHA256 unavailable in OpenSSL");
        return -1;
    }
    mcp_hex_encode(mac, maclen, hex);
    OPENSSL_cleanse(mac, sizeof(mac));
    return 0;
}

static int
mcp_token_claims_ok(const mcp_token_claims_t *c, char *err, size_t errlen)
{
    if (c->plan_id == NULL || c->plan_id[0] == '\0'
        || c->content_hash == NULL || strlen(c->content_hash) != 64
        || c->approver == NULL || c->approver[0] == '\0'
        || strchr(c->plan_id, '\n') || strchr(c->approver, '\n'))
    {
        snprintf(err, errlen, "approval token claims are incomplete (plan "
                 "id, 64-hex content hash and a one-line approver needed)");
        return -1;
    }
    return 0;
}

int
mcp_token_issue(const mcp_token_key_t *key, const mcp_token_claims_t *c,
    char *token, size_t tokenlen, char *token_id, char *err, size_t errlen)
{
    unsigned char rnd[MCP_TOKEN_ID_LEN / 2];
    char          mac[MCP_TOKEN_MAC_HEX + 1];
    int           n;

    if (mcp_token_claims_ok(c, err, errlen) != 0) {
        return -1;
    }
    if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
        snprintf(err, errlen, "no random bytes for the token id");
        return -1;
    }
    mcp_hex_encode(rnd, sizeof(rnd), token_id);
    if (mcp_token_mac(key, c, token_id, mac, err, errlen) != 0) {
        return -1;
    }
    n = snprintf(token, tokenlen, MCP_TOKEN_PREFIX "%s-%lld-%s", token_id,
                 (long long) c->expires_at, mac);
    if (n < 0 || (size_t) n >= tokenlen) {
        snprintf(err, errlen, "token buffer too small");
        return -1;
    }
    return 0;
}

/* Splits "rmcp1-<32 hex>-<digits>-<64 hex>"; 0 when well formed. */
static int
mcp_token_parse(const char *token, char *token_id, int64_t *expires,
    const char **mac)
{
    const char *p, *dash;
    char       *end;
    long long   v;
    size_t      i;

    if (token == NULL || strncmp(token, MCP_TOKEN_PREFIX,
                                 sizeof(MCP_TOKEN_PREFIX) - 1) != 0)
    {
        return -1;
    }
    p = token + sizeof(MCP_TOKEN_PREFIX) - 1;
    for (i = 0; i < MCP_TOKEN_ID_LEN; i++) {
        if (mcp_hex_digit((unsigned char) p[i]) < 0) {
            return -1;
        }
    }
    if (p[MCP_TOKEN_ID_LEN] != '-') {
        return -1;
    }
    memcpy(token_id, p, MCP_TOKEN_ID_LEN);
    token_id[MCP_TOKEN_ID_LEN] = '\0';
    p += MCP_TOKEN_ID_LEN + 1;
    dash = strchr(p, '-');
    if (dash == NULL || dash == p || *p < '0' || *p > '9') {
        return -1;
    }
    v = strtoll(p, &end, 10);
    if (end != dash || v <= 0) {
        return -1;
    }
    *expires = (int64_t) v;
    *mac = dash + 1;
    if (strlen(*mac) != MCP_TOKEN_MAC_HEX) {
        return -1;
    }
    return 0;
}

int
mcp_token_verify(const mcp_token_key_t *key, const char *token,
    const char *plan_id, const char *content_hash, const char *approver,
    int64_t now, char *token_id, int64_t *expires_at, char *err,
    size_t errlen)
{
    mcp_token_claims_t c;
    const char        *mac;
    char               want[MCP_TOKEN_MAC_HEX + 1];
    int64_t            expires = 0;

    if (mcp_token_parse(token, token_id, &expires, &mac) != 0) {
        snprintf(err, errlen, "approval token is malformed");
        return -1;
    }
    c.plan_id = plan_id;
    c.content_hash = content_hash;
    c.approver = approver;
    c.expires_at = expires;
    if (mcp_token_claims_ok(&c, err, errlen) != 0
        || mcp_token_mac(key, &c, token_id, want, err, errlen) != 0)
    {
        return -1;
    }
    if (CRYPTO_memcmp(want, mac, MCP_TOKEN_MAC_HEX) != 0) {
        snprintf(err, errlen, "approval token does not match this plan (wrong "
                 "token, or the plan changed after approval)");
        return -1;
    }
    if (now > expires) {
        snprintf(err, errlen, "approval token expired %lld s ago",
                 (long long) (now - expires));
        return -1;
    }
    *expires_at = expires;
    return 0;
}
