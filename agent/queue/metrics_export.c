/*
 * metrics_export.c: a fixed table of labelled series behind one mutex,
 * updated by the workers and written as one HSET by the maintenance thread.
 */
#include "metrics_export.h"
#include "../../shared/protocol/keys.h"
#include "../../shared/protocol/metric.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define AGENT_METRICS_SERIES 1024
#define AGENT_METRICS_FIELD  384
#define AGENT_METRICS_LABEL  80

typedef struct {
    char   field[AGENT_METRICS_FIELD]; /* name{labels} */
    double value;
} agent_series_t;

static pthread_mutex_t agent_metrics_lock = PTHREAD_MUTEX_INITIALIZER;
static agent_series_t  agent_metrics[AGENT_METRICS_SERIES];
static int             agent_metrics_n;

/* device call latency buckets, seconds */
static const char *agent_metrics_le[] = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5",
    "1",     "2.5",  "5",     "10",   "30",  "+Inf"};
static const double agent_metrics_bound[] = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 1e300};

/* Adds delta to the series named field (created at 0); lock held. The
 * table is sized far beyond tools x devices; a full table drops series. */
static void
agent_metrics_add_locked(const char *field, double delta)
{
    int i;

    for (i = 0; i < agent_metrics_n; i++) {
        if (strcmp(agent_metrics[i].field, field) == 0) {
            agent_metrics[i].value += delta;
            return;
        }
    }
    if (agent_metrics_n == AGENT_METRICS_SERIES) {
        return;
    }
    snprintf(agent_metrics[i].field, AGENT_METRICS_FIELD, "%s", field);
    agent_metrics[i].value = delta;
    agent_metrics_n++;
}

void
agent_metrics_job(const char *tool, const json_t *result, mcp_err_t err)
{
    char t[AGENT_METRICS_LABEL], o[AGENT_METRICS_LABEL];
    char field[AGENT_METRICS_FIELD];

    mcp_metric_label_value(t, sizeof(t), tool);
    mcp_metric_label_value(
        o, sizeof(o),
        result == NULL ? mcp_err_name(err)
        : json_is_true(json_object_get(result, "isError")) ? "tool_error"
                                                           : "ok");
    snprintf(field, sizeof(field),
             "mcp_agent_jobs_total{tool=\"%s\",outcome=\"%s\"}", t, o);
    pthread_mutex_lock(&agent_metrics_lock);
    agent_metrics_add_locked(field, 1);
    pthread_mutex_unlock(&agent_metrics_lock);
}

void
agent_metrics_device_call(const char *device, const char *transport,
                          double ms, const char *reason)
{
    char   d[AGENT_METRICS_LABEL], tr[AGENT_METRICS_LABEL];
    char   why[AGENT_METRICS_LABEL], field[AGENT_METRICS_FIELD];
    double s = ms / 1000.0;
    size_t i;

    mcp_metric_label_value(d, sizeof(d), device);
    mcp_metric_label_value(tr, sizeof(tr), transport);
    pthread_mutex_lock(&agent_metrics_lock);
    for (i = 0; i < sizeof(agent_metrics_bound) / sizeof(double); i++) {
        snprintf(field, sizeof(field),
                 "mcp_agent_device_call_duration_seconds_bucket{device=\"%s\","
                 "transport=\"%s\",le=\"%s\"}",
                 d, tr, agent_metrics_le[i]);
        agent_metrics_add_locked(field, s <= agent_metrics_bound[i]);
    }
    snprintf(field, sizeof(field),
             "mcp_agent_device_call_duration_seconds_count{device=\"%s\","
             "transport=\"%s\"}",
             d, tr);
    agent_metrics_add_locked(field, 1);
    snprintf(field, sizeof(field),
             "mcp_agent_device_call_duration_seconds_sum{device=\"%s\","
             "transport=\"%s\"}",
             d, tr);
    agent_metrics_add_locked(field, s);
    if (reason != NULL) {
        mcp_metric_label_value(why, sizeof(why), reason);
        snprintf(field, sizeof(field),
                 "mcp_agent_device_errors_total{device=\"%s\","
                 "transport=\"%s\",reason=\"%s\"}",
                 d, tr, why);
        agent_metrics_add_locked(field, 1);
    }
    pthread_mutex_unlock(&agent_metrics_lock);
}

int
agent_metrics_export(agent_redis_t *r, const char *agent_id, int queued,
                     int running, char *err, size_t errlen)
{
    static char  fields[AGENT_METRICS_SERIES + 2][AGENT_METRICS_FIELD];
    static char  values[AGENT_METRICS_SERIES + 2][32];
    static const char *argv[2 + 2 * (AGENT_METRICS_SERIES + 2)];
    char         key[MCP_KEY_MAX], ttl[16];
    const char  *expire[] = {"EXPIRE", key, ttl};
    redisReply  *reply;
    int          i, n, argc = 0;

    /* only the maintenance thread exports: the static buffers are its */
    pthread_mutex_lock(&agent_metrics_lock);
    for (n = 0; n < agent_metrics_n; n++) {
        memcpy(fields[n], agent_metrics[n].field, AGENT_METRICS_FIELD);
        snprintf(values[n], sizeof(values[n]), "%.15g",
                 agent_metrics[n].value);
    }
    pthread_mutex_unlock(&agent_metrics_lock);
    snprintf(fields[n], AGENT_METRICS_FIELD, "mcp_agent_jobs_queued");
    snprintf(values[n++], sizeof(values[0]), "%d", queued);
    snprintf(fields[n], AGENT_METRICS_FIELD, "mcp_agent_jobs_running");
    snprintf(values[n++], sizeof(values[0]), "%d", running);

    snprintf(key, sizeof(key), MCP_KEY_AGENT_METRICS_FMT, agent_id);
    snprintf(ttl, sizeof(ttl), "%d", MCP_AGENT_HEARTBEAT_TTL_S);
    argv[argc++] = "HSET";
    argv[argc++] = key;
    for (i = 0; i < n; i++) {
        argv[argc++] = fields[i];
        argv[argc++] = values[i];
    }
    reply = agent_redis_cmd(r, err, errlen, argc, argv);
    if (reply == NULL) {
        return -1;
    }
    freeReplyObject(reply);
    reply = agent_redis_cmd(r, err, errlen, 3, expire);
    freeReplyObject(reply);
    return reply ? 0 : -1;
}
