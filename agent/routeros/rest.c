/*
 * rest.c: one RouterOS REST request over libcurl with the time budget of
 * the job, read retries, and the error mapping of routeros-rest.md §1.9.
 */
#include "rest.h"
#include "device_slots.h"
#include "rest_tls.h"
#include "rest_json.h"
#include "rest_trap.h"
#include "../core/clock.h"
#include "../queue/metrics_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AGENT_REST_MAX_BODY (16 * 1024 * 1024)

typedef struct {
    char  *data;
    size_t len, cap;
    int    too_big;
} agent_buf_t;

static size_t
agent_rest_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
    agent_buf_t *b = arg;
    size_t       n = size * nmemb, cap;
    char        *p;

    if (b->len + n + 1 > AGENT_REST_MAX_BODY) {
        b->too_big = 1;
        return 0;
    }
    if (b->len + n + 1 > b->cap) {
        cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1) {
            cap *= 2;
        }
        p = realloc(b->data, cap);
        if (p == NULL) {
            return 0;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

const char *
agent_rest_reason(agent_rest_code_t code)
{
    static const char *names[] = {"ok",
                                  "timeout",
                                  "network_error",
                                  "auth_failed",
                                  "authz_failed",
                                  "not_found",
                                  "client_error",
                                  "server_error",
                                  "protocol_error",
                                  "no_credential",
                                  "command_failed",
                                  "tls_failed"};

    return (unsigned)code <= AGENT_REST_TLS ? names[code] : "unknown";
}

static void
agent_rest_fail(agent_rest_err_t *err, agent_rest_code_t code, int status,
                const char *fmt, const char *a, const char *b)
{
    err->code = code;
    err->http_status = status;
    snprintf(err->message, sizeof(err->message), fmt, a, b);
}

/* Maps an HTTP error reply, surfacing RouterOS' "detail" text. */
static void
agent_rest_http_error(long status, const agent_buf_t *b, agent_rest_err_t *err)
{
    json_t           *j = b->data ? agent_rest_parse(b->data, b->len) : NULL;
    const char       *detail = NULL, *msg = NULL;
    char              st[24];
    agent_rest_code_t code;

    if (json_is_object(j)) {
        detail = json_string_value(json_object_get(j, "detail"));
        msg = json_string_value(json_object_get(j, "message"));
    }
    snprintf(st, sizeof(st), "%ld", status);
    code = status == 401   ? AGENT_REST_AUTH
           : status == 403 ? AGENT_REST_FORBIDDEN
           : status == 404 ? AGENT_REST_NOT_FOUND
           : status < 500  ? AGENT_REST_CLIENT
                           : AGENT_REST_SERVER;
    if (code == AGENT_REST_AUTH) {
        agent_rest_fail(err, code, (int)status,
                        "authentication failed: RouterOS refused the login "
                        "(HTTP %s%s): check the username and password and "
                        "that the user's group has the rest-api policy",
                        st, "");
    } else {
        agent_rest_fail(err, code, (int)status,
                        "RouterOS answered HTTP %s: "
                        "%s",
                        st,
                        detail ? detail
                        : msg  ? msg
                               : "no detail");
    }
    json_decref(j);
}

static void
agent_rest_url(const agent_device_t *dev, const char *path, char *url,
               size_t len)
{
    int v6 = strchr(dev->ip, ':') != NULL;

    snprintf(url, len, "%s://%s%s%s:%d/rest%s", dev->scheme, v6 ? "[" : "",
             dev->ip, v6 ? "]" : "", dev->port, path);
}

/* One attempt. Returns 0 with *out set, or -1 with err set. */
static int
agent_rest_once(agent_rest_t *rest, const agent_device_t *dev,
                const char *method, const char *url, const char *body,
                long timeout_ms, json_t **out, agent_rest_err_t *err)
{
    agent_rest_conn_t *conn = agent_rest_conn(rest, dev);
    CURL              *c;
    struct curl_slist *hdrs = NULL;
    agent_buf_t        b = {NULL, 0, 0, 0};
    CURLcode           cc;
    long               status = 0;
    int                rc = -1;
    char               trap[400], st[24], errbuf[CURL_ERROR_SIZE] = "";

    if (conn == NULL) {
        agent_rest_fail(err, AGENT_REST_NETWORK, 0, "cannot talk to %s: %s",
                        dev->ip, "out of memory");
        return -1;
    }
    c = conn->curl;
    /* reset keeps the connection cache, so keep-alive survives */
    curl_easy_reset(c);
    hdrs = curl_slist_append(hdrs, "Accept: application/json");
    if (body) {
        hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "GET") == 0) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else {
        /* libcurl silently resends a request whose reused connection
         * died unanswered; a write must go out once: on a connection of
         * its own, closed afterwards */
        curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERNAME, dev->username);
    curl_easy_setopt(c, CURLOPT_PASSWORD, dev->password);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    agent_tls_configure(c, dev, rest->verify_tls, &conn->pin);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, agent_rest_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "routeros-mcp-agent");

    cc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    /* errbuf ends with this call; the handle lives on */
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
    curl_slist_free_all(hdrs);
    if (cc != CURLE_OK &&
        agent_tls_failed(dev, &conn->pin, cc, errbuf, err->message,
                         sizeof(err->message))) {
        err->code = AGENT_REST_TLS;
        err->http_status = 0;
    } else if (cc == CURLE_OPERATION_TIMEDOUT) {
        agent_rest_fail(err, AGENT_REST_TIMEOUT, 0,
                        "no answer from %s within "
                        "the time limit (%s)",
                        dev->ip, curl_easy_strerror(cc));
    } else if (b.too_big) {
        agent_rest_fail(err, AGENT_REST_PROTOCOL, (int)status,
                        "reply from %s "
                        "is larger than the limit%s",
                        dev->ip, "");
    } else if (cc != CURLE_OK) {
        agent_rest_fail(err, AGENT_REST_NETWORK, 0, "cannot talk to %s: %s",
                        dev->ip, curl_easy_strerror(cc));
    } else if (status >= 400) {
        agent_rest_http_error(status, &b, err);
    } else if (b.len == 0) {
        *out = json_null();
        rc = 0;
    } else if ((*out = agent_rest_parse(b.data, b.len)) == NULL) {
        agent_rest_fail(err, AGENT_REST_PROTOCOL, (int)status,
                        "reply from %s "
                        "is not JSON%s",
                        dev->ip, "");
    } else if (agent_rest_trap(*out, trap, sizeof(trap))) {
        json_decref(*out);
        *out = NULL;
        snprintf(st, sizeof(st), "%ld", status);
        agent_rest_fail(err, AGENT_REST_TRAP, (int)status,
                        "the command failed on the device (RouterOS "
                        "answered HTTP %s with a failure): %s",
                        st, trap);
    } else {
        rc = 0;
    }
    free(b.data);
    return rc;
}

