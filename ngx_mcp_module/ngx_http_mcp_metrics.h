/*
 * ngx_http_mcp_metrics.h: counters, gauges and a latency histogram kept in
 * shared memory across workers; any file of the module may record into them.
 */
#ifndef NGX_HTTP_MCP_METRICS_H
#define NGX_HTTP_MCP_METRICS_H

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

/* mcp_requests_total{method,status} */
void ngx_http_mcp_metrics_request(const char *method, ngx_uint_t status);

/* mcp_tool_calls_total{tool,outcome} and mcp_tool_call_duration_seconds */
void ngx_http_mcp_metrics_tool_call(const char *tool, const char *outcome,
    ngx_msec_t elapsed);

/* mcp_auth_failures_total{reason} */
void ngx_http_mcp_metrics_auth_failure(const char *reason);

/* mcp_auth_jwt_cache_total{outcome}: "hit" or "miss" */
void ngx_http_mcp_metrics_jwt_cache(const char *outcome);

/* mcp_rate_limited_total{rate_class} */
void ngx_http_mcp_metrics_rate_limited(const char *rate_class);

/* mcp_redis_reconnects_total */
void ngx_http_mcp_metrics_redis_reconnect(void);

/* gauges mcp_sse_streams and mcp_subscriptions: add delta (+1/-1) */
void ngx_http_mcp_metrics_sse_streams(ngx_int_t delta);
void ngx_http_mcp_metrics_subscriptions(ngx_int_t delta);

/*
 * The agents' series (from Redis, without blocking) after own, the
 * module's rendered series; sends both or finishes r later (NGX_DONE).
 */
ngx_int_t ngx_http_mcp_metrics_agents(ngx_http_request_t *r, ngx_buf_t *own);

/* Sends own and agents (NULL: none) as the /metrics answer. */
ngx_int_t ngx_http_mcp_metrics_send(ngx_http_request_t *r, ngx_buf_t *own,
    ngx_buf_t *agents);

#endif
