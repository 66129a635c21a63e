/*
 * ngx_http_mcp_ratelimit.c: the mcp_limit module: leaky buckets in a shared
 * zone (rbtree + LRU, like limit_req) keyed by subject, device or tool.
 */
#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>
#include "ngx_http_mcp_auth.h"
#include "ngx_http_mcp_ratelimit.h"
#include "ngx_http_mcp_metrics.h"

#define NGX_HTTP_MCP_LIMIT_SUBJECT  1
#define NGX_HTTP_MCP_LIMIT_DEVICE   2
#define NGX_HTTP_MCP_LIMIT_TOOL     3

#define NGX_HTTP_MCP_LIMIT_KEY_MAX  200
#define NGX_HTTP_MCP_LIMIT_ZONE_SIZE  (10 * 1024 * 1024)

typedef struct {
    u_char         color;
    u_char         dummy;
    u_short        len;
    ngx_queue_t    queue;
    ngx_msec_t     last;
    ngx_uint_t     excess;       /* thousandths of a call in the bucket */
    u_char         data[1];
} ngx_http_mcp_limit_node_t;

typedef struct {
    ngx_rbtree_t        rbtree;
    ngx_rbtree_node_t   sentinel;
    ngx_queue_t         queue;
} ngx_http_mcp_limit_shctx_t;

typedef struct {
    ngx_http_mcp_limit_shctx_t  *sh;
    ngx_slab_pool_t             *shpool;
} ngx_http_mcp_limit_zone_t;

typedef struct {
    ngx_str_t        rate_class;  /* "*" matches every class */
    ngx_uint_t       per;
    ngx_uint_t       rate;        /* thousandths of a call per minute */
    ngx_uint_t       burst;       /* calls allowed at once */
    ngx_shm_zone_t  *zone;
} ngx_http_mcp_limit_rule_t;

typedef struct {
    ngx_shm_zone_t  *zone;        /* the first mcp_limit_zone */
} ngx_http_mcp_ratelimit_main_conf_t;

typedef struct {
    ngx_array_t  *rules;          /* ngx_http_mcp_limit_rule_t */
} ngx_http_mcp_ratelimit_loc_conf_t;

/* one bucket a call is charged to */
typedef struct {
    ngx_http_mcp_limit_rule_t  *rule;
    ngx_str_t                   key;
} ngx_http_mcp_limit_charge_t;

static void *ngx_http_mcp_ratelimit_create_main_conf(ngx_conf_t *cf);
static void *ngx_http_mcp_ratelimit_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_mcp_ratelimit_merge_loc_conf(ngx_conf_t *cf,
    void *parent, void *child);
