/*
 * ngx_http_mcp_events.c: the worker's table of requests waiting for a job;
 * reads each job's event stream when woken and answers with its result.
 */
#include "ngx_http_mcp.h"

#define NGX_HTTP_MCP_EVENTS_BATCH    "100"
#define NGX_HTTP_MCP_EVENTS_BATCH_N  100

static void ngx_http_mcp_jobs_deadline(ngx_event_t *ev);

static ngx_rbtree_t        ngx_http_mcp_pending;
static ngx_rbtree_node_t   ngx_http_mcp_pending_sentinel;
static ngx_str_t           ngx_http_mcp_channel;


void
ngx_http_mcp_jobs_init_process(ngx_cycle_t *cycle,
    ngx_http_mcp_main_conf_t *mcf)
{
    u_char  *node, *p;
    size_t   len;

    ngx_rbtree_init(&ngx_http_mcp_pending, &ngx_http_mcp_pending_sentinel,
                    ngx_str_rbtree_insert_value);

    node = ngx_pnalloc(cycle->pool, mcf->node_name.len + 1);
    len = sizeof(MCP_CHANNEL_NOTIFY_FMT) + mcf->node_name.len + NGX_INT_T_LEN;
    p = ngx_pnalloc(cycle->pool, len);

    if (node == NULL || p == NULL) {
        ngx_str_set(&ngx_http_mcp_channel, "mcp:notify:unnamed");
        return;
    }

    ngx_memcpy(node, mcf->node_name.data, mcf->node_name.len);
    node[mcf->node_name.len] = '\0';

    ngx_http_mcp_channel.data = p;
    ngx_http_mcp_channel.len = ngx_snprintf(p, len - 1, MCP_CHANNEL_NOTIFY_FMT,
                                            node, (int) ngx_pid)
                               - p;
    p[ngx_http_mcp_channel.len] = '\0';
}


ngx_str_t *
ngx_http_mcp_jobs_channel(void)
{
    return &ngx_http_mcp_channel;
}


void
ngx_http_mcp_jobs_wait(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    ctx->pending.str.data = (u_char *) ctx->job_id;
    ctx->pending.str.len = MCP_JOB_ID_LEN;
    ctx->pending.node.key = ngx_crc32_short(ctx->pending.str.data,
                                            ctx->pending.str.len);

    ngx_rbtree_insert(&ngx_http_mcp_pending, &ctx->pending.node);
    ctx->is_pending = 1;
    ctx->start = ngx_current_msec;

    ctx->deadline.handler = ngx_http_mcp_jobs_deadline;
    ctx->deadline.data = ctx;
    ctx->deadline.log = r->connection->log;
    ngx_add_timer(&ctx->deadline, ctx->job_timeout);

    /* notice a client that goes away while the job runs (a 2024-11-05
     * POST got its 202: the answer goes on the session's stream) */
    if (!ctx->legacy) {
        r->read_event_handler = ngx_http_test_reading;
    }
}


void
ngx_http_mcp_jobs_forget(ngx_http_mcp_ctx_t *ctx)
{
    if (ctx->is_pending) {
        ngx_rbtree_delete(&ngx_http_mcp_pending, &ctx->pending.node);
        ctx->is_pending = 0;
    }

    if (ctx->deadline.timer_set) {
        ngx_del_timer(&ctx->deadline);
    }
}


static void
ngx_http_mcp_jobs_key(u_char *buf, size_t size, const char *fmt, char *id,
    size_t *len)
{
    *len = ngx_snprintf(buf, size, fmt, id) - buf;
}


/* The job's deadline passed: answer now and ask the agent to stop. */
static void
ngx_http_mcp_jobs_deadline(ngx_event_t *ev)
{
    u_char               message[1280];
    ngx_connection_t    *c;
    ngx_http_request_t  *r;
    ngx_http_mcp_ctx_t  *ctx = ev->data;

    r = ctx->request;
    c = r->connection;

    ngx_http_mcp_jobs_forget(ctx);
    ctx->outcome = "timeout";

    ngx_http_mcp_cancel_job(ctx->job_id, MCP_CANCEL_BY_DEADLINE);

    *ngx_snprintf(message, sizeof(message) - 1,
                  "Timeout: %s %s did not finish within %M ms",
                  ctx->job_kind, ctx->job_name, ctx->job_timeout) = '\0';

    ngx_http_mcp_error(r, ctx->id, MCP_ERR_TIMEOUT, NGX_HTTP_OK,
                       (char *) message,
                       json_pack("{s:s, s:s}", "reason",
                                 mcp_err_name(MCP_ERR_TIMEOUT), "job",
                                 ctx->job_id));

    ngx_http_run_posted_requests(c);
}


