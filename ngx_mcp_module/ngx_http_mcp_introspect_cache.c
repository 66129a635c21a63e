/*
 * ngx_http_mcp_introspect_cache.c: introspection answers shared by all
 * workers: an rbtree of SHA-256 keys with an LRU queue in a slab zone.
 */
#include "ngx_http_mcp_introspect.h"

typedef struct {
    ngx_rbtree_node_t                 node;
    ngx_queue_t                       queue;
    u_char                            hash[32];
    ngx_http_mcp_introspect_entry_t   entry;
} ngx_http_mcp_introspect_node_t;

typedef struct {
    ngx_rbtree_t        rbtree;
    ngx_rbtree_node_t   sentinel;
    ngx_queue_t         queue;
} ngx_http_mcp_introspect_sh_t;

typedef struct {
    ngx_http_mcp_introspect_sh_t  *sh;
    ngx_slab_pool_t               *shpool;
} ngx_http_mcp_introspect_zone_t;

static void
ngx_http_mcp_introspect_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel)
{
    ngx_rbtree_node_t  **p;

    for ( ;; ) {
        if (node->key < temp->key) {
            p = &temp->left;

        } else if (node->key > temp->key) {
            p = &temp->right;

        } else {
            p = (ngx_memcmp(((ngx_http_mcp_introspect_node_t *) node)->hash,
                            ((ngx_http_mcp_introspect_node_t *) temp)->hash,
                            32) < 0)
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

static ngx_http_mcp_introspect_node_t *
ngx_http_mcp_introspect_find(ngx_http_mcp_introspect_zone_t *z, u_char *hash)
{
    ngx_int_t           rc;
    ngx_rbtree_key_t    key;
    ngx_rbtree_node_t  *node, *sentinel;

    ngx_memcpy(&key, hash, sizeof(key));
    node = z->sh->rbtree.root;
    sentinel = z->sh->rbtree.sentinel;

    while (node != sentinel) {
        if (key != node->key) {
            node = (key < node->key) ? node->left : node->right;
            continue;
        }

        rc = ngx_memcmp(hash, ((ngx_http_mcp_introspect_node_t *) node)->hash,
                        32);
        if (rc == 0) {
            return (ngx_http_mcp_introspect_node_t *) node;
        }

        node = (rc < 0) ? node->left : node->right;
    }

    return NULL;
}

static void
ngx_http_mcp_introspect_free(ngx_http_mcp_introspect_zone_t *z,
    ngx_http_mcp_introspect_node_t *n)
{
    ngx_queue_remove(&n->queue);
    ngx_rbtree_delete(&z->sh->rbtree, &n->node);
    ngx_slab_free_locked(z->shpool, n);
}

ngx_int_t
ngx_http_mcp_introspect_cache_get(ngx_shm_zone_t *zone, u_char *hash,
    ngx_http_mcp_introspect_entry_t *e)
{
    ngx_int_t                        rc;
    ngx_http_mcp_introspect_node_t  *n;
    ngx_http_mcp_introspect_zone_t  *z = zone->data;

    rc = NGX_DECLINED;

    ngx_shmtx_lock(&z->shpool->mutex);

    n = ngx_http_mcp_introspect_find(z, hash);

    if (n != NULL && n->entry.expires <= ngx_time()) {
        ngx_http_mcp_introspect_free(z, n);

    } else if (n != NULL) {
        *e = n->entry;
        rc = NGX_OK;
    }

    ngx_shmtx_unlock(&z->shpool->mutex);

    return rc;
}

void
ngx_http_mcp_introspect_cache_put(ngx_shm_zone_t *zone, u_char *hash,
    ngx_http_mcp_introspect_entry_t *e)
{
    ngx_uint_t                       i;
    ngx_queue_t                     *q;
    ngx_http_mcp_introspect_node_t  *n, *old;
    ngx_http_mcp_introspect_zone_t  *z = zone->data;

    ngx_shmtx_lock(&z->shpool->mutex);

    n = ngx_http_mcp_introspect_find(z, hash);
    if (n != NULL) {
        ngx_http_mcp_introspect_free(z, n);
    }

    /* drop expired entries from the tail, and the oldest if memory is out */
    for (i = 0; i < 3 && !ngx_queue_empty(&z->sh->queue); i++) {
        q = ngx_queue_last(&z->sh->queue);
        old = ngx_queue_data(q, ngx_http_mcp_introspect_node_t, queue);
        if (old->entry.expires > ngx_time()) {
            break;
        }
        ngx_http_mcp_introspect_free(z, old);
    }

    n = ngx_slab_alloc_locked(z->shpool,
                              sizeof(ngx_http_mcp_introspect_node_t));
    if (n == NULL && !ngx_queue_empty(&z->sh->queue)) {
        q = ngx_queue_last(&z->sh->queue);
        ngx_http_mcp_introspect_free(z,
            ngx_queue_data(q, ngx_http_mcp_introspect_node_t, queue));
        n = ngx_slab_alloc_locked(z->shpool,
                                  sizeof(ngx_http_mcp_introspect_node_t));
    }

    if (n != NULL) {
        ngx_memcpy(&n->node.key, hash, sizeof(ngx_rbtree_key_t));
        ngx_memcpy(n->hash, hash, 32);
        n->entry = *e;
        ngx_rbtree_insert(&z->sh->rbtree, &n->node);
        ngx_queue_insert_head(&z->sh->queue, &n->queue);
    }

    ngx_shmtx_unlock(&z->shpool->mutex);
}

static ngx_int_t
ngx_http_mcp_introspect_init_zone(ngx_shm_zone_t *shm_zone, void *data)
{
    ngx_http_mcp_introspect_zone_t  *oz = data;
    ngx_http_mcp_introspect_zone_t  *z = shm_zone->data;

    if (oz != NULL) {
        *z = *oz;
        return NGX_OK;
    }

    z->shpool = (ngx_slab_pool_t *) shm_zone->shm.addr;

    if (shm_zone->shm.exists) {
        z->sh = z->shpool->data;
        return NGX_OK;
    }

    z->sh = ngx_slab_alloc(z->shpool, sizeof(ngx_http_mcp_introspect_sh_t));
    if (z->sh == NULL) {
        return NGX_ERROR;
    }

    z->shpool->data = z->sh;
    ngx_rbtree_init(&z->sh->rbtree, &z->sh->sentinel,
                    ngx_http_mcp_introspect_insert);
    ngx_queue_init(&z->sh->queue);

    return NGX_OK;
}

char *
ngx_http_mcp_introspect_cache_zone(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_mcp_auth_loc_conf_t  *alcf = conf;

    u_char                          *p;
    ssize_t                          size;
    ngx_str_t                       *value, name, s;
    ngx_http_mcp_introspect_zone_t  *z;

    if (alcf->cache_zone != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;
    p = (u_char *) ngx_strchr(value[1].data, ':');
    if (p == NULL) {
        return "expects name:size";
    }

    name.data = value[1].data;
    name.len = p - name.data;
    s.data = p + 1;
    s.len = value[1].data + value[1].len - s.data;

    size = ngx_parse_size(&s);
    if (size == NGX_ERROR || size < (ssize_t) (8 * ngx_pagesize)) {
        return "has a zone size too small or invalid";
    }

    alcf->cache_zone = ngx_shared_memory_add(cf, &name, size,
                                             &ngx_http_mcp_auth_module);
    if (alcf->cache_zone == NULL) {
        return NGX_CONF_ERROR;
    }

    if (alcf->cache_zone->data == NULL) {
        z = ngx_pcalloc(cf->pool, sizeof(ngx_http_mcp_introspect_zone_t));
        if (z == NULL) {
            return NGX_CONF_ERROR;
        }

        alcf->cache_zone->data = z;
        alcf->cache_zone->init = ngx_http_mcp_introspect_init_zone;
    }

    return NGX_CONF_OK;
}
