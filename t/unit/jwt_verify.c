/*
 * jwt_verify.c: unit tests of the JWT verifier and JWKS loader (fixed test
 * vectors minted with t/lib/IdP.pm; verified at fixed clock values).
 */
#include <stdlib.h>
#include <string.h>
#include "tap.h"
/* the units under test are compiled in: the Makefile links units alone */
#include "../../ngx_mcp_module/ngx_http_mcp_jwks.c"
#include "../../ngx_mcp_module/ngx_http_mcp_jwt.c"

/* claims of every token: iss https://idp.test, aud [https://mcp.test/mcp],
 * sub alice, scope mcp:read, nbf 1900000000, exp 2000000000 */
#define NOW  1950000000

static const char *jwks =
    "{\"keys\":[{\"alg\":\"RS256\",\"e\":\"AQAB\",\"kid\":\"rsa1\",\"kty\":\"RSA\","
    "\"n\":\"tOByUlPtxueWA7n39Dm0UKW_h4OFzEXCYjgov726Qxg8FzPtEhGjSb5"
    "s1Q23TWgvXJLcq3dlotloJJvwvnDpVaMbOJEXKIiDU0XNNCOwpN8FrzqQzrL"
    "rB9yjv7VVyFPHYUvCwXte5H4-7hMBmI9v12peAnmkPqoWSj8rjwTzmKVixgU"
    "Jr-273AENatNIjiBc4yHLhKle9mJ8PgnUxgg0wjUcpjp1WWDAH_9WwVrTIyL"
    "lGmXT0X9VV9pwpEygjrwGQGYffBqIePNukiiHW1KjVGyml-Z6CsArD-8aJoo"
    "5Kt1VchSiPXbxnly5No3agsAUzgotZKbUR83pit9ky_92-Q\",\"use\":\"sig\""
    "},{\"alg\":\"PS256\",\"e\":\"AQAB\",\"kid\":\"ps1\",\"kty\":\"RSA\",\"n\":\"oIC"
    "rynP99O2tdyRNfvvqU1X_EFS8dBQqSHB7xS_w135w99Vs1xS9hS0FbLuxXGK"
    "uHc4rKXCLtwhQ6C66JX1MSWqAYQlqwTkHUZDhPuWBbAYJQFa3g_ukSTgvP4e"
    "_vnHb3_RvXWQ0tqT0asSJmjrJKQa5JkhpLPToCtLxCPNcQr8H6WogybC0e3v"
    "ZIUwU33llTV-_L8FYFGsoyNM2AcPCQK-1Pm6saGopZ44Mrn90xGux1kR5bVQ"
    "17S1CsXXpUEHrDG0kK73xj94fIjcwjy1GUANQXo0W-j3DIqcUcoKnW8y--jZ"
    "yFSiT8jfs-BC6e2GMORUcCH3VWfB2M_vOXbxGyw\",\"use\":\"sig\"},{\"crv\""
    ":\"P-256\",\"kid\":\"ec256\",\"kty\":\"EC\",\"use\":\"sig\",\"x\":\"kWDvIZaLx"
    "kjQM2GSPmt00zKqBB_dsVcVeW2zPeCRMlQ\",\"y\":\"hT7K-1YweP4TMC4iZAW"
    "R_20oslJew2JFkT-FKSp40Tw\"},{\"crv\":\"P-384\",\"kid\":\"ec384\",\"kty"
    "\":\"EC\",\"use\":\"sig\",\"x\":\"Eb-fd9dvAJIT2Cd9teuKvzbTW_9KZh2cLExw"
    "5fQdxcvYOL9VsZaOK_7v9glpkjaL\",\"y\":\"n2Es6p4-KRsPLNos0mCXqwDBc"
    "Ixb0aZUVPYHYNH0uZWc_8O4gvsClAOgYFGAIO9b\"},{\"crv\":\"Ed25519\",\""
    "kid\":\"ed1\",\"kty\":\"OKP\",\"use\":\"sig\",\"x\":\"VmyX1ALk9ighhE-9KXLG"
    "ryucVYGjEL_b3OInvFMP2eE\"}]}"
    ;

