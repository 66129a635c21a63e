/*
 * ngx_http_mcp_listen.c: subscriptions/listen (2026-07-28): an SSE stream
 * that opens with notifications/subscriptions/acknowledged, then carries the
 * notifications/resources/updated of its resourceSubscriptions, tagged with
 * the subscription id, until the client closes it.
 */
#include "ngx_http_mcp_subscribe.h"
#include "../shared/protocol/updated.h"

#define NGX_HTTP_MCP_LISTEN_KEEPALIVE    15000
#define NGX_HTTP_MCP_LISTEN_URIS         64
#define NGX_HTTP_MCP_LISTEN_STREAM_TTL   "45"
/* as resources/subscribe's: stale members are dropped by the publisher */
#define NGX_HTTP_MCP_LISTEN_SET_TTL      "604800"

/*
 * The filter members this server knows. The tool, prompt and resource lists
 * change only with the configuration (a reload ends every stream): only
 * resourceSubscriptions is honoured and echoed in the acknowledgement.
 */
static const char  *ngx_http_mcp_listen_members[] = {
    "toolsListChanged", "promptsListChanged", "resourcesListChanged",
    "resourceSubscriptions", NULL
};


/* a stream without resource subscriptions: keep-alives only */
static void
ngx_http_mcp_listen_keepalive(ngx_event_t *ev)
{
    (void) ngx_http_mcp_stream_ping(ev, NGX_HTTP_MCP_LISTEN_KEEPALIVE);
}


static json_t *
ngx_http_mcp_listen_uris(ngx_http_mcp_ctx_t *ctx)
{
    return json_object_get(json_object_get(ctx->params, "notifications"),
                           "resourceSubscriptions");
}


/* NGX_OK when every URI of params.notifications.resourceSubscriptions is
 * served; else answers -32602 naming the member. */
static ngx_int_t
ngx_http_mcp_listen_check(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    json_t *uris)
{
    u_char   msg[160];
    size_t   i;
    json_t  *uri;

    if (json_array_size(uris) > NGX_HTTP_MCP_LISTEN_URIS) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                           "Invalid params: params.notifications."
                           "resourceSubscriptions holds at most 64 URIs",
                           NULL);
        return NGX_ERROR;
    }

    json_array_foreach(uris, i, uri) {
        if (!json_is_string(uri) || json_string_length(uri) == 0
            || json_string_length(uri) > MCP_SUBSCRIBE_URI_MAX)
        {
            ngx_snprintf(msg, sizeof(msg), "Invalid params: params."
                         "notifications.resourceSubscriptions[%uz] must be "
                         "a URI string of at most 1024 characters%Z", i);
            ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                               (char *) msg, NULL);
            return NGX_ERROR;
        }

        if (!ngx_http_mcp_resources_known(r, uri)) {
            ngx_snprintf(msg, sizeof(msg), "Resource not found: params."
                         "notifications.resourceSubscriptions[%uz]%Z", i);
            ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                               (char *) msg, json_pack("{s:O}", "uri", uri));
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


