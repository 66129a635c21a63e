/*
 * ngx_http_mcp_ask.c: server-to-client requests on a POST's SSE stream; the
 * client POSTs its response to any worker, Redis routes it back here.
 */
#include "ngx_http_mcp_ask.h"

#define NGX_HTTP_MCP_ASK_TIMEOUT   60000
#define NGX_HTTP_MCP_ASK_TTL       "120"

/* One request waiting for the client; its id is also in ctx->job_id. */
typedef struct {
    ngx_str_node_t          node;       /* in the worker's tree, by id */
    u_char                  id[MCP_JOB_ID_LEN + 1];
    ngx_http_request_t     *request;
    ngx_event_t             timeout;
    char                   *message;    /* the request, until it is sent */
    ngx_http_mcp_ask_pt     handler;
    void                   *data;
    unsigned                listed:1;
} ngx_http_mcp_ask_t;

static ngx_rbtree_t        ngx_http_mcp_asks;
static ngx_rbtree_node_t   ngx_http_mcp_asks_sentinel;


ngx_int_t
ngx_http_mcp_ask_capable(ngx_http_mcp_ctx_t *ctx, const char *capability)
{
    json_t  *caps;

    caps = json_object_get(ctx->session_data, "capabilities");

    return json_is_object(json_object_get(caps, capability));
}


static ngx_http_mcp_ask_t *
ngx_http_mcp_ask_find(u_char *id, size_t len)
{
    ngx_str_t        key;
    ngx_str_node_t  *node;

    if (ngx_http_mcp_asks.root == NULL) {
        return NULL;
    }

    key.data = id;
    key.len = len;

    node = ngx_str_rbtree_lookup(&ngx_http_mcp_asks, &key,
                                 ngx_crc32_short(id, len));

    return (ngx_http_mcp_ask_t *) node;
}


/* Leaves the tree and the timer; the Redis record goes too. */
static void
ngx_http_mcp_ask_forget(ngx_http_mcp_ask_t *a)
{
    u_char       key[MCP_KEY_MAX];
    const char  *argv[2];
    size_t       argvlen[2];

    if (a->timeout.timer_set) {
        ngx_del_timer(&a->timeout);
    }

    free(a->message);
    a->message = NULL;

    if (!a->listed) {
        return;
    }

    ngx_rbtree_delete(&ngx_http_mcp_asks, &a->node.node);
    a->listed = 0;

    argv[0] = "DEL";
    argvlen[0] = 3;
    argv[1] = (char *) key;
    argvlen[1] = ngx_snprintf(key, sizeof(key), MCP_KEY_ASK_FMT, a->id) - key;

    (void) ngx_http_mcp_redis_fire(2, argv, argvlen);
}


static void
ngx_http_mcp_ask_cleanup(void *data)
{
    ngx_http_mcp_ask_forget(data);
}


static void
ngx_http_mcp_ask_answered(ngx_http_mcp_ask_t *a, json_t *response)
{
    ngx_connection_t    *c;
    ngx_http_request_t  *r;

    r = a->request;
    c = r->connection;

    ngx_http_mcp_ask_forget(a);
    a->handler(r, ngx_http_get_module_ctx(r, ngx_mcp_module), response,
               a->data);

    ngx_http_run_posted_requests(c);
}


static void
ngx_http_mcp_ask_expired(ngx_event_t *ev)
{
    ngx_http_mcp_ask_answered(ev->data, NULL);
}