static void
agent_rest_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

int
agent_rest_call(agent_rest_t *rest, const agent_device_t *dev,
                const char *method, const char *path, const json_t *body,
                int64_t deadline_ms, json_t **out, agent_rest_err_t *err)
{
    char    url[1024], *json = NULL;
    int     read = strcmp(method, "GET") == 0, attempt, rc = -1;
    int64_t left;
    long    timeout;
    double  t0;

    memset(err, 0, sizeof(*err));
    *out = NULL;
    if (!dev->has_credential || dev->password == NULL) {
        agent_rest_fail(err, AGENT_REST_NO_CREDENTIAL, 0,
                        "device %s has no "
                        "active REST credential%s",
                        dev->id, "");
        return -1;
    }
    if (body && (json = json_dumps(body, JSON_COMPACT)) == NULL) {
        agent_rest_fail(err, AGENT_REST_PROTOCOL, 0,
                        "cannot encode the "
                        "request body%s%s",
                        "", "");
        return -1;
    }
    agent_rest_url(dev, path, url, sizeof(url));
    t0 = agent_mono_ms();
    for (attempt = 1;; attempt++) {
        timeout = rest->timeout_ms;
        if (deadline_ms > 0) {
            left = deadline_ms - agent_now_ms();
            if (left <= 0) {
                agent_rest_fail(err, AGENT_REST_TIMEOUT, 0,
                                "the job deadline "
                                "passed before %s answered%s",
                                dev->ip, "");
                break;
            }
            if (left < timeout) {
                timeout = (long)left;
            }
        }
        err->attempts = attempt;
        if (agent_slot_acquire(dev->ip, deadline_ms) != 0) {
            agent_rest_fail(err, AGENT_REST_TIMEOUT, 0,
                            "the job deadline passed while %s had its "
                            "maximum of calls in flight%s",
                            dev->ip, "");
            rc = -1;
            break;
        }
        rc = agent_rest_once(rest, dev, method, url, json, timeout, out, err);
        agent_slot_release(dev->ip);
        err->attempts = attempt;
        if (rc == 0 || !read || attempt >= rest->attempts ||
            (err->code != AGENT_REST_TIMEOUT &&
             err->code != AGENT_REST_NETWORK)) {
            break;
        }
        agent_rest_sleep_ms(100L * attempt);
    }
    agent_metrics_device_call(dev->id, "rest", agent_mono_ms() - t0,
                              rc == 0 ? NULL : agent_rest_reason(err->code));
    free(json);
    return rc;
}