static const char *tok_rsa1 =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYTEiLCJ0eXAiOiJKV1QifQ.eyJhd"
    "WQiOlsiaHR0cHM6Ly9tY3AudGVzdC9tY3AiXSwiZXhwIjoyMDAwMDAwMDAwL"
    "CJpc3MiOiJodHRwczovL2lkcC50ZXN0IiwibmJmIjoxOTAwMDAwMDAwLCJzY"
    "29wZSI6Im1jcDpyZWFkIiwic3ViIjoiYWxpY2UifQ.H_DzxaXQQVRLhV8IXH"
    "EVbicIK29ykFCEu1irFxpOUN6nszrsSaF4fmr0TPFpRtEiSt-9fcXXL7mSqH"
    "-p3FxLD6Wwlbs4-sEB9jieEFFNvB6Sy449nv5Z8pGU7UFDz2i6COwGHJDWlf"
    "vznrqP8SqRVqoHSMdxWz5q-PF0M_Bl7jnojj3zjpKuKzs7DSJdkTwP21UsUu"
    "pZB1CTK6CEuyOtabfDYmAgIPnlzIkBI1V6rZ4e3NJjzgRxl608bFsQnP-Mw7"
    "sVACyz5_UkdOR0l3e7Nnj4O987lhaZ1unq9-50e1T_EE9ht9VbL_eD0mSdH2"
    "Q3lKFjyUyUaMN5YO4ahN3yqg"
    ;

static const char *tok_ps1 =
    "eyJhbGciOiJQUzI1NiIsImtpZCI6InBzMSIsInR5cCI6IkpXVCJ9.eyJhdWQ"
    "iOlsiaHR0cHM6Ly9tY3AudGVzdC9tY3AiXSwiZXhwIjoyMDAwMDAwMDAwLCJ"
    "pc3MiOiJodHRwczovL2lkcC50ZXN0IiwibmJmIjoxOTAwMDAwMDAwLCJzY29"
    "wZSI6Im1jcDpyZWFkIiwic3ViIjoiYWxpY2UifQ.GW67ja7t2zRAhHFpwF-q"
    "D8px879sjvkyzmxmGlACK0dJIZXVtfZH9W80nb34Cq8NQaCd2dXScAliCu6l"
    "xpoIilnA2NWgdBOF5qCmsxs7vvfAIAWOf_UHQFydPKgfxLIJ9TwUVA_bF8dv"
    "xyBh8hB7ftAiePINI91bSX8On7XrJ13BXlQwvMIOGZ3Kgc2XEnW-ppBOlFpQ"
    "GWsgs3HQ8Hj0wum7OyulSQousXTeX5wVrRSb3NB9sYP91eguW7418cv1JZE2"
    "LcmFFaaIF4-zL_Avfh_YCFG4-5MG_ji-VlERxIymx3yGJ4sXp_BaYvts5mR-"
    "5RHzyM_R97HPHxeT_lffTw"
    ;

static const char *tok_ec256 =
    "eyJhbGciOiJFUzI1NiIsImtpZCI6ImVjMjU2IiwidHlwIjoiSldUIn0.eyJh"
    "dWQiOlsiaHR0cHM6Ly9tY3AudGVzdC9tY3AiXSwiZXhwIjoyMDAwMDAwMDAw"
    "LCJpc3MiOiJodHRwczovL2lkcC50ZXN0IiwibmJmIjoxOTAwMDAwMDAwLCJz"
    "Y29wZSI6Im1jcDpyZWFkIiwic3ViIjoiYWxpY2UifQ.DprMpzdZMLeianAFg"
    "TY7r1cwLurGZaoQMI3Cs1Kxudsb_eWkKTM4Mwk4H9zLnpAZHyuKNrmu3rTin"
    "I0z6xXZbA"
    ;

