/*
 * ngx_http_mcp_fixture_mrtr.c: the conformance suite's SEP-2322 fixtures
 * (2026-07-28 multi round-trip requests): tools test_input_required_result_*
 * and prompt test_input_required_result_prompt answer input_required with
 * inputRequests until the retried request carries every inputResponse;
 * requestState is HMAC-protected. Served only under mcp_conformance_fixtures.
 */
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include "ngx_http_mcp_mrtr.h"
#include "../shared/util/hex.h"

#define NGX_HTTP_MCP_MRTR_KEY_LEN    32
#define NGX_HTTP_MCP_MRTR_NONCE_LEN  8
#define NGX_HTTP_MCP_MRTR_STATE_MAX  128
#define NGX_HTTP_MCP_MRTR_ROUNDS     2
#define NGX_HTTP_MCP_MRTR_KEYS       3

/* One input the server may ask for, and the client capability it needs. */
typedef struct {
    const char  *key;
    const char  *capability;
    const char  *request;       /* the InputRequest, JSON */
} ngx_http_mcp_mrtr_input_t;

typedef struct {
    const char  *name;
    ngx_uint_t   prompt;        /* a prompts/get fixture, not a tool */
    ngx_uint_t   stateful;      /* rounds carry a requestState */
    ngx_uint_t   filter;        /* ask only for declared capabilities */
    const char  *rounds[NGX_HTTP_MCP_MRTR_ROUNDS][NGX_HTTP_MCP_MRTR_KEYS + 1];
} ngx_http_mcp_mrtr_t;

#define NGX_HTTP_MCP_ELICIT(message, prop, type)                             \
    "{\"method\":\"elicitation/create\",\"params\":{\"message\":\""          \
    message "\",\"requestedSchema\":{\"type\":\"object\",\"properties\":{"   \
    "\"" prop "\":{\"type\":\"" type "\"}},\"required\":[\"" prop "\"]}}}"
#define NGX_HTTP_MCP_SAMPLE(text, max)                                       \
    "{\"method\":\"sampling/createMessage\",\"params\":{\"messages\":[{"     \
    "\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"" text      \
    "\"}}],\"maxTokens\":" max "}}"

static const ngx_http_mcp_mrtr_input_t  ngx_http_mcp_mrtr_inputs[] = {
    { "user_name", "elicitation",
      NGX_HTTP_MCP_ELICIT("What is your name?", "name", "string") },
    { "capital_question", "sampling",
      NGX_HTTP_MCP_SAMPLE("What is the capital of France?", "100") },
    { "client_roots", "roots", "{\"method\":\"roots/list\",\"params\":{}}" },
    { "confirm", "elicitation",
      NGX_HTTP_MCP_ELICIT("Please confirm", "ok", "boolean") },
    { "greeting", "sampling", NGX_HTTP_MCP_SAMPLE("Generate a greeting", "50") },
    { "step1", "elicitation",
      NGX_HTTP_MCP_ELICIT("Step 1: What is your name?", "name", "string") },
    { "step2", "elicitation",
      NGX_HTTP_MCP_ELICIT("Step 2: What is your favorite color?", "color",
                          "string") },
    { "user_context", "elicitation",
      NGX_HTTP_MCP_ELICIT("What context should the prompt use?", "context",
                          "string") },
    { NULL, NULL, NULL }
};

static const ngx_http_mcp_mrtr_t  ngx_http_mcp_mrtr[] = {
    { "test_input_required_result_elicitation", 0, 0, 0,
      { { "user_name", NULL } } },
    { "test_input_required_result_sampling", 0, 0, 0,
      { { "capital_question", NULL } } },
    { "test_input_required_result_list_roots", 0, 0, 0,
      { { "client_roots", NULL } } },
    { "test_input_required_result_request_state", 0, 1, 0,
      { { "confirm", NULL } } },
    { "test_input_required_result_multiple_inputs", 0, 1, 0,
      { { "user_name", "greeting", "client_roots", NULL } } },
    { "test_input_required_result_multi_round", 0, 1, 0,
      { { "step1", NULL }, { "step2", NULL } } },
    { "test_input_required_result_tampered_state", 0, 1, 0,
      { { "confirm", NULL } } },
    { "test_input_required_result_capabilities", 0, 0, 1,
      { { "user_name", "capital_question", "client_roots", NULL } } },
    { "test_input_required_result_prompt", 1, 0, 0,
      { { "user_context", NULL } } },
    { NULL, 0, 0, 0, { { NULL } } }
};

/* made when the module is loaded (in the master), so every worker shares it;
 * a reload makes a new one and outstanding states become invalid */
static u_char  ngx_http_mcp_mrtr_key[NGX_HTTP_MCP_MRTR_KEY_LEN];

__attribute__((constructor)) static void
ngx_http_mcp_mrtr_key_init(void)
{
    if (RAND_bytes(ngx_http_mcp_mrtr_key, sizeof(ngx_http_mcp_mrtr_key))
        != 1)
    {
        /* without randomness no state verifies: every retry is refused */
        ngx_memzero(ngx_http_mcp_mrtr_key, sizeof(ngx_http_mcp_mrtr_key));
    }
}


