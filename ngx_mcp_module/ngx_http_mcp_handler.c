/*
 * ngx_http_mcp_handler.c: entry of every request to the MCP endpoint: HTTP
 * method and header checks, reading the body, then the session gate.
 */
#include "ngx_http_mcp.h"

static void ngx_http_mcp_body_handler(ngx_http_request_t *r);


ngx_str_t *
ngx_http_mcp_header(ngx_http_request_t *r, const char *name, size_t len)
{
    ngx_uint_t        i;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;

    part = &r->headers_in.headers.part;
    h = part->elts;

    for (i = 0; /* void */; i++) {

        if (i >= part->nelts) {
            if (part->next == NULL) {
                return NULL;
            }

            part = part->next;
            h = part->elts;
            i = 0;
        }

        if (h[i].key.len == len
            && ngx_strncasecmp(h[i].key.data, (u_char *) name, len) == 0)
        {
            return &h[i].value;
        }
    }
}


/* Answers before the body is read; the request is finalized by the answer. */
static ngx_int_t
ngx_http_mcp_reject(ngx_http_request_t *r, mcp_err_t err, const char *message)
{
    if (ngx_http_discard_request_body(r) != NGX_OK) {
        r->keepalive = 0;
    }

    r->main->count++;
    ngx_http_mcp_error(r, NULL, err, 0, message, NULL);

    return NGX_DONE;
}


static void
ngx_http_mcp_allow(ngx_http_request_t *r, char *methods)
{
    ngx_table_elt_t  *allow;

    allow = ngx_list_push(&r->headers_out.headers);
    if (allow != NULL) {
        allow->hash = 1;
        ngx_str_set(&allow->key, "Allow");
        allow->value.data = (u_char *) methods;
        allow->value.len = ngx_strlen(methods);
    }
}


static ngx_int_t
ngx_http_mcp_has(ngx_str_t *value, const char *type, const char *wildcard)
{
    u_char  *last;

    last = value->data + value->len;

    return ngx_strlcasestrn(value->data, last, (u_char *) type,
                            ngx_strlen(type) - 1) != NULL
           || ngx_strlcasestrn(value->data, last, (u_char *) wildcard,
                               ngx_strlen(wildcard) - 1) != NULL
           || ngx_strlcasestrn(value->data, last, (u_char *) "*/*", 3 - 1)
              != NULL;
}


static ngx_int_t
ngx_http_mcp_json_content_type(ngx_http_request_t *r)
{
    ngx_str_t  *ct;

    if (r->headers_in.content_type == NULL) {
        return 0;
    }

    ct = &r->headers_in.content_type->value;

    if (ct->len < 16
        || ngx_strncasecmp(ct->data, (u_char *) "application/json", 16) != 0)
    {
        return 0;
    }

    return ct->len == 16 || ct->data[16] == ';' || ct->data[16] == ' '
           || ct->data[16] == '\t';
}


static void
ngx_http_mcp_cleanup(void *data)
{
    ngx_http_mcp_ctx_t  *ctx = data;

    if (ctx->waiter != NULL) {
        ctx->waiter->request = NULL;
        ctx->waiter = NULL;
    }

    ngx_http_mcp_modern_cancel(ctx);
    ngx_http_mcp_jobs_forget(ctx);
    ngx_http_mcp_stream_close(ctx);

    if (ctx->streaming) {
        ngx_http_mcp_metrics_sse_streams(-1);
    }

    json_decref(ctx->arguments);
    json_decref(ctx->session_data);
    json_decref(ctx->message);
}


/* A context released with the request (batch members have one each). */
ngx_http_mcp_ctx_t *
ngx_http_mcp_ctx_new(ngx_http_request_t *r)
{
    ngx_http_mcp_ctx_t  *ctx;
    ngx_pool_cleanup_t  *cln;

    cln = ngx_pool_cleanup_add(r->pool, sizeof(ngx_http_mcp_ctx_t));
    if (cln == NULL) {
        return NULL;
    }

    ctx = cln->data;
    ngx_memzero(ctx, sizeof(ngx_http_mcp_ctx_t));
    ctx->request = r;

    cln->handler = ngx_http_mcp_cleanup;

    return ctx;
}