static char *ngx_http_mcp_limit_zone(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_mcp_limit_rule(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);

static ngx_str_t  ngx_http_mcp_limit_default = ngx_string("mcp_limits");

static ngx_command_t  ngx_http_mcp_ratelimit_commands[] = {

    { ngx_string("mcp_limit_zone"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_http_mcp_limit_zone,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("mcp_limit_rule"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_2MORE,
      ngx_http_mcp_limit_rule,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

      ngx_null_command
};

static ngx_http_module_t  ngx_http_mcp_ratelimit_module_ctx = {
    NULL,                                  /* preconfiguration */
    NULL,                                  /* postconfiguration */
    ngx_http_mcp_ratelimit_create_main_conf, /* create main configuration */
    NULL,                                  /* init main configuration */
    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */
    ngx_http_mcp_ratelimit_create_loc_conf, /* create location configuration */
    ngx_http_mcp_ratelimit_merge_loc_conf  /* merge location configuration */
};

ngx_module_t  ngx_http_mcp_ratelimit_module = {
    NGX_MODULE_V1,
    &ngx_http_mcp_ratelimit_module_ctx,    /* module context */
    ngx_http_mcp_ratelimit_commands,       /* module directives */
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

static void
ngx_http_mcp_limit_rbtree_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel)
{
    ngx_rbtree_node_t          **p;
    ngx_http_mcp_limit_node_t   *ln, *lnt;

    for ( ;; ) {

        if (node->key < temp->key) {
            p = &temp->left;

        } else if (node->key > temp->key) {
            p = &temp->right;

        } else {
            ln = (ngx_http_mcp_limit_node_t *) &node->color;
            lnt = (ngx_http_mcp_limit_node_t *) &temp->color;

            p = (ngx_memn2cmp(ln->data, lnt->data, ln->len, lnt->len) < 0)
                ? &temp->left : &temp->right;
        }

        if (*p == sentinel) {
            break;
        }

        temp = *p;
    }

    *p = node;
    node->parent = temp;
    node->left = sentinel;
    node->right = sentinel;
    ngx_rbt_red(node);
}

/* Frees idle, drained buckets from the LRU tail (all = oldest one at any
 * rate, when the zone is full). */
static void
ngx_http_mcp_limit_expire(ngx_http_mcp_limit_zone_t *z, ngx_uint_t force)
{
    ngx_msec_t                  now;
    ngx_uint_t                  n;
    ngx_queue_t                *q;
    ngx_rbtree_node_t          *node;
    ngx_http_mcp_limit_node_t  *ln;

    now = ngx_current_msec;

    for (n = 0; n < 3; n++) {
        if (ngx_queue_empty(&z->sh->queue)) {
            return;
        }

        q = ngx_queue_last(&z->sh->queue);
        ln = ngx_queue_data(q, ngx_http_mcp_limit_node_t, queue);

        if (!force && (ngx_msec_int_t) (now - ln->last) < 3600000) {
            return;
        }

        force = 0;
        ngx_queue_remove(q);
        node = (ngx_rbtree_node_t *)
                   ((u_char *) ln - offsetof(ngx_rbtree_node_t, color));
        ngx_rbtree_delete(&z->sh->rbtree, node);
        ngx_slab_free_locked(z->shpool, node);
    }
}

static ngx_http_mcp_limit_node_t *
ngx_http_mcp_limit_find(ngx_http_mcp_limit_zone_t *z, ngx_str_t *key,
    uint32_t hash)
{
    ngx_int_t                   rc;
    ngx_rbtree_node_t          *node, *sentinel;
    ngx_http_mcp_limit_node_t  *ln;

    node = z->sh->rbtree.root;
    sentinel = z->sh->rbtree.sentinel;

    while (node != sentinel) {
        if (hash != node->key) {
            node = (hash < node->key) ? node->left : node->right;
            continue;
        }

        ln = (ngx_http_mcp_limit_node_t *) &node->color;
        rc = ngx_memn2cmp(key->data, ln->data, key->len, (size_t) ln->len);

        if (rc == 0) {
            return ln;
        }

        node = (rc < 0) ? node->left : node->right;
    }

    return NULL;
}

/*
 * The bucket's excess after one more call now; *delay is how long the call
 * would have to wait to fit (0 when it fits). commit stores the new state.
 */
static ngx_int_t
ngx_http_mcp_limit_account(ngx_http_mcp_limit_rule_t *rule, ngx_str_t *key,
    ngx_uint_t commit, ngx_msec_t *delay)
{
    size_t                      size;
    uint32_t                    hash;
    ngx_int_t                   excess;
    ngx_msec_t                  now;
    ngx_msec_int_t              ms;
    ngx_rbtree_node_t          *node;
    ngx_http_mcp_limit_node_t  *ln;
    ngx_http_mcp_limit_zone_t  *z;

    z = rule->zone->data;
    now = ngx_current_msec;
    hash = ngx_crc32_short(key->data, key->len);
    *delay = 0;

    ngx_shmtx_lock(&z->shpool->mutex);

    ln = ngx_http_mcp_limit_find(z, key, hash);

    if (ln != NULL) {
        ms = (ngx_msec_int_t) (now - ln->last);
        if (ms < 0) {
            ms = 0;
        }

        excess = (ngx_int_t) ln->excess - (ngx_int_t) (rule->rate * ms / 60000);
        if (excess < 0) {
            excess = 0;
        }

        excess += 1000;

    } else {
        excess = 1000;
    }

    if (excess > (ngx_int_t) (rule->burst * 1000)) {
        *delay = (ngx_msec_t) ((excess - (ngx_int_t) rule->burst * 1000)
                               * 60000 / (ngx_int_t) rule->rate);
        if (*delay == 0) {
            *delay = 1;
        }

        ngx_shmtx_unlock(&z->shpool->mutex);
        return NGX_BUSY;
    }

    if (!commit) {
        ngx_shmtx_unlock(&z->shpool->mutex);
        return NGX_OK;
    }

    if (ln == NULL) {
        ngx_http_mcp_limit_expire(z, 0);

        size = offsetof(ngx_rbtree_node_t, color)
               + offsetof(ngx_http_mcp_limit_node_t, data) + key->len;

        node = ngx_slab_alloc_locked(z->shpool, size);
        if (node == NULL) {
            ngx_http_mcp_limit_expire(z, 1);
            node = ngx_slab_alloc_locked(z->shpool, size);
            if (node == NULL) {
                ngx_shmtx_unlock(&z->shpool->mutex);
                return NGX_ERROR;
            }
        }

        node->key = hash;
        ln = (ngx_http_mcp_limit_node_t *) &node->color;
        ln->len = (u_short) key->len;
        ngx_memcpy(ln->data, key->data, key->len);
        ngx_rbtree_insert(&z->sh->rbtree, node);

    } else {
        ngx_queue_remove(&ln->queue);
    }

    ngx_queue_insert_head(&z->sh->queue, &ln->queue);
    ln->last = now;
    ln->excess = (ngx_uint_t) excess;

    ngx_shmtx_unlock(&z->shpool->mutex);

    return NGX_OK;
}

static ngx_int_t
ngx_http_mcp_limit_add_key(ngx_http_request_t *r, ngx_array_t *charges,
    ngx_http_mcp_limit_rule_t *rule, ngx_uint_t index, const char *what,
    size_t len)
{
    ngx_http_mcp_limit_charge_t  *c;

    if (len > NGX_HTTP_MCP_LIMIT_KEY_MAX) {
        len = NGX_HTTP_MCP_LIMIT_KEY_MAX;
    }

    c = ngx_array_push(charges);
    if (c == NULL) {
        return NGX_ERROR;
    }

    c->rule = rule;
    c->key.data = ngx_pnalloc(r->pool, NGX_INT_T_LEN + 1 + len);
    if (c->key.data == NULL) {
        return NGX_ERROR;
    }

    /* the rule's index keeps two rules' buckets for one key apart */
    c->key.len = ngx_sprintf(c->key.data, "%ui|%*s", index, len, what)
                 - c->key.data;

    return NGX_OK;
}

/* Checks every bucket first and charges them only if all have room. */
static ngx_int_t
ngx_http_mcp_limit_charge_all(ngx_array_t *charges, ngx_msec_t *delay,
    const char **rate_class)
{
    ngx_int_t                     rc;
    ngx_uint_t                    i, commit;
    ngx_msec_t                    d;
    ngx_http_mcp_limit_charge_t  *c;

    c = charges->elts;
    *delay = 0;

    for (commit = 0; commit <= 1; commit++) {
        for (i = 0; i < charges->nelts; i++) {
            rc = ngx_http_mcp_limit_account(c[i].rule, &c[i].key, commit, &d);

            if (rc == NGX_BUSY) {
                if (d > *delay) {
                    *delay = d;
                    *rate_class = (const char *) c[i].rule->rate_class.data;
                }
                continue;
            }

            if (rc != NGX_OK) {
                return rc;
            }
        }

        if (*delay) {
            return NGX_BUSY;
        }
    }

    return NGX_OK;
}

ngx_int_t
ngx_http_mcp_ratelimit_charge(ngx_http_request_t *r, const mcp_tool_t *tool,
    const json_t *arguments, ngx_msec_t *retry_after_ms)
{
    size_t                              i, k;
    json_t                             *v, *ids;
    ngx_int_t                           rc;
    ngx_array_t                         charges;
    const char                         *rate_class;
    ngx_http_mcp_limit_rule_t          *rule;
    const ngx_http_mcp_identity_t      *id;
    ngx_http_mcp_ratelimit_loc_conf_t  *lcf;

    *retry_after_ms = 0;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_mcp_ratelimit_module);
    if (lcf->rules == NULL) {
        return NGX_OK;
    }

    if (ngx_array_init(&charges, r->pool, 4,
                       sizeof(ngx_http_mcp_limit_charge_t))
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    id = ngx_http_mcp_identity(r);
    rule = lcf->rules->elts;

    for (i = 0; i < lcf->rules->nelts; i++) {
        if (!(rule[i].rate_class.len == 1 && rule[i].rate_class.data[0] == '*')
            && ngx_strcmp(rule[i].rate_class.data, tool->rate_class) != 0)
        {
            continue;
        }

        rc = NGX_OK;

        switch (rule[i].per) {

        case NGX_HTTP_MCP_LIMIT_SUBJECT:
            rc = ngx_http_mcp_limit_add_key(r, &charges, &rule[i], i,
                     (const char *) id->subject.data, id->subject.len);
            break;

        case NGX_HTTP_MCP_LIMIT_TOOL:
            rc = ngx_http_mcp_limit_add_key(r, &charges, &rule[i], i,
                                            tool->name,
                                            ngx_strlen(tool->name));
            break;

        default: /* NGX_HTTP_MCP_LIMIT_DEVICE */
            v = json_object_get(arguments, "device_id");
            if (json_is_string(v)) {
                rc = ngx_http_mcp_limit_add_key(r, &charges, &rule[i], i,
                                                json_string_value(v),
                                                json_string_length(v));
            }

            ids = json_object_get(arguments, "device_ids");
            json_array_foreach(ids, k, v) {
                if (rc == NGX_OK && json_is_string(v)) {
                    rc = ngx_http_mcp_limit_add_key(r, &charges, &rule[i], i,
                                                    json_string_value(v),
                                                    json_string_length(v));
                }
            }
        }

        if (rc != NGX_OK) {
            return NGX_ERROR;
        }
    }

    rate_class = tool->rate_class;
    rc = ngx_http_mcp_limit_charge_all(&charges, retry_after_ms, &rate_class);

    if (rc == NGX_BUSY) {
        ngx_http_mcp_metrics_rate_limited(rate_class);
    }

    return rc;
}

ngx_int_t
ngx_http_mcp_ratelimit_http(ngx_http_request_t *r)
{
    ngx_int_t                           rc;
    ngx_uint_t                          i;
    ngx_msec_t                          delay;
    ngx_array_t                         charges;
    ngx_table_elt_t                    *h;
    const char                         *rate_class;
    ngx_http_mcp_limit_rule_t          *rule;
    const ngx_http_mcp_identity_t      *id;
    ngx_http_mcp_ratelimit_loc_conf_t  *lcf;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_mcp_ratelimit_module);
    if (lcf->rules == NULL || r != r->main) {
        return NGX_DECLINED;
    }

    if (ngx_array_init(&charges, r->pool, 2,
                       sizeof(ngx_http_mcp_limit_charge_t))
        != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    id = ngx_http_mcp_identity(r);
    rule = lcf->rules->elts;

    for (i = 0; i < lcf->rules->nelts; i++) {
        if (ngx_strcmp(rule[i].rate_class.data, "http") != 0) {
            continue;
        }

        if (ngx_http_mcp_limit_add_key(r, &charges, &rule[i], i,
                (const char *) (rule[i].per == NGX_HTTP_MCP_LIMIT_SUBJECT
                                ? id->subject.data : r->uri.data),
                rule[i].per == NGX_HTTP_MCP_LIMIT_SUBJECT
                ? id->subject.len : r->uri.len)
            != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    rate_class = "http";
    rc = ngx_http_mcp_limit_charge_all(&charges, &delay, &rate_class);

    if (rc == NGX_OK) {
        return NGX_DECLINED;
    }

    if (rc != NGX_BUSY) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_http_mcp_metrics_rate_limited(rate_class);

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->value.data = ngx_pnalloc(r->pool, NGX_TIME_T_LEN);
    if (h->value.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "Retry-After");
    h->value.len = ngx_sprintf(h->value.data, "%M", (delay + 999) / 1000)
                   - h->value.data;

    return NGX_HTTP_TOO_MANY_REQUESTS;
}

static ngx_int_t
ngx_http_mcp_limit_init_zone(ngx_shm_zone_t *shm_zone, void *data)
{
    ngx_http_mcp_limit_zone_t  *oz = data;

    size_t                      len;
    ngx_http_mcp_limit_zone_t  *z;

    z = shm_zone->data;

    /* a reload keeps the buckets */
    if (oz != NULL) {
        z->sh = oz->sh;
        z->shpool = oz->shpool;
        return NGX_OK;
    }

    z->shpool = (ngx_slab_pool_t *) shm_zone->shm.addr;

    if (shm_zone->shm.exists) {
        z->sh = z->shpool->data;
        return NGX_OK;
    }

    z->sh = ngx_slab_alloc(z->shpool, sizeof(ngx_http_mcp_limit_shctx_t));
    if (z->sh == NULL) {
        return NGX_ERROR;
    }

    z->shpool->data = z->sh;

    ngx_rbtree_init(&z->sh->rbtree, &z->sh->sentinel,
                    ngx_http_mcp_limit_rbtree_insert);
    ngx_queue_init(&z->sh->queue);

    len = sizeof(" in mcp_limit_zone \"\"") + shm_zone->shm.name.len;

    z->shpool->log_ctx = ngx_slab_alloc(z->shpool, len);
    if (z->shpool->log_ctx == NULL) {
        return NGX_ERROR;
    }

    ngx_sprintf(z->shpool->log_ctx, " in mcp_limit_zone \"%V\"%Z",
                &shm_zone->shm.name);

    return NGX_OK;
}

static ngx_shm_zone_t *
ngx_http_mcp_limit_zone_add(ngx_conf_t *cf, ngx_str_t *name, ssize_t size)
{
    ngx_shm_zone_t             *zone;
    ngx_http_mcp_limit_zone_t  *z;

    z = ngx_pcalloc(cf->pool, sizeof(ngx_http_mcp_limit_zone_t));
    if (z == NULL) {
        return NULL;
    }

    zone = ngx_shared_memory_add(cf, name, size,
                                 &ngx_http_mcp_ratelimit_module);
    if (zone == NULL) {
        return NULL;
    }

    if (zone->data) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "mcp_limit_zone \"%V\" is already bound", name);
        return NULL;
    }

    zone->init = ngx_http_mcp_limit_init_zone;
    zone->data = z;

    return zone;
}

/* mcp_limit_zone zone=name:size; */
static char *
ngx_http_mcp_limit_zone(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_mcp_ratelimit_main_conf_t  *mcf = conf;

    u_char          *p;
    ssize_t          size;
    ngx_str_t       *value, name, s;
    ngx_shm_zone_t  *zone;

    value = cf->args->elts;

    if (ngx_strncmp(value[1].data, "zone=", 5) != 0) {
        return "expects zone=name:size";
    }

    name.data = value[1].data + 5;
    p = (u_char *) ngx_strchr(name.data, ':');
    if (p == NULL) {
        return "expects zone=name:size";
    }

    name.len = p - name.data;
    s.data = p + 1;
    s.len = value[1].data + value[1].len - s.data;

    size = ngx_parse_size(&s);
    if (size == NGX_ERROR || size < (ssize_t) (8 * ngx_pagesize)) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "zone \"%V\" is too small or invalid", &value[1]);
        return NGX_CONF_ERROR;
    }

    zone = ngx_http_mcp_limit_zone_add(cf, &name, size);
    if (zone == NULL) {
        return NGX_CONF_ERROR;
    }

    if (mcf->zone == NULL) {
        mcf->zone = zone;
    }

    return NGX_CONF_OK;
}

/* rate=Nr/s or Nr/m in thousandths of a call per minute */
static ngx_int_t
ngx_http_mcp_limit_parse_rate(ngx_str_t *v)
{
    ngx_int_t  n, scale;
    size_t     len;

    len = v->len;
    scale = 60;

    if (len > 3 && ngx_strncmp(v->data + len - 3, "r/s", 3) == 0) {
        len -= 3;
    } else if (len > 3 && ngx_strncmp(v->data + len - 3, "r/m", 3) == 0) {
        len -= 3;
        scale = 1;
    } else {
        return NGX_ERROR;
    }

    n = ngx_atoi(v->data, len);
    if (n <= 0) {
        return NGX_ERROR;
    }

    return n * 1000 * scale;
}

/* mcp_limit_rule <rate_class> per=... rate=... [burst=N] [zone=name]; */
static char *
ngx_http_mcp_limit_rule(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_mcp_ratelimit_loc_conf_t  *lcf = conf;

    ngx_int_t                            n;
    ngx_str_t                           *value, v;
    ngx_uint_t                           i;
    ngx_http_mcp_limit_rule_t           *rule;
    ngx_http_mcp_ratelimit_main_conf_t  *mcf;

    value = cf->args->elts;
    mcf = ngx_http_conf_get_module_main_conf(cf,
                                             ngx_http_mcp_ratelimit_module);

    if (lcf->rules == NGX_CONF_UNSET_PTR) {
        lcf->rules = ngx_array_create(cf->pool, 2,
                                      sizeof(ngx_http_mcp_limit_rule_t));
        if (lcf->rules == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    rule = ngx_array_push(lcf->rules);
    if (rule == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_memzero(rule, sizeof(ngx_http_mcp_limit_rule_t));
    rule->rate_class = value[1];
    rule->burst = 1;
    rule->zone = mcf->zone;

    for (i = 2; i < cf->args->nelts; i++) {
        v = value[i];

        if (ngx_strcmp(v.data, "per=subject") == 0) {
            rule->per = NGX_HTTP_MCP_LIMIT_SUBJECT;

        } else if (ngx_strcmp(v.data, "per=device") == 0) {
            rule->per = NGX_HTTP_MCP_LIMIT_DEVICE;

        } else if (ngx_strcmp(v.data, "per=tool") == 0) {
            rule->per = NGX_HTTP_MCP_LIMIT_TOOL;

        } else if (ngx_strncmp(v.data, "rate=", 5) == 0) {
            v.data += 5;
            v.len -= 5;
            n = ngx_http_mcp_limit_parse_rate(&v);
            if (n <= 0) {
                return "has an invalid rate (expects Nr/s or Nr/m)";
            }
            rule->rate = n;

        } else if (ngx_strncmp(v.data, "burst=", 6) == 0) {
            n = ngx_atoi(v.data + 6, v.len - 6);
            if (n <= 0) {
                return "has an invalid burst";
            }
            rule->burst = n;

        } else if (ngx_strncmp(v.data, "zone=", 5) == 0) {
            v.data += 5;
            v.len -= 5;
            rule->zone = ngx_shared_memory_add(cf, &v, 0,
                                               &ngx_http_mcp_ratelimit_module);
            if (rule->zone == NULL) {
                return NGX_CONF_ERROR;
            }

        } else {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid parameter \"%V\"", &value[i]);
            return NGX_CONF_ERROR;
        }
    }

    if (rule->per == 0 || rule->rate == 0) {
        return "needs per= and rate=";
    }

    if (rule->per == NGX_HTTP_MCP_LIMIT_DEVICE
        && ngx_strcmp(rule->rate_class.data, "http") == 0)
    {
        return "cannot limit plain HTTP requests per device";
    }

    /* without a declared zone, rules share a default one */
    if (rule->zone == NULL) {
        mcf->zone = ngx_http_mcp_limit_zone_add(cf,
                                                &ngx_http_mcp_limit_default,
                                                NGX_HTTP_MCP_LIMIT_ZONE_SIZE);
        if (mcf->zone == NULL) {
            return NGX_CONF_ERROR;
        }

        rule->zone = mcf->zone;
    }

    return NGX_CONF_OK;
}

static void *
ngx_http_mcp_ratelimit_create_main_conf(ngx_conf_t *cf)
{
    return ngx_pcalloc(cf->pool, sizeof(ngx_http_mcp_ratelimit_main_conf_t));
}

static void *
ngx_http_mcp_ratelimit_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_mcp_ratelimit_loc_conf_t  *conf;

    conf = ngx_pcalloc(cf->pool, sizeof(ngx_http_mcp_ratelimit_loc_conf_t));
    if (conf == NULL) {
        return NULL;
    }

    conf->rules = NGX_CONF_UNSET_PTR;

    return conf;
}

static char *
ngx_http_mcp_ratelimit_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child)
{
    ngx_http_mcp_ratelimit_loc_conf_t  *prev = parent;
    ngx_http_mcp_ratelimit_loc_conf_t  *conf = child;

    ngx_conf_merge_ptr_value(conf->rules, prev->rules, NULL);

    return NGX_CONF_OK;
}
