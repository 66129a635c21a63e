/*
 * resource.h: the figures tools read from GET /rest/system/resource
 * (CPU, memory, uptime, version, board), parsed from RouterOS strings.
 */
#ifndef AGENT_TOOLS_RESOURCE_H
#define AGENT_TOOLS_RESOURCE_H

#include <jansson.h>
#include <stdint.h>

typedef struct {
    const char *version; /* "7.16.2 (stable)"; borrowed from reply */
    const char *board;
    const char *architecture;
    int         has_cpu_load, has_cpu_count, has_memory, has_uptime;
    double      cpu_load; /* percent */
    int64_t     cpu_count;
    int64_t     total_memory, free_memory; /* bytes */
    int64_t     uptime_s;
} agent_resource_t;

void agent_resource_parse(const json_t *reply, agent_resource_t *r);

/* Memory use in percent, or -1 when unknown. */
double agent_resource_mem_percent(const agent_resource_t *r);

/* json_real(v) or json_null() when !known. */
json_t *agent_json_num_or_null(int known, double v);
json_t *agent_json_int_or_null(int known, int64_t v);

#endif
