/*
 * pg.c: libpq connection handling and the schema version gate every
 * process passes before it touches a table.
 */
#include "pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
agent_pg_msg(PGconn *pg, char *err, size_t errlen)
{
    size_t n;

    snprintf(err, errlen, "%s", PQerrorMessage(pg));
    n = strlen(err);
    while (n > 0 && (err[n - 1] == '\n' || err[n - 1] == ' ')) {
        err[--n] = '\0';
    }
}

/* libpq prints notices (e.g. "relation already exists, skipping") to
 * stderr by default; they are not errors, so they are dropped. */
static void
agent_pg_quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

PGconn *
agent_pg_connect(const char *conninfo, char *err, size_t errlen)
{
    PGconn *pg = PQconnectdb(conninfo);

    if (pg == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (PQstatus(pg) != CONNECTION_OK) {
        agent_pg_msg(pg, err, errlen);
        PQfinish(pg);
        return NULL;
    }
    PQsetNoticeProcessor(pg, agent_pg_quiet, NULL);
    return pg;
}

int
agent_pg_ensure(PGconn *pg)
{
    if (PQstatus(pg) == CONNECTION_OK) {
        return 0;
    }
    PQreset(pg);
    return PQstatus(pg) == CONNECTION_OK ? 0 : -1;
}

PGresult *
agent_pg_exec(PGconn *pg, const char *sql, int nparams,
              const char *const *params, char *err, size_t errlen)
{
    PGresult      *res;
    ExecStatusType st;

    PGTransactionStatusType before;

    if (agent_pg_ensure(pg) != 0) {
        agent_pg_msg(pg, err, errlen);
        return NULL;
    }
    before = PQtransactionStatus(pg);
    res = PQexecParams(pg, sql, nparams, NULL, params, NULL, NULL, 0);
    st = PQresultStatus(res);
    /* a server restart shows only on the next statement: outside a
     * transaction nothing was lost with the old connection, so the
     * statement is sent once more on a new one */
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
        before == PQTRANS_IDLE && PQstatus(pg) == CONNECTION_BAD &&
        agent_pg_ensure(pg) == 0) {
        PQclear(res);
        res = PQexecParams(pg, sql, nparams, NULL, params, NULL, NULL, 0);
        st = PQresultStatus(res);
    }
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        snprintf(err, errlen, "%s",
                 res ? PQresultErrorMessage(res) : PQerrorMessage(pg));
        err[strcspn(err, "\n")] = '\0';
        PQclear(res);
        return NULL;
    }
    return res;
}

int
agent_pg_run(PGconn *pg, const char *sql, int nparams,
             const char *const *params, int *rows, char *err, size_t errlen)
{
    PGresult *res = agent_pg_exec(pg, sql, nparams, params, err, errlen);

    if (res == NULL) {
        return -1;
    }
    if (rows != NULL) {
        *rows = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res)
                : atoi(PQcmdTuples(res));
    }
    PQclear(res);
    return 0;
}

void
agent_pg_abort(PGconn *pg)
{
    char err[128];

    agent_pg_run(pg, "ROLLBACK", 0, NULL, NULL, err, sizeof(err));
}

int
agent_pg_schema_version(PGconn *pg, char *err, size_t errlen)
{
    PGresult *res;
    int       v;

    res = agent_pg_exec(pg, "SELECT to_regclass('schema_migrations') IS NULL",
                        0, NULL, err, errlen);
    if (res == NULL) {
        return -1;
    }
    v = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (v) {
        return 0;
    }
    res = agent_pg_exec(pg,
                        "SELECT coalesce(max(version), 0) "
                        "FROM schema_migrations",
                        0, NULL, err, errlen);
    if (res == NULL) {
        return -1;
    }
    v = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return v;
}

int
agent_pg_check_schema(PGconn *pg, char *err, size_t errlen)
{
    int v = agent_pg_schema_version(pg, err, errlen);

    if (v < 0) {
        return -1;
    }
    if (v < AGENT_SCHEMA_VERSION) {
        snprintf(err, errlen,
                 "database schema is at version %d, this agent "
                 "needs %d: run routeros-mcp-admin migrate",
                 v, AGENT_SCHEMA_VERSION);
        return -1;
    }
    if (v > AGENT_SCHEMA_VERSION) {
        snprintf(err, errlen,
                 "database schema is at version %d, newer than "
                 "this agent's %d: upgrade the agent",
                 v, AGENT_SCHEMA_VERSION);
        return -1;
    }
    return 0;
}
