/*
 * ngx_http_mcp_redis.c: each worker's two Redis connections (commands, and the
 * subscriber for its notify channel): connect, timeouts, reconnect backoff.
 */
#include <arpa/inet.h>
#include "ngx_http_mcp_ask.h"
#include "ngx_http_mcp_redis.h"

#define NGX_HTTP_MCP_REDIS_BACKOFF_MIN  100
#define NGX_HTTP_MCP_REDIS_BACKOFF_MAX  5000

typedef struct {
    const char          *name;
    redisAsyncContext   *ac;
    ngx_uint_t           ready;
    ngx_msec_t           backoff;
    ngx_event_t          reconnect;     /* backoff before the next attempt */
    ngx_event_t          connect;       /* connect timeout */
    ngx_event_t          watchdog;      /* command timeout */
    ngx_uint_t           sent;
    ngx_uint_t           received;
    ngx_uint_t           mark;
    ngx_uint_t           subscriber;
} ngx_http_mcp_redis_conn_t;

static void ngx_http_mcp_redis_connect(ngx_http_mcp_redis_conn_t *conn);
static void ngx_http_mcp_redis_fail(ngx_http_mcp_redis_conn_t *conn,
    const char *why);
static void ngx_http_mcp_redis_sent(ngx_http_mcp_redis_conn_t *conn);

static ngx_http_mcp_main_conf_t   *ngx_http_mcp_redis_conf;
static ngx_uint_t                  ngx_http_mcp_redis_exiting;
static ngx_http_mcp_redis_conn_t   ngx_http_mcp_redis_cmd;
static ngx_http_mcp_redis_conn_t   ngx_http_mcp_redis_sub;


char *
ngx_http_mcp_redis_parse(ngx_conf_t *cf, ngx_http_mcp_main_conf_t *mcf)
{
    u_char          *colon, *host, *last;
    size_t           len;
    ngx_int_t        port;
    struct in6_addr  a6;
    struct in_addr   a4;

    if (mcf->redis.len > 5
        && ngx_strncmp(mcf->redis.data, "unix:", 5) == 0)
    {
        mcf->redis_unix.len = mcf->redis.len - 5;
        mcf->redis_unix.data = mcf->redis.data + 5;
        return NGX_CONF_OK;
    }

    last = mcf->redis.data + mcf->redis.len;
    colon = NULL;

    for (host = mcf->redis.data; host < last; host++) {
        if (*host == ':') {
            colon = host;
        }
    }

    if (colon == NULL) {
        goto invalid;
    }

    port = ngx_atoi(colon + 1, last - colon - 1);
    if (port < 1 || port > 65535) {
        goto invalid;
    }

    host = mcf->redis.data;
    len = colon - host;

    if (len > 2 && host[0] == '[' && host[len - 1] == ']') {
        host++;
        len -= 2;
    }

    mcf->redis_host.data = ngx_pnalloc(cf->pool, len + 1);
    if (mcf->redis_host.data == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_memcpy(mcf->redis_host.data, host, len);
    mcf->redis_host.data[len] = '\0';
    mcf->redis_host.len = len;
    mcf->redis_port = port;

    if (inet_pton(AF_INET, (char *) mcf->redis_host.data, &a4) == 1
        || inet_pton(AF_INET6, (char *) mcf->redis_host.data, &a6) == 1)
    {
        return NGX_CONF_OK;
    }

invalid:

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "mcp_redis \"%V\": expected IP:port or unix:/path "
                       "(a hostname would need a blocking DNS lookup "
                       "in a worker)", &mcf->redis);

    return NGX_CONF_ERROR;
}


static void
ngx_http_mcp_redis_schedule(ngx_http_mcp_redis_conn_t *conn)
{
    ngx_msec_t  delay;

    conn->ready = 0;

    if (ngx_http_mcp_redis_exiting || conn->reconnect.timer_set) {
        return;
    }

    if (conn->connect.timer_set) {
        ngx_del_timer(&conn->connect);
    }

    if (conn->backoff == 0) {
        conn->backoff = NGX_HTTP_MCP_REDIS_BACKOFF_MIN;

    } else {
        conn->backoff = ngx_min(conn->backoff * 2,
                                NGX_HTTP_MCP_REDIS_BACKOFF_MAX);
    }

    /* jitter spreads the reconnects of many workers after a Redis restart */
    delay = conn->backoff + (ngx_msec_t) ngx_random() % (conn->backoff / 4 + 1);

    ngx_add_timer(&conn->reconnect, delay);
}


