/*
 * ngx_http_mcp_stream.c: GET: a session's (or a listen's) SSE stream and its
 * notifications, or (Last-Event-ID <job>/<entry>) a tool call's stream resumed.
 */
#include "ngx_http_mcp_subscribe.h"

#define NGX_HTTP_MCP_KEEPALIVE      15000
#define NGX_HTTP_MCP_STREAM_TTL     "45"
#define NGX_HTTP_MCP_RESUME_POLL    250

/* the standalone streams this worker holds, by session id */
static ngx_rbtree_t        ngx_http_mcp_streams;
static ngx_rbtree_node_t   ngx_http_mcp_streams_sentinel;


void
ngx_http_mcp_stream_init_process(void)
{
    ngx_rbtree_init(&ngx_http_mcp_streams, &ngx_http_mcp_streams_sentinel,
                    ngx_str_rbtree_insert_value);
}


/*
 * A worker-channel message "session:<sid>:<message>": the message goes out
 * on that session's stream if this worker holds it. NGX_DECLINED: not a
 * session message.
 */
ngx_int_t
ngx_http_mcp_stream_notified(u_char *msg, size_t len)
{
    size_t               prefix;
    ngx_str_t            sid;
    ngx_str_node_t      *node;
    ngx_connection_t    *c;
    ngx_http_mcp_ctx_t  *ctx;

    prefix = sizeof(MCP_NOTIFY_SESSION_PREFIX) - 1;

    if (len < prefix + NGX_HTTP_MCP_SESSION_ID_LEN + 2
        || ngx_strncmp(msg, MCP_NOTIFY_SESSION_PREFIX, prefix) != 0
        || msg[prefix + NGX_HTTP_MCP_SESSION_ID_LEN] != ':')
    {
        return NGX_DECLINED;
    }

    sid.data = msg + prefix;
    sid.len = NGX_HTTP_MCP_SESSION_ID_LEN;

    node = ngx_str_rbtree_lookup(&ngx_http_mcp_streams, &sid,
                                 ngx_crc32_short(sid.data, sid.len));
    if (node == NULL) {
        return NGX_OK;
    }

    ctx = (ngx_http_mcp_ctx_t *) ((u_char *) node
                                  - offsetof(ngx_http_mcp_ctx_t,
                                             stream_node));
    c = ctx->request->connection;
    msg += prefix + sid.len + 1;
    len -= prefix + sid.len + 1;

    /* a subscriptions/listen stream tags what it delivers */
    if ((ctx->modern ? ngx_http_mcp_listen_deliver(ctx, msg, len)
                     : ngx_http_mcp_sse_event(ctx->request, NULL, 0, msg,
                                              len, 0))
        == NGX_ERROR)
    {
        ngx_http_finalize_request(ctx->request, NGX_ERROR);
        ngx_http_run_posted_requests(c);
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_mcp_stream_write(ngx_http_request_t *r, u_char *text, size_t len)
{
    ngx_buf_t    *b;
    ngx_chain_t   out;

    b = ngx_create_temp_buf(r->pool, len);
    if (b == NULL) {
        return NGX_ERROR;
    }

    b->last = ngx_cpymem(b->last, text, len);
    b->flush = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


static size_t
ngx_http_mcp_stream_key(u_char *buf, size_t size, ngx_str_t *sid)
{
    return ngx_snprintf(buf, size, MCP_KEY_STREAM_FMT "%Z", sid->data) - buf
           - 1;
}


/* The standalone stream's key: refreshed with each keep-alive, so a dead
 * worker's claim lapses by itself; the session's subscriptions with it. */
static void
ngx_http_mcp_stream_refresh(ngx_http_mcp_ctx_t *ctx)
{
    u_char       key[MCP_KEY_MAX];
    const char  *argv[3];
    size_t       argvlen[3];

    argv[0] = "EXPIRE";
    argvlen[0] = 6;
    argv[1] = (char *) key;
    argvlen[1] = ngx_http_mcp_stream_key(key, sizeof(key), &ctx->sid_str);
    argv[2] = NGX_HTTP_MCP_STREAM_TTL;
    argvlen[2] = sizeof(NGX_HTTP_MCP_STREAM_TTL) - 1;

    (void) ngx_http_mcp_redis_fire(3, argv, argvlen);

    ngx_http_mcp_subscribe_refresh(ctx->request, &ctx->sid_str);
}


/*
 * A keep-alive comment on the request's SSE stream and the timer re-armed;
 * NGX_ERROR: the stream broke and the request is finalized.
 */
ngx_int_t
ngx_http_mcp_stream_ping(ngx_event_t *ev, ngx_msec_t every)
{
    ngx_connection_t    *c;
    ngx_http_request_t  *r;
    ngx_http_mcp_ctx_t  *ctx = ev->data;

    r = ctx->request;
    c = r->connection;

    if (ngx_http_mcp_stream_write(r, (u_char *) ": keepalive\n\n", 13)
        == NGX_ERROR)
    {
        ngx_http_finalize_request(r, NGX_ERROR);
        ngx_http_run_posted_requests(c);
        return NGX_ERROR;
    }

    ngx_add_timer(ev, every);

    return NGX_OK;
}


static void
ngx_http_mcp_stream_keepalive(ngx_event_t *ev)
{
    if (ngx_http_mcp_stream_ping(ev, NGX_HTTP_MCP_KEEPALIVE) == NGX_OK) {
        ngx_http_mcp_stream_refresh(ev->data);
    }
}


/* Called by the request's cleanup. */
void
ngx_http_mcp_stream_close(ngx_http_mcp_ctx_t *ctx)
{
    u_char       key[MCP_KEY_MAX];
    const char  *argv[2];
    size_t       argvlen[2];

    if (ctx->keepalive.timer_set) {
        ngx_del_timer(&ctx->keepalive);
    }

    if (ctx->stream_listed) {
        ngx_rbtree_delete(&ngx_http_mcp_streams, &ctx->stream_node.node);
        ctx->stream_listed = 0;
    }

    if (!ctx->stream_owner) {
        return;
    }

    ctx->stream_owner = 0;

    if (ctx->modern) {
        ngx_http_mcp_listen_close(ctx);
    }

    argv[0] = "DEL";
    argvlen[0] = 3;
    argv[1] = (char *) key;
    argvlen[1] = ngx_http_mcp_stream_key(key, sizeof(key), &ctx->sid_str);

    (void) ngx_http_mcp_redis_fire(2, argv, argvlen);
}


/*
 * The stream claimed as mcp:stream:{sid_str} (a session's GET stream or a
 * subscriptions/listen stream): listed for the worker's channel messages,
 * kept alive and its keys refreshed until the client closes it.
 */
void
ngx_http_mcp_stream_attach(ngx_http_mcp_ctx_t *ctx)
{
    ngx_http_request_t  *r = ctx->request;

    ctx->keepalive.handler = ngx_http_mcp_stream_keepalive;
    ctx->keepalive.data = ctx;
    ctx->keepalive.log = r->connection->log;
    ctx->keepalive.cancelable = 1;
    ngx_add_timer(&ctx->keepalive, NGX_HTTP_MCP_KEEPALIVE);

    ctx->stream_node.str = ctx->sid_str;
    ctx->stream_node.node.key = ngx_crc32_short(ctx->sid_str.data,
                                                ctx->sid_str.len);
    ngx_rbtree_insert(&ngx_http_mcp_streams, &ctx->stream_node.node);
    ctx->stream_listed = 1;

    /* the stream ends when the client closes it */
    r->read_event_handler = ngx_http_test_reading;
}


static void
ngx_http_mcp_stream_claimed(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    u_char     priming[32];
    size_t     len;

    if (reply == NULL || reply->type == REDIS_REPLY_ERROR) {
        ngx_http_mcp_queue_unavailable(r, ctx);
        return;
    }

    if (reply->type != REDIS_REPLY_STATUS) {
        ngx_http_mcp_error(r, NULL, MCP_ERR_INVALID_REQUEST,
                           NGX_HTTP_CONFLICT,
                           "Conflict: this session already has a GET stream",
                           NULL);
        return;
    }

    ctx->stream_owner = 1;

    if (ngx_http_mcp_sse_start(r) != NGX_OK) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    /* 2024-11-05: the messages URL first */
    if (ctx->legacy_stream && ngx_http_mcp_legacy_endpoint(r, ctx) != NGX_OK) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    /* 2025-11-25: an event id first, and how long to wait to reconnect */
    if (ngx_http_mcp_sse_primes(ctx)) {
        len = ngx_sprintf(priming, "stream-%M", ngx_current_msec) - priming;

        if (ngx_http_mcp_sse_priming(r, priming, len) != NGX_OK) {
            ngx_http_finalize_request(r, NGX_ERROR);
            return;
        }
    }

    ngx_http_mcp_stream_attach(ctx);
}


static void
ngx_http_mcp_stream_standalone(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    u_char       key[MCP_KEY_MAX];
    const char  *argv[6];
    size_t       argvlen[6];

    argv[0] = "SET";
    argvlen[0] = 3;
    argv[1] = (char *) key;
    argvlen[1] = ngx_http_mcp_stream_key(key, sizeof(key), &ctx->sid_str);
    argv[2] = (char *) ngx_http_mcp_jobs_channel()->data;
    argvlen[2] = ngx_http_mcp_jobs_channel()->len;
    argv[3] = "NX";
    argvlen[3] = 2;
    argv[4] = "EX";
    argvlen[4] = 2;
    argv[5] = NGX_HTTP_MCP_STREAM_TTL;
    argvlen[5] = sizeof(NGX_HTTP_MCP_STREAM_TTL) - 1;

    if (ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_stream_claimed, 6,
                                   argv, argvlen)
        != NGX_OK)
    {
        ngx_http_mcp_queue_unavailable(r, ctx);
    }
}


/* Wake-ups go to the worker that queued the job: this one polls. */
static void
ngx_http_mcp_stream_poll(ngx_event_t *ev)
{
    ngx_http_mcp_ctx_t  *ctx = ev->data;

    ngx_http_mcp_jobs_read(ctx);

    if (ctx->is_pending) {
        ngx_add_timer(ev, NGX_HTTP_MCP_RESUME_POLL);
    }
}


static void
ngx_http_mcp_stream_resume_found(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx, redisReply *reply)
{
    json_t      *record, *session, *deadline, *token;
    ngx_msec_t   left;
    ngx_time_t  *tp;
    int64_t      now;

    if (reply == NULL || reply->type == REDIS_REPLY_ERROR) {
        ngx_http_mcp_queue_unavailable(r, ctx);
        return;
    }

    record = (reply->type == REDIS_REPLY_STRING)
             ? json_loadb(reply->str, reply->len, 0, NULL) : NULL;
    session = json_object_get(record, "session");

    /* only the session that made the request may resume its stream */
    if (!json_is_string(session)
        || json_string_length(session) != ctx->session.len
        || ngx_strncmp(json_string_value(session), ctx->session.data,
                       ctx->session.len)
           != 0)
    {
        json_decref(record);
        ngx_http_mcp_error(r, NULL, MCP_ERR_INVALID_REQUEST,
                           NGX_HTTP_NOT_FOUND,
                           "Not Found: no stream with that Last-Event-ID in "
                           "this session", NULL);
        return;
    }

    /* the response carries the original request id */
    ctx->message = record;
    ctx->id = json_object_get(record, "id");
    token = json_object_get(record, "progressToken");
    ctx->progress_token = (json_is_string(token) || json_is_integer(token))
                          ? token : NULL;

    tp = ngx_timeofday();
    now = (int64_t) tp->sec * 1000 + tp->msec;
    deadline = json_object_get(record, "deadline");
    left = (json_is_integer(deadline) && json_integer_value(deadline) > now)
           ? (ngx_msec_t) (json_integer_value(deadline) - now) : 1;

    ctx->job_kind = "tool";
    ctx->job_name = "resumed";
    ctx->job_timeout = left;
    ctx->queued = 1;
    ctx->sse = 1;

    if (ngx_http_mcp_sse_start(r) != NGX_OK) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    ngx_http_mcp_jobs_wait(r, ctx);

    ctx->keepalive.handler = ngx_http_mcp_stream_poll;
    ctx->keepalive.data = ctx;
    ctx->keepalive.log = r->connection->log;
    ctx->keepalive.cancelable = 1;
    ngx_add_timer(&ctx->keepalive, NGX_HTTP_MCP_RESUME_POLL);

    ngx_http_mcp_jobs_read(ctx);
}


/* Last-Event-ID "<32 hex job id>/<ms>-<seq>"; NGX_DECLINED for other ids. */
static ngx_int_t
ngx_http_mcp_stream_event_id(ngx_http_mcp_ctx_t *ctx, ngx_str_t *last)
{
    size_t   i;
    u_char  *entry;
    size_t   entry_len;

    if (last->len <= MCP_JOB_ID_LEN + 1 || last->data[MCP_JOB_ID_LEN] != '/'
        || last->len - MCP_JOB_ID_LEN - 1 >= NGX_HTTP_MCP_EVENT_ID_LEN)
    {
        return NGX_DECLINED;
    }

    for (i = 0; i < MCP_JOB_ID_LEN; i++) {
        if (!((last->data[i] >= '0' && last->data[i] <= '9')
              || (last->data[i] >= 'a' && last->data[i] <= 'f')))
        {
            return NGX_DECLINED;
        }
    }

    entry = last->data + MCP_JOB_ID_LEN + 1;
    entry_len = last->len - MCP_JOB_ID_LEN - 1;

    for (i = 0; i < entry_len; i++) {
        if (!((entry[i] >= '0' && entry[i] <= '9') || entry[i] == '-')) {
            return NGX_DECLINED;
        }
    }

    ngx_memcpy(ctx->job_id, last->data, MCP_JOB_ID_LEN);
    ctx->job_id[MCP_JOB_ID_LEN] = '\0';
    ngx_memcpy(ctx->last_event, entry, entry_len);
    ctx->last_event_len = entry_len;

    return NGX_OK;
}


/* GET after the session check. */
void
ngx_http_mcp_stream_open(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    u_char       key[MCP_KEY_MAX];
    ngx_str_t   *last;
    const char  *argv[2];
    size_t       argvlen[2];

    ctx->sid_str.data = ngx_pnalloc(r->pool, ctx->session.len + 1);
    if (ctx->sid_str.data == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    ngx_memcpy(ctx->sid_str.data, ctx->session.data, ctx->session.len);
    ctx->sid_str.data[ctx->session.len] = '\0';
    ctx->sid_str.len = ctx->session.len;

    last = ngx_http_mcp_header(r, "Last-Event-ID", 13);

    if (last == NULL || ngx_http_mcp_stream_event_id(ctx, last) != NGX_OK) {
        ngx_http_mcp_stream_standalone(r, ctx);
        return;
    }

    argv[0] = "GET";
    argvlen[0] = 3;
    argv[1] = (char *) key;
    argvlen[1] = ngx_snprintf(key, sizeof(key), MCP_KEY_JOB_REQUEST_FMT,
                              ctx->job_id)
                 - key;

    if (ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_stream_resume_found,
                                   2, argv, argvlen)
        != NGX_OK)
    {
        ngx_http_mcp_queue_unavailable(r, ctx);
    }
}