ngx_http_mcp_ctx_t *
ngx_http_mcp_ctx(ngx_http_request_t *r)
{
    ngx_http_mcp_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_mcp_module);
    if (ctx != NULL) {
        return ctx;
    }

    ctx = ngx_http_mcp_ctx_new(r);
    if (ctx != NULL) {
        ngx_http_set_ctx(r, ctx, ngx_mcp_module);
    }

    return ctx;
}


/* GET opens an SSE stream of a session (ngx_http_mcp_stream.c). */
static ngx_int_t
ngx_http_mcp_get(ngx_http_request_t *r)
{
    ngx_str_t           *h;
    ngx_http_mcp_ctx_t  *ctx;

    h = ngx_http_mcp_header(r, "Accept", 6);
    if (h == NULL || !ngx_http_mcp_has(h, "text/event-stream", "text/*")) {
        return ngx_http_mcp_reject(r, MCP_ERR_NOT_ACCEPTABLE,
                                   "Not Acceptable: GET needs Accept: "
                                   "text/event-stream");
    }

    h = ngx_http_mcp_header(r, "Mcp-Session-Id", 14);
    if (h == NULL && ngx_http_mcp_legacy_open(r) != NGX_DECLINED) {
        return NGX_DONE;
    }

    if (h == NULL) {
        return ngx_http_mcp_reject(r, MCP_ERR_SESSION_REQUIRED,
                                   "Bad Request: Mcp-Session-Id header is "
                                   "required");
    }

    if (!ngx_http_mcp_session_id_valid(h)) {
        return ngx_http_mcp_reject(r, MCP_ERR_SESSION_NOT_FOUND,
                                   "Session not found");
    }

    if (ngx_http_discard_request_body(r) != NGX_OK) {
        r->keepalive = 0;
    }

    ctx = ngx_http_mcp_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->session = *h;
    r->main->count++;

    ngx_http_mcp_session_check(r, ctx);

    return NGX_DONE;
}


ngx_int_t
ngx_http_mcp_handler(ngx_http_request_t *r)
{
    ngx_int_t                  rc;
    ngx_str_t                 *h;
    const char                *message;

    if (ngx_http_mcp_origin_check(r, &message) != NGX_OK) {
        return ngx_http_mcp_reject(r, MCP_ERR_BAD_ORIGIN, message);
    }

    /* the 2026-07-28 era has neither sessions nor a GET stream */
    if ((r->method == NGX_HTTP_GET || r->method == NGX_HTTP_DELETE)
        && ngx_http_mcp_modern_header(r))
    {
        ngx_http_mcp_allow(r, "POST");
        return ngx_http_mcp_reject(r, MCP_ERR_METHOD_NOT_ALLOWED,
                                   "Method Not Allowed: the 2026-07-28 "
                                   "protocol takes POST only");
    }

    if (r->method == NGX_HTTP_DELETE) {
        return ngx_http_mcp_session_delete(r);
    }

    if (r->method == NGX_HTTP_GET) {
        return ngx_http_mcp_get(r);
    }

    if (r->method != NGX_HTTP_POST) {
        ngx_http_mcp_allow(r, "GET, POST, DELETE");

        return ngx_http_mcp_reject(r, MCP_ERR_METHOD_NOT_ALLOWED,
                                   "Method Not Allowed: this endpoint takes "
                                   "GET, POST and DELETE");
    }

    if (!ngx_http_mcp_json_content_type(r)) {
        return ngx_http_mcp_reject(r, MCP_ERR_UNSUPPORTED_MEDIA,
                                   "Unsupported Media Type: Content-Type "
                                   "must be application/json");
    }

    /* 2024-11-05: a POST to the messages URL (ngx_http_mcp_legacy.c) */
    rc = ngx_http_mcp_legacy_post(r, ngx_http_mcp_body_handler);
    if (rc != NGX_DECLINED) {
        return rc;
    }

    h = ngx_http_mcp_header(r, "Accept", 6);
    if (h == NULL
        || !ngx_http_mcp_has(h, "application/json", "application/*")
        || !ngx_http_mcp_has(h, "text/event-stream", "text/*"))
    {
        return ngx_http_mcp_reject(r, MCP_ERR_NOT_ACCEPTABLE,
                                   "Not Acceptable: Accept must list "
                                   "application/json and text/event-stream");
    }

    /* MCP-Protocol-Version is judged with the body (ngx_http_mcp_era) */
    if (ngx_http_mcp_ctx(r) == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_read_client_request_body(r, ngx_http_mcp_body_handler);

    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        return rc;
    }

    return NGX_DONE;
}