static void
ngx_http_mcp_redis_up(ngx_http_mcp_redis_conn_t *conn)
{
    if (conn->backoff) {
        ngx_log_error(NGX_LOG_NOTICE, ngx_cycle->log, 0,
                      "mcp: redis %s connection to \"%V\" is up",
                      conn->name, &ngx_http_mcp_redis_conf->redis);
        ngx_http_mcp_metrics_redis_reconnect();
    }

    conn->ready = 1;
    conn->backoff = 0;

    /* pub/sub loses messages while disconnected: re-read pending jobs */
    ngx_http_mcp_jobs_resync();
}


static void
ngx_http_mcp_redis_on_connect(const redisAsyncContext *ac, int status)
{
    ngx_http_mcp_redis_conn_t  *conn = ac->data;

    if (conn->ac != ac) {
        return;
    }

    if (conn->connect.timer_set) {
        ngx_del_timer(&conn->connect);
    }

    if (status != REDIS_OK) {
        ngx_log_error(NGX_LOG_ERR, ngx_cycle->log, 0,
                      "mcp: redis %s connection to \"%V\" failed: %s",
                      conn->name, &ngx_http_mcp_redis_conf->redis,
                      ac->errstr);

        /* hiredis frees the context after this callback */
        conn->ac = NULL;
        ngx_http_mcp_redis_schedule(conn);
        return;
    }

    if (!conn->subscriber) {
        ngx_http_mcp_redis_up(conn);
    }
}


static void
ngx_http_mcp_redis_on_disconnect(const redisAsyncContext *ac, int status)
{
    ngx_http_mcp_redis_conn_t  *conn = ac->data;

    if (conn->ac != ac) {
        return;
    }

    ngx_log_error(NGX_LOG_ERR, ngx_cycle->log, 0,
                  "mcp: redis %s connection to \"%V\" lost: %s",
                  conn->name, &ngx_http_mcp_redis_conf->redis,
                  ac->err ? ac->errstr : "closed");

    conn->ac = NULL;
    ngx_http_mcp_redis_schedule(conn);
}


static void
ngx_http_mcp_redis_on_message(redisAsyncContext *ac, void *data,
    void *privdata)
{
    redisReply                 *reply = data, *kind;
    ngx_http_mcp_redis_conn_t  *conn = privdata;

    if (reply == NULL || conn->ac != ac) {
        return;
    }

    if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 3
        || reply->element[0]->type != REDIS_REPLY_STRING)
    {
        return;
    }

    kind = reply->element[0];

    if (kind->len == 9 && ngx_strncmp(kind->str, "subscribe", 9) == 0) {
        conn->received++;
        ngx_http_mcp_redis_up(conn);
        return;
    }

    if (kind->len == 7 && ngx_strncmp(kind->str, "message", 7) == 0
        && reply->element[2]->type == REDIS_REPLY_STRING)
    {
        /* "session:<sid>:<message>" for a GET stream, "ask:<id>:<response>"
         * for a request to the client, else a job id */
        if (ngx_http_mcp_stream_notified((u_char *) reply->element[2]->str,
                                         reply->element[2]->len)
            == NGX_DECLINED
            && ngx_http_mcp_ask_notified((u_char *) reply->element[2]->str,
                                         reply->element[2]->len)
               == NGX_DECLINED)
        {
            ngx_http_mcp_jobs_notified((u_char *) reply->element[2]->str,
                                       reply->element[2]->len);
        }
    }
}


static void
ngx_http_mcp_redis_connect(ngx_http_mcp_redis_conn_t *conn)
{
    ngx_str_t          *channel;
    const char         *argv[2];
    size_t              argvlen[2];
    redisAsyncContext  *ac;

    if (ngx_http_mcp_redis_conf->redis_unix.len) {
        ac = redisAsyncConnectUnix(
                 (char *) ngx_http_mcp_redis_conf->redis_unix.data);

    } else {
        ac = redisAsyncConnect(
                 (char *) ngx_http_mcp_redis_conf->redis_host.data,
                 (int) ngx_http_mcp_redis_conf->redis_port);
    }

    if (ac == NULL) {
        ngx_http_mcp_redis_schedule(conn);
        return;
    }

    if (ac->err) {
        ngx_log_error(NGX_LOG_ERR, ngx_cycle->log, 0,
                      "mcp: redis %s connection to \"%V\" failed: %s",
                      conn->name, &ngx_http_mcp_redis_conf->redis,
                      ac->errstr);
        redisAsyncFree(ac);
        ngx_http_mcp_redis_schedule(conn);
        return;
    }

    ac->data = conn;

    /* attach before the connect callback: setting it asks for write events */
    if (ngx_http_mcp_redis_attach(ac, ngx_cycle->log) != NGX_OK) {
        redisAsyncFree(ac);
        ngx_http_mcp_redis_schedule(conn);
        return;
    }

    conn->ac = ac;
    conn->sent = 0;
    conn->received = 0;

    redisAsyncSetConnectCallback(ac, ngx_http_mcp_redis_on_connect);
    redisAsyncSetDisconnectCallback(ac, ngx_http_mcp_redis_on_disconnect);

    ngx_add_timer(&conn->connect, ngx_http_mcp_redis_conf->redis_timeout);

    if (conn->subscriber) {
        channel = ngx_http_mcp_jobs_channel();
        argv[0] = "SUBSCRIBE";
        argvlen[0] = 9;
        argv[1] = (char *) channel->data;
        argvlen[1] = channel->len;

        if (redisAsyncCommandArgv(ac, ngx_http_mcp_redis_on_message, conn, 2,
                                  argv, argvlen)
            != REDIS_OK)
        {
            ngx_http_mcp_redis_fail(conn, "cannot subscribe");
            return;
        }

        /* the watchdog also covers a SUBSCRIBE that is never confirmed */
        ngx_http_mcp_redis_sent(conn);
    }
}