/* The record is in Redis: the client may answer now, so ask. */
static void
ngx_http_mcp_ask_stored(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    ngx_http_mcp_ask_t  *a;

    a = ngx_http_mcp_ask_find((u_char *) ctx->job_id, MCP_JOB_ID_LEN);
    if (a == NULL || a->message == NULL) {
        return;
    }

    if (reply == NULL || reply->type != REDIS_REPLY_STATUS) {
        ngx_http_mcp_ask_forget(a);
        ngx_http_mcp_queue_unavailable(r, ctx);
        return;
    }

    if ((!ctx->streaming && ngx_http_mcp_sse_start(r) != NGX_OK)
        || ngx_http_mcp_sse_event(r, NULL, 0, (u_char *) a->message,
                                  ngx_strlen(a->message), 0)
           == NGX_ERROR)
    {
        ngx_http_mcp_ask_forget(a);
        ctx->answered = 1;
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    free(a->message);
    a->message = NULL;
}


void
ngx_http_mcp_ask(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    const char *method, json_t *params, ngx_http_mcp_ask_pt handler,
    void *data)
{
    char                *record;
    u_char               key[MCP_KEY_MAX];
    json_t              *msg;
    ngx_int_t            rc;
    const char          *argv[5];
    size_t               argvlen[5];
    ngx_pool_cleanup_t  *cln;
    ngx_http_mcp_ask_t  *a;

    if (ngx_http_mcp_asks.root == NULL) {
        ngx_rbtree_init(&ngx_http_mcp_asks, &ngx_http_mcp_asks_sentinel,
                        ngx_str_rbtree_insert_value);
    }

    cln = ngx_pool_cleanup_add(r->pool, sizeof(ngx_http_mcp_ask_t));
    if (cln == NULL || mcp_job_new_id(ctx->job_id) != 0) {
        json_decref(params);
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    a = cln->data;
    ngx_memzero(a, sizeof(ngx_http_mcp_ask_t));
    cln->handler = ngx_http_mcp_ask_cleanup;

    ngx_memcpy(a->id, ctx->job_id, MCP_JOB_ID_LEN + 1);
    a->request = r;
    a->handler = handler;
    a->data = data;

    msg = json_pack("{s:s, s:s, s:s, s:o}", "jsonrpc", "2.0", "id",
                    (char *) a->id, "method", method, "params", params);
    a->message = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
    json_decref(msg);

    msg = json_pack("{s:s%, s:s%}", "session", (char *) ctx->session.data,
                    ctx->session.len, "channel",
                    (char *) ngx_http_mcp_jobs_channel()->data,
                    ngx_http_mcp_jobs_channel()->len);
    record = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
    json_decref(msg);

    if (a->message == NULL || record == NULL) {
        free(record);
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    a->node.str.data = a->id;
    a->node.str.len = MCP_JOB_ID_LEN;
    a->node.node.key = ngx_crc32_short(a->id, MCP_JOB_ID_LEN);
    ngx_rbtree_insert(&ngx_http_mcp_asks, &a->node.node);
    a->listed = 1;

    a->timeout.handler = ngx_http_mcp_ask_expired;
    a->timeout.data = a;
    a->timeout.log = r->connection->log;
    ngx_add_timer(&a->timeout, NGX_HTTP_MCP_ASK_TIMEOUT);

    /* notice a client that goes away while it is being asked */
    r->read_event_handler = ngx_http_test_reading;

    argv[0] = "SET";
    argvlen[0] = 3;
    argv[1] = (char *) key;
    argvlen[1] = ngx_snprintf(key, sizeof(key), MCP_KEY_ASK_FMT, a->id) - key;
    argv[2] = record;
    argvlen[2] = ngx_strlen(record);
    argv[3] = "EX";
    argvlen[3] = 2;
    argv[4] = NGX_HTTP_MCP_ASK_TTL;
    argvlen[4] = sizeof(NGX_HTTP_MCP_ASK_TTL) - 1;

    rc = ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_ask_stored, 5, argv,
                                    argvlen);
    free(record);

    if (rc != NGX_OK) {
        ngx_http_mcp_ask_forget(a);
        ngx_http_mcp_queue_unavailable(r, ctx);
    }
}


ngx_int_t
ngx_http_mcp_ask_notified(u_char *msg, size_t len)
{
    size_t               prefix;
    json_t              *response;
    ngx_http_mcp_ask_t  *a;

    prefix = sizeof(MCP_NOTIFY_ASK_PREFIX) - 1;

    if (len < prefix + MCP_JOB_ID_LEN + 2
        || ngx_strncmp(msg, MCP_NOTIFY_ASK_PREFIX, prefix) != 0
        || msg[prefix + MCP_JOB_ID_LEN] != ':')
    {
        return NGX_DECLINED;
    }

    a = ngx_http_mcp_ask_find(msg + prefix, MCP_JOB_ID_LEN);
    if (a == NULL || a->message != NULL) {
        return NGX_OK;
    }

    response = json_loadb((char *) msg + prefix + MCP_JOB_ID_LEN + 1,
                          len - prefix - MCP_JOB_ID_LEN - 1, 0, NULL);
    if (!json_is_object(response)) {
        json_decref(response);
        return NGX_OK;
    }

    ngx_http_mcp_ask_answered(a, response);
    json_decref(response);

    return NGX_OK;
}


static void
ngx_http_mcp_ask_routed(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    ngx_http_mcp_finish(r, NGX_HTTP_ACCEPTED, NULL, 0);
}


/* The record of the answered request: publish the answer to its worker. */
static void
ngx_http_mcp_ask_found(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    char        *text, *payload;
    json_t      *record, *session, *channel;
    size_t       len;
    const char  *argv[3];
    size_t       argvlen[3];

    record = (reply != NULL && reply->type == REDIS_REPLY_STRING)
             ? json_loadb(reply->str, reply->len, 0, NULL) : NULL;
    session = json_object_get(record, "session");
    channel = json_object_get(record, "channel");

    /* only the session that was asked may answer */
    if (!json_is_string(channel) || !json_is_string(session)
        || json_string_length(session) != ctx->session.len
        || ngx_strncmp(json_string_value(session), ctx->session.data,
                       ctx->session.len)
           != 0)
    {
        json_decref(record);
        ngx_http_mcp_finish(r, NGX_HTTP_ACCEPTED, NULL, 0);
        return;
    }

    text = json_dumps(ctx->message, JSON_COMPACT);
    len = text ? sizeof(MCP_NOTIFY_ASK_PREFIX) + MCP_JOB_ID_LEN + 1
                 + ngx_strlen(text)
               : 0;
    payload = text ? ngx_pnalloc(r->pool, len) : NULL;

    if (payload == NULL) {
        free(text);
        json_decref(record);
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    len = ngx_sprintf((u_char *) payload, MCP_NOTIFY_ASK_PREFIX "%s:%s",
                      json_string_value(json_object_get(ctx->message, "id")),
                      text)
          - (u_char *) payload;
    free(text);

    argv[0] = "PUBLISH";
    argvlen[0] = 7;
    argv[1] = json_string_value(channel);
    argvlen[1] = json_string_length(channel);
    argv[2] = payload;
    argvlen[2] = len;

    if (ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_ask_routed, 3, argv,
                                   argvlen)
        != NGX_OK)
    {
        ngx_http_mcp_queue_unavailable(r, ctx);
    }

    json_decref(record);
}


void
ngx_http_mcp_ask_reply(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    size_t       i;
    u_char       key[MCP_KEY_MAX];
    const char  *id, *argv[2];
    size_t       argvlen[2];

    id = json_string_value(ctx->id);

    /* the server's request ids are 32 lower-case hex digits */
    for (i = 0; id != NULL && i < MCP_JOB_ID_LEN; i++) {
        if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
        {
            break;
        }
    }

    if (id == NULL || i != MCP_JOB_ID_LEN || id[i] != '\0') {
        ngx_http_mcp_finish(r, NGX_HTTP_ACCEPTED, NULL, 0);
        return;
    }

    argv[0] = "GET";
    argvlen[0] = 3;
    argv[1] = (char *) key;
    argvlen[1] = ngx_snprintf(key, sizeof(key), MCP_KEY_ASK_FMT, id) - key;

    if (ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_ask_found, 2, argv,
                                   argvlen)
        != NGX_OK)
    {
        ngx_http_mcp_queue_unavailable(r, ctx);
    }
}
