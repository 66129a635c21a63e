/*
 * audit_link.c: links recorded audit events into the hash chain, a batch
 * at a time, under an advisory lock that gives the chain one order across
 * every agent and the admin CLI.
 */
#include "audit.h"
#include "pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pg_advisory_xact_lock key of the chain's tail ("audit" on a keypad). */
#define AGENT_AUDIT_LOCK "28348"

/* Room for one array element: a bigint or a 64-char hash, and a comma. */
#define AGENT_AUDIT_ELEM 72

typedef struct {
    char  *ids, *seqs, *prevs, *hashes;
    size_t used[4];
} agent_audit_arrays_t;

static int
agent_audit_arrays_init(agent_audit_arrays_t *a, int n)
{
    size_t size = (size_t)n * AGENT_AUDIT_ELEM + 3;

    memset(a, 0, sizeof(*a));
    a->ids = malloc(size);
    a->seqs = malloc(size);
    a->prevs = malloc(size);
    a->hashes = malloc(size);
    if (!a->ids || !a->seqs || !a->prevs || !a->hashes) {
        return -1;
    }
    strcpy(a->ids, "{");
    strcpy(a->seqs, "{");
    strcpy(a->prevs, "{");
    strcpy(a->hashes, "{");
    a->used[0] = a->used[1] = a->used[2] = a->used[3] = 1;
    return 0;
}

static void
agent_audit_arrays_free(agent_audit_arrays_t *a)
{
    free(a->ids);
    free(a->seqs);
    free(a->prevs);
    free(a->hashes);
}

/* Appends one element to array text buf (size checked by the caller's
 * allocation: every element fits AGENT_AUDIT_ELEM). */
static void
agent_audit_push(char *buf, size_t *used, const char *value)
{
    *used += (size_t)sprintf(buf + *used, "%s%s", *used > 1 ? "," : "", value);
}

static void
agent_audit_close(char *buf, size_t *used)
{
    strcpy(buf + *used, "}");
}

/* Computes the links of the pending rows in res after (last, prev) and
 * writes them in one UPDATE. */
static int
agent_audit_write_links(PGconn *pg, const PGresult *res, long long last,
                        char prev[65], char *err, size_t errlen)
{
    agent_audit_arrays_t a;
    const char          *p[4];
    char                 seq[24], hash[65];
    int                  i, n = PQntuples(res), rc = -1;
    PGresult            *up;

    if (agent_audit_arrays_init(&a, n) != 0) {
        snprintf(err, errlen, "out of memory linking audit events");
        goto done;
    }
    for (i = 0; i < n; i++) {
        snprintf(seq, sizeof(seq), "%lld", last + 1 + i);
        if (agent_audit_row_hash_as(res, i, last + 1 + i, prev, hash) != 0) {
            snprintf(err, errlen, "cannot hash audit event %s",
                     PQgetvalue(res, i, 0));
            goto done;
        }
        agent_audit_push(a.ids, &a.used[0], PQgetvalue(res, i, 0));
        agent_audit_push(a.seqs, &a.used[1], seq);
        agent_audit_push(a.prevs, &a.used[2], prev);
        agent_audit_push(a.hashes, &a.used[3], hash);
        memcpy(prev, hash, sizeof(hash));
    }
    agent_audit_close(a.ids, &a.used[0]);
    agent_audit_close(a.seqs, &a.used[1]);
    agent_audit_close(a.prevs, &a.used[2]);
    agent_audit_close(a.hashes, &a.used[3]);
    p[0] = a.ids;
    p[1] = a.seqs;
    p[2] = a.prevs;
    p[3] = a.hashes;
    up = agent_pg_exec(pg,
                       "UPDATE audit_events a SET seq = u.seq, prev_hash = "
                       "u.prev, row_hash = u.hash FROM unnest($1::bigint[], "
                       "$2::bigint[], $3::text[], $4::text[]) AS u(id, seq, "
                       "prev, hash) WHERE a.id = u.id AND a.seq IS NULL",
                       4, p, err, errlen);
    if (up != NULL && atoi(PQcmdTuples(up)) == n) {
        rc = 0;
    } else if (up != NULL) {
        snprintf(err, errlen, "audit events changed while being linked");
    }
    PQclear(up);
done:
    agent_audit_arrays_free(&a);
    return rc;
}

/* Inside the locked transaction: the tail, the pending rows, their links. */
static int
agent_audit_link_locked(PGconn *pg, int max, int *linked, char *err,
                        size_t errlen)
{
    const char *p[1];
    char        prev[65], limit[16];
    long long   last = 0;
    PGresult   *res;
    int         rc;

    res = agent_pg_exec(pg,
                        "SELECT seq, row_hash FROM audit_events "
                        "WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1",
                        0, NULL, err, errlen);
    if (res == NULL) {
        return -1;
    }
    snprintf(prev, sizeof(prev), "%s", AGENT_AUDIT_GENESIS);
    if (PQntuples(res) == 1) {
        last = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        snprintf(prev, sizeof(prev), "%s", PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    snprintf(limit, sizeof(limit), "%d", max);
    p[0] = limit;
    res = agent_pg_exec(pg,
                        "SELECT " AGENT_AUDIT_CHAIN_COLUMNS
                        " FROM audit_events WHERE seq IS NULL "
                        "ORDER BY id LIMIT $1::int",
                        1, p, err, errlen);
    if (res == NULL) {
        return -1;
    }
    rc = PQntuples(res) == 0
             ? 0
             : agent_audit_write_links(pg, res, last, prev, err, errlen);
    *linked = rc == 0 ? PQntuples(res) : 0;
    PQclear(res);
    return rc;
}

int
agent_audit_link_pending(PGconn *pg, int max, int wait, int *linked,
                         char *err, size_t errlen)
{
    PGresult *res;
    int       got, rc = -1;

    *linked = 0;
    res = agent_pg_exec(pg, "BEGIN", 0, NULL, err, errlen);
    PQclear(res);
    if (res == NULL) {
        return -1;
    }
    res = agent_pg_exec(pg,
                        wait ? "SELECT pg_advisory_xact_lock(" AGENT_AUDIT_LOCK
                               "), true"
                             : "SELECT true, pg_try_advisory_xact_lock("
                               AGENT_AUDIT_LOCK ")",
                        0, NULL, err, errlen);
    got = res != NULL && strcmp(PQgetvalue(res, 0, 1), "t") == 0;
    PQclear(res);
    if (res != NULL) {
        rc = got ? agent_audit_link_locked(pg, max, linked, err, errlen) : 0;
    }
    if (rc == 0) {
        res = agent_pg_exec(pg, "COMMIT", 0, NULL, err, errlen);
        PQclear(res);
        return res == NULL ? -1 : 0;
    }
    *linked = 0;
    PQclear(PQexec(pg, "ROLLBACK"));
    return -1;
}
