/*
 * admin_main.c: routeros-mcp-admin: schema migrations, the device registry,
 * plans, jobs and the audit trail from the command line (the agent's env
 * vars).
 */
#include "admin.h"
#include "../core/config.h"
#include "../db/audit.h"
#include "../db/pg.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

static void
admin_usage(void)
{
    fprintf(
        stderr,
        "usage: routeros-mcp-admin migrate [--dir DIR]\n"
        "       routeros-mcp-admin device add --id ID --name NAME --ip IP\n"
        "           [--port N] [--scheme http|https] [--environment ENV]\n"
        "           --username USER (--password-env VAR | --password-stdin)\n"
        "           [--allow-advanced-writes] [--allow-professional-workflows]"
        "\n           [--tag KEY=VALUE]...\n"
        "           [--tls-ca-file PATH | --tls-fingerprint SHA256HEX]\n"
        "       routeros-mcp-admin device list [--json]\n"
        "       routeros-mcp-admin device remove ID\n"
        "       routeros-mcp-admin device test ID\n"
        "       routeros-mcp-admin plan list | show ID | approve ID "
        "--approver NAME | reject ID [--approver NAME]\n"
        "       routeros-mcp-admin audit verify | list [--device ID] "
        "[--limit N]\n"
        "       routeros-mcp-admin job list | show ID | cancel ID "
        "[--by NAME]\n"
        "environment: ROUTEROS_MCP_DATABASE_URL, ROUTEROS_MCP_ENCRYPTION_KEY"
        " (device add/test)\n");
}

/* Links the audit events a device or plan command recorded (no agent may
 * be running to do it), waiting for the chain's lock if an agent is
 * linking. `audit verify` only reads. */
static void
admin_link_audit(PGconn *pg)
{
    char err[512];
    int  linked;

    /* before `migrate` there is no chain to link into */
    if (agent_pg_schema_version(pg, err, sizeof(err)) < AGENT_SCHEMA_VERSION) {
        return;
    }
    do {
        if (agent_audit_link_pending(pg, 500, 1, &linked, err, sizeof(err)) !=
            0) {
            fprintf(stderr, "routeros-mcp-admin: linking audit events: %s\n",
                    err);
            return;
        }
    } while (linked == 500);
}

int
main(int argc, char **argv)
{
    agent_config_t cfg;
    char           err[1024];
    PGconn        *pg;
    int            rc;

    if (argc < 2 ||
        (strcmp(argv[1], "migrate") != 0 && strcmp(argv[1], "device") != 0 &&
         strcmp(argv[1], "plan") != 0 && strcmp(argv[1], "audit") != 0 &&
         strcmp(argv[1], "job") != 0)) {
        admin_usage();
        return 2;
    }
    if (agent_config_load(&cfg, 0, err, sizeof(err)) != 0) {
        fprintf(stderr, "routeros-mcp-admin: %s\n", err);
        return 2;
    }
    pg = agent_pg_connect(cfg.database_url, err, sizeof(err));
    if (pg == NULL) {
        fprintf(stderr, "routeros-mcp-admin: PostgreSQL: %s\n", err);
        agent_config_clear(&cfg);
        return 1;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (strcmp(argv[1], "migrate") == 0) {
        rc = admin_migrate(pg, argc - 2, argv + 2);
    } else if (strcmp(argv[1], "audit") == 0) {
        rc = admin_audit(pg, argc - 2, argv + 2);
        if (rc == 2) {
            admin_usage();
        }
    } else if (strcmp(argv[1], "job") == 0) {
        rc = admin_job(pg, argc - 2, argv + 2);
        if (rc == 2) {
            admin_usage();
        }
    } else if (strcmp(argv[1], "plan") == 0) {
        rc = admin_plan(pg, argc - 2, argv + 2);
        if (rc == 2) {
            admin_usage();
        }
    } else {
        rc = admin_device(pg, &cfg, argc - 2, argv + 2);
        if (rc == 2) {
            admin_usage();
        }
    }
    if (strcmp(argv[1], "device") == 0 || strcmp(argv[1], "plan") == 0 ||
        strcmp(argv[1], "job") == 0) {
        admin_link_audit(pg);
    }
    curl_global_cleanup();
    PQfinish(pg);
    agent_config_clear(&cfg);
    return rc;
}