static const ngx_http_mcp_mrtr_input_t *
ngx_http_mcp_mrtr_input(const char *key)
{
    const ngx_http_mcp_mrtr_input_t  *in;

    for (in = ngx_http_mcp_mrtr_inputs; in->key; in++) {
        if (ngx_strcmp(in->key, key) == 0) {
            return in;
        }
    }

    return NULL;
}


/* "<round>.<nonce hex>.<HMAC-SHA256 hex of name|round|nonce>" into out. */
static ngx_int_t
ngx_http_mcp_mrtr_sign(const char *name, ngx_uint_t round, const char *nonce,
    char *out, size_t size)
{
    u_char        mac[EVP_MAX_MD_SIZE], data[NGX_HTTP_MCP_MRTR_STATE_MAX];
    char          hex[2 * EVP_MAX_MD_SIZE + 1];
    size_t        len;
    unsigned int  maclen;

    len = ngx_snprintf(data, sizeof(data), "%s|%ui|%s", name, round, nonce)
          - data;

    if (HMAC(EVP_sha256(), ngx_http_mcp_mrtr_key,
             sizeof(ngx_http_mcp_mrtr_key), data, len, mac, &maclen)
        == NULL)
    {
        return NGX_ERROR;
    }

    mcp_hex_encode(mac, maclen, hex);
    *ngx_snprintf((u_char *) out, size - 1, "%ui.%s.%s", round, nonce, hex) =
        '\0';

    return NGX_OK;
}


static json_t *
ngx_http_mcp_mrtr_state(const char *name, ngx_uint_t round)
{
    u_char  nonce[NGX_HTTP_MCP_MRTR_NONCE_LEN];
    char    hex[2 * NGX_HTTP_MCP_MRTR_NONCE_LEN + 1];
    char    state[NGX_HTTP_MCP_MRTR_STATE_MAX];

    if (RAND_bytes(nonce, sizeof(nonce)) != 1) {
        return NULL;
    }

    mcp_hex_encode(nonce, sizeof(nonce), hex);

    if (ngx_http_mcp_mrtr_sign(name, round, hex, state, sizeof(state))
        != NGX_OK)
    {
        return NULL;
    }

    return json_string(state);
}


/* The round a requestState stands for, or NGX_ERROR when it is not ours. */
static ngx_int_t
ngx_http_mcp_mrtr_verify(const ngx_http_mcp_mrtr_t *f, json_t *state)
{
    char         nonce[2 * NGX_HTTP_MCP_MRTR_NONCE_LEN + 1];
    char         expect[NGX_HTTP_MCP_MRTR_STATE_MAX];
    const char  *s, *dot;
    ngx_uint_t   round;

    if (!json_is_string(state)) {
        return NGX_ERROR;
    }

    s = json_string_value(state);
    dot = ngx_strchr(s, '.');

    if (dot == NULL || dot - s != 1 || s[0] < '0'
        || s[0] >= '0' + NGX_HTTP_MCP_MRTR_ROUNDS
        || ngx_strlen(dot + 1) <= sizeof(nonce) - 1
        || dot[1 + sizeof(nonce) - 1] != '.')
    {
        return NGX_ERROR;
    }

    round = s[0] - '0';
    ngx_memcpy(nonce, dot + 1, sizeof(nonce) - 1);
    nonce[sizeof(nonce) - 1] = '\0';

    if (ngx_http_mcp_mrtr_sign(f->name, round, nonce, expect, sizeof(expect))
        != NGX_OK
        || json_string_length(state) != ngx_strlen(expect)
        || CRYPTO_memcmp(s, expect, ngx_strlen(expect)) != 0)
    {
        return NGX_ERROR;
    }

    return round;
}


/* InputRequiredResult for round: the inputs (declared capabilities only). */
static json_t *
ngx_http_mcp_mrtr_ask(ngx_http_mcp_ctx_t *ctx, const ngx_http_mcp_mrtr_t *f,
    ngx_uint_t round)
{
    json_t                           *result, *requests, *req;
    ngx_uint_t                        i;
    const ngx_http_mcp_mrtr_input_t  *in;

    result = json_pack("{s:s, s:{}}", "resultType", "input_required",
                       "inputRequests");
    requests = json_object_get(result, "inputRequests");

    for (i = 0; result != NULL && f->rounds[round][i]; i++) {
        in = ngx_http_mcp_mrtr_input(f->rounds[round][i]);

        if (f->filter
            && !mcp_modern_has_capability(ctx->client_caps, in->capability))
        {
            continue;
        }

        req = json_loads(in->request, 0, NULL);
        if (req == NULL || json_object_set_new(requests, in->key, req) != 0) {
            json_decref(result);
            return NULL;
        }
    }

    if (result != NULL && f->stateful
        && json_object_set_new(result, "requestState",
                               ngx_http_mcp_mrtr_state(f->name, round))
           != 0)
    {
        json_decref(result);
        return NULL;
    }

    return result;
}