static const char *tok_ec384 =
    "eyJhbGciOiJFUzM4NCIsImtpZCI6ImVjMzg0IiwidHlwIjoiSldUIn0.eyJh"
    "dWQiOlsiaHR0cHM6Ly9tY3AudGVzdC9tY3AiXSwiZXhwIjoyMDAwMDAwMDAw"
    "LCJpc3MiOiJodHRwczovL2lkcC50ZXN0IiwibmJmIjoxOTAwMDAwMDAwLCJz"
    "Y29wZSI6Im1jcDpyZWFkIiwic3ViIjoiYWxpY2UifQ.wi3x07Vdg5_Nx98Uv"
    "H_iom4v3HfHA832qdTem73ZHmV-mYNspxtuxNOQbJLXFi5taBUlOHBwc3PXj"
    "QIT6eSLgC0syAG81cYRxShOk3JxvAy9U593eoBm1jvBik8tKL0n"
    ;

static const char *tok_ed1 =
    "eyJhbGciOiJFZERTQSIsImtpZCI6ImVkMSIsInR5cCI6IkpXVCJ9.eyJhdWQ"
    "iOlsiaHR0cHM6Ly9tY3AudGVzdC9tY3AiXSwiZXhwIjoyMDAwMDAwMDAwLCJ"
    "pc3MiOiJodHRwczovL2lkcC50ZXN0IiwibmJmIjoxOTAwMDAwMDAwLCJzY29"
    "wZSI6Im1jcDpyZWFkIiwic3ViIjoiYWxpY2UifQ.wBb88St5kvuqdSxY_ndF"
    "yzY_iUP8sd8gO2LJkXPuawbWv6YFHIRRPhXk5qw8JEIm9v4Lx_6x2_P5kAAS"
    "NolzBQ"
    ;

static ngx_http_mcp_jwt_policy_t  policy = {
    "https://idp.test", "https://mcp.test/mcp", 60
};

static ngx_http_mcp_jwt_rc_t
verify(const ngx_http_mcp_jwks_t *set, const char *token,
    const ngx_http_mcp_jwt_policy_t *p, time_t now)
{
    json_t                 *claims;
    ngx_http_mcp_jwt_rc_t   rc;

    rc = ngx_http_mcp_jwt_verify(token, strlen(token), set, p, now, &claims);
    if (rc == NGX_HTTP_MCP_JWT_OK) {
        json_decref(claims);
    }

    return rc;
}

/* token with its header replaced by the base64url of header */
static char *
with_header(const char *token, const char *b64header)
{
    const char  *dot = strchr(token, '.');
    char        *out = malloc(strlen(b64header) + strlen(dot) + 1);

    strcpy(out, b64header);
    strcat(out, dot);
    return out;
}

