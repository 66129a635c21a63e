/*
 * ngx_http_mcp_metrics.c: the mcp_metrics module: a shared-memory table of
 * labelled series and the "mcp_metrics;" location printing it for Prometheus.
 */
#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>
#include <stdlib.h>
#include "ngx_http_mcp_metrics.h"

#define NGX_HTTP_MCP_METRICS_SERIES  1024
#define NGX_HTTP_MCP_METRICS_NAME    48
#define NGX_HTTP_MCP_METRICS_LABELS  112

#define NGX_HTTP_MCP_METRICS_COUNTER    0
#define NGX_HTTP_MCP_METRICS_GAUGE      1
#define NGX_HTTP_MCP_METRICS_HISTOGRAM  2  /* _bucket, _count, _sum (ms) */

typedef struct {
    ngx_atomic_t   value;
    uint32_t       hash;
    u_char         used;
    u_char         kind;         /* NGX_HTTP_MCP_METRICS_COUNTER, ... */
    char           name[NGX_HTTP_MCP_METRICS_NAME];
    char           labels[NGX_HTTP_MCP_METRICS_LABELS];
} ngx_http_mcp_metrics_series_t;

typedef struct {
    ngx_http_mcp_metrics_series_t  series[NGX_HTTP_MCP_METRICS_SERIES];
} ngx_http_mcp_metrics_shctx_t;

static ngx_int_t ngx_http_mcp_metrics_postconf(ngx_conf_t *cf);
static char *ngx_http_mcp_metrics(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);

static ngx_http_mcp_metrics_shctx_t  *ngx_http_mcp_metrics_sh;
static ngx_slab_pool_t               *ngx_http_mcp_metrics_shpool;

/* histogram bucket bounds in milliseconds */
static ngx_msec_t  ngx_http_mcp_metrics_buckets[] = {
    5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000
};

