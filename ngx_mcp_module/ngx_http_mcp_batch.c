/*
 * ngx_http_mcp_batch.c: JSON-RPC batches of 2025-03-26 sessions: the members
 * run one after another, each with its own context; the answers form an array.
 */
#include "ngx_http_mcp.h"

#define NGX_HTTP_MCP_BATCH_MAX  64


static ngx_int_t
ngx_http_mcp_batch_version_ok(ngx_http_mcp_ctx_t *ctx)
{
    json_t  *v;

    v = json_object_get(ctx->session_data, "version");

    return json_is_string(v)
           && ngx_strcmp(json_string_value(v), "2025-03-26") == 0;
}


/* Sends the collected answers; 202 when every member was a notification. */
static void
ngx_http_mcp_batch_done(ngx_http_request_t *r, ngx_http_mcp_ctx_t *batch)
{
    u_char      *body, *p;
    size_t       len;
    ngx_str_t   *answer;
    ngx_uint_t   i;

    ngx_http_set_ctx(r, batch, ngx_mcp_module);

    answer = batch->answers->elts;

    if (batch->answers->nelts == 0) {
        ngx_http_mcp_finish(r, NGX_HTTP_ACCEPTED, NULL, 0);
        return;
    }

    len = 2;
    for (i = 0; i < batch->answers->nelts; i++) {
        len += answer[i].len + 1;
    }

    body = ngx_pnalloc(r->pool, len);
    if (body == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    p = body;
    *p++ = '[';

    for (i = 0; i < batch->answers->nelts; i++) {
        if (i) {
            *p++ = ',';
        }

        p = ngx_cpymem(p, answer[i].data, answer[i].len);
    }

    *p++ = ']';

    ngx_http_mcp_finish(r, NGX_HTTP_OK, body, p - body);
}


/* Runs the next member, or answers when none is left. */
static void
ngx_http_mcp_batch_next(ngx_http_request_t *r, ngx_http_mcp_ctx_t *batch)
{
    json_t              *member;
    mcp_err_t            err;
    const char          *message;
    ngx_http_mcp_ctx_t  *ctx;

    if (batch->batch_next == json_array_size(batch->message)) {
        ngx_http_mcp_batch_done(r, batch);
        return;
    }

    member = json_array_get(batch->message, batch->batch_next++);

    ctx = ngx_http_mcp_ctx_new(r);
    if (ctx == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    /* the member is the request's context until it answers */
    ngx_http_set_ctx(r, ctx, ngx_mcp_module);

    ctx->batch = batch;
    ctx->session = batch->session;
    ctx->session_data = json_incref(batch->session_data);
    ctx->message = json_incref(member);

    err = ngx_http_mcp_jsonrpc_check(ctx, &message);

    if (err == MCP_OK
        && ctx->method.len == 10
        && ngx_strncmp(ctx->method.data, "initialize", 10) == 0)
    {
        err = MCP_ERR_INVALID_REQUEST;
        message = "Invalid Request: initialize cannot be part of a batch";
    }

    if (err != MCP_OK) {
        ngx_http_mcp_error(r, ctx->id, err, 0, message, NULL);
        return;
    }

    ngx_http_mcp_dispatch(r, ctx);
}


/* Called by ngx_http_mcp_finish for a member's answer. */
void
ngx_http_mcp_batch_answer(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    ngx_int_t status, u_char *body, size_t len)
{
    ngx_str_t           *answer;
    ngx_http_mcp_ctx_t  *batch;

    batch = ctx->batch;

    if (status != NGX_HTTP_ACCEPTED && len) {
        answer = ngx_array_push(batch->answers);
        if (answer == NULL) {
            ngx_http_finalize_request(r, NGX_ERROR);
            return;
        }

        answer->data = ngx_pnalloc(r->pool, len);
        if (answer->data == NULL) {
            ngx_http_finalize_request(r, NGX_ERROR);
            return;
        }

        ngx_memcpy(answer->data, body, len);
        answer->len = len;
    }

    ngx_http_mcp_batch_next(r, batch);
}


/* A batch body in a known session (the session check has run). */
void
ngx_http_mcp_batch(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    size_t  n;

    if (!ngx_http_mcp_batch_version_ok(ctx)) {
        ngx_http_mcp_error(r, NULL, MCP_ERR_INVALID_REQUEST, 0,
                           "Invalid Request: JSON-RPC batches are only "
                           "accepted in 2025-03-26 sessions", NULL);
        return;
    }

    n = json_array_size(ctx->message);

    if (n == 0 || n > NGX_HTTP_MCP_BATCH_MAX) {
        ngx_http_mcp_error(r, NULL, MCP_ERR_INVALID_REQUEST, 0,
                           n ? "Invalid Request: more than 64 messages in "
                               "the batch"
                             : "Invalid Request: empty batch", NULL);
        return;
    }

    ctx->answers = ngx_array_create(r->pool, n, sizeof(ngx_str_t));
    if (ctx->answers == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    ngx_http_mcp_batch_next(r, ctx);
}