/* The body as one contiguous buffer, also when nginx spooled it to a file. */
static ngx_int_t
ngx_http_mcp_body(ngx_http_request_t *r, u_char **data, size_t *len)
{
    u_char       *p;
    size_t        size;
    ssize_t       n;
    ngx_buf_t    *b;
    ngx_chain_t  *cl;

    *data = (u_char *) "";
    *len = 0;

    if (r->request_body == NULL || r->request_body->bufs == NULL) {
        return NGX_OK;
    }

    cl = r->request_body->bufs;

    if (cl->next == NULL && !cl->buf->in_file) {
        *data = cl->buf->pos;
        *len = cl->buf->last - cl->buf->pos;
        return NGX_OK;
    }

    size = 0;
    for (cl = r->request_body->bufs; cl; cl = cl->next) {
        size += ngx_buf_size(cl->buf);
    }

    p = ngx_pnalloc(r->pool, size + 1);
    if (p == NULL) {
        return NGX_ERROR;
    }

    *data = p;

    for (cl = r->request_body->bufs; cl; cl = cl->next) {
        b = cl->buf;

        if (b->in_file) {
            n = ngx_read_file(b->file, p, b->file_last - b->file_pos,
                              b->file_pos);
            if (n != b->file_last - b->file_pos) {
                return NGX_ERROR;
            }

            p += n;
            continue;
        }

        p = ngx_cpymem(p, b->pos, b->last - b->pos);
    }

    *len = p - *data;

    return NGX_OK;
}


static void
ngx_http_mcp_body_handler(ngx_http_request_t *r)
{
    size_t               len;
    u_char              *body;
    mcp_err_t            err;
    ngx_str_t           *sid;
    const char          *message;
    ngx_http_mcp_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_mcp_module);

    if (ngx_http_mcp_body(r, &body, &len) != NGX_OK) {
        ngx_http_mcp_error(r, NULL, MCP_ERR_INTERNAL, NGX_HTTP_OK,
                           "Internal error: cannot read the request body",
                           NULL);
        return;
    }

    err = ngx_http_mcp_jsonrpc_parse(ctx, body, len, &message);

    if (ngx_http_mcp_era(r, ctx, err) == NGX_DONE) {
        return;
    }

    if (err != MCP_OK) {
        ngx_http_mcp_error(r, ctx->id, err, 0, message, NULL);
        return;
    }

    if (ctx->legacy) {
        ngx_http_mcp_legacy_accept(r, ctx);
        return;
    }

    if (ctx->method.len == 10
        && ngx_strncmp(ctx->method.data, "initialize", 10) == 0)
    {
        ngx_http_mcp_dispatch(r, ctx);
        return;
    }

    sid = ngx_http_mcp_header(r, "Mcp-Session-Id", 14);

    if (sid == NULL && json_is_array(ctx->message)) {
        ngx_http_mcp_error(r, NULL, MCP_ERR_INVALID_REQUEST, 0,
                           "Invalid Request: JSON-RPC batches are only "
                           "accepted in 2025-03-26 sessions", NULL);
        return;
    }

    if (sid == NULL) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_SESSION_REQUIRED, 0,
                           "Bad Request: Mcp-Session-Id header is required",
                           NULL);
        return;
    }

    ctx->session = *sid;

    if (!ngx_http_mcp_session_id_valid(sid)) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_SESSION_NOT_FOUND, 0,
                           "Session not found", NULL);
        return;
    }

    ngx_http_mcp_session_check(r, ctx);
}