int
main(void)
{
    char                  err[256], *t;
    long                  n;
    size_t                i;
    unsigned char         buf[16];
    ngx_http_mcp_jwks_t   set, bad;
    const char           *tokens[] = { tok_rsa1, tok_ps1, tok_ec256,
                                       tok_ec384, tok_ed1 };
    const char           *names[] = { "RS256", "PS256", "ES256", "ES384",
                                      "EdDSA" };
    ngx_http_mcp_jwt_policy_t  other;
    const char           *oct = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"h\","
                                "\"k\":\"c2VjcmV0\"}]}";

    n = ngx_http_mcp_base64url_decode("aGk", 3, buf, sizeof(buf));
    ok(n == 2 && memcmp(buf, "hi", 2) == 0, "base64url decodes \"aGk\"");
    ok(ngx_http_mcp_base64url_decode("aGk=", 4, buf, sizeof(buf)) == -1,
       "base64url refuses padding");
    ok(ngx_http_mcp_base64url_decode("aGl", 3, buf, sizeof(buf)) == -1,
       "base64url refuses non-zero trailing bits");
    ok(ngx_http_mcp_base64url_decode("a+k", 3, buf, sizeof(buf)) == -1,
       "base64url refuses '+'");

    ok(ngx_http_mcp_jwks_parse(jwks, strlen(jwks), &set, err, sizeof(err))
       == 0 && set.nkeys == 5, "the JWKS loads five keys");
    ok(ngx_http_mcp_jwks_find(&set, "ec256")->alg == NGX_HTTP_MCP_JWS_ES256,
       "a P-256 key is bound to ES256");

    ok(ngx_http_mcp_jwks_parse(oct, strlen(oct), &bad, err, sizeof(err))
       == -1 && strstr(err, "\"oct\" not accepted") != NULL,
       "a symmetric key is refused");
    ok(ngx_http_mcp_jwks_parse("{\"keys\":[]}", 11, &bad, err, sizeof(err))
       == -1, "an empty key set is refused");

    for (i = 0; i < 5; i++) {
        ok(verify(&set, tokens[i], &policy, NOW) == NGX_HTTP_MCP_JWT_OK,
           "a valid %s token verifies", names[i]);
    }

    ok(verify(&set, tok_rsa1, &policy, 2000000000 + 61)
       == NGX_HTTP_MCP_JWT_EXPIRED, "past exp + leeway: expired");
    ok(verify(&set, tok_rsa1, &policy, 2000000000 + 59)
       == NGX_HTTP_MCP_JWT_OK, "within the leeway after exp: accepted");
    ok(verify(&set, tok_ec256, &policy, 1900000000 - 61)
       == NGX_HTTP_MCP_JWT_NOT_YET_VALID, "before nbf - leeway: not yet valid");

    other = policy;
    other.issuer = "https://evil.test";
    ok(verify(&set, tok_ed1, &other, NOW) == NGX_HTTP_MCP_JWT_ISSUER,
       "another issuer is refused");
    other = policy;
    other.audience = "https://other.test/mcp";
    ok(verify(&set, tok_ed1, &other, NOW) == NGX_HTTP_MCP_JWT_AUDIENCE,
       "another audience is refused");

    /* {"alg":"none","kid":"rsa1"} */
    t = with_header(tok_rsa1, "eyJhbGciOiJub25lIiwia2lkIjoicnNhMSJ9");
    ok(verify(&set, t, &policy, NOW) == NGX_HTTP_MCP_JWT_ALG,
       "alg none is refused");
    free(t);

    /* {"alg":"HS256","kid":"rsa1"} */
    t = with_header(tok_rsa1, "eyJhbGciOiJIUzI1NiIsImtpZCI6InJzYTEifQ");
    ok(verify(&set, t, &policy, NOW) == NGX_HTTP_MCP_JWT_ALG,
       "HS256 under an RSA key is refused");
    free(t);

    /* {"alg":"RS256","kid":"ec256"} */
    t = with_header(tok_ec256, "eyJhbGciOiJSUzI1NiIsImtpZCI6ImVjMjU2In0");
    ok(verify(&set, t, &policy, NOW) == NGX_HTTP_MCP_JWT_ALG,
       "RS256 claimed for an EC key is refused");
    free(t);

    /* {"alg":"RS256","kid":"nope"} */
    t = with_header(tok_rsa1, "eyJhbGciOiJSUzI1NiIsImtpZCI6Im5vcGUifQ");
    ok(verify(&set, t, &policy, NOW) == NGX_HTTP_MCP_JWT_UNKNOWN_KID,
       "an unknown kid is reported as such");
    free(t);

    t = strdup(tok_ec256);
    t[strchr(t, '.') - t + 5] ^= 1;
    ok(verify(&set, t, &policy, NOW) != NGX_HTTP_MCP_JWT_OK,
       "a tampered payload is refused");
    free(t);

    t = strdup(tok_ed1);
    *strrchr(t, '.') = '\0';
    ok(verify(&set, t, &policy, NOW) == NGX_HTTP_MCP_JWT_MALFORMED,
       "a token without signature part is malformed");
    free(t);

    ok(verify(&set, "a.b.c.d", &policy, NOW) == NGX_HTTP_MCP_JWT_MALFORMED,
       "four parts are malformed");

    ngx_http_mcp_jwks_free(&set);

    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}
