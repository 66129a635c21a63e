/*
 * pg.h: PostgreSQL connections of the agent and the admin CLI: connect,
 * reconnect, the schema version check, and small query helpers.
 */
#ifndef AGENT_DB_PG_H
#define AGENT_DB_PG_H

#include <libpq-fe.h>
#include <stddef.h>

/* The newest migration this build knows (migrations/NNNN_*.sql). */
#define AGENT_SCHEMA_VERSION 7

/* Connects; NULL with err set (libpq's message) on failure. */
PGconn *agent_pg_connect(const char *conninfo, char *err, size_t errlen);

/* Resets a broken connection; 0 when it is usable afterwards. */
int agent_pg_ensure(PGconn *pg);

/* Highest applied migration (0 when schema_migrations is absent), or -1. */
int agent_pg_schema_version(PGconn *pg, char *err, size_t errlen);

/*
 * Refuses an outdated schema: 0 when the schema is at AGENT_SCHEMA_VERSION,
 * else -1 with "database schema is at version N, this agent needs M: run
 * routeros-mcp-admin migrate" in err.
 */
int agent_pg_check_schema(PGconn *pg, char *err, size_t errlen);

/*
 * Runs a parameterised statement (text params, text results). Returns the
 * result when its status is COMMAND_OK or TUPLES_OK, else NULL with err
 * set. The caller PQclear()s.
 */
PGresult *agent_pg_exec(PGconn *pg, const char *sql, int nparams,
                        const char *const *params, char *err, size_t errlen);

/*
 * agent_pg_exec without a result: *rows (may be NULL) gets the number of
 * rows returned or changed. 0, or -1 with err set.
 */
int agent_pg_run(PGconn *pg, const char *sql, int nparams,
                 const char *const *params, int *rows, char *err,
                 size_t errlen);

/* ROLLBACK of the open transaction, errors ignored (the caller already
 * failed). */
void agent_pg_abort(PGconn *pg);

#endif
