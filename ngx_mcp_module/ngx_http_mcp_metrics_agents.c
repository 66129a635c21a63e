/*
 * ngx_http_mcp_metrics_agents.c: /metrics reads each live agent's metrics
 * hash from Redis (async) and prints it beside the shared-memory series.
 */
#include <stdio.h>
#include <stdlib.h>
#include "ngx_http_mcp.h"
#include "ngx_http_mcp_metrics.h"
#include "../shared/protocol/metric.h"

#define NGX_HTTP_MCP_METRICS_AGENTS  8

typedef struct {
    ngx_str_t    agent;
    ngx_str_t    field;          /* name{labels} */
    ngx_str_t    value;
    size_t       family;         /* name length without a histogram suffix */
    size_t       name;           /* name length */
    ngx_uint_t   histogram;
} ngx_http_mcp_agent_series_t;

typedef struct {
    ngx_http_mcp_ctx_t   mcp;    /* first: the Redis replies are given it */
    ngx_buf_t           *own;
    ngx_str_t            ids[NGX_HTTP_MCP_METRICS_AGENTS];
    ngx_uint_t           nids;
    ngx_uint_t           next;
    ngx_array_t          series; /* ngx_http_mcp_agent_series_t */
} ngx_http_mcp_metrics_agents_t;

static void ngx_http_mcp_metrics_agents_next(ngx_http_request_t *r,
    ngx_http_mcp_metrics_agents_t *ma);

static ngx_uint_t
ngx_http_mcp_metrics_suffix(ngx_str_t *f, size_t name, const char *suffix)
{
    size_t  n = ngx_strlen(suffix);

    return name > n && ngx_strncmp(f->data + name - n, suffix, n) == 0;
}

/* name and family lengths: _bucket, _count and _sum make a histogram */
static void
ngx_http_mcp_metrics_agents_kind(ngx_http_mcp_agent_series_t *s)
{
    u_char      *brace;
    ngx_uint_t   i;
    static const char  *suffixes[] = { "_bucket", "_count", "_sum" };

    brace = ngx_strlchr(s->field.data, s->field.data + s->field.len, '{');
    s->name = brace ? (size_t) (brace - s->field.data) : s->field.len;
    s->family = s->name;
    s->histogram = 0;

    for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        if (ngx_http_mcp_metrics_suffix(&s->field, s->name, suffixes[i])) {
            s->family = s->name - ngx_strlen(suffixes[i]);
            s->histogram = 1;
            return;
        }
    }
}

/* the le="..." bound of a bucket (the agent writes it last), +Inf highest */
static double
ngx_http_mcp_metrics_agents_le(const ngx_http_mcp_agent_series_t *s)
{
    u_char  *p;

    p = ngx_strlcasestrn(s->field.data, s->field.data + s->field.len,
                         (u_char *) "le=\"", 4 - 1);
    if (p == NULL || p[4] == '+') {
        return 1e300;
    }

    return strtod((char *) p + 4, NULL);
}

/* the labels before le="..." */
static size_t
ngx_http_mcp_metrics_agents_base(const ngx_http_mcp_agent_series_t *s)
{
    u_char  *p;

    p = ngx_strlcasestrn(s->field.data, s->field.data + s->field.len,
                         (u_char *) ",le=\"", 5 - 1);

    return p == NULL ? s->field.len - s->name : (size_t) (p - s->field.data)
                                                - s->name;
}

/* by family, agent, label set, then _bucket (by le), _count, _sum */
static int ngx_libc_cdecl
ngx_http_mcp_metrics_agents_cmp(const void *a, const void *b)
{
    const ngx_http_mcp_agent_series_t  *x = a, *y = b;
    int                                 rc;
    double                              lx, ly;

    rc = ngx_memn2cmp(x->field.data, y->field.data, x->family, y->family);
    if (rc) {
        return rc;
    }

    rc = ngx_memn2cmp(x->agent.data, y->agent.data, x->agent.len,
                      y->agent.len);
    if (rc) {
        return rc;
    }

    rc = ngx_memn2cmp(x->field.data + x->name, y->field.data + y->name,
                      ngx_http_mcp_metrics_agents_base(x),
                      ngx_http_mcp_metrics_agents_base(y));
    if (rc) {
        return rc;
    }

    rc = ngx_memn2cmp(x->field.data + x->family, y->field.data + y->family,
                      x->name - x->family, y->name - y->family);
    if (rc) {
        return rc;   /* _bucket < _count < _sum */
    }

    lx = ngx_http_mcp_metrics_agents_le(x);
    ly = ngx_http_mcp_metrics_agents_le(y);

    return lx < ly ? -1 : (lx > ly);
}

