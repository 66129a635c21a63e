/*
 * ngx_http_mcp_jsonrpc.c: the JSON-RPC 2.0 envelope: parsing one message from
 * the body, and writing result and error responses (JSON or SSE).
 */
#include "ngx_http_mcp.h"


/* One message of ctx->message (a batch member: nested arrays are invalid). */
mcp_err_t
ngx_http_mcp_jsonrpc_check(ngx_http_mcp_ctx_t *ctx, const char **message)
{
    mcp_err_t       err;
    mcp_envelope_t  env;

    err = mcp_envelope_check(ctx->message, &env, message);

    ctx->id = env.id;
    ctx->method.data = (u_char *) env.method;
    ctx->method.len = env.method_len;
    ctx->params = env.params;

    return err;
}


mcp_err_t
ngx_http_mcp_jsonrpc_parse(ngx_http_mcp_ctx_t *ctx, u_char *body, size_t len,
    const char **message)
{
    mcp_err_t  err;

    err = mcp_envelope_load((const char *) body, len, &ctx->message, message);
    if (err != MCP_OK) {
        return err;
    }

    /* a batch is checked member by member once its session is known */
    if (json_is_array(ctx->message)) {
        return MCP_OK;
    }

    return ngx_http_mcp_jsonrpc_check(ctx, message);
}


char *
ngx_http_mcp_response(json_t *id, json_t *result, json_t *error)
{
    char    *text;
    json_t  *o;

    o = json_object();
    if (o == NULL) {
        json_decref(result);
        json_decref(error);
        return NULL;
    }

    if (json_object_set_new(o, "jsonrpc", json_string("2.0")) != 0
        || json_object_set_new(o, "id", id ? json_incref(id) : json_null())
           != 0
        || (result != NULL && json_object_set_new(o, "result", result) != 0)
        || (error != NULL && json_object_set_new(o, "error", error) != 0))
    {
        json_decref(o);
        return NULL;
    }

    text = json_dumps(o, JSON_COMPACT);
    json_decref(o);

    return text;
}


json_t *
ngx_http_mcp_error_object(mcp_err_t err, const char *message, json_t *data)
{
    json_t  *e;

    e = json_pack("{s:i, s:s}", "code", mcp_err_jsonrpc_code(err),
                  "message", message);
    if (e == NULL) {
        json_decref(data);
        return NULL;
    }

    if (data != NULL && json_object_set_new(e, "data", data) != 0) {
        json_decref(e);
        return NULL;
    }

    return e;
}


/* Metric labels come from a fixed set: client strings never become labels. */
static const char *
ngx_http_mcp_method_label(ngx_http_mcp_ctx_t *ctx)
{
    static const char  *known[] = { "initialize", "ping", "tools/list",
                                    "tools/call", NULL };
    ngx_uint_t          i;

    if (ctx == NULL || ctx->message == NULL) {
        return "none";
    }

    if (ctx->method.len == 0) {
        return "response";
    }

    for (i = 0; known[i]; i++) {
        if (ctx->method.len == ngx_strlen(known[i])
            && ngx_strncmp(ctx->method.data, known[i], ctx->method.len) == 0)
        {
            return known[i];
        }
    }

    return ctx->id ? "other" : "notification";
}


void
ngx_http_mcp_record(ngx_http_mcp_ctx_t *ctx, ngx_uint_t status)
{
    ngx_http_mcp_metrics_request(ngx_http_mcp_method_label(ctx), status);

    if (ctx != NULL && ctx->tool != NULL && ctx->outcome != NULL) {
        ngx_http_mcp_metrics_tool_call(ctx->tool->name, ctx->outcome,
                                       ngx_current_msec - ctx->start);
    }
}


void
ngx_http_mcp_finish(ngx_http_request_t *r, ngx_int_t status, u_char *body,
    size_t len)
{
    ngx_int_t            rc;
    ngx_buf_t           *b;
    ngx_chain_t          out;
    ngx_http_mcp_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_mcp_module);

    if (ctx != NULL) {
        if (ctx->answered) {
            return;
        }

        ctx->answered = 1;
        ngx_http_mcp_record(ctx, status);

        if (ctx->batch != NULL) {
            ngx_http_mcp_batch_answer(r, ctx, status, body, len);
            return;
        }

        if (ctx->streaming) {
            rc = ngx_http_mcp_sse_event(r, NULL, 0, body, len, 1);
            ngx_http_finalize_request(r, rc);
            return;
        }
    }

    if (ctx == NULL) {
        ngx_http_mcp_record(NULL, status);
    }

    r->headers_out.status = status;
    r->headers_out.content_length_n = len;

    if (len) {
        ngx_str_set(&r->headers_out.content_type, "application/json");
        r->headers_out.content_type_len = r->headers_out.content_type.len;
    }

    if (len == 0 || r->method == NGX_HTTP_HEAD) {
        r->header_only = 1;
    }

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        ngx_http_finalize_request(r, rc);
        return;
    }

    b = ngx_create_temp_buf(r->pool, len);
    if (b == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    b->last = ngx_cpymem(b->last, body, len);
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    ngx_http_finalize_request(r, ngx_http_output_filter(r, &out));
}


static void
ngx_http_mcp_finish_text(ngx_http_request_t *r, ngx_int_t status, char *text)
{
    if (text == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    ngx_http_mcp_finish(r, status, (u_char *) text, ngx_strlen(text));
    free(text);
}


void
ngx_http_mcp_error(ngx_http_request_t *r, json_t *id, mcp_err_t err,
    ngx_int_t status, const char *message, json_t *data)
{
    json_t  *e;

    err = ngx_http_mcp_modern_error(r, err);
    e = ngx_http_mcp_error_object(err, message, data);
    if (e == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    if (status == 0) {
        status = mcp_err_http_status(err);
    }

    ngx_http_mcp_finish_text(r, status, ngx_http_mcp_response(id, NULL, e));
}


void
ngx_http_mcp_result(ngx_http_request_t *r, json_t *id, json_t *result)
{
    if (result == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    result = ngx_http_mcp_modern_result(r, result);
    if (result == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    ngx_http_mcp_finish_text(r, NGX_HTTP_OK,
                             ngx_http_mcp_response(id, result, NULL));
}


/* Wraps an already serialised result (the pre-rendered tools/list). */
void
ngx_http_mcp_result_raw(ngx_http_request_t *r, json_t *id, ngx_str_t *result)
{
    char                *idtext;
    size_t               len;
    u_char              *body, *p;
    ngx_http_mcp_ctx_t  *ctx;

    /* the modern era adds fields to every result */
    ctx = ngx_http_get_module_ctx(r, ngx_mcp_module);
    if (ctx != NULL && ctx->modern) {
        ngx_http_mcp_result(r, id, json_loadb((char *) result->data,
                                              result->len, 0, NULL));
        return;
    }

    idtext = json_dumps(id, JSON_COMPACT | JSON_ENCODE_ANY);
    if (idtext == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    len = sizeof("{\"jsonrpc\":\"2.0\",\"id\":,\"result\":}") - 1
          + ngx_strlen(idtext) + result->len;

    body = ngx_pnalloc(r->pool, len);
    if (body == NULL) {
        free(idtext);
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    p = ngx_cpymem(body, "{\"jsonrpc\":\"2.0\",\"id\":", 22);
    p = ngx_cpymem(p, idtext, ngx_strlen(idtext));
    p = ngx_cpymem(p, ",\"result\":", 10);
    p = ngx_cpymem(p, result->data, result->len);
    *p++ = '}';

    free(idtext);

    ngx_http_mcp_finish(r, NGX_HTTP_OK, body, p - body);
}
