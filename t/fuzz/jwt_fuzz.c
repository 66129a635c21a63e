/*
 * jwt_fuzz.c: libFuzzer target for the JWT parser and verifier and the JWKS
 * loader: any input must be refused or accepted cleanly, never crash or leak.
 * Built and run by make fuzz (FUZZ_TARGETS jwt, FUZZ_SECONDS), e.g.
 * make fuzz FUZZ_TARGETS=jwt FUZZ_SECONDS=600.
 */
#include <stdint.h>
#include <string.h>
#include "../../ngx_mcp_module/ngx_http_mcp_jwks.h"
#include "../../ngx_mcp_module/ngx_http_mcp_jwt.h"

/* one key of each family, so inputs reach every verification path */
static const char  *jwks =
    "{\"keys\":["
    "{\"kty\":\"EC\",\"kid\":\"e\",\"crv\":\"P-256\","
    "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
    "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"},"
    "{\"kty\":\"OKP\",\"kid\":\"d\",\"crv\":\"Ed25519\","
    "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}]}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char                        err[256];
    json_t                     *claims;
    ngx_http_mcp_jwks_t         set, fuzzed;
    ngx_http_mcp_jwt_policy_t   policy = { "i", "a", 60 };

    if (ngx_http_mcp_jwks_parse(jwks, strlen(jwks), &set, err, sizeof(err))
        != 0)
    {
        __builtin_trap();
    }

    if (ngx_http_mcp_jwt_verify((const char *) data, size, &set, &policy,
                                1700000000, &claims)
        == NGX_HTTP_MCP_JWT_OK)
    {
        json_decref(claims);
    }

    ngx_http_mcp_jwks_free(&set);

    /* the same bytes as a key set */
    if (ngx_http_mcp_jwks_parse((const char *) data, size, &fuzzed, err,
                                sizeof(err))
        == 0)
    {
        ngx_http_mcp_jwks_free(&fuzzed);
    }

    return 0;
}