static void
ngx_http_mcp_metrics_agents_finish(ngx_http_request_t *r,
    ngx_http_mcp_metrics_agents_t *ma)
{
    size_t                        size;
    ngx_buf_t                    *b;
    ngx_uint_t                    i;
    ngx_http_mcp_agent_series_t  *s, *last;

    s = ma->series.elts;
    ngx_qsort(s, ma->series.nelts, sizeof(ngx_http_mcp_agent_series_t),
              ngx_http_mcp_metrics_agents_cmp);

    size = 1;
    for (i = 0; i < ma->series.nelts; i++) {
        size += 2 * s[i].field.len + s[i].agent.len + s[i].value.len + 48;
    }

    b = ngx_create_temp_buf(r->pool, size);
    if (b == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    last = NULL;
    for (i = 0; i < ma->series.nelts; i++) {
        if (last == NULL
            || ngx_memn2cmp(s[i].field.data, last->field.data, s[i].family,
                            last->family) != 0)
        {
            b->last = ngx_sprintf(b->last, "# TYPE %*s %s\n", s[i].family,
                                  s[i].field.data,
                                  s[i].histogram ? "histogram"
                                  : ngx_http_mcp_metrics_suffix(&s[i].field,
                                        s[i].name, "_total")
                                    ? "counter" : "gauge");
            last = &s[i];
        }

        /* name{agent="id",labels} value */
        b->last = ngx_sprintf(b->last, "%*s{agent=\"%V\"", s[i].name,
                              s[i].field.data, &s[i].agent);

        if (s[i].field.len > s[i].name + 2) {
            b->last = ngx_sprintf(b->last, ",%*s",
                                  s[i].field.len - s[i].name - 1,
                                  s[i].field.data + s[i].name + 1);
        } else {
            *b->last++ = '}';
        }

        b->last = ngx_sprintf(b->last, " %V\n", &s[i].value);
    }

    ngx_http_finalize_request(r, ngx_http_mcp_metrics_send(r, ma->own, b));
}

static ngx_int_t
ngx_http_mcp_metrics_agents_copy(ngx_http_request_t *r, ngx_str_t *dst,
    redisReply *src)
{
    dst->data = ngx_pnalloc(r->pool, src->len);
    if (dst->data == NULL) {
        return NGX_ERROR;
    }

    ngx_memcpy(dst->data, src->str, src->len);
    dst->len = src->len;

    return NGX_OK;
}

/* HGETALL of one agent: field, value, field, value... */
static void
ngx_http_mcp_metrics_agents_hash(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx, redisReply *reply)
{
    ngx_http_mcp_metrics_agents_t  *ma = (ngx_http_mcp_metrics_agents_t *) ctx;

    size_t                        i;
    redisReply                   *f, *v;
    ngx_http_mcp_agent_series_t  *s;

    for (i = 0; reply != NULL && reply->type == REDIS_REPLY_ARRAY
                && i + 1 < reply->elements; i += 2)
    {
        f = reply->element[i];
        v = reply->element[i + 1];

        if (f->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING
            || !mcp_metric_field_ok(f->str, f->len)
            || !mcp_metric_value_ok(v->str, v->len))
        {
            continue;
        }

        s = ngx_array_push(&ma->series);
        if (s == NULL
            || ngx_http_mcp_metrics_agents_copy(r, &s->field, f) != NGX_OK
            || ngx_http_mcp_metrics_agents_copy(r, &s->value, v) != NGX_OK)
        {
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
            return;
        }

        s->agent = ma->ids[ma->next];
        ngx_http_mcp_metrics_agents_kind(s);
    }

    ma->next++;
    ngx_http_mcp_metrics_agents_next(r, ma);
}

static void
ngx_http_mcp_metrics_agents_next(ngx_http_request_t *r,
    ngx_http_mcp_metrics_agents_t *ma)
{
    u_char        key[MCP_KEY_MAX];
    char          id[65];
    const char   *argv[2];
    size_t        argvlen[2];

    if (ma->next == ma->nids) {
        ngx_http_mcp_metrics_agents_finish(r, ma);
        return;
    }

    /* agent ids are at most 64 bytes, so the key always fits */
    ngx_memcpy(id, ma->ids[ma->next].data, ma->ids[ma->next].len);
    id[ma->ids[ma->next].len] = '\0';

    argv[0] = "HGETALL";
    argvlen[0] = 7;
    argv[1] = (const char *) key;
    argvlen[1] = (size_t) snprintf((char *) key, MCP_KEY_MAX,
                                   MCP_KEY_AGENT_METRICS_FMT, id);

    if (ngx_http_mcp_redis_command(r, &ma->mcp,
                                   ngx_http_mcp_metrics_agents_hash, 2, argv,
                                   argvlen)
        != NGX_OK)
    {
        /* Redis went away: what was read so far */
        ngx_http_mcp_metrics_agents_finish(r, ma);
    }
}

/* ZREVRANGE of the agents by last heartbeat */
static void
ngx_http_mcp_metrics_agents_list(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx, redisReply *reply)
{
    ngx_http_mcp_metrics_agents_t  *ma = (ngx_http_mcp_metrics_agents_t *) ctx;

    size_t       i;
    redisReply  *e;

    for (i = 0; reply != NULL && reply->type == REDIS_REPLY_ARRAY
                && i < reply->elements
                && ma->nids < NGX_HTTP_MCP_METRICS_AGENTS; i++)
    {
        e = reply->element[i];
        if (e->type != REDIS_REPLY_STRING || e->len == 0 || e->len > 64
            || !mcp_metric_label_ok(e->str, e->len))
        {
            continue;
        }

        if (ngx_http_mcp_metrics_agents_copy(r, &ma->ids[ma->nids], e)
            != NGX_OK)
        {
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
            return;
        }

        ma->nids++;
    }

    ngx_http_mcp_metrics_agents_next(r, ma);
}

/* A client gone before Redis answers must not be touched by the reply. */
static void
ngx_http_mcp_metrics_agents_cleanup(void *data)
{
    ngx_http_mcp_ctx_t  *ctx = data;

    if (ctx->waiter != NULL) {
        ctx->waiter->request = NULL;
    }
}

ngx_int_t
ngx_http_mcp_metrics_agents(ngx_http_request_t *r, ngx_buf_t *own)
{
    ngx_int_t                       rc;
    ngx_pool_cleanup_t             *cln;
    ngx_http_mcp_metrics_agents_t  *ma;
    static const char              *argv[] = { "ZREVRANGE", MCP_KEY_AGENTS,
                                               "0", "7" };
    static const size_t             argvlen[] = { 9,
                                                  sizeof(MCP_KEY_AGENTS) - 1,
                                                  1, 1 };

    /* without Redis (or without mcp_endpoint) only the module's series */
    if (!ngx_http_mcp_redis_ready()) {
        return ngx_http_mcp_metrics_send(r, own, NULL);
    }

    ma = ngx_pcalloc(r->pool, sizeof(ngx_http_mcp_metrics_agents_t));
    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (ma == NULL || cln == NULL
        || ngx_array_init(&ma->series, r->pool, 64,
                          sizeof(ngx_http_mcp_agent_series_t))
           != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ma->mcp.request = r;
    ma->own = own;
    ngx_http_set_ctx(r, &ma->mcp, ngx_mcp_module);
    cln->handler = ngx_http_mcp_metrics_agents_cleanup;
    cln->data = &ma->mcp;

    rc = ngx_http_mcp_redis_command(r, &ma->mcp,
                                    ngx_http_mcp_metrics_agents_list, 4, argv,
                                    argvlen);
    if (rc != NGX_OK) {
        return ngx_http_mcp_metrics_send(r, own, NULL);
    }

    r->main->count++;

    return NGX_DONE;
}
