/*
 * tool.h: what a tool handler receives (the job, its connections, its
 * deadline) and how it answers: a CallToolResult or a protocol error.
 */
#ifndef AGENT_TOOLS_TOOL_H
#define AGENT_TOOLS_TOOL_H

#include "../../shared/catalog/catalog.h"
#include "../../shared/protocol/errors.h"
#include "../../shared/protocol/job.h"
#include "../core/config.h"
#include "../db/devices.h"
#include "../queue/redis_conn.h"
#include "../routeros/rest.h"

#include <jansson.h>
#include <libpq-fe.h>
#include <stdint.h>

typedef struct {
    const agent_config_t *cfg;
    PGconn               *pg;    /* the worker's own connection */
    agent_redis_t        *redis; /* the worker's own connection */
    agent_rest_t         *rest;  /* the worker's own curl handle */
    const mcp_job_t      *job;
    const mcp_tool_t     *tool;          /* catalog entry */
    const mcp_catalog_t  *catalog;       /* for resources reusing tools */
    int64_t               deadline;      /* epoch ms */
    char                  device_id[65]; /* device the call touched, audit */
    /* Transport of the device reads (agent_device_read): NULL before the
     * first, "ssh" once any read went over SSH; stamped onto the result. */
    const char *transport;
    int         fallback_used;  /* an SSH read replaced a failed REST one */
    char        rest_error[256];
} agent_ctx_t;

typedef struct {
    json_t   *result; /* CallToolResult; NULL for a protocol error */
    mcp_err_t err;    /* when result is NULL */
    char      message[512];
    /* The job stopped at a safe point (agent shutting down, PostgreSQL
     * away) and continues on another agent: no answer, no ack, so the
     * entry is redelivered (agent/jobs/). */
    int handed_off;
} agent_outcome_t;

typedef void (*agent_tool_fn)(agent_ctx_t *ctx, const json_t *args,
                              agent_outcome_t *out);

typedef struct {
    const char   *name; /* catalog name */
    agent_tool_fn run;
} agent_tool_def_t;

/* Result with a short text and the full data (structured is stolen, may be
 * NULL); is_error marks device-side failures. */
void agent_result(agent_outcome_t *out, int is_error, json_t *structured,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Adds "_meta" (stolen) to an already built result. */
void agent_result_meta(agent_outcome_t *out, json_t *meta);

/* Protocol error (JSON-RPC error record). */
void agent_fail(agent_outcome_t *out, mcp_err_t err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Loads device id (its credential only with with_secret) and checks it is
 * registered and in this service's environment; role ("" or "target ")
 * starts the messages. 0, or -1 with out set and nothing to release.
 */
int agent_tool_device_env(agent_ctx_t *ctx, const char *role, const char *id,
                          int with_secret, agent_device_t *dev,
                          agent_outcome_t *out);

/*
 * Loads the device named by args.device_id with its secret and applies the
 * environment and tier gates of the tool. 0 when dev is ready (release it
 * with agent_device_release), -1 when out already holds the error.
 */
int agent_tool_device(agent_ctx_t *ctx, const json_t *args, agent_device_t *dev,
                      agent_outcome_t *out);

/* Emits a progress record when the client asked for progress. */
void agent_progress(agent_ctx_t *ctx, double progress, double total,
                    const char *message);

#endif