/* Sends a complete JSON-RPC message as the answer; SSE gets an event id. */
static void
ngx_http_mcp_jobs_answer(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    char *text, u_char *event_id, size_t event_id_len)
{
    ngx_int_t  rc;

    ngx_http_mcp_jobs_forget(ctx);

    if (text == NULL) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INTERNAL, NGX_HTTP_OK,
                           "Internal error: unreadable job result", NULL);
        return;
    }

    if (ctx->streaming) {
        ctx->answered = 1;
        ngx_http_mcp_record(ctx, NGX_HTTP_OK);
        rc = ngx_http_mcp_sse_event(r, event_id, event_id_len, (u_char *) text,
                                    ngx_strlen(text), 1);
        free(text);
        ngx_http_finalize_request(r, rc);
        return;
    }

    ngx_http_mcp_finish(r, NGX_HTTP_OK, (u_char *) text, ngx_strlen(text));
    free(text);
}


static char *
ngx_http_mcp_jobs_error(ngx_http_mcp_ctx_t *ctx, json_t *data)
{
    json_t  *code, *message, *e;

    code = json_object_get(data, "code");
    message = json_object_get(data, "message");

    if (!json_is_integer(code) || !json_is_string(message)) {
        return NULL;
    }

    e = json_pack("{s:I, s:O}", "code",
                  ngx_http_mcp_modern_code(ctx->request,
                                           json_integer_value(code)),
                  "message", message);
    if (e == NULL) {
        return NULL;
    }

    if (json_object_get(data, "data") != NULL
        && json_object_set(e, "data", json_object_get(data, "data")) != 0)
    {
        json_decref(e);
        return NULL;
    }

    return ngx_http_mcp_response(ctx->id, NULL, e);
}


static ngx_int_t
ngx_http_mcp_jobs_progress(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    json_t *data, u_char *event_id, size_t event_id_len)
{
    json_t  *params, *v;

    if (!ctx->streaming || ctx->progress_token == NULL
        || !json_is_number(json_object_get(data, "progress")))
    {
        return NGX_OK;
    }

    params = json_pack("{s:O, s:O}", "progressToken", ctx->progress_token,
                       "progress", json_object_get(data, "progress"));
    if (params == NULL) {
        return NGX_ERROR;
    }

    v = json_object_get(data, "total");
    if (json_is_number(v)) {
        json_object_set(params, "total", v);
    }

    v = json_object_get(data, "message");
    if (json_is_string(v)) {
        json_object_set(params, "message", v);
    }

    return ngx_http_mcp_sse_notification(r, event_id, event_id_len,
                                         "notifications/progress", params);
}


#define ngx_http_mcp_reply_is(rep, lit)                                      \
    ((rep)->type == REDIS_REPLY_STRING && (rep)->len == sizeof(lit) - 1      \
     && ngx_strncmp((rep)->str, lit, sizeof(lit) - 1) == 0)


/*
 * One stream entry: [id, [field, value, ...]]. Returns NGX_DONE once the
 * request is answered, NGX_ERROR when the client stream broke.
 */
static ngx_int_t
ngx_http_mcp_jobs_entry(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *entry)
{
    u_char       event_id[MCP_JOB_ID_LEN + 1 + NGX_HTTP_MCP_EVENT_ID_LEN];
    size_t       i, event_id_len;
    json_t      *data;
    ngx_int_t    rc;
    redisReply  *id, *fields, *type, *value;

    if (entry->type != REDIS_REPLY_ARRAY || entry->elements != 2
        || entry->element[0]->type != REDIS_REPLY_STRING
        || entry->element[1]->type != REDIS_REPLY_ARRAY
        || entry->element[0]->len >= NGX_HTTP_MCP_EVENT_ID_LEN)
    {
        return NGX_OK;
    }

    id = entry->element[0];
    fields = entry->element[1];

    ngx_memcpy(ctx->last_event, id->str, id->len);
    ctx->last_event_len = id->len;

    event_id_len = ngx_sprintf(event_id, "%s/%*s", ctx->job_id,
                               id->len, id->str)
                   - event_id;

    type = NULL;
    value = NULL;

    for (i = 0; i + 1 < fields->elements; i += 2) {
        if (ngx_http_mcp_reply_is(fields->element[i], MCP_EVENT_FIELD_TYPE)) {
            type = fields->element[i + 1];

        } else if (ngx_http_mcp_reply_is(fields->element[i],
                                         MCP_EVENT_FIELD_DATA))
        {
            value = fields->element[i + 1];
        }
    }

    if (type == NULL || value == NULL || value->type != REDIS_REPLY_STRING) {
        return NGX_OK;
    }

    data = json_loadb(value->str, value->len, 0, NULL);

    if (ngx_http_mcp_reply_is(type, MCP_EVENT_PROGRESS)) {
        rc = (data != NULL)
             ? ngx_http_mcp_jobs_progress(r, ctx, data, event_id,
                                          event_id_len)
             : NGX_OK;
        json_decref(data);
        return rc;
    }

    if (ngx_http_mcp_reply_is(type, MCP_EVENT_LOG)) {
        rc = (data != NULL)
             ? ngx_http_mcp_log_notify(r, ctx, data, event_id, event_id_len)
             : NGX_OK;
        json_decref(data);
        return rc;
    }

    if (ngx_http_mcp_reply_is(type, MCP_EVENT_RESULT)) {
        ctx->outcome = json_is_true(json_object_get(data, "isError"))
                       ? "tool_error" : "ok";
        ngx_http_mcp_jobs_answer(r, ctx,
                                 json_is_object(data)
                                 ? ngx_http_mcp_response(ctx->id,
                                       ngx_http_mcp_modern_result(r,
                                           json_incref(data)),
                                       NULL)
                                 : NULL,
                                 event_id, event_id_len);
        json_decref(data);
        return NGX_DONE;
    }

    if (ngx_http_mcp_reply_is(type, MCP_EVENT_ERROR)) {
        ctx->outcome = "error";
        ngx_http_mcp_jobs_answer(r, ctx, ngx_http_mcp_jobs_error(ctx, data),
                                 event_id, event_id_len);
        json_decref(data);
        return NGX_DONE;
    }

    json_decref(data);

    return NGX_OK;
}


