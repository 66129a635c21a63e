/*
 * config.c: reads and checks ROUTEROS_MCP_* variables once at start-up,
 * so a typo stops the process with a message instead of a later surprise.
 */
#include "config.h"
#include "../../shared/util/hex.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
agent_env_int(const char *name, int def, int min, int max, int *out, char *err,
              size_t errlen)
{
    const char *s = getenv(name);
    char       *end;
    long        v;

    if (s == NULL || *s == '\0') {
        *out = def;
        return 0;
    }
    v = strtol(s, &end, 10);
    if (*end != '\0' || v < min || v > max) {
        snprintf(err, errlen, "%s must be an integer from %d to %d", name, min,
                 max);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int
agent_config_key(agent_config_t *cfg, int need_key, char *err, size_t errlen)
{
    const char *s = getenv("ROUTEROS_MCP_ENCRYPTION_KEY");

    if (s == NULL || *s == '\0') {
        if (need_key) {
            snprintf(err, errlen,
                     "ROUTEROS_MCP_ENCRYPTION_KEY is not set "
                     "(64 hex characters, e.g. from openssl rand -hex 32)");
            return -1;
        }
        return 0;
    }
    if (mcp_hex_decode(s, cfg->key, AGENT_KEY_LEN) != 0) {
        snprintf(err, errlen,
                 "ROUTEROS_MCP_ENCRYPTION_KEY must be 64 hex "
                 "characters (32 bytes)");
        return -1;
    }
    cfg->has_key = 1;
    return 0;
}

int
agent_config_load(agent_config_t *cfg, int need_key, char *err, size_t errlen)
{
    const char *id;
    char        host[64];

    memset(cfg, 0, sizeof(*cfg));
    cfg->database_url = getenv("ROUTEROS_MCP_DATABASE_URL");
    if (cfg->database_url == NULL || *cfg->database_url == '\0') {
        snprintf(err, errlen,
                 "ROUTEROS_MCP_DATABASE_URL is not set (libpq "
                 "conninfo, e.g. \"host=/run/pg port=5432 dbname=routeros_mcp"
                 "\")");
        return -1;
    }
    cfg->redis = getenv("ROUTEROS_MCP_REDIS");
    if (cfg->redis == NULL || *cfg->redis == '\0') {
        cfg->redis = "127.0.0.1:6379";
    }
    cfg->catalog_dir = getenv("ROUTEROS_MCP_CATALOG");
    cfg->environment = getenv("ROUTEROS_MCP_ENVIRONMENT");
    if (cfg->environment == NULL || *cfg->environment == '\0') {
        cfg->environment = "lab";
    }
    if (strcmp(cfg->environment, "lab") != 0 &&
        strcmp(cfg->environment, "staging") != 0 &&
        strcmp(cfg->environment, "prod") != 0) {
        snprintf(err, errlen,
                 "ROUTEROS_MCP_ENVIRONMENT must be lab, staging "
                 "or prod");
        return -1;
    }
    id = getenv("ROUTEROS_MCP_AGENT_ID");
    if (id != NULL && *id != '\0') {
        if (strlen(id) > 64 || strpbrk(id, " \t\r\n") != NULL) {
            snprintf(err, errlen,
                     "ROUTEROS_MCP_AGENT_ID must be at most 64 "
                     "characters without blanks");
            return -1;
        }
        snprintf(cfg->agent_id, sizeof(cfg->agent_id), "%s", id);
    } else {
        if (gethostname(host, sizeof(host)) != 0) {
            snprintf(host, sizeof(host), "agent");
        }
        host[sizeof(host) - 1] = '\0';
        snprintf(cfg->agent_id, sizeof(cfg->agent_id), "%s-%d", host,
                 (int)getpid());
    }
    if (agent_env_int("ROUTEROS_MCP_WORKERS", 8, 1, 256, &cfg->workers, err,
                      errlen) != 0 ||
        agent_env_int("ROUTEROS_MCP_REST_TIMEOUT_MS", 5000, 100, 600000,
                      &cfg->rest_timeout_ms, err, errlen) != 0 ||
        agent_env_int("ROUTEROS_MCP_RETRY_ATTEMPTS", 2, 1, 10,
                      &cfg->retry_attempts, err, errlen) != 0 ||
        agent_env_int("ROUTEROS_MCP_DEVICE_CONCURRENCY", 3, 1, 64,
                      &cfg->device_concurrency, err, errlen) != 0 ||
        agent_env_int("ROUTEROS_MCP_RECLAIM_IDLE_MS", 15000, 5000, 3600000,
                      &cfg->reclaim_idle_ms, err, errlen) != 0 ||
        agent_env_int("ROUTEROS_MCP_REST_VERIFY_TLS", 1, 0, 1, &cfg->verify_tls,
                      err, errlen) != 0 ||
        agent_env_int("ROUTEROS_MCP_TOKEN_WARN", 5000, 100, 10000000,
                      &cfg->token_warn, err, errlen) != 0 ||
        agent_env_int("ROUTEROS_MCP_TOKEN_MAX", 50000, 100, 10000000,
                      &cfg->token_max, err, errlen) != 0) {
        return -1;
    }
    return agent_config_key(cfg, need_key, err, errlen);
}

void
agent_config_clear(agent_config_t *cfg)
{
    OPENSSL_cleanse(cfg->key, sizeof(cfg->key));
    cfg->has_key = 0;
}