/* The complete result, naming what the client answered. */
static json_t *
ngx_http_mcp_mrtr_done(const ngx_http_mcp_mrtr_t *f, json_t *responses,
    ngx_uint_t round)
{
    char        *answers;
    json_t      *result;
    ngx_uint_t   i;
    json_t      *got;

    got = json_object();

    for (i = 0; got != NULL && f->rounds[round][i]; i++) {
        json_object_set(got, f->rounds[round][i],
                        json_object_get(responses, f->rounds[round][i]));
    }

    answers = got ? json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(got);

    if (answers == NULL) {
        return NULL;
    }

    if (f->prompt) {
        result = json_pack("{s:s, s:[{s:s, s:{s:s, s:s}}]}", "description",
                           "A prompt built from the client's input",
                           "messages", "role", "user", "content", "type",
                           "text", "text", answers);

    } else {
        result = json_pack("{s:[{s:s, s:s+}]}", "content", "type", "text",
                           "text", f->stateful ? "state-ok: " : "received: ",
                           answers);
    }

    free(answers);

    return result;
}


static void
ngx_http_mcp_mrtr_answer(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    const ngx_http_mcp_mrtr_t *f)
{
    json_t                           *responses, *state, *v;
    ngx_int_t                         round;
    ngx_uint_t                        i, complete;
    const ngx_http_mcp_mrtr_input_t  *in;

    responses = json_object_get(ctx->params, "inputResponses");
    state = json_object_get(ctx->params, "requestState");

    if (responses != NULL && !json_is_object(responses)) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                           "Invalid params: params.inputResponses must be an "
                           "object", NULL);
        return;
    }

    round = 0;

    if (f->stateful && state != NULL) {
        round = ngx_http_mcp_mrtr_verify(f, state);

        if (round == NGX_ERROR) {
            ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                               "Invalid params: params.requestState failed "
                               "its integrity check", NULL);
            return;
        }
    }

    complete = (responses != NULL);

    for (i = 0; f->rounds[round][i]; i++) {
        in = ngx_http_mcp_mrtr_input(f->rounds[round][i]);

        if (!mcp_modern_has_capability(ctx->client_caps, in->capability)) {
            if (f->filter) {
                continue;
            }

            ngx_http_mcp_error(r, ctx->id, MCP_ERR_MISSING_CAPABILITY, 0,
                               "Missing required client capability",
                               json_pack("{s:{s:{}}}", "requiredCapabilities",
                                         in->capability));
            return;
        }

        v = json_object_get(responses, in->key);

        if (v != NULL && !json_is_object(v)) {
            ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                               "Invalid params: every member of "
                               "params.inputResponses must be an object",
                               NULL);
            return;
        }

        complete = complete && v != NULL;
    }

    /* missing answers are asked for again; extra ones are ignored */
    if (!complete) {
        ngx_http_mcp_result(r, ctx->id, ngx_http_mcp_mrtr_ask(ctx, f, round));
        return;
    }

    if (round + 1 < NGX_HTTP_MCP_MRTR_ROUNDS && f->rounds[round + 1][0]) {
        ngx_http_mcp_result(r, ctx->id,
                            ngx_http_mcp_mrtr_ask(ctx, f, round + 1));
        return;
    }

    ngx_http_mcp_result(r, ctx->id, ngx_http_mcp_mrtr_done(f, responses,
                                                           round));
}


/* NGX_DECLINED: not an MRTR fixture of this kind (or fixtures are off). */
ngx_int_t
ngx_http_mcp_fixtures_mrtr(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    ngx_uint_t prompt)
{
    json_t                     *name;
    ngx_http_mcp_main_conf_t   *mcf;
    const ngx_http_mcp_mrtr_t  *f;

    mcf = ngx_http_get_module_main_conf(r, ngx_mcp_module);
    name = json_object_get(ctx->params, "name");

    if (!mcf->conformance_fixtures || !json_is_string(name)) {
        return NGX_DECLINED;
    }

    for (f = ngx_http_mcp_mrtr; f->name; f++) {
        if (f->prompt == prompt
            && ngx_strcmp(json_string_value(name), f->name) == 0)
        {
            ngx_http_mcp_mrtr_answer(r, ctx, f);
            return NGX_OK;
        }
    }

    return NGX_DECLINED;
}


/* The MRTR fixture tools, appended to a modern tools/list. */
ngx_int_t
ngx_http_mcp_fixtures_mrtr_tools(json_t *tools)
{
    const ngx_http_mcp_mrtr_t  *f;

    for (f = ngx_http_mcp_mrtr; f->name; f++) {
        if (!f->prompt
            && json_array_append_new(tools,
                   json_pack("{s:s, s:s, s:{s:s, s:{}}}", "name", f->name,
                             "description", "Asks the client for input "
                             "(SEP-2322) before it answers", "inputSchema",
                             "type", "object", "properties"))
               != 0)
        {
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}
