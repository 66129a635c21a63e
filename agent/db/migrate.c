/*
 * migrate.c: the schema migrator behind `routeros-mcp-admin migrate`;
 * idempotent, ordered by the number prefix of each file name.
 */
#include "migrate.h"
#include "pg.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AGENT_MIGRATE_MAX 256
#define AGENT_MIGRATE_LOCK "7426001"

static int
agent_migration_number(const char *name)
{
    size_t n = strlen(name);

    if (n < 6 || !isdigit((unsigned char)name[0]) || name[4] != '_' ||
        strcmp(name + n - 4, ".sql") != 0 || strspn(name, "0123456789") != 4) {
        return -1;
    }
    return atoi(name);
}

static int
agent_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
agent_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long  n;

    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        } else {
            buf[n] = '\0';
        }
    }
    fclose(f);
    return buf;
}

static int
agent_simple(PGconn *pg, const char *sql, char *err, size_t errlen)
{
    PGresult *res = agent_pg_exec(pg, sql, 0, NULL, err, errlen);

    if (res == NULL) {
        return -1;
    }
    PQclear(res);
    return 0;
}

/* Runs one file and records it, inside the caller's transaction. */
static int
agent_apply_one(PGconn *pg, const char *dir, const char *name, int version,
                char *err, size_t errlen)
{
    char        path[4096], num[16], msg[512];
    char       *sql;
    PGresult   *res;
    const char *params[1];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    sql = agent_read_file(path);
    if (sql == NULL) {
        snprintf(err, errlen, "cannot read %s", path);
        return -1;
    }
    res = PQexec(pg, sql);
    free(sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK &&
        PQresultStatus(res) != PGRES_TUPLES_OK) {
        snprintf(msg, sizeof(msg), "%s", PQresultErrorMessage(res));
        msg[strcspn(msg, "\n")] = '\0';
        snprintf(err, errlen, "%s: %s", name, msg);
        PQclear(res);
        return -1;
    }
    PQclear(res);
    snprintf(num, sizeof(num), "%d", version);
    params[0] = num;
    res = agent_pg_exec(pg,
                        "INSERT INTO schema_migrations (version) "
                        "VALUES ($1::int)",
                        1, params, err, errlen);
    if (res == NULL) {
        return -1;
    }
    PQclear(res);
    return 0;
}

static int
agent_list_migrations(const char *dir, char **names, size_t *n, char *err,
                      size_t errlen)
{
    DIR           *d = opendir(dir);
    struct dirent *de;

    *n = 0;
    if (d == NULL) {
        snprintf(err, errlen, "cannot open migrations directory %s", dir);
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        if (agent_migration_number(de->d_name) <= 0) {
            continue;
        }
        if (*n == AGENT_MIGRATE_MAX ||
            (names[*n] = strdup(de->d_name)) == NULL) {
            snprintf(err, errlen, "too many migrations in %s", dir);
            closedir(d);
            return -1;
        }
        (*n)++;
    }
    closedir(d);
    qsort(names, *n, sizeof(char *), agent_name_cmp);
    return 0;
}

int
agent_migrate(PGconn *pg, const char *dir, int *applied, char *err,
              size_t errlen)
{
    char  *names[AGENT_MIGRATE_MAX];
    size_t n = 0, i;
    int    current, version, rc = -1;

    *applied = 0;
    if (agent_list_migrations(dir, names, &n, err, errlen) != 0) {
        goto done;
    }
    /* The lock makes two concurrent `migrate` runs apply each file once. */
    if (agent_simple(pg, "SELECT pg_advisory_lock(" AGENT_MIGRATE_LOCK ")", err,
                     errlen) != 0) {
        goto done;
    }
    if (agent_simple(pg,
                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     "version integer PRIMARY KEY CHECK (version > 0), "
                     "applied_at timestamptz NOT NULL DEFAULT now())",
                     err, errlen) != 0 ||
        (current = agent_pg_schema_version(pg, err, errlen)) < 0) {
        goto unlock;
    }
    for (i = 0; i < n; i++) {
        version = agent_migration_number(names[i]);
        if (version <= current) {
            continue;
        }
        if (agent_simple(pg, "BEGIN", err, errlen) != 0) {
            goto unlock;
        }
        if (agent_apply_one(pg, dir, names[i], version, err, errlen) != 0) {
            PQclear(PQexec(pg, "ROLLBACK"));
            goto unlock;
        }
        if (agent_simple(pg, "COMMIT", err, errlen) != 0) {
            goto unlock;
        }
        (*applied)++;
    }
    rc = 0;
unlock:
    PQclear(PQexec(pg, "SELECT pg_advisory_unlock(" AGENT_MIGRATE_LOCK ")"));
done:
    for (i = 0; i < n; i++) {
        free(names[i]);
    }
    return rc;
}
