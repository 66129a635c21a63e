/*
 * metric.h: the field names of an agent's metrics hash (agent writes, the
 * module's /metrics reads): "name{k="v",...}" in Prometheus text syntax.
 */
#ifndef MCP_PROTOCOL_METRIC_H
#define MCP_PROTOCOL_METRIC_H

#include <stddef.h>

/*
 * Every field starts with this prefix. The type follows the name's suffix:
 * _total counter; _bucket, _sum, _count histogram (le is the last label of
 * a bucket); anything else a gauge. Values are decimal numbers.
 */
#define MCP_METRIC_AGENT_PREFIX "mcp_agent_"

/* printf format taking the agent id: the hash of the agent's metrics,
 * written with each heartbeat, TTL MCP_AGENT_HEARTBEAT_TTL_S */
#define MCP_KEY_AGENT_METRICS_FMT "mcp:agent:%s:metrics"

/* Copies value into dst (size bytes, NUL-terminated) with every byte
 * outside [A-Za-z0-9_./:+-] replaced by '_', so it is a safe label value. */
void mcp_metric_label_value(char *dst, size_t size, const char *value);

/* 1 when every byte of s[0..len) may stand in a label value. */
int mcp_metric_label_ok(const char *s, size_t len);

/* 1 when s[0..len) is a well-formed field: the prefix, [a-z0-9_] name,
 * optional {k="v",...} with keys [a-z_] and values as above. */
int mcp_metric_field_ok(const char *s, size_t len);

/* 1 when s[0..len) is a decimal number (digits, '.', 'e', sign). */
int mcp_metric_value_ok(const char *s, size_t len);

#endif