static ngx_command_t  ngx_http_mcp_metrics_commands[] = {

    { ngx_string("mcp_metrics"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_mcp_metrics,
      0,
      0,
      NULL },

      ngx_null_command
};

static ngx_http_module_t  ngx_http_mcp_metrics_module_ctx = {
    NULL,                                  /* preconfiguration */
    ngx_http_mcp_metrics_postconf,         /* postconfiguration */
    NULL,                                  /* create main configuration */
    NULL,                                  /* init main configuration */
    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */
    NULL,                                  /* create location configuration */
    NULL                                   /* merge location configuration */
};

ngx_module_t  ngx_http_mcp_metrics_module = {
    NGX_MODULE_V1,
    &ngx_http_mcp_metrics_module_ctx,      /* module context */
    ngx_http_mcp_metrics_commands,         /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    NULL,                                  /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    NULL,                                  /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};

/* Label values come from clients (methods): keep them to a safe alphabet. */
static u_char *
ngx_http_mcp_metrics_label(u_char *p, u_char *end, const char *name,
    const char *value)
{
    u_char  c;

    p = ngx_slprintf(p, end, "%s%s=\"", p[-1] == '{' ? "" : ",", name);

    for ( /* void */ ; *value && p < end - 2; value++) {
        c = (u_char) *value;
        *p++ = (isalnum(c) || c == '_' || c == '/' || c == '.' || c == ':'
                || c == '-' || c == '+') ? c : '_';
    }

    *p++ = '"';

    return p;
}

static ngx_http_mcp_metrics_series_t *
ngx_http_mcp_metrics_find(const char *name, const char *labels,
    ngx_uint_t kind)
{
    uint32_t                        hash;
    ngx_uint_t                      i, n;
    ngx_http_mcp_metrics_series_t  *s;

    if (ngx_http_mcp_metrics_sh == NULL) {
        return NULL;
    }

    hash = ngx_crc32_short((u_char *) name, ngx_strlen(name))
           ^ ngx_crc32_short((u_char *) labels, ngx_strlen(labels));

    ngx_shmtx_lock(&ngx_http_mcp_metrics_shpool->mutex);

    for (n = 0; n < NGX_HTTP_MCP_METRICS_SERIES; n++) {
        i = (hash + n) % NGX_HTTP_MCP_METRICS_SERIES;
        s = &ngx_http_mcp_metrics_sh->series[i];

        if (!s->used) {
            s->used = 1;
            s->kind = (u_char) kind;
            s->hash = hash;
            ngx_cpystrn((u_char *) s->name, (u_char *) name,
                        NGX_HTTP_MCP_METRICS_NAME);
            ngx_cpystrn((u_char *) s->labels, (u_char *) labels,
                        NGX_HTTP_MCP_METRICS_LABELS);
            break;
        }

        if (s->hash == hash && ngx_strcmp(s->name, name) == 0
            && ngx_strcmp(s->labels, labels) == 0)
        {
            break;
        }
    }

    ngx_shmtx_unlock(&ngx_http_mcp_metrics_shpool->mutex);

    return n < NGX_HTTP_MCP_METRICS_SERIES ? s : NULL;
}

static void
ngx_http_mcp_metrics_add(const char *name, const char *labels,
    ngx_uint_t kind, ngx_atomic_int_t delta)
{
    ngx_http_mcp_metrics_series_t  *s;

    s = ngx_http_mcp_metrics_find(name, labels, kind);
    if (s != NULL) {
        (void) ngx_atomic_fetch_add(&s->value, delta);
    }
}

/* label set "{k1="v1",k2="v2"}" (k2 may be NULL) */
static void
ngx_http_mcp_metrics_labels(u_char *buf, size_t size, const char *k1,
    const char *v1, const char *k2, const char *v2)
{
    u_char  *p, *end;

    end = buf + size - 2;
    p = buf;
    *p++ = '{';
    p = ngx_http_mcp_metrics_label(p, end - 1, k1, v1);

    if (k2 != NULL) {
        p = ngx_http_mcp_metrics_label(p, end - 1, k2, v2);
    }

    *p++ = '}';
    *p = '\0';
}

void
ngx_http_mcp_metrics_request(const char *method, ngx_uint_t status)
{
    u_char  labels[NGX_HTTP_MCP_METRICS_LABELS], code[NGX_INT_T_LEN + 1];

    *ngx_sprintf(code, "%ui", status) = '\0';
    ngx_http_mcp_metrics_labels(labels, sizeof(labels), "method", method,
                                "status", (char *) code);
    ngx_http_mcp_metrics_add("mcp_requests_total", (char *) labels, 0, 1);
}

void
ngx_http_mcp_metrics_tool_call(const char *tool, const char *outcome,
    ngx_msec_t elapsed)
{
    ngx_uint_t  i;
    u_char      labels[NGX_HTTP_MCP_METRICS_LABELS], le[NGX_INT_T_LEN + 8];

    ngx_http_mcp_metrics_labels(labels, sizeof(labels), "tool", tool,
                                "outcome", outcome);
    ngx_http_mcp_metrics_add("mcp_tool_calls_total", (char *) labels, 0, 1);

    /* cumulative buckets, as Prometheus histograms count them */
    for (i = 0; i < sizeof(ngx_http_mcp_metrics_buckets)
                    / sizeof(ngx_msec_t); i++)
    {
        /* every bucket exists from the first call on, even at 0 */
        *ngx_sprintf(le, "%.3f",
                     ngx_http_mcp_metrics_buckets[i] / 1000.0) = '\0';
        ngx_http_mcp_metrics_labels(labels, sizeof(labels), "tool", tool,
                                    "le", (char *) le);
        ngx_http_mcp_metrics_add("mcp_tool_call_duration_seconds_bucket",
                                 (char *) labels,
                                 NGX_HTTP_MCP_METRICS_HISTOGRAM,
                                 elapsed <= ngx_http_mcp_metrics_buckets[i]);
    }

    ngx_http_mcp_metrics_labels(labels, sizeof(labels), "tool", tool,
                                "le", "+Inf");
    ngx_http_mcp_metrics_add("mcp_tool_call_duration_seconds_bucket",
                             (char *) labels, NGX_HTTP_MCP_METRICS_HISTOGRAM,
                             1);

    ngx_http_mcp_metrics_labels(labels, sizeof(labels), "tool", tool,
                                NULL, NULL);
    ngx_http_mcp_metrics_add("mcp_tool_call_duration_seconds_count",
                             (char *) labels, NGX_HTTP_MCP_METRICS_HISTOGRAM,
                             1);
    ngx_http_mcp_metrics_add("mcp_tool_call_duration_seconds_sum",
                             (char *) labels, NGX_HTTP_MCP_METRICS_HISTOGRAM,
                             (ngx_atomic_int_t) elapsed);
}

void
ngx_http_mcp_metrics_auth_failure(const char *reason)
{
    u_char  labels[NGX_HTTP_MCP_METRICS_LABELS];

    ngx_http_mcp_metrics_labels(labels, sizeof(labels), "reason", reason,
                                NULL, NULL);
    ngx_http_mcp_metrics_add("mcp_auth_failures_total", (char *) labels, 0,
                             1);
}

void
ngx_http_mcp_metrics_jwt_cache(const char *outcome)
{
    u_char  labels[NGX_HTTP_MCP_METRICS_LABELS];

    ngx_http_mcp_metrics_labels(labels, sizeof(labels), "outcome", outcome,
                                NULL, NULL);
    ngx_http_mcp_metrics_add("mcp_auth_jwt_cache_total", (char *) labels, 0,
                             1);
}

void
ngx_http_mcp_metrics_rate_limited(const char *rate_class)
{
    u_char  labels[NGX_HTTP_MCP_METRICS_LABELS];

    ngx_http_mcp_metrics_labels(labels, sizeof(labels), "rate_class",
                                rate_class, NULL, NULL);
    ngx_http_mcp_metrics_add("mcp_rate_limited_total", (char *) labels, 0, 1);
}

void
ngx_http_mcp_metrics_redis_reconnect(void)
{
    ngx_http_mcp_metrics_add("mcp_redis_reconnects_total", "", 0, 1);
}

void
ngx_http_mcp_metrics_sse_streams(ngx_int_t delta)
{
    ngx_http_mcp_metrics_add("mcp_sse_streams", "",
                             NGX_HTTP_MCP_METRICS_GAUGE, delta);
}

void
ngx_http_mcp_metrics_subscriptions(ngx_int_t delta)
{
    ngx_http_mcp_metrics_add("mcp_subscriptions", "",
                             NGX_HTTP_MCP_METRICS_GAUGE, delta);
}

/* A histogram's family name: its series' name without the suffix. */
static size_t
ngx_http_mcp_metrics_family(const ngx_http_mcp_metrics_series_t *s)
{
    size_t  len;

    len = ngx_strlen(s->name);

    if (s->kind == NGX_HTTP_MCP_METRICS_HISTOGRAM) {
        return len - ngx_strlen(strrchr(s->name, '_'));
    }

    return len;
}

/* the le="..." bound of a bucket, +Inf last */
static double
ngx_http_mcp_metrics_le(const char *labels)
{
    const char  *p;

    p = ngx_strstr(labels, "le=\"");
    if (p == NULL || p[4] == '+') {
        return 1e300;
    }

    return strtod(p + 4, NULL);
}

/* by family, then buckets before count and sum, buckets by bound */
static int ngx_libc_cdecl
ngx_http_mcp_metrics_cmp(const void *a, const void *b)
{
    const ngx_http_mcp_metrics_series_t  *x = *(void **) a;
    const ngx_http_mcp_metrics_series_t  *y = *(void **) b;
    int                                   rc;
    size_t                                fx, fy;
    double                                lx, ly;

    fx = ngx_http_mcp_metrics_family(x);
    fy = ngx_http_mcp_metrics_family(y);

    rc = ngx_memn2cmp((u_char *) x->name, (u_char *) y->name, fx, fy);
    if (rc) {
        return rc;
    }

    rc = ngx_strcmp(x->name + fx, y->name + fy);
    if (rc) {
        return rc;
    }

    lx = ngx_http_mcp_metrics_le(x->labels);
    ly = ngx_http_mcp_metrics_le(y->labels);

    if (lx != ly && ngx_strchr(x->labels, ',') != NULL
        && ngx_strncmp(x->labels, y->labels,
                       ngx_strstr(x->labels, ",le=") - x->labels) == 0)
    {
        return lx < ly ? -1 : 1;
    }

    return ngx_strcmp(x->labels, y->labels);
}

static const char  *ngx_http_mcp_metrics_types[] = {
    "counter", "gauge", "histogram"
};

static ngx_int_t
ngx_http_mcp_metrics_handler(ngx_http_request_t *r)
{
    size_t                           size;
    ngx_int_t                        rc;
    ngx_uint_t                       i, n;
    ngx_buf_t                       *b;
    size_t                           family, last_len;
    const char                      *last;
    ngx_http_mcp_metrics_series_t  **list, *s;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    if (ngx_http_mcp_metrics_sh == NULL) {
        return NGX_HTTP_SERVICE_UNAVAILABLE;
    }

    list = ngx_palloc(r->pool, NGX_HTTP_MCP_METRICS_SERIES * sizeof(void *));
    if (list == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    n = 0;
    for (i = 0; i < NGX_HTTP_MCP_METRICS_SERIES; i++) {
        if (ngx_http_mcp_metrics_sh->series[i].used) {
            list[n++] = &ngx_http_mcp_metrics_sh->series[i];
        }
    }

    ngx_qsort(list, n, sizeof(void *), ngx_http_mcp_metrics_cmp);

    size = n * (NGX_HTTP_MCP_METRICS_NAME * 2 + NGX_HTTP_MCP_METRICS_LABELS
                + NGX_ATOMIC_T_LEN + 32) + 1;

    b = ngx_create_temp_buf(r->pool, size);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    last = NULL;
    last_len = 0;
    for (i = 0; i < n; i++) {
        s = list[i];
        family = ngx_http_mcp_metrics_family(s);

        if (last == NULL || family != last_len
            || ngx_strncmp(s->name, last, family) != 0)
        {
            b->last = ngx_sprintf(b->last, "# TYPE %*s %s\n", family,
                                  s->name,
                                  ngx_http_mcp_metrics_types[s->kind]);
            last = s->name;
            last_len = family;
        }

        /* sums are kept in milliseconds, shown in seconds */
        if (s->kind == NGX_HTTP_MCP_METRICS_HISTOGRAM
            && ngx_strcmp(s->name + family, "_sum") == 0)
        {
            b->last = ngx_sprintf(b->last, "%s%s %uA.%03uA\n", s->name,
                                  s->labels, s->value / 1000,
                                  s->value % 1000);
            continue;
        }

        b->last = ngx_sprintf(b->last, "%s%s %A\n", s->name, s->labels,
                              s->value);
    }

    /* the agents' own series follow, read from Redis */
    return ngx_http_mcp_metrics_agents(r, b);
}

ngx_int_t
ngx_http_mcp_metrics_send(ngx_http_request_t *r, ngx_buf_t *own,
    ngx_buf_t *agents)
{
    ngx_int_t     rc;
    ngx_uint_t    i, n;
    ngx_buf_t    *last;
    ngx_chain_t   out[2];

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_length_n = own->last - own->pos;
    if (agents != NULL) {
        r->headers_out.content_length_n += agents->last - agents->pos;
    }
    ngx_str_set(&r->headers_out.content_type, "text/plain; version=0.0.4");
    r->headers_out.content_type_len = r->headers_out.content_type.len;

    rc = ngx_http_send_header(r);
    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    /* empty buffers stay out of the chain (nginx alerts on them) */
    n = 0;
    if (own->last != own->pos) {
        out[n++].buf = own;
    }

    if (agents != NULL && agents->last != agents->pos) {
        out[n++].buf = agents;
    }

    if (n == 0) {
        out[n++].buf = ngx_calloc_buf(r->pool);
        if (out[0].buf == NULL) {
            return NGX_ERROR;
        }
    }

    for (i = 0; i < n; i++) {
        out[i].next = (i + 1 < n) ? &out[i + 1] : NULL;
    }

    last = out[n - 1].buf;
    last->last_buf = (r == r->main) ? 1 : 0;
    last->last_in_chain = 1;

    return ngx_http_output_filter(r, &out[0]);
}

static ngx_int_t
ngx_http_mcp_metrics_init_zone(ngx_shm_zone_t *shm_zone, void *data)
{
    ngx_slab_pool_t  *shpool;

    shpool = (ngx_slab_pool_t *) shm_zone->shm.addr;
    ngx_http_mcp_metrics_shpool = shpool;

    /* on reload the counters carry on */
    if (data != NULL || shm_zone->shm.exists) {
        ngx_http_mcp_metrics_sh = shpool->data;
        shm_zone->data = shpool->data;
        return NGX_OK;
    }

    ngx_http_mcp_metrics_sh = ngx_slab_calloc(shpool,
                                  sizeof(ngx_http_mcp_metrics_shctx_t));
    if (ngx_http_mcp_metrics_sh == NULL) {
        return NGX_ERROR;
    }

    shpool->data = ngx_http_mcp_metrics_sh;
    shm_zone->data = ngx_http_mcp_metrics_sh;

    return NGX_OK;
}

/* the zone exists whenever the module is loaded, /metrics or not */
static ngx_int_t
ngx_http_mcp_metrics_postconf(ngx_conf_t *cf)
{
    ngx_str_t        name = ngx_string("mcp_metrics");
    ngx_shm_zone_t  *zone;

    zone = ngx_shared_memory_add(cf, &name,
                                 sizeof(ngx_http_mcp_metrics_shctx_t)
                                 + 8 * ngx_pagesize,
                                 &ngx_http_mcp_metrics_module);
    if (zone == NULL) {
        return NGX_ERROR;
    }

    zone->init = ngx_http_mcp_metrics_init_zone;

    return NGX_OK;
}

static char *
ngx_http_mcp_metrics(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_core_loc_conf_t  *clcf;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_mcp_metrics_handler;

    return NGX_CONF_OK;
}
