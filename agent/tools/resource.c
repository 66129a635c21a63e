/*
 * resource.c: reads /system/resource replies into numbers; a missing or
 * malformed field stays unknown (null in results) instead of zero.
 */
#include "resource.h"
#include "../routeros/values.h"

#include <math.h>
#include <string.h>

void
agent_resource_parse(const json_t *reply, agent_resource_t *r)
{
    int64_t us;

    memset(r, 0, sizeof(*r));
    r->version = agent_ros_field_str(reply, "version");
    r->board = agent_ros_field_str(reply, "board-name");
    r->architecture = agent_ros_field_str(reply, "architecture-name");
    r->has_cpu_load =
        agent_ros_field_number(reply, "cpu-load", &r->cpu_load) == 0;
    r->has_cpu_count =
        agent_ros_field_int(reply, "cpu-count", &r->cpu_count) == 0;
    r->has_memory =
        agent_ros_field_int(reply, "total-memory", &r->total_memory) == 0 &&
        agent_ros_field_int(reply, "free-memory", &r->free_memory) == 0 &&
        r->total_memory > 0 && r->free_memory >= 0 &&
        r->free_memory <= r->total_memory;
    if (agent_ros_duration_us(agent_ros_field_str(reply, "uptime"), &us) == 0) {
        r->has_uptime = 1;
        r->uptime_s = us / 1000000;
    }
}

double
agent_resource_mem_percent(const agent_resource_t *r)
{
    double p;

    if (!r->has_memory) {
        return -1;
    }
    p = (double)(r->total_memory - r->free_memory) * 100.0 /
        (double)r->total_memory;
    return round(p * 100.0) / 100.0;
}

json_t *
agent_json_num_or_null(int known, double v)
{
    return known ? json_real(v) : json_null();
}

json_t *
agent_json_int_or_null(int known, int64_t v)
{
    return known ? json_integer((json_int_t)v) : json_null();
}
