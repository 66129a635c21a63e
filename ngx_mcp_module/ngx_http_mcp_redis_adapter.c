/*
 * ngx_http_mcp_redis_adapter.c: attaches a hiredis async context to nginx's
 * event loop, level-triggered so replies larger than hiredis' 16 KB read are
 * drained; hiredis owns and closes the socket, nginx only its connection.
 */
#include "ngx_http_mcp.h"
#include "ngx_http_mcp_redis.h"

static void ngx_http_mcp_redis_read(ngx_event_t *ev);
static void ngx_http_mcp_redis_write(ngx_event_t *ev);
static void ngx_http_mcp_redis_add_read(void *data);
static void ngx_http_mcp_redis_del_read(void *data);
static void ngx_http_mcp_redis_add_write(void *data);
static void ngx_http_mcp_redis_del_write(void *data);
static void ngx_http_mcp_redis_cleanup(void *data);


ngx_int_t
ngx_http_mcp_redis_attach(redisAsyncContext *ac, ngx_log_t *log)
{
    ngx_connection_t  *c;

    c = ngx_get_connection(ac->c.fd, log);
    if (c == NULL) {
        return NGX_ERROR;
    }

    c->data = ac;
    c->log = log;
    c->read->log = log;
    c->write->log = log;
    c->read->handler = ngx_http_mcp_redis_read;
    c->write->handler = ngx_http_mcp_redis_write;

    ac->ev.data = c;
    ac->ev.addRead = ngx_http_mcp_redis_add_read;
    ac->ev.delRead = ngx_http_mcp_redis_del_read;
    ac->ev.addWrite = ngx_http_mcp_redis_add_write;
    ac->ev.delWrite = ngx_http_mcp_redis_del_write;
    ac->ev.cleanup = ngx_http_mcp_redis_cleanup;

    return NGX_OK;
}


static void
ngx_http_mcp_redis_read(ngx_event_t *ev)
{
    ngx_connection_t  *c = ev->data;

    redisAsyncHandleRead(c->data);
}


static void
ngx_http_mcp_redis_write(ngx_event_t *ev)
{
    ngx_connection_t  *c = ev->data;

    redisAsyncHandleWrite(c->data);
}


/*
 * Level-triggered on purpose: hiredis 0.14 reads at most 16 KB per call, and
 * an edge-triggered registration would never fire again for the rest.
 */
static void
ngx_http_mcp_redis_add_read(void *data)
{
    ngx_connection_t  *c = data;

    if (!c->read->active) {
        if (ngx_add_event(c->read, NGX_READ_EVENT, NGX_LEVEL_EVENT)
            != NGX_OK)
        {
            ngx_log_error(NGX_LOG_ERR, c->log, 0,
                          "mcp: redis: cannot add read event");
        }
    }
}


static void
ngx_http_mcp_redis_del_read(void *data)
{
    ngx_connection_t  *c = data;

    if (c->read->active) {
        (void) ngx_del_event(c->read, NGX_READ_EVENT, 0);
    }
}


static void
ngx_http_mcp_redis_add_write(void *data)
{
    ngx_connection_t  *c = data;

    if (!c->write->active) {
        if (ngx_add_event(c->write, NGX_WRITE_EVENT, NGX_LEVEL_EVENT)
            != NGX_OK)
        {
            ngx_log_error(NGX_LOG_ERR, c->log, 0,
                          "mcp: redis: cannot add write event");
        }
    }
}


static void
ngx_http_mcp_redis_del_write(void *data)
{
    ngx_connection_t  *c = data;

    if (c->write->active) {
        (void) ngx_del_event(c->write, NGX_WRITE_EVENT, 0);
    }
}


/* hiredis closes the fd right after this hook; release nginx's side only. */
static void
ngx_http_mcp_redis_cleanup(void *data)
{
    ngx_connection_t  *c = data;

    if (c->read->active) {
        (void) ngx_del_event(c->read, NGX_READ_EVENT, NGX_CLOSE_EVENT);
    }

    if (c->write->active) {
        (void) ngx_del_event(c->write, NGX_WRITE_EVENT, NGX_CLOSE_EVENT);
    }

    if (c->read->posted) {
        ngx_delete_posted_event(c->read);
    }

    if (c->write->posted) {
        ngx_delete_posted_event(c->write);
    }

    if (c->read->timer_set) {
        ngx_del_timer(c->read);
    }

    if (c->write->timer_set) {
        ngx_del_timer(c->write);
    }

    ngx_free_connection(c);
    c->fd = (ngx_socket_t) -1;
}
