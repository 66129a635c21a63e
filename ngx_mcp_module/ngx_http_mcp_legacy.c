/*
 * ngx_http_mcp_legacy.c: the 2024-11-05 HTTP+SSE transport ("mcp_sse_legacy
 * on;"): GET opens a session whose stream first names its messages URL in an
 * "endpoint" event; POSTs there get 202 and their answers go on that stream.
 */
#include "ngx_http_mcp.h"

#define NGX_HTTP_MCP_LEGACY_VERSION  "2024-11-05"

typedef struct {
    ngx_flag_t  enable;
} ngx_http_mcp_legacy_loc_conf_t;

static void *ngx_http_mcp_legacy_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_mcp_legacy_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);

static ngx_command_t  ngx_http_mcp_legacy_commands[] = {

    { ngx_string("mcp_sse_legacy"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mcp_legacy_loc_conf_t, enable),
      NULL },

      ngx_null_command
};

static ngx_http_module_t  ngx_http_mcp_legacy_module_ctx = {
    NULL,                                  /* preconfiguration */
    NULL,                                  /* postconfiguration */
    NULL,                                  /* create main configuration */
    NULL,                                  /* init main configuration */
    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */
    ngx_http_mcp_legacy_create_loc_conf,   /* create location configuration */
    ngx_http_mcp_legacy_merge_loc_conf     /* merge location configuration */
};

ngx_module_t  ngx_http_mcp_legacy_module = {
    NGX_MODULE_V1,
    &ngx_http_mcp_legacy_module_ctx,       /* module context */
    ngx_http_mcp_legacy_commands,          /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    NULL,                                  /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    NULL,                                  /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


static void *
ngx_http_mcp_legacy_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_mcp_legacy_loc_conf_t  *lcf;

    lcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_mcp_legacy_loc_conf_t));
    if (lcf == NULL) {
        return NULL;
    }

    lcf->enable = NGX_CONF_UNSET;

    return lcf;
}


static char *
ngx_http_mcp_legacy_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_mcp_legacy_loc_conf_t  *prev = parent;
    ngx_http_mcp_legacy_loc_conf_t  *conf = child;

    ngx_conf_merge_value(conf->enable, prev->enable, 0);

    return NGX_CONF_OK;
}


static ngx_int_t
ngx_http_mcp_legacy_enabled(ngx_http_request_t *r)
{
    ngx_http_mcp_legacy_loc_conf_t  *lcf;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_mcp_legacy_module);

    return lcf->enable;
}


/* fmt is MCP_KEY_SESSION_FMT or MCP_KEY_STREAM_FMT, sid a valid id. */
static size_t
ngx_http_mcp_legacy_key(u_char *buf, size_t size, const char *fmt,
    ngx_str_t *sid)
{
    u_char  id[NGX_HTTP_MCP_SESSION_ID_LEN + 1];

    ngx_memcpy(id, sid->data, NGX_HTTP_MCP_SESSION_ID_LEN);
    id[NGX_HTTP_MCP_SESSION_ID_LEN] = '\0';

    return ngx_snprintf(buf, size, fmt, id) - buf;
}


/*
 * GET without Mcp-Session-Id: a new session (NGX_DECLINED where the
 * transport is off, else NGX_DONE); ngx_http_mcp_legacy_created continues.
 */
ngx_int_t
ngx_http_mcp_legacy_open(ngx_http_request_t *r)
{
    ngx_http_mcp_ctx_t  *ctx;

    if (!ngx_http_mcp_legacy_enabled(r)) {
        return NGX_DECLINED;
    }

    if (ngx_http_discard_request_body(r) != NGX_OK) {
        r->keepalive = 0;
    }

    /* answered here in any case: the caller returns NGX_DONE */
    r->main->count++;

    ctx = ngx_http_mcp_ctx(r);
    if (ctx == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return NGX_DONE;
    }

    ctx->legacy_stream = 1;

    ngx_http_mcp_session_create(r, ctx, NGX_HTTP_MCP_LEGACY_VERSION);

    return NGX_DONE;
}


/* The session ends with its stream: later POSTs get 404. */
static void
ngx_http_mcp_legacy_session_end(void *data)
{
    ngx_http_mcp_ctx_t  *ctx = data;

    u_char       key[MCP_KEY_MAX];
    const char  *argv[2];
    size_t       argvlen[2];

    argv[0] = "DEL";
    argvlen[0] = 3;
    argv[1] = (char *) key;
    argvlen[1] = ngx_http_mcp_legacy_key(key, sizeof(key),
                                         MCP_KEY_SESSION_FMT, &ctx->session);

    (void) ngx_http_mcp_redis_fire(2, argv, argvlen);
}


