/*
 * audit.h: the one way an audit event is written (redacted, hash-chained,
 * serialised across agents) and the row hash that `audit verify` checks.
 */
#ifndef AGENT_DB_AUDIT_H
#define AGENT_DB_AUDIT_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stddef.h>

/* What happened; NULL strings are stored as NULL (subject, action and
 * outcome are required). parameters and meta are copied with every value
 * under a secret-looking key replaced by "[redacted]". */
typedef struct {
    const char   *subject; /* token subject, "admin-cli", ... */
    const char   *action;  /* TOOL_CALL, DEVICE_WRITE, PLAN_APPROVED ... */
    const char   *tool;
    const char   *tier;
    const char   *device_id;
    const char   *environment;
    const char   *plan_id;
    const char   *job_id;
    const json_t *parameters; /* object or NULL */
    const char   *outcome;    /* SUCCESS | FAILURE | ERROR | PARTIAL */
    const char   *error;
    const json_t *meta; /* object or NULL */
} agent_audit_event_t;

/*
 * Records ev. Inside an open transaction of the caller the row commits (or
 * rolls back) with it; otherwise the insert is its own statement. The row
 * is durable at return but not yet linked into the chain: the linker
 * (agent_audit_link_pending) gives it its seq, prev_hash and row_hash,
 * normally within milliseconds. 0, or -1 with err set.
 */
int agent_audit_append(PGconn *pg, const agent_audit_event_t *ev, char *err,
                       size_t errlen);

/*
 * Runs sql (the change the event records, e.g. an INSERT of a plan) and
 * appends ev in one transaction: both happen or neither. 0, or -1.
 */
int agent_audit_append_with(PGconn *pg, const char *sql, int nparams,
                            const char *const         *params,
                            const agent_audit_event_t *ev, char *err,
                            size_t errlen);

/*
 * Links up to max events still waiting (seq IS NULL), oldest id first, as
 * the next links of the chain, in one transaction under the chain's
 * advisory lock. With wait 0 it returns at once (*linked = 0) when another
 * linker holds the lock; with wait 1 it waits for it. 0, or -1 with err.
 */
int agent_audit_link_pending(PGconn *pg, int max, int wait, int *linked,
                             char *err, size_t errlen);

/* Called after every event recorded outside a caller's transaction (the
 * agent wakes its linker thread with it); NULL (the default) for none. */
void agent_audit_set_notify(void (*fn)(void));

/* The genesis prev_hash of the first chained event. */
#define AGENT_AUDIT_GENESIS                                                    \
    "0000000000000000000000000000000000000000000000000000000000000000"

/* The columns agent_audit_row_hash() reads, in its order, for a SELECT
 * FROM audit_events; the last column is the stored row_hash. */
#define AGENT_AUDIT_CHAIN_COLUMNS                                              \
    "id, seq, to_char(timestamp AT TIME ZONE 'UTC', "                          \
    "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), user_sub, action, tool_name, "      \
    "tool_tier, device_id, environment, plan_id, job_id, parameters::text, "   \
    "result, error_message, meta::text, prev_hash, row_hash"

/* Column index of prev_hash and row_hash in AGENT_AUDIT_CHAIN_COLUMNS. */
#define AGENT_AUDIT_COL_PREV 15
#define AGENT_AUDIT_COL_HASH 16

/*
 * SHA-256 (hex) of the canonical form of row `row` of res (selected with
 * AGENT_AUDIT_CHAIN_COLUMNS): a JSON object of its content and prev_hash,
 * keys sorted, compact. 0, or -1 when it cannot be encoded.
 */
int agent_audit_row_hash(const PGresult *res, int row, char out[65]);

/* The same for a row about to be linked: its canonical form with seq and
 * prev_hash set to the given values. */
int agent_audit_row_hash_as(const PGresult *res, int row, long long seq,
                            const char *prev, char out[65]);

/* A copy of v with the value of every secret-looking key (password,
 * secret, token, key, ...) replaced by "[redacted]", at any depth. */
json_t *agent_audit_redact(const json_t *v);

#endif
