/*
 * shared_token.c: unit tests of the approval tokens: issue and verify,
 * binding to plan, content, approver and expiry, key handling.
 */
#include "../../shared/approval/token.h"
#include "tap.h"

#include <stdlib.h>

#define KEY_HEX "000102030405060708090a0b0c0d0e0f" \
                "101112131415161718191a1b1c1d1e1f"
#define OTHER_HEX "ff0102030405060708090a0b0c0d0e0f" \
                  "101112131415161718191a1b1c1d1e1f"
#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HASH_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

int
main(void)
{
    mcp_token_key_t    key, other;
    mcp_token_claims_t c = { "plan-20250101000000-0badcafe", HASH_A, "alice",
                             1000 };
    char               tok[MCP_TOKEN_MAX_LEN], tok2[MCP_TOKEN_MAX_LEN];
    char               id[MCP_TOKEN_ID_LEN + 1], id2[MCP_TOKEN_ID_LEN + 1];
    char               vid[MCP_TOKEN_ID_LEN + 1], err[256];
    int64_t            exp = 0;

    unsetenv(MCP_TOKEN_KEY_ENV);
    ok(mcp_token_key_from_env(&key, err, sizeof(err)) == -1
       && strstr(err, "ROUTEROS_MCP_APPROVAL_KEY is not set") != NULL,
       "no key in the environment: refused with a clear message");
    ok(mcp_token_key_parse("abcd", &key, err, sizeof(err)) == -1,
       "short key refused");
    ok(mcp_token_key_parse(KEY_HEX "zz", &key, err, sizeof(err)) == -1,
       "long key refused");
    setenv(MCP_TOKEN_KEY_ENV, KEY_HEX, 1);
    ok(mcp_token_key_from_env(&key, err, sizeof(err)) == 0,
       "64-hex key from the environment loads");
    ok(key.bytes[0] == 0x00 && key.bytes[31] == 0x1f, "key bytes decoded");

    ok(mcp_token_issue(&key, &c, tok, sizeof(tok), id, err, sizeof(err)) == 0,
       "token issued");
    ok(strncmp(tok, "rmcp1-", 6) == 0 && strlen(id) == 32
       && strstr(tok, id) == tok + 6, "token carries its 32-hex id");
    ok(strlen(tok) == 6 + 32 + 1 + 4 + 1 + 64, "token is %zu chars",
       strlen(tok));
    ok(mcp_token_issue(&key, &c, tok2, sizeof(tok2), id2, err, sizeof(err))
       == 0 && strcmp(id, id2) != 0 && strcmp(tok, tok2) != 0,
       "two tokens for the same plan differ");

    ok(mcp_token_verify(&key, tok, c.plan_id, HASH_A, "alice", 999, vid, &exp,
                        err, sizeof(err)) == 0, "verifies: %s", err);
    is_str(vid, id, "verify returns the token id");
    ok(exp == 1000, "verify returns the expiry");
    ok(mcp_token_verify(&key, tok, c.plan_id, HASH_A, "alice", 1000, vid,
                        &exp, err, sizeof(err)) == 0, "valid at the expiry");
    ok(mcp_token_verify(&key, tok, c.plan_id, HASH_A, "alice", 1001, vid,
                        &exp, err, sizeof(err)) == -1
       && strstr(err, "expired") != NULL, "expired token refused");
    ok(mcp_token_verify(&key, tok, c.plan_id, HASH_B, "alice", 999, vid, &exp,
                        err, sizeof(err)) == -1
       && strstr(err, "plan changed") != NULL,
       "changed content refused");
    ok(mcp_token_verify(&key, tok, "plan-20250101000000-0badcaff", HASH_A,
                        "alice", 999, vid, &exp, err, sizeof(err)) == -1,
       "another plan refused");
    ok(mcp_token_verify(&key, tok, c.plan_id, HASH_A, "mallory", 999, vid,
                        &exp, err, sizeof(err)) == -1,
       "another approver refused");

    /* A longer expiry written into the token breaks the MAC. */
    memcpy(tok2, tok, sizeof(tok2));
    tok2[6 + 32 + 1] = '9';
    ok(mcp_token_verify(&key, tok2, c.plan_id, HASH_A, "alice", 999, vid,
                        &exp, err, sizeof(err)) == -1,
       "token with a forged expiry refused");
    memcpy(tok2, tok, sizeof(tok2));
    tok2[strlen(tok2) - 1] = tok2[strlen(tok2) - 1] == '0' ? '1' : '0';
    ok(mcp_token_verify(&key, tok2, c.plan_id, HASH_A, "alice", 999, vid,
                        &exp, err, sizeof(err)) == -1, "flipped MAC refused");
    ok(mcp_token_verify(&key, "approve-0123456789abcdef-xyz", c.plan_id,
                        HASH_A, "alice", 999, vid, &exp, err, sizeof(err))
       == -1 && strstr(err, "malformed") != NULL,
       "upstream-style token is malformed");
    ok(mcp_token_verify(&key, tok, c.plan_id, HASH_A, "alice", 999, vid, &exp,
                        err, sizeof(err)) == 0, "still verifies (single use "
       "is recorded by the caller)");

    ok(mcp_token_key_parse(OTHER_HEX, &other, err, sizeof(err)) == 0,
       "other key");
    ok(mcp_token_verify(&other, tok, c.plan_id, HASH_A, "alice", 999, vid,
                        &exp, err, sizeof(err)) == -1,
       "another key refuses the token");
    c.approver = "bad\napprover";
    ok(mcp_token_issue(&key, &c, tok, sizeof(tok), id, err, sizeof(err)) == -1,
       "approver with a newline refused");
    return done_testing();
}