/* The session is stored: claim its stream like a standalone GET stream. */
void
ngx_http_mcp_legacy_created(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    ngx_pool_cleanup_t  *cln;

    ctx->session.data = ctx->sid;
    ctx->session.len = NGX_HTTP_MCP_SESSION_ID_LEN;

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    cln->handler = ngx_http_mcp_legacy_session_end;
    cln->data = ctx;

    ngx_http_mcp_stream_open(r, ctx);
}


/* The stream's first event: where to POST, relative to the stream's URL. */
ngx_int_t
ngx_http_mcp_legacy_endpoint(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    size_t        len;
    ngx_buf_t    *b;
    ngx_chain_t   out;

    len = r->uri.len + 2 * ngx_escape_uri(NULL, r->uri.data, r->uri.len,
                                          NGX_ESCAPE_URI);

    b = ngx_create_temp_buf(r->pool, sizeof("event: endpoint\ndata: "
                                            "?sessionId=\n\n") - 1
                                     + len + ctx->session.len);
    if (b == NULL) {
        return NGX_ERROR;
    }

    b->last = ngx_cpymem(b->last, "event: endpoint\ndata: ",
                         sizeof("event: endpoint\ndata: ") - 1);
    b->last = (u_char *) ngx_escape_uri(b->last, r->uri.data, r->uri.len,
                                        NGX_ESCAPE_URI);
    b->last = ngx_cpymem(b->last, "?sessionId=", sizeof("?sessionId=") - 1);
    b->last = ngx_cpymem(b->last, ctx->session.data, ctx->session.len);
    b->last = ngx_cpymem(b->last, "\n\n", 2);
    b->flush = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out) == NGX_ERROR ? NGX_ERROR : NGX_OK;
}


/*
 * POST with ?sessionId=: reads the body for ngx_http_mcp_legacy_accept
 * (NGX_DECLINED: not a 2024-11-05 message).
 */
ngx_int_t
ngx_http_mcp_legacy_post(ngx_http_request_t *r,
    ngx_http_client_body_handler_pt body_handler)
{
    ngx_int_t            rc;
    ngx_str_t            sid;
    ngx_http_mcp_ctx_t  *ctx;

    if (!ngx_http_mcp_legacy_enabled(r)
        || ngx_http_arg(r, (u_char *) "sessionId", 9, &sid) != NGX_OK)
    {
        return NGX_DECLINED;
    }

    ctx = ngx_http_mcp_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->legacy = 1;
    ctx->session = sid;

    rc = ngx_http_read_client_request_body(r, body_handler);

    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        return rc;
    }

    return NGX_DONE;
}


/* The client may close its end after the 202: the request goes on. */
static void
ngx_http_mcp_legacy_writer(ngx_http_request_t *r)
{
    if (ngx_http_output_filter(r, NULL) == NGX_ERROR) {
        r->write_event_handler = ngx_http_request_empty_handler;
    }
}


static ngx_int_t
ngx_http_mcp_legacy_accepted(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    ngx_int_t     rc;
    ngx_buf_t    *b;
    ngx_chain_t   out;

    /* a long job holds the connection: the next message takes another */
    r->keepalive = 0;

    r->headers_out.status = NGX_HTTP_ACCEPTED;
    r->headers_out.content_length_n = sizeof("Accepted") - 1;
    ngx_str_set(&r->headers_out.content_type, "text/plain");
    r->headers_out.content_type_len = r->headers_out.content_type.len;

    rc = ngx_http_send_header(r);
    if (rc == NGX_ERROR || rc > NGX_OK) {
        return NGX_ERROR;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_ERROR;
    }

    b->pos = (u_char *) "Accepted";
    b->last = b->pos + sizeof("Accepted") - 1;
    b->memory = 1;
    b->last_buf = 1;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    if (ngx_http_output_filter(r, &out) == NGX_ERROR) {
        return NGX_ERROR;
    }

    r->write_event_handler = ngx_http_mcp_legacy_writer;
    r->read_event_handler = ngx_http_block_reading;

    /* from here on every answer is an event of the session's stream */
    ctx->streaming = 1;
    ngx_http_mcp_metrics_sse_streams(1);

    return NGX_OK;
}