static void
ngx_http_mcp_listen_open(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    json_t     *uris, *honoured;
    ngx_int_t   rc;

    if (reply != NULL && reply->type != REDIS_REPLY_ARRAY) {
        reply = NULL;
    }

    if (ctx->sid_str.len && reply == NULL) {
        ngx_http_mcp_queue_unavailable(r, ctx);
        return;
    }

    uris = ngx_http_mcp_listen_uris(ctx);
    honoured = json_array_size(uris)
               ? json_pack("{s:O}", "resourceSubscriptions", uris)
               : json_object();

    rc = ngx_http_mcp_sse_start(r);
    if (rc == NGX_OK) {
        rc = ngx_http_mcp_sse_notification(r, NULL, 0,
                 "notifications/subscriptions/acknowledged",
                 json_pack("{s:o, s:{s:O}}", "notifications", honoured,
                           "_meta", MCP_META_SUBSCRIPTION_ID, ctx->id));
    } else {
        json_decref(honoured);
    }

    if (rc == NGX_ERROR) {
        ctx->answered = 1;
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    if (ctx->sid_str.len) {
        ngx_http_mcp_stream_attach(ctx);
        return;
    }

    /* nothing to deliver: only keep-alives until the client closes */
    r->read_event_handler = ngx_http_test_reading;
    ctx->keepalive.handler = ngx_http_mcp_listen_keepalive;
    ctx->keepalive.data = ctx;
    ctx->keepalive.log = r->connection->log;
    ctx->keepalive.cancelable = 1;
    ngx_add_timer(&ctx->keepalive, NGX_HTTP_MCP_LISTEN_KEEPALIVE);
}


/* op (SADD, SREM) of the stream's id in uri's subscriber set */
static void
ngx_http_mcp_listen_member(ngx_http_mcp_ctx_t *ctx, const char *op,
    json_t *uri)
{
    char         set[MCP_KEY_MAX];
    const char  *argv[3];
    size_t       argvlen[3];

    argv[0] = op;
    argvlen[0] = 4;
    argv[1] = set;
    argvlen[1] = mcp_subscribers_key(set, sizeof(set), json_string_value(uri),
                                     json_string_length(uri));
    argv[2] = (char *) ctx->sid;
    argvlen[2] = NGX_HTTP_MCP_SESSION_ID_LEN;
    (void) ngx_http_mcp_redis_fire(3, argv, argvlen);
}


/*
 * MULTI; the stream's channel in mcp:stream:{lid} and its URIs in
 * mcp:subs:{lid}, as a session's GET stream and subscriptions; lid in each
 * URI's subscriber set; EXEC, which opens the stream.
 */
static void
ngx_http_mcp_listen_register(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    json_t *uris)
{
    char                      set[MCP_KEY_MAX];
    u_char                    stream[MCP_KEY_MAX], subs[MCP_KEY_MAX];
    size_t                    i, stream_len, subs_len;
    json_t                   *uri;
    const char               *argv[6];
    size_t                    argvlen[6];

    if (!ngx_http_mcp_redis_ready()) {
        ngx_http_mcp_queue_unavailable(r, ctx);
        return;
    }

    if (mcp_job_new_id((char *) ctx->sid) != 0) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INTERNAL, NGX_HTTP_OK,
                           "Internal error: no random subscription key",
                           NULL);
        return;
    }

    ctx->sid_str.data = ctx->sid;
    ctx->sid_str.len = NGX_HTTP_MCP_SESSION_ID_LEN;

    stream_len = ngx_snprintf(stream, sizeof(stream), MCP_KEY_STREAM_FMT,
                              ctx->sid) - stream;
    subs_len = ngx_snprintf(subs, sizeof(subs), MCP_KEY_SUBS_FMT, ctx->sid)
               - subs;

    argv[0] = "MULTI";
    argvlen[0] = 5;
    if (ngx_http_mcp_redis_fire(1, argv, argvlen) != NGX_OK) {
        ngx_http_mcp_queue_unavailable(r, ctx);
        return;
    }

    /* from here on the stream's close removes what was registered */
    ctx->stream_owner = 1;

    argv[0] = "SET";
    argvlen[0] = 3;
    argv[1] = (char *) stream;
    argvlen[1] = stream_len;
    argv[2] = (char *) ngx_http_mcp_jobs_channel()->data;
    argvlen[2] = ngx_http_mcp_jobs_channel()->len;
    argv[3] = "EX";
    argvlen[3] = 2;
    argv[4] = NGX_HTTP_MCP_LISTEN_STREAM_TTL;
    argvlen[4] = sizeof(NGX_HTTP_MCP_LISTEN_STREAM_TTL) - 1;
    (void) ngx_http_mcp_redis_fire(5, argv, argvlen);

    json_array_foreach(uris, i, uri) {
        argv[0] = "SADD";
        argvlen[0] = 4;
        argv[1] = (char *) subs;
        argvlen[1] = subs_len;
        argv[2] = json_string_value(uri);
        argvlen[2] = json_string_length(uri);
        (void) ngx_http_mcp_redis_fire(3, argv, argvlen);

        ngx_http_mcp_listen_member(ctx, "SADD", uri);

        argv[0] = "EXPIRE";
        argvlen[0] = 6;
        argv[1] = set;
        argvlen[1] = mcp_subscribers_key(set, sizeof(set),
                                         json_string_value(uri),
                                         json_string_length(uri));
        argv[2] = NGX_HTTP_MCP_LISTEN_SET_TTL;
        argvlen[2] = sizeof(NGX_HTTP_MCP_LISTEN_SET_TTL) - 1;
        (void) ngx_http_mcp_redis_fire(3, argv, argvlen);
    }

    ngx_http_mcp_subscribe_refresh(r, &ctx->sid_str);

    /* a command lost above makes EXEC fail: the client gets an error */
    argv[0] = "EXEC";
    argvlen[0] = 4;

    if (ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_listen_open, 1,
                                   argv, argvlen)
        != NGX_OK)
    {
        ngx_http_mcp_queue_unavailable(r, ctx);
    }
}


