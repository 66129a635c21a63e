/*
 * view.h: the JSON document of one job (row, device steps, final report),
 * served by job://{job_id}, get_job_status and `routeros-mcp-admin job
 * show`.
 */
#ifndef AGENT_JOBS_VIEW_H
#define AGENT_JOBS_VIEW_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stddef.h>

/* The document (caller owns), or NULL: *missing set when there is no such
 * job, else err holds the database error. */
json_t *agent_job_document(PGconn *pg, const char *id, int *missing,
                           char *err, size_t errlen);

#endif
