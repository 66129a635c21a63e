/*
 * config.h: the agent's settings, all from ROUTEROS_MCP_* environment
 * variables (names fixed in the team conventions).
 */
#ifndef AGENT_CORE_CONFIG_H
#define AGENT_CORE_CONFIG_H

#include <stddef.h>

#define AGENT_KEY_LEN 32

typedef struct {
    const char   *database_url; /* libpq conninfo */
    const char   *redis;        /* "ip:port" or "unix:/path" */
    const char   *catalog_dir;
    const char   *environment; /* lab | staging | prod */
    char          agent_id[128];
    int           workers;
    int           rest_timeout_ms;
    int           retry_attempts;  /* attempts per read, first included */
    int           device_concurrency; /* RouterOS calls in flight per device */
    int           reclaim_idle_ms; /* pending this long = agent is dead */
    int           verify_tls;      /* check device certificates (https) */
    int           token_warn;      /* log answers estimated above this */
    int           token_max;       /* refuse answers estimated above this */
    int           has_key;
    unsigned char key[AGENT_KEY_LEN];
} agent_config_t;

/*
 * Reads the environment. need_key: fail when the encryption key is absent.
 * Returns 0, or -1 with a message naming the variable in err.
 */
int agent_config_load(agent_config_t *cfg, int need_key, char *err,
                      size_t errlen);

/* Wipes the key from memory. */
void agent_config_clear(agent_config_t *cfg);

#endif
