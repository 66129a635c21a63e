/*
 * agent_aead.c: unit tests of credential sealing (agent/crypto/aead.c):
 * round trip, fresh nonces, and refusal of a wrong key, device or tag.
 */
#include "tap.h"
#include "../../agent/crypto/aead.h"

#include <stdlib.h>
#include <string.h>

int
main(void)
{
    unsigned char key[32], other[32], nonce[AGENT_AEAD_NONCE_LEN];
    unsigned char nonce2[AGENT_AEAD_NONCE_LEN], *sealed, *sealed2;
    const char   *secret = "s3cret-Passw0rd";
    size_t        len, len2;
    char         *plain = NULL;

    memset(key, 0x11, sizeof(key));
    memset(other, 0x22, sizeof(other));
    ok(agent_aead_seal(key, "dev-a", (const unsigned char *)secret,
                       strlen(secret), nonce, &sealed, &len) == 0,
       "sealing succeeds");
    ok(len == strlen(secret) + AGENT_AEAD_TAG_LEN,
       "sealed length is plaintext plus the 16-byte tag");
    ok(memmem(sealed, len, secret, strlen(secret)) == NULL,
       "the secret does not appear in the sealed bytes");
    ok(agent_aead_open(key, "dev-a", nonce, sealed, len, &plain) == 0,
       "opening with the same key and device succeeds");
    is_str(plain, secret, "and gives back the secret");
    agent_aead_free(plain);

    plain = NULL;
    ok(agent_aead_open(other, "dev-a", nonce, sealed, len, &plain) == -1 &&
           plain == NULL,
       "another key is refused");
    ok(agent_aead_open(key, "dev-b", nonce, sealed, len, &plain) == -1,
       "another device id (AAD) is refused: rows cannot be swapped");
    sealed[0] ^= 1;
    ok(agent_aead_open(key, "dev-a", nonce, sealed, len, &plain) == -1,
       "a tampered ciphertext is refused");
    sealed[0] ^= 1;
    ok(agent_aead_open(key, "dev-a", nonce, sealed, 10, &plain) == -1,
       "a truncated value is refused");

    ok(agent_aead_seal(key, "dev-a", (const unsigned char *)secret,
                       strlen(secret), nonce2, &sealed2, &len2) == 0 &&
           memcmp(nonce, nonce2, sizeof(nonce)) != 0 &&
           memcmp(sealed, sealed2, len) != 0,
       "sealing twice uses a fresh nonce and gives different bytes");
    free(sealed);
    free(sealed2);
    return done_testing();
}