/* Drops the connection now; every pending callback gets a NULL reply. */
static void
ngx_http_mcp_redis_fail(ngx_http_mcp_redis_conn_t *conn, const char *why)
{
    redisAsyncContext  *ac;

    ngx_log_error(NGX_LOG_ERR, ngx_cycle->log, 0,
                  "mcp: redis %s connection to \"%V\": %s",
                  conn->name, &ngx_http_mcp_redis_conf->redis, why);

    ac = conn->ac;
    conn->ac = NULL;
    conn->ready = 0;

    if (conn->watchdog.timer_set) {
        ngx_del_timer(&conn->watchdog);
    }

    if (ac) {
        redisAsyncFree(ac);
    }

    ngx_http_mcp_redis_schedule(conn);
}


static void
ngx_http_mcp_redis_reconnect_handler(ngx_event_t *ev)
{
    ngx_http_mcp_redis_connect(ev->data);
}


static void
ngx_http_mcp_redis_connect_timeout(ngx_event_t *ev)
{
    ngx_http_mcp_redis_fail(ev->data, "connect timed out");
}


/* A command left unanswered for a whole period marks the connection failed. */
static void
ngx_http_mcp_redis_watchdog(ngx_event_t *ev)
{
    ngx_http_mcp_redis_conn_t  *conn = ev->data;

    if (conn->ac == NULL || conn->received >= conn->sent) {
        return;
    }

    if (conn->received == conn->mark) {
        ngx_http_mcp_redis_fail(conn, "command timed out");
        return;
    }

    conn->mark = conn->received;
    ngx_add_timer(ev, ngx_http_mcp_redis_conf->redis_timeout);
}


static void
ngx_http_mcp_redis_sent(ngx_http_mcp_redis_conn_t *conn)
{
    conn->sent++;

    if (!conn->watchdog.timer_set) {
        conn->mark = conn->received;
        ngx_add_timer(&conn->watchdog,
                      ngx_http_mcp_redis_conf->redis_timeout);
    }
}


static void
ngx_http_mcp_redis_event_init(ngx_event_t *ev, ngx_event_handler_pt handler,
    void *data)
{
    ev->handler = handler;
    ev->data = data;
    ev->log = ngx_cycle->log;
    ev->cancelable = 1;
}


static void
ngx_http_mcp_redis_conn_init(ngx_http_mcp_redis_conn_t *conn,
    const char *name, ngx_uint_t subscriber)
{
    ngx_memzero(conn, sizeof(ngx_http_mcp_redis_conn_t));

    conn->name = name;
    conn->subscriber = subscriber;

    ngx_http_mcp_redis_event_init(&conn->reconnect,
                                  ngx_http_mcp_redis_reconnect_handler, conn);
    ngx_http_mcp_redis_event_init(&conn->connect,
                                  ngx_http_mcp_redis_connect_timeout, conn);
    ngx_http_mcp_redis_event_init(&conn->watchdog,
                                  ngx_http_mcp_redis_watchdog, conn);
}


ngx_int_t
ngx_http_mcp_redis_init_process(ngx_cycle_t *cycle,
    ngx_http_mcp_main_conf_t *mcf)
{
    ngx_http_mcp_redis_conf = mcf;
    ngx_http_mcp_redis_exiting = 0;

    ngx_http_mcp_redis_conn_init(&ngx_http_mcp_redis_cmd, "command", 0);
    ngx_http_mcp_redis_conn_init(&ngx_http_mcp_redis_sub, "subscriber", 1);

    ngx_http_mcp_redis_connect(&ngx_http_mcp_redis_cmd);
    ngx_http_mcp_redis_connect(&ngx_http_mcp_redis_sub);

    return NGX_OK;
}


