/*
 * migrate_cmd.c: `routeros-mcp-admin migrate`: finds the migrations
 * directory (--dir, ROUTEROS_MCP_MIGRATIONS, next to the binary's build
 * directory, ./migrations) and applies what is missing.
 */
#include "admin.h"
#include "../db/migrate.h"
#include "../db/pg.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
admin_is_dir(const char *p)
{
    struct stat st;

    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* <dir of the executable>/../migrations, for build-x/routeros-mcp-admin. */
static int
admin_dir_near_binary(char *out, size_t len)
{
    char    exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

    if (n <= 0) {
        return -1;
    }
    exe[n] = '\0';
    snprintf(out, len, "%s/../migrations", dirname(exe));
    return admin_is_dir(out) ? 0 : -1;
}

int
admin_migrate(PGconn *pg, int argc, char **argv)
{
    char        dir[4200], err[1024];
    const char *env = getenv("ROUTEROS_MCP_MIGRATIONS");
    int         applied, version;

    if (argc == 2 && strcmp(argv[0], "--dir") == 0) {
        snprintf(dir, sizeof(dir), "%s", argv[1]);
    } else if (argc != 0) {
        fprintf(stderr, "usage: routeros-mcp-admin migrate [--dir DIR]\n");
        return 2;
    } else if (env != NULL && *env != '\0') {
        snprintf(dir, sizeof(dir), "%s", env);
    } else if (admin_dir_near_binary(dir, sizeof(dir)) != 0) {
        snprintf(dir, sizeof(dir), "migrations");
    }
    if (agent_migrate(pg, dir, &applied, err, sizeof(err)) != 0) {
        fprintf(stderr, "routeros-mcp-admin: migrate: %s\n", err);
        return 1;
    }
    version = agent_pg_schema_version(pg, err, sizeof(err));
    printf("schema at version %d (%d migration%s applied now)\n", version,
           applied, applied == 1 ? "" : "s");
    return 0;
}
