/*
 * aead.c: AES-256-GCM through OpenSSL 3 EVP for credentials at rest;
 * every buffer that held a secret is wiped before it is freed.
 */
#include "aead.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

int
agent_aead_seal(const unsigned char key[32], const char *aad,
                const unsigned char *plain, size_t len,
                unsigned char nonce[AGENT_AEAD_NONCE_LEN], unsigned char **out,
                size_t *outlen)
{
    EVP_CIPHER_CTX *ctx;
    unsigned char  *buf;
    int             n, fin, rc = -1;

    if (len > 4096 || RAND_bytes(nonce, AGENT_AEAD_NONCE_LEN) != 1) {
        return -1;
    }
    buf = malloc(len + AGENT_AEAD_TAG_LEN + 16);
    ctx = EVP_CIPHER_CTX_new();
    if (buf == NULL || ctx == NULL) {
        goto done;
    }
    if (EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, AGENT_AEAD_NONCE_LEN,
                            NULL) != 1 ||
        EVP_EncryptInit_ex(ctx, NULL, NULL, key, nonce) != 1 ||
        EVP_EncryptUpdate(ctx, NULL, &n, (const unsigned char *)aad,
                          (int)strlen(aad)) != 1 ||
        EVP_EncryptUpdate(ctx, buf, &n, plain, (int)len) != 1 ||
        EVP_EncryptFinal_ex(ctx, buf + n, &fin) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, AGENT_AEAD_TAG_LEN,
                            buf + n + fin) != 1) {
        goto done;
    }
    *outlen = (size_t)(n + fin) + AGENT_AEAD_TAG_LEN;
    *out = buf;
    buf = NULL;
    rc = 0;
done:
    EVP_CIPHER_CTX_free(ctx);
    free(buf);
    return rc;
}

int
agent_aead_open(const unsigned char key[32], const char *aad,
                const unsigned char *nonce, const unsigned char *sealed,
                size_t sealedlen, char **plain)
{
    EVP_CIPHER_CTX *ctx;
    unsigned char  *buf;
    size_t          clen;
    int             n, fin, rc = -1;

    if (sealedlen < AGENT_AEAD_TAG_LEN || sealedlen > 4096 + 16) {
        return -1;
    }
    clen = sealedlen - AGENT_AEAD_TAG_LEN;
    buf = malloc(clen + 16 + 1);
    ctx = EVP_CIPHER_CTX_new();
    if (buf == NULL || ctx == NULL) {
        goto done;
    }
    if (EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, AGENT_AEAD_NONCE_LEN,
                            NULL) != 1 ||
        EVP_DecryptInit_ex(ctx, NULL, NULL, key, nonce) != 1 ||
        EVP_DecryptUpdate(ctx, NULL, &n, (const unsigned char *)aad,
                          (int)strlen(aad)) != 1 ||
        EVP_DecryptUpdate(ctx, buf, &n, sealed, (int)clen) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, AGENT_AEAD_TAG_LEN,
                            (void *)(sealed + clen)) != 1 ||
        EVP_DecryptFinal_ex(ctx, buf + n, &fin) != 1) {
        OPENSSL_cleanse(buf, clen + 16);
        goto done;
    }
    buf[n + fin] = '\0';
    *plain = (char *)buf;
    buf = NULL;
    rc = 0;
done:
    EVP_CIPHER_CTX_free(ctx);
    free(buf);
    return rc;
}

void
agent_aead_free(char *plain)
{
    if (plain != NULL) {
        OPENSSL_cleanse(plain, strlen(plain));
        free(plain);
    }
}
