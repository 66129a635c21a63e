/*
 * ngx_http_mcp_sse.c: answers a POST as a text/event-stream: headers once,
 * then one flushed event per JSON-RPC message, the last one ends the stream.
 */
#include "ngx_http_mcp.h"


static ngx_int_t
ngx_http_mcp_sse_header(ngx_http_request_t *r, const char *key,
    const char *value)
{
    ngx_table_elt_t  *h;

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    h->hash = 1;
    h->key.data = (u_char *) key;
    h->key.len = ngx_strlen(key);
    h->value.data = (u_char *) value;
    h->value.len = ngx_strlen(value);

    return NGX_OK;
}


/* A slow client: keep writing what the event filters buffered. */
static void
ngx_http_mcp_sse_writer(ngx_http_request_t *r)
{
    if (ngx_http_output_filter(r, NULL) == NGX_ERROR
        || ngx_handle_write_event(r->connection->write, 0) != NGX_OK)
    {
        ngx_http_finalize_request(r, NGX_ERROR);
    }
}


ngx_int_t
ngx_http_mcp_sse_start(ngx_http_request_t *r)
{
    ngx_int_t            rc;
    ngx_http_mcp_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_mcp_module);

    /* 2024-11-05: the 202 is sent, events go on the session's stream */
    if (ctx->legacy) {
        return NGX_OK;
    }

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_length_n = -1;
    ngx_str_set(&r->headers_out.content_type, "text/event-stream");
    r->headers_out.content_type_len = r->headers_out.content_type.len;

    /* no proxy or filter may hold events back */
    if (ngx_http_mcp_sse_header(r, "Cache-Control", "no-cache") != NGX_OK
        || ngx_http_mcp_sse_header(r, "X-Accel-Buffering", "no") != NGX_OK)
    {
        return NGX_ERROR;
    }

    r->gzip_vary = 0;

    rc = ngx_http_send_header(r);
    if (rc == NGX_ERROR || rc > NGX_OK) {
        return NGX_ERROR;
    }

    ctx->streaming = 1;
    ngx_http_mcp_metrics_sse_streams(1);
    r->write_event_handler = ngx_http_mcp_sse_writer;

    return ngx_http_send_special(r, NGX_HTTP_FLUSH) == NGX_ERROR
           ? NGX_ERROR : NGX_OK;
}


/* data is one line of compact JSON, so a single "data:" field carries it. */
ngx_int_t
ngx_http_mcp_sse_event(ngx_http_request_t *r, u_char *id, size_t id_len,
    u_char *data, size_t len, ngx_uint_t last)
{
    size_t               size;
    ngx_int_t            rc;
    ngx_buf_t           *b;
    ngx_chain_t          out;
    ngx_http_mcp_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_mcp_module);

    if (ctx != NULL && ctx->legacy) {
        return ngx_http_mcp_legacy_send(ctx, data, len);
    }

    size = sizeof("id: \n") - 1 + id_len
           + sizeof("event: message\ndata: \n\n") - 1 + len;

    b = ngx_create_temp_buf(r->pool, size);
    if (b == NULL) {
        return NGX_ERROR;
    }

    if (id_len) {
        b->last = ngx_cpymem(b->last, "id: ", 4);
        b->last = ngx_cpymem(b->last, id, id_len);
        *b->last++ = '\n';
    }

    b->last = ngx_cpymem(b->last, "event: message\ndata: ",
                         sizeof("event: message\ndata: ") - 1);
    b->last = ngx_cpymem(b->last, data, len);
    *b->last++ = '\n';
    *b->last++ = '\n';

    if (last) {
        b->last_buf = (r == r->main) ? 1 : 0;
        b->last_in_chain = 1;

    } else {
        b->flush = 1;
    }

    out.buf = b;
    out.next = NULL;

    rc = ngx_http_output_filter(r, &out);

    if (rc == NGX_AGAIN && !last
        && ngx_handle_write_event(r->connection->write, 0) != NGX_OK)
    {
        return NGX_ERROR;
    }

    return rc;
}


/* A JSON-RPC notification (params stolen) as one event of the stream. */
ngx_int_t
ngx_http_mcp_sse_notification(ngx_http_request_t *r, u_char *id,
    size_t id_len, const char *method, json_t *params)
{
    char       *text;
    json_t     *msg;
    ngx_int_t   rc;

    msg = json_pack("{s:s, s:s, s:o}", "jsonrpc", "2.0", "method", method,
                    "params", params);
    if (msg == NULL) {
        return NGX_ERROR;
    }

    text = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);

    if (text == NULL) {
        return NGX_ERROR;
    }

    rc = ngx_http_mcp_sse_event(r, id, id_len, (u_char *) text,
                                ngx_strlen(text), 0);
    free(text);

    return rc;
}


/*
 * 2025-11-25 priming event: an id the client may resume from, how long to
 * wait before reconnecting, and empty data.
 */
ngx_int_t
ngx_http_mcp_sse_priming(ngx_http_request_t *r, u_char *id, size_t id_len)
{
    ngx_buf_t    *b;
    ngx_chain_t   out;

    b = ngx_create_temp_buf(r->pool, sizeof("id: \nretry: "
                                            NGX_HTTP_MCP_SSE_RETRY_MS
                                            "\ndata: \n\n") - 1 + id_len);
    if (b == NULL) {
        return NGX_ERROR;
    }

    b->last = ngx_cpymem(b->last, "id: ", 4);
    b->last = ngx_cpymem(b->last, id, id_len);
    b->last = ngx_cpymem(b->last, "\nretry: " NGX_HTTP_MCP_SSE_RETRY_MS
                         "\ndata: \n\n",
                         sizeof("\nretry: " NGX_HTTP_MCP_SSE_RETRY_MS
                                "\ndata: \n\n") - 1);
    b->flush = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out) == NGX_ERROR ? NGX_ERROR : NGX_OK;
}


/* Whether the session negotiated 2025-11-25 (priming events, retry:). */
ngx_int_t
ngx_http_mcp_sse_primes(ngx_http_mcp_ctx_t *ctx)
{
    json_t  *v;

    v = json_object_get(ctx->session_data, "version");

    return !ctx->legacy && json_is_string(v)
           && ngx_strcmp(json_string_value(v), "2025-11-25") == 0;
}
