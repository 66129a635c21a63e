/*
 * token.h: single-use plan approval tokens: HMAC-SHA256 over the plan id,
 * the plan's content hash, the approver, the expiry and a random token id.
 */
#ifndef MCP_APPROVAL_TOKEN_H
#define MCP_APPROVAL_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#define MCP_TOKEN_KEY_ENV  "ROUTEROS_MCP_APPROVAL_KEY"
#define MCP_TOKEN_KEY_LEN  32
#define MCP_TOKEN_ID_LEN   32          /* hex characters */
#define MCP_TOKEN_TTL_S    900         /* default validity: 15 minutes */
#define MCP_TOKEN_MAX_LEN  160         /* "rmcp1-" id "-" expiry "-" mac */

typedef struct {
    unsigned char bytes[MCP_TOKEN_KEY_LEN];
} mcp_token_key_t;

/* What a token is bound to. */
typedef struct {
    const char *plan_id;
    const char *content_hash;    /* 64 hex: sha256 of the plan content */
    const char *approver;
    int64_t     expires_at;      /* epoch seconds */
} mcp_token_claims_t;

/*
 * Loads the key from hex (64 hex characters). 0, or -1 with err set. A NULL
 * or empty hex is refused: tokens are never issued under a made-up key.
 */
int mcp_token_key_parse(const char *hex, mcp_token_key_t *key, char *err,
    size_t errlen);

/* mcp_token_key_parse(getenv(MCP_TOKEN_KEY_ENV)). */
int mcp_token_key_from_env(mcp_token_key_t *key, char *err, size_t errlen);

/*
 * Issues a token for c with a fresh random id (copied to token_id, 33
 * bytes). 0, or -1 with err set.
 */
int mcp_token_issue(const mcp_token_key_t *key, const mcp_token_claims_t *c,
    char *token, size_t tokenlen, char *token_id, char *err, size_t errlen);

/*
 * Checks token against the claims the caller holds (plan id, content hash
 * recomputed from the stored content, recorded approver) at time now:
 * format, expiry (taken from the token and authenticated by the MAC) and
 * the MAC (constant-time). On success 0 and token_id (33 bytes) and
 * *expires_at are filled; -1 with the reason in err. Single use is the
 * caller's job: it records token_id as used.
 */
int mcp_token_verify(const mcp_token_key_t *key, const char *token,
    const char *plan_id, const char *content_hash, const char *approver,
    int64_t now, char *token_id, int64_t *expires_at, char *err,
    size_t errlen);

#endif
