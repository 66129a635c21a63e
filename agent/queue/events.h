/*
 * events.h: writes the records of a job's event stream
 * (mcp:job:{id}:events): progress as it happens, and the final record
 * together with the wake-up and the ack in one MULTI/EXEC.
 */
#ifndef AGENT_QUEUE_EVENTS_H
#define AGENT_QUEUE_EVENTS_H

#include "redis_conn.h"
#include "../../shared/protocol/job.h"

#include <jansson.h>
#include <stddef.h>

/* XADD a progress/log record and PUBLISH the job id on notify. 0 or -1. */
int agent_events_emit(agent_redis_t *r, const char *job_id, const char *notify,
                      const char *type, const char *data, char *err,
                      size_t errlen);

/* agent_events_emit of data (stolen, may be NULL) as compact JSON; a record
 * that cannot be written is logged and dropped. */
void agent_events_emit_json(agent_redis_t *r, const mcp_job_t *job,
                            const char *type, json_t *data);

/* 1 when the stream already ends with a result or error record, 0 when
 * not, -1 on a Redis error (at-least-once delivery makes this check the
 * idempotency guard). */
int agent_events_finished(agent_redis_t *r, const char *job_id, char *err,
                          size_t errlen);

/*
 * In one MULTI/EXEC: XADD the final record (type result|error), EXPIRE the
 * stream, PUBLISH the job id on notify, XACK entry_id in mcp:jobs. 0 or -1.
 */
int agent_events_finish(agent_redis_t *r, const char *job_id,
                        const char *notify, const char *type, const char *data,
                        const char *entry_id, char *err, size_t errlen);

#endif
