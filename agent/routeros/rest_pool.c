/*
 * rest_pool.c: a worker's curl handles, one per TLS identity of the devices
 * it talks to, so a connection never serves a device it was not made for.
 */
#include "rest.h"
#include "device_slots.h"

#include <stdio.h>
#include <string.h>

int
agent_rest_init(agent_rest_t *rest, const agent_config_t *cfg)
{
    memset(rest, 0, sizeof(*rest));
    rest->timeout_ms = cfg->rest_timeout_ms;
    rest->attempts = cfg->retry_attempts;
    rest->verify_tls = cfg->verify_tls;
    agent_slots_configure(cfg->device_concurrency);
    return 0;
}

void
agent_rest_free(agent_rest_t *rest)
{
    int i;

    for (i = 0; i < AGENT_REST_CONNS; i++) {
        if (rest->conns[i].curl != NULL) {
            curl_easy_cleanup(rest->conns[i].curl);
            rest->conns[i].curl = NULL;
        }
    }
}

/*
 * Plain HTTP carries no trust to mix up, so all such devices share one
 * handle; an HTTPS device gets its own, keyed also by its CA file and pin
 * so that changing either never reuses a connection made under the old.
 */
static void
agent_rest_key(const agent_device_t *dev, char *key, size_t len)
{
    if (strcmp(dev->scheme, "https") != 0) {
        snprintf(key, len, "http");
    } else {
        snprintf(key, len, "https %s\n%s\n%s", dev->id, dev->tls_ca_file,
                 dev->tls_fingerprint);
    }
}

agent_rest_conn_t *
agent_rest_conn(agent_rest_t *rest, const agent_device_t *dev)
{
    agent_rest_conn_t *c, *lru = &rest->conns[0];
    char               key[sizeof(lru->key)];
    int                i;

    agent_rest_key(dev, key, sizeof(key));
    for (i = 0; i < AGENT_REST_CONNS; i++) {
        c = &rest->conns[i];
        if (c->curl != NULL && strcmp(c->key, key) == 0) {
            c->used = ++rest->clock;
            return c;
        }
        if (c->curl == NULL || c->used < lru->used) {
            lru = c;
        }
    }
    /* the least recently used handle closes its connections */
    if (lru->curl != NULL) {
        curl_easy_cleanup(lru->curl);
    }
    memset(lru, 0, sizeof(*lru));
    lru->curl = curl_easy_init();
    if (lru->curl == NULL) {
        return NULL;
    }
    snprintf(lru->key, sizeof(lru->key), "%s", key);
    lru->used = ++rest->clock;
    return lru;
}