static void
ngx_http_mcp_jobs_events(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    size_t     i;
    ngx_int_t  rc;

    ctx->reading = 0;

    if (ctx->answered || !ctx->is_pending) {
        return;
    }

    /* Redis went away: the re-read after the reconnect catches up */
    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY) {
        return;
    }

    for (i = 0; i < reply->elements; i++) {
        rc = ngx_http_mcp_jobs_entry(r, ctx, reply->element[i]);

        if (rc == NGX_DONE) {
            return;
        }

        if (rc == NGX_ERROR) {
            ctx->answered = 1;
            ngx_http_mcp_jobs_forget(ctx);
            ngx_http_finalize_request(r, NGX_ERROR);
            return;
        }
    }

    if (ctx->reread || reply->elements >= NGX_HTTP_MCP_EVENTS_BATCH_N) {
        ngx_http_mcp_jobs_read(ctx);
    }
}


void
ngx_http_mcp_jobs_read(ngx_http_mcp_ctx_t *ctx)
{
    u_char       key[MCP_KEY_MAX], start[NGX_HTTP_MCP_EVENT_ID_LEN + 1];
    const char  *argv[6];
    size_t       argvlen[6];

    if (ctx->answered || !ctx->is_pending) {
        return;
    }

    if (ctx->reading || !ctx->queued) {
        ctx->reread = 1;
        return;
    }

    ctx->reread = 0;

    argv[0] = "XRANGE";
    argvlen[0] = 6;
    argv[1] = (char *) key;
    ngx_http_mcp_jobs_key(key, sizeof(key), MCP_KEY_JOB_EVENTS_FMT,
                          ctx->job_id, &argvlen[1]);

    /* "(" makes the start exclusive: only entries after the last one seen */
    if (ctx->last_event_len) {
        start[0] = '(';
        ngx_memcpy(start + 1, ctx->last_event, ctx->last_event_len);
        argv[2] = (char *) start;
        argvlen[2] = ctx->last_event_len + 1;

    } else {
        argv[2] = "-";
        argvlen[2] = 1;
    }

    argv[3] = "+";
    argvlen[3] = 1;
    argv[4] = "COUNT";
    argvlen[4] = 5;
    argv[5] = NGX_HTTP_MCP_EVENTS_BATCH;
    argvlen[5] = sizeof(NGX_HTTP_MCP_EVENTS_BATCH) - 1;

    if (ngx_http_mcp_redis_command(ctx->request, ctx,
                                   ngx_http_mcp_jobs_events, 6, argv, argvlen)
        == NGX_OK)
    {
        ctx->reading = 1;
    }
}


void
ngx_http_mcp_jobs_notified(u_char *job_id, size_t len)
{
    uint32_t             hash;
    ngx_str_t            id;
    ngx_str_node_t      *node;
    ngx_http_mcp_ctx_t  *ctx;

    id.data = job_id;
    id.len = len;
    hash = ngx_crc32_short(job_id, len);

    node = ngx_str_rbtree_lookup(&ngx_http_mcp_pending, &id, hash);
    if (node == NULL) {
        return;
    }

    ctx = (ngx_http_mcp_ctx_t *) ((u_char *) node
                                  - offsetof(ngx_http_mcp_ctx_t, pending));

    ngx_http_mcp_jobs_read(ctx);
}


void
ngx_http_mcp_jobs_resync(void)
{
    ngx_rbtree_node_t   *node;
    ngx_http_mcp_ctx_t  *ctx;

    if (ngx_http_mcp_pending.root == ngx_http_mcp_pending.sentinel) {
        return;
    }

    for (node = ngx_rbtree_min(ngx_http_mcp_pending.root,
                               ngx_http_mcp_pending.sentinel);
         node != NULL;
         node = ngx_rbtree_next(&ngx_http_mcp_pending, node))
    {
        ctx = (ngx_http_mcp_ctx_t *) ((u_char *) node
                                      - offsetof(ngx_http_mcp_ctx_t, pending));
        ngx_http_mcp_jobs_read(ctx);
    }
}
