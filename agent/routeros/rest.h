/*
 * rest.h: RouterOS REST client (libcurl, Basic auth, keep-alive per thread
 * and device) whose every failure carries a code, status and message.
 */
#ifndef AGENT_ROUTEROS_REST_H
#define AGENT_ROUTEROS_REST_H

#include "../core/config.h"
#include "../db/devices.h"
#include "rest_tls.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdint.h>

typedef enum {
    AGENT_REST_OK = 0,
    AGENT_REST_TIMEOUT,       /* no answer within the time budget */
    AGENT_REST_NETWORK,       /* refused, reset, closed without a reply */
    AGENT_REST_AUTH,          /* 401: bad credentials / no rest-api policy */
    AGENT_REST_FORBIDDEN,     /* 403 */
    AGENT_REST_NOT_FOUND,     /* 404 */
    AGENT_REST_CLIENT,        /* other 4xx, RouterOS "detail" in message */
    AGENT_REST_SERVER,        /* 5xx */
    AGENT_REST_PROTOCOL,      /* 2xx whose body is not JSON */
    AGENT_REST_NO_CREDENTIAL, /* the device has no active REST credential */
    AGENT_REST_TRAP,          /* 2xx reporting a failure (rest_trap.h) */
    AGENT_REST_TLS            /* certificate refused (pin, CA): nothing sent */
} agent_rest_code_t;

typedef struct {
    agent_rest_code_t code;
    int               http_status; /* 0 when no HTTP answer */
    int               attempts;
    char              message[512];
} agent_rest_err_t;

/* Connections of one TLS identity (rest_pool.c): every plain-HTTP device,
 * or one HTTPS device with its CA file or pin. */
typedef struct {
    CURL           *curl; /* its own connection and TLS session cache */
    char            key[1200];
    unsigned long   used; /* least recently used is replaced */
    agent_tls_pin_t pin;  /* what the last handshake saw */
} agent_rest_conn_t;

#define AGENT_REST_CONNS 8

typedef struct {
    agent_rest_conn_t conns[AGENT_REST_CONNS];
    unsigned long     clock;
    int               timeout_ms;
    int               attempts;   /* per read, first included */
    int               verify_tls; /* https devices without CA file or pin */
} agent_rest_t;

int  agent_rest_init(agent_rest_t *rest, const agent_config_t *cfg);
void agent_rest_free(agent_rest_t *rest);

/*
 * The handle for a request to dev (rest_pool.c): connections and TLS
 * sessions are reused only among requests of the same TLS identity, never
 * across devices with different pins or CA files. NULL when out of memory.
 */
agent_rest_conn_t *agent_rest_conn(agent_rest_t         *rest,
                                   const agent_device_t *dev);

/*
 * Sends method (GET, PUT, PATCH, DELETE, POST) to /rest<path> of dev with
 * body (NULL for none), giving up at deadline_ms (epoch ms, 0 = none). GETs
 * (idempotent) are retried on timeout and network errors, with a growing
 * pause; nothing else is retried. A 2xx reply that reports a failure is
 * AGENT_REST_TRAP. On success *out is the reply
 * JSON (json_null() for an empty body) and 0 is returned; on failure -1
 * with err filled.
 */
int agent_rest_call(agent_rest_t *rest, const agent_device_t *dev,
                    const char *method, const char *path, const json_t *body,
                    int64_t deadline_ms, json_t **out, agent_rest_err_t *err);

#define agent_rest_get(rest, dev, path, deadline, out, err)                    \
    agent_rest_call(rest, dev, "GET", path, NULL, deadline, out, err)

/* Stable failure reason: timeout, network_error, auth_failed, authz_failed,
 * not_found, client_error, server_error, protocol_error, no_credential,
 * command_failed, tls_failed. */
const char *agent_rest_reason(agent_rest_code_t code);

#endif
