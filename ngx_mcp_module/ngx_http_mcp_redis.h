/*
 * ngx_http_mcp_redis.h: the hiredis-to-nginx event adapter, used only by the
 * Redis connection state machine (ngx_http_mcp_redis.c).
 */
#ifndef NGX_HTTP_MCP_REDIS_H
#define NGX_HTTP_MCP_REDIS_H

#include <hiredis/async.h>

/* Hooks ac's socket into nginx's event loop; NGX_OK or NGX_ERROR. */
ngx_int_t ngx_http_mcp_redis_attach(redisAsyncContext *ac, ngx_log_t *log);

#endif
