/*
 * job_cmd.c: `routeros-mcp-admin job list | show ID | cancel ID [--by
 * NAME]`: plan-apply jobs from the command line; cancel asks the running
 * job to stop after the device it is changing (audited).
 */
#include "admin.h"
#include "../jobs/store.h"
#include "../jobs/view.h"
#include "../db/pg.h"

#include <stdio.h>
#include <string.h>

static int
admin_job_list(PGconn *pg)
{
    char      err[512];
    PGresult *res;
    int       i;

    res = agent_pg_exec(pg,
        "SELECT id, status, progress_percent, coalesce(plan_id, '-'), "
        "coalesce(current_device_id, '-'), to_char(created_at AT TIME ZONE "
        "'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM jobs "
        "ORDER BY created_at DESC, id LIMIT 50", 0, NULL, err, sizeof(err));
    if (res == NULL) {
        fprintf(stderr, "routeros-mcp-admin: %s\n", err);
        return 1;
    }
    for (i = 0; i < PQntuples(res); i++) {
        printf("%s  %-9s %3s%%  %s  %s  %s\n", PQgetvalue(res, i, 0),
               PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
               PQgetvalue(res, i, 3), PQgetvalue(res, i, 4),
               PQgetvalue(res, i, 5));
    }
    PQclear(res);
    return 0;
}

static int
admin_job_show(PGconn *pg, const char *id)
{
    char    err[512];
    json_t *doc;
    int     missing;

    doc = agent_job_document(pg, id, &missing, err, sizeof(err));
    if (doc == NULL) {
        fprintf(stderr, "routeros-mcp-admin: %s\n",
                missing ? "job not found" : err);
        return 1;
    }
    json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
    printf("\n");
    json_decref(doc);
    return 0;
}

static int
admin_job_cancel(PGconn *pg, const char *id, const char *by)
{
    char err[512];
    int  rc = agent_job_request_cancel(pg, id, by, err, sizeof(err));

    if (rc != 0) {
        fprintf(stderr, "routeros-mcp-admin: %s\n",
                rc == 1 ? "job not found" : err);
        return 1;
    }
    fprintf(stderr, "cancellation of job %s requested by %s: it stops after "
            "the device it is changing\n", id, by);
    return 0;
}

int
admin_job(PGconn *pg, int argc, char **argv)
{
    if (argc == 1 && strcmp(argv[0], "list") == 0) {
        return admin_job_list(pg);
    }
    if (argc == 2 && strcmp(argv[0], "show") == 0) {
        return admin_job_show(pg, argv[1]);
    }
    if (argc == 2 && strcmp(argv[0], "cancel") == 0) {
        return admin_job_cancel(pg, argv[1], "admin-cli");
    }
    if (argc == 4 && strcmp(argv[0], "cancel") == 0
        && strcmp(argv[2], "--by") == 0)
    {
        return admin_job_cancel(pg, argv[1], argv[3]);
    }
    return 2;
}
