/*
 * hex.c: one implementation of hex text for ids, keys and digests, so the
 * module, the agent and the admin CLI never disagree on the format.
 */
#include "hex.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>

void
mcp_hex_encode(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t            i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 0x0f];
    }
    out[2 * n] = '\0';
}

int
mcp_hex_digit(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

int
mcp_hex_decode(const char *hex, unsigned char *out, size_t n)
{
    size_t i;
    int    hi, lo;

    if (strlen(hex) != 2 * n) {
        return -1;
    }
    for (i = 0; i < n; i++) {
        hi = mcp_hex_digit((unsigned char) hex[2 * i]);
        lo = mcp_hex_digit((unsigned char) hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            OPENSSL_cleanse(out, n);
            return -1;
        }
        out[i] = (unsigned char) (hi << 4 | lo);
    }
    return 0;
}

int
mcp_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int  mdlen = 0;

    if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1
        || mdlen != 32)
    {
        return -1;
    }
    mcp_hex_encode(md, mdlen, out);
    return 0;
}