void
ngx_http_mcp_subscriptions_listen(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx)
{
    json_t      *filter, *v;
    ngx_uint_t   i;

    filter = json_object_get(ctx->params, "notifications");

    if (!json_is_object(filter)) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                           "Invalid params: params.notifications must be "
                           "an object", NULL);
        return;
    }

    for (i = 0; ngx_http_mcp_listen_members[i]; i++) {
        v = json_object_get(filter, ngx_http_mcp_listen_members[i]);

        if (v != NULL && (i < 3 ? !json_is_boolean(v) : !json_is_array(v))) {
            ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                               i < 3 ? "Invalid params: the list-changed "
                                       "members of params.notifications "
                                       "must be booleans"
                                     : "Invalid params: params.notifications"
                                       ".resourceSubscriptions must be an "
                                       "array",
                               NULL);
            return;
        }
    }

    v = ngx_http_mcp_listen_uris(ctx);

    if (ngx_http_mcp_listen_check(r, ctx, v) != NGX_OK) {
        return;
    }

    if (json_array_size(v) == 0) {
        ngx_http_mcp_listen_open(r, ctx, NULL);
        return;
    }

    ngx_http_mcp_listen_register(r, ctx, v);
}


/* A "notifications/..." of the stream's URIs, tagged with its id. */
ngx_int_t
ngx_http_mcp_listen_deliver(ngx_http_mcp_ctx_t *ctx, u_char *msg, size_t len)
{
    json_t     *note, *method, *params, *meta;
    ngx_int_t   rc;

    note = json_loadb((char *) msg, len, 0, NULL);
    method = json_object_get(note, "method");
    params = json_object_get(note, "params");

    if (!json_is_string(method) || !json_is_object(params)) {
        json_decref(note);
        return NGX_OK;
    }

    meta = json_object_get(params, "_meta");
    if (!json_is_object(meta)) {
        meta = json_object();
        json_object_set_new(params, "_meta", meta);
    }

    json_object_set(meta, MCP_META_SUBSCRIPTION_ID, ctx->id);

    rc = ngx_http_mcp_sse_notification(ctx->request, NULL, 0,
                                       json_string_value(method),
                                       json_incref(params));
    json_decref(note);

    return rc;
}


/* The stream closed: out of its URIs' subscriber sets, its own set gone. */
void
ngx_http_mcp_listen_close(ngx_http_mcp_ctx_t *ctx)
{
    u_char       subs[MCP_KEY_MAX];
    size_t       i;
    json_t      *uri;
    const char  *argv[2];
    size_t       argvlen[2];

    json_array_foreach(ngx_http_mcp_listen_uris(ctx), i, uri) {
        ngx_http_mcp_listen_member(ctx, "SREM", uri);
    }

    argv[0] = "DEL";
    argvlen[0] = 3;
    argv[1] = (char *) subs;
    argvlen[1] = ngx_snprintf(subs, sizeof(subs), MCP_KEY_SUBS_FMT, ctx->sid)
                 - subs;
    (void) ngx_http_mcp_redis_fire(2, argv, argvlen);
}
