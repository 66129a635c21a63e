/*
 * audit_cmd.c: `routeros-mcp-admin audit verify|list`: walks the hash chain
 * of audit_events naming the first broken event, and lists recent events.
 */
#include "admin.h"
#include "../db/audit.h"
#include "../db/pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADMIN_AUDIT_BATCH "1000"
#define ADMIN_AUDIT_STALE "60 seconds"

typedef struct {
    long long seq;      /* seq of the last event checked */
    char      prev[65]; /* its row_hash */
    long long count;
    char      broken[512]; /* why the chain is broken, "" while intact */
} admin_chain_t;

/* Checks one event against its predecessor; 0 while the chain holds. */
static int
admin_audit_check(admin_chain_t *c, const PGresult *res, int row)
{
    const char *id = PQgetvalue(res, row, 0);
    const char *stored = PQgetvalue(res, row, AGENT_AUDIT_COL_HASH);
    const char *prev = PQgetvalue(res, row, AGENT_AUDIT_COL_PREV);
    long long   seq = strtoll(PQgetvalue(res, row, 1), NULL, 10);
    char        hash[65];

    if (seq != c->seq + 1) {
        snprintf(c->broken, sizeof(c->broken),
                 "event %s (seq %lld): the events before it (seq %lld..%lld) "
                 "are missing",
                 id, seq, c->seq + 1, seq - 1);
    } else if (agent_audit_row_hash(res, row, hash) != 0) {
        snprintf(c->broken, sizeof(c->broken),
                 "event %s (seq %lld): cannot be hashed", id, seq);
    } else if (PQgetisnull(res, row, AGENT_AUDIT_COL_HASH) ||
               strcmp(hash, stored) != 0) {
        snprintf(c->broken, sizeof(c->broken),
                 "event %s (seq %lld): its content does not match its "
                 "row_hash (altered)",
                 id, seq);
    } else if (PQgetisnull(res, row, AGENT_AUDIT_COL_PREV) ||
               strcmp(prev, c->prev) != 0) {
        snprintf(c->broken, sizeof(c->broken),
                 "event %s (seq %lld): its prev_hash does not match the "
                 "event before it (deleted, altered or reordered)",
                 id, seq);
    } else {
        c->seq = seq;
        snprintf(c->prev, sizeof(c->prev), "%s", stored);
        c->count++;
        return 0;
    }
    return -1;
}

/* Walks the chain in seq order, a batch at a time. */
static int
admin_audit_walk(PGconn *pg, admin_chain_t *c, char *err, size_t errlen)
{
    const char *p[1];
    char        after[24];
    int         i, n;

    do {
        PGresult *res;

        snprintf(after, sizeof(after), "%lld", c->seq);
        p[0] = after;
        res = agent_pg_exec(pg,
                            "SELECT " AGENT_AUDIT_CHAIN_COLUMNS
                            " FROM audit_events WHERE seq > $1 "
                            "ORDER BY seq LIMIT " ADMIN_AUDIT_BATCH,
                            1, p, err, errlen);
        if (res == NULL) {
            return -1;
        }
        n = PQntuples(res);
        for (i = 0; i < n && c->broken[0] == '\0'; i++) {
            admin_audit_check(c, res, i);
        }
        PQclear(res);
    } while (n > 0 && c->broken[0] == '\0');
    return 0;
}

/* Events recorded but not linked yet: an agent's linker chains them within
 * moments, so one still waiting after ADMIN_AUDIT_STALE is reported (taken
 * out of the chain, or no agent has run since it was written). */
static int
admin_audit_pending(PGconn *pg, admin_chain_t *c, long long *pending,
                    char *err, size_t errlen)
{
    PGresult *res;

    res = agent_pg_exec(
        pg,
        "SELECT count(*), min(id) FILTER (WHERE timestamp < now() - "
        "interval '" ADMIN_AUDIT_STALE "') FROM audit_events WHERE seq IS NULL",
        0, NULL, err, errlen);
    if (res == NULL) {
        return -1;
    }
    *pending = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    if (!PQgetisnull(res, 0, 1)) {
        snprintf(c->broken, sizeof(c->broken),
                 "event %s: not linked into the chain " ADMIN_AUDIT_STALE
                 " after it was recorded (taken out of the chain, or no "
                 "agent has run since)",
                 PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return 0;
}

static int
admin_audit_verify(PGconn *pg)
{
    admin_chain_t c;
    char          err[1024];
    long long     pending = 0;

    memset(&c, 0, sizeof(c));
    snprintf(c.prev, sizeof(c.prev), "%s", AGENT_AUDIT_GENESIS);
    if (admin_audit_walk(pg, &c, err, sizeof(err)) != 0 ||
        (c.broken[0] == '\0' &&
         admin_audit_pending(pg, &c, &pending, err, sizeof(err)) != 0)) {
        fprintf(stderr, "routeros-mcp-admin: audit verify: %s\n", err);
        return 3;
    }
    if (c.broken[0] != '\0') {
        printf("audit chain broken at %s; %lld events verified before it\n",
               c.broken, c.count);
        return 1;
    }
    printf("%lld events, chain intact", c.count);
    if (pending > 0) {
        printf(" (%lld more recorded, waiting to be linked)", pending);
    }
    printf("\n");
    return 0;
}

static int
admin_audit_list(PGconn *pg, int argc, char **argv)
{
    const char *p[2] = {NULL, "20"};
    char        err[1024];
    PGresult   *res;
    int         i;

    for (i = 0; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--device") == 0) {
            p[0] = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--limit") == 0 &&
                   strspn(argv[i + 1], "0123456789") == strlen(argv[i + 1]) &&
                   atoi(argv[i + 1]) > 0) {
            p[1] = argv[++i];
        } else {
            return 2;
        }
    }
    res = agent_pg_exec(
        pg,
        "SELECT id, coalesce(seq::text, '-'), to_char(timestamp AT TIME ZONE "
        "'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), user_sub, action, "
        "coalesce(tool_name, '-'), coalesce(device_id, '-'), "
        "coalesce(plan_id, '-'), result, coalesce(error_message, '') "
        "FROM audit_events WHERE $1::text IS NULL OR device_id = $1 "
        "ORDER BY id DESC LIMIT $2::int",
        2, p, err, sizeof(err));
    if (res == NULL) {
        fprintf(stderr, "routeros-mcp-admin: audit list: %s\n", err);
        return 1;
    }
    printf("%-8s %-8s %-20s %-16s %-26s %-28s %-16s %-8s %s\n", "ID", "SEQ",
           "TIME", "SUBJECT", "ACTION", "TOOL", "DEVICE", "OUTCOME", "PLAN");
    for (i = 0; i < PQntuples(res); i++) {
        printf(
            "%-8s %-8s %-20s %-16s %-26s %-28s %-16s %-8s %s%s%s\n",
            PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
            PQgetvalue(res, i, 3), PQgetvalue(res, i, 4), PQgetvalue(res, i, 5),
            PQgetvalue(res, i, 6), PQgetvalue(res, i, 8), PQgetvalue(res, i, 7),
            PQgetvalue(res, i, 9)[0] ? "  " : "", PQgetvalue(res, i, 9));
    }
    PQclear(res);
    return 0;
}

int
admin_audit(PGconn *pg, int argc, char **argv)
{
    if (argc == 1 && strcmp(argv[0], "verify") == 0) {
        return admin_audit_verify(pg);
    }
    if (argc >= 1 && strcmp(argv[0], "list") == 0) {
        return admin_audit_list(pg, argc - 1, argv + 1);
    }
    return 2;
}