static void
ngx_http_mcp_redis_close(ngx_http_mcp_redis_conn_t *conn)
{
    redisAsyncContext  *ac;

    if (conn->reconnect.timer_set) {
        ngx_del_timer(&conn->reconnect);
    }

    if (conn->connect.timer_set) {
        ngx_del_timer(&conn->connect);
    }

    if (conn->watchdog.timer_set) {
        ngx_del_timer(&conn->watchdog);
    }

    ac = conn->ac;
    conn->ac = NULL;
    conn->ready = 0;

    if (ac) {
        ac->onDisconnect = NULL;
        redisAsyncFree(ac);
    }
}


void
ngx_http_mcp_redis_exit_process(void)
{
    if (ngx_http_mcp_redis_conf == NULL) {
        return;
    }

    ngx_http_mcp_redis_exiting = 1;

    ngx_http_mcp_redis_close(&ngx_http_mcp_redis_cmd);
    ngx_http_mcp_redis_close(&ngx_http_mcp_redis_sub);
}


ngx_int_t
ngx_http_mcp_redis_ready(void)
{
    return ngx_http_mcp_redis_cmd.ac != NULL && ngx_http_mcp_redis_cmd.ready;
}


/* Job results need the wake-up channel as well as the command connection. */
ngx_int_t
ngx_http_mcp_redis_subscribed(void)
{
    return ngx_http_mcp_redis_sub.ac != NULL && ngx_http_mcp_redis_sub.ready;
}


static void
ngx_http_mcp_redis_reply(redisAsyncContext *ac, void *data, void *privdata)
{
    redisReply              *reply = data;
    ngx_connection_t        *c;
    ngx_http_request_t      *r;
    ngx_http_mcp_ctx_t      *ctx;
    ngx_http_mcp_waiter_t   *waiter = privdata;
    ngx_http_mcp_reply_pt    handler;

    if (ngx_http_mcp_redis_cmd.ac == ac) {
        ngx_http_mcp_redis_cmd.received++;

        if (reply == NULL) {
            ngx_http_mcp_redis_cmd.ready = 0;
        }
    }

    r = waiter->request;
    handler = waiter->handler;
    ngx_free(waiter);

    if (r == NULL || ngx_http_mcp_redis_exiting) {
        return;
    }

    ctx = ngx_http_get_module_ctx(r, ngx_mcp_module);
    ctx->waiter = NULL;

    c = r->connection;
    handler(r, ctx, reply);
    ngx_http_run_posted_requests(c);
}


ngx_int_t
ngx_http_mcp_redis_command(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    ngx_http_mcp_reply_pt handler, int argc, const char **argv,
    const size_t *argvlen)
{
    ngx_http_mcp_waiter_t  *waiter;

    if (!ngx_http_mcp_redis_ready()) {
        return NGX_DECLINED;
    }

    waiter = ngx_alloc(sizeof(ngx_http_mcp_waiter_t), r->connection->log);
    if (waiter == NULL) {
        return NGX_ERROR;
    }

    waiter->request = r;
    waiter->handler = handler;

    if (redisAsyncCommandArgv(ngx_http_mcp_redis_cmd.ac,
                              ngx_http_mcp_redis_reply, waiter, argc, argv,
                              argvlen)
        != REDIS_OK)
    {
        ngx_free(waiter);
        return NGX_DECLINED;
    }

    ctx->waiter = waiter;
    ngx_http_mcp_redis_sent(&ngx_http_mcp_redis_cmd);

    return NGX_OK;
}


static void
ngx_http_mcp_redis_counted(redisAsyncContext *ac, void *data, void *privdata)
{
    if (ngx_http_mcp_redis_cmd.ac == ac) {
        ngx_http_mcp_redis_cmd.received++;
    }
}


ngx_int_t
ngx_http_mcp_redis_fire(int argc, const char **argv, const size_t *argvlen)
{
    if (!ngx_http_mcp_redis_ready()) {
        return NGX_DECLINED;
    }

    if (redisAsyncCommandArgv(ngx_http_mcp_redis_cmd.ac,
                              ngx_http_mcp_redis_counted, NULL, argc, argv,
                              argvlen)
        != REDIS_OK)
    {
        return NGX_DECLINED;
    }

    ngx_http_mcp_redis_sent(&ngx_http_mcp_redis_cmd);

    return NGX_OK;
}