static void
ngx_http_mcp_legacy_found(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    if (reply == NULL || reply->type == REDIS_REPLY_ERROR) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_QUEUE_UNAVAILABLE,
                           NGX_HTTP_SERVICE_UNAVAILABLE,
                           "Queue unavailable: Redis is not reachable, "
                           "retry later", NULL);
        return;
    }

    if (reply->type != REDIS_REPLY_STRING || reply->len == 0) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_SESSION_NOT_FOUND, 0,
                           "Session not found", NULL);
        return;
    }

    ctx->legacy_channel.data = ngx_pnalloc(r->pool, reply->len);
    if (ctx->legacy_channel.data == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    ngx_memcpy(ctx->legacy_channel.data, reply->str, reply->len);
    ctx->legacy_channel.len = reply->len;

    if (ngx_http_mcp_legacy_accepted(r, ctx) != NGX_OK) {
        ctx->answered = 1;
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    ngx_http_mcp_dispatch(r, ctx);
}


/* The body is parsed: the session must exist and be the caller's
 * (ngx_http_mcp_session_check, which then calls ngx_http_mcp_legacy_find)
 * before anything is accepted. */
void
ngx_http_mcp_legacy_accept(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    if (!ngx_http_mcp_session_id_valid(&ctx->session)) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_SESSION_NOT_FOUND, 0,
                           "Session not found", NULL);
        return;
    }

    ngx_http_mcp_session_check(r, ctx);
}


/* The session is the caller's: its stream must be open somewhere. */
void
ngx_http_mcp_legacy_find(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    u_char       key[MCP_KEY_MAX];
    const char  *argv[2];
    size_t       argvlen[2];

    argv[0] = "GET";
    argvlen[0] = 3;
    argv[1] = (char *) key;
    argvlen[1] = ngx_http_mcp_legacy_key(key, sizeof(key), MCP_KEY_STREAM_FMT,
                                         &ctx->session);

    if (ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_legacy_found, 2,
                                   argv, argvlen)
        != NGX_OK)
    {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_QUEUE_UNAVAILABLE,
                           NGX_HTTP_SERVICE_UNAVAILABLE,
                           "Queue unavailable: Redis is not reachable, "
                           "retry later", NULL);
    }
}


/*
 * One JSON-RPC message onto the session's stream: written directly when this
 * worker holds it, else published on the holder's channel.
 */
ngx_int_t
ngx_http_mcp_legacy_send(ngx_http_mcp_ctx_t *ctx, u_char *data, size_t len)
{
    u_char       *msg, *p;
    size_t        size;
    ngx_str_t    *own;
    const char   *argv[3];
    size_t        argvlen[3];

    if (len == 0) {
        return NGX_OK;
    }

    size = sizeof(MCP_NOTIFY_SESSION_PREFIX) - 1 + ctx->session.len + 1 + len;

    msg = ngx_alloc(size, ctx->request->connection->log);
    if (msg == NULL) {
        return NGX_ERROR;
    }

    p = ngx_cpymem(msg, MCP_NOTIFY_SESSION_PREFIX,
                   sizeof(MCP_NOTIFY_SESSION_PREFIX) - 1);
    p = ngx_cpymem(p, ctx->session.data, ctx->session.len);
    *p++ = ':';
    ngx_memcpy(p, data, len);

    own = ngx_http_mcp_jobs_channel();

    if (own->len == ctx->legacy_channel.len
        && ngx_strncmp(own->data, ctx->legacy_channel.data, own->len) == 0)
    {
        (void) ngx_http_mcp_stream_notified(msg, size);

    } else {
        argv[0] = "PUBLISH";
        argvlen[0] = 7;
        argv[1] = (char *) ctx->legacy_channel.data;
        argvlen[1] = ctx->legacy_channel.len;
        argv[2] = (char *) msg;
        argvlen[2] = size;

        (void) ngx_http_mcp_redis_fire(3, argv, argvlen);
    }

    ngx_free(msg);

    return NGX_OK;
}


/* The session exists since the GET: initialize only agrees on a version. */
void
ngx_http_mcp_legacy_initialize(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    const char *requested)
{
    const char  *version;

    version = (ngx_strcmp(requested, NGX_HTTP_MCP_LEGACY_VERSION) == 0)
              ? NGX_HTTP_MCP_LEGACY_VERSION
              : ngx_http_mcp_negotiate(requested);

    ngx_http_mcp_result(r, ctx->id,
                        ngx_http_mcp_initialize_result(r, version));
}
