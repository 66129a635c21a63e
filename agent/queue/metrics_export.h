/*
 * metrics_export.h: the agent's own counters (jobs, device call latency,
 * device errors), kept in memory and written to Redis for /metrics.
 */
#ifndef AGENT_QUEUE_METRICS_EXPORT_H
#define AGENT_QUEUE_METRICS_EXPORT_H

#include "redis_conn.h"
#include "../../shared/protocol/errors.h"

#include <jansson.h>

/* mcp_agent_jobs_total{tool,outcome}: outcome "ok", "tool_error" (a
 * result with isError) or the error's reason when result is NULL. */
void agent_metrics_job(const char *tool, const json_t *result, mcp_err_t err);

/* mcp_agent_device_call_duration_seconds{device,transport} and, when
 * reason is not NULL, mcp_agent_device_errors_total{device,transport,
 * reason}. Thread-safe like agent_metrics_job. */
void agent_metrics_device_call(const char *device, const char *transport,
                               double ms, const char *reason);

/* Writes every series plus the gauges mcp_agent_jobs_queued and
 * mcp_agent_jobs_running into the hash MCP_KEY_AGENT_METRICS_FMT with the
 * heartbeat's TTL; 0 or -1 (err filled). */
int agent_metrics_export(agent_redis_t *r, const char *agent_id, int queued,
                         int running, char *err, size_t errlen);

#endif
