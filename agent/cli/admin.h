/*
 * admin.h: the sub-commands of routeros-mcp-admin (migrate, device, plan,
 * audit, job), each returning the process exit status.
 */
#ifndef AGENT_CLI_ADMIN_H
#define AGENT_CLI_ADMIN_H

#include "../core/config.h"

#include <libpq-fe.h>

int admin_migrate(PGconn *pg, int argc, char **argv);
int admin_device(PGconn *pg, agent_config_t *cfg, int argc, char **argv);
int admin_plan(PGconn *pg, int argc, char **argv);
int admin_audit(PGconn *pg, int argc, char **argv);
int admin_job(PGconn *pg, int argc, char **argv);

#endif
