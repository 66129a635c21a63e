/*
 * migrate.h: applies migrations/NNNN_name.sql files in order, each in one
 * transaction, recording them in schema_migrations.
 */
#ifndef AGENT_DB_MIGRATE_H
#define AGENT_DB_MIGRATE_H

#include <libpq-fe.h>
#include <stddef.h>

/*
 * Applies every migration of dir newer than the schema. *applied counts the
 * files run now. Concurrent runs serialise on an advisory lock. 0 or -1.
 */
int agent_migrate(PGconn *pg, const char *dir, int *applied, char *err,
                  size_t errlen);

#endif
