/*
 * aead.h: AES-256-GCM sealing of device secrets (OpenSSL EVP). The output
 * is ciphertext || 16-byte tag; the device id is bound as additional data.
 */
#ifndef AGENT_CRYPTO_AEAD_H
#define AGENT_CRYPTO_AEAD_H

#include <stddef.h>

#define AGENT_AEAD_NONCE_LEN 12
#define AGENT_AEAD_TAG_LEN 16

/*
 * Encrypts plain (len bytes) under key with a fresh random nonce.
 * *out is malloc'ed (len + tag bytes, *outlen). 0 or -1.
 */
int agent_aead_seal(const unsigned char key[32], const char *aad,
                    const unsigned char *plain, size_t len,
                    unsigned char   nonce[AGENT_AEAD_NONCE_LEN],
                    unsigned char **out, size_t *outlen);

/*
 * Decrypts and authenticates; *plain is a malloc'ed NUL-terminated string
 * the caller wipes with agent_aead_free. -1 when the tag does not verify
 * (wrong key, wrong device, tampered row).
 */
int agent_aead_open(const unsigned char key[32], const char *aad,
                    const unsigned char *nonce, const unsigned char *sealed,
                    size_t sealedlen, char **plain);

/* Wipes then frees a secret returned by agent_aead_open. */
void agent_aead_free(char *plain);

#endif
