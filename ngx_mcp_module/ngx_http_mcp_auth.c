/*
 * ngx_http_mcp_auth.c: the mcp_auth module: directives, the ACCESS-phase
 * bearer-token check and the identity it leaves for the MCP handler.
 */
#include <jansson.h>
#include "ngx_http_mcp.h"
#include "ngx_http_mcp_auth_conf.h"
#include "ngx_http_mcp_jwt.h"
#include "ngx_http_mcp_metrics.h"
#include "ngx_http_mcp_ratelimit.h"
#include "ngx_http_mcp_introspect.h"

static ngx_int_t ngx_http_mcp_auth_handler(ngx_http_request_t *r);
static void *ngx_http_mcp_auth_create_main_conf(ngx_conf_t *cf);
static void *ngx_http_mcp_auth_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_mcp_auth_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static char *ngx_http_mcp_auth_mode(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_mcp_auth_jwks_file(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_mcp_auth_scope_tier(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_mcp_auth_metadata(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static ngx_int_t ngx_http_mcp_auth_init(ngx_conf_t *cf);

static ngx_command_t  ngx_http_mcp_auth_commands[] = {

    { ngx_string("mcp_auth"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_mcp_auth_mode,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("mcp_auth_jwks_file"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_mcp_auth_jwks_file,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("mcp_auth_jwks_uri"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mcp_auth_loc_conf_t, jwks_uri),
      NULL },

    { ngx_string("mcp_auth_jwks_prefetch"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_mcp_jwks_prefetch,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("mcp_auth_jwks_refresh"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mcp_auth_loc_conf_t, jwks_refresh),
      NULL },

    { ngx_string("mcp_auth_jwks_min_refresh"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mcp_auth_loc_conf_t, jwks_min_refresh),
      NULL },

    { ngx_string("mcp_auth_leeway"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mcp_auth_loc_conf_t, leeway),
      NULL },

    { ngx_string("mcp_auth_issuer"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mcp_auth_loc_conf_t, issuer),
      NULL },

    { ngx_string("mcp_auth_audience"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mcp_auth_loc_conf_t, audience),
      NULL },

    { ngx_string("mcp_auth_scope_tier"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE2,
      ngx_http_mcp_auth_scope_tier,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("mcp_auth_resource_metadata"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mcp_auth_loc_conf_t, resource_metadata),
      NULL },

    { ngx_string("mcp_auth_authorization_servers"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_conf_set_str_array_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mcp_auth_loc_conf_t, authorization_servers),
      NULL },

    { ngx_string("mcp_auth_scopes_supported"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_conf_set_str_array_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mcp_auth_loc_conf_t, scopes_supported),
      NULL },

    { ngx_string("mcp_auth_introspect_uri"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mcp_auth_loc_conf_t, introspect_uri),
      NULL },

    { ngx_string("mcp_auth_cache_zone"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_mcp_introspect_cache_zone,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("mcp_auth_jwt_cache_max"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mcp_auth_loc_conf_t, jwt_cache_max),
      NULL },

    { ngx_string("mcp_protected_resource_metadata"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_mcp_auth_metadata,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

      ngx_null_command
};

static ngx_http_module_t  ngx_http_mcp_auth_module_ctx = {
    NULL,                                  /* preconfiguration */
    ngx_http_mcp_auth_init,                /* postconfiguration */
    ngx_http_mcp_auth_create_main_conf,    /* create main configuration */
    NULL,                                  /* init main configuration */
    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */
    ngx_http_mcp_auth_create_loc_conf,     /* create location configuration */
    ngx_http_mcp_auth_merge_loc_conf       /* merge location configuration */
};

ngx_module_t  ngx_http_mcp_auth_module = {
    NGX_MODULE_V1,
    &ngx_http_mcp_auth_module_ctx,         /* module context */
    ngx_http_mcp_auth_commands,            /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    ngx_http_mcp_jwks_timer_init_process,  /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    NULL,                                  /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};

static const ngx_http_mcp_identity_t  ngx_http_mcp_anonymous = {
    ngx_string("anonymous"), MCP_TIER_PROFESSIONAL, 0
};

static ngx_http_mcp_auth_scope_t  ngx_http_mcp_auth_default_scopes[] = {
    { ngx_string("mcp:read"), MCP_TIER_FUNDAMENTAL },
    { ngx_string("mcp:write"), MCP_TIER_ADVANCED },
    { ngx_string("mcp:admin"), MCP_TIER_PROFESSIONAL }
};

/* where auth is on but no token was accepted (e.g. "satisfy any") */
static const ngx_http_mcp_identity_t  ngx_http_mcp_nobody = {
    ngx_string("-"), MCP_TIER_NONE, 0
};

const ngx_http_mcp_identity_t *
ngx_http_mcp_identity(ngx_http_request_t *r)
{
    ngx_http_mcp_auth_ctx_t       *ctx;
    ngx_http_mcp_auth_loc_conf_t  *alcf;

    ctx = ngx_http_get_module_ctx(r->main, ngx_http_mcp_auth_module);
    if (ctx != NULL && ctx->done && ctx->rc == NGX_OK) {
        return &ctx->identity;
    }

    alcf = ngx_http_get_module_loc_conf(r->main, ngx_http_mcp_auth_module);

    return alcf->mode == NGX_HTTP_MCP_AUTH_OFF ? &ngx_http_mcp_anonymous
                                               : &ngx_http_mcp_nobody;
}

/* The scope a caller lacking every mapped scope is told to ask for. */
static ngx_str_t *
ngx_http_mcp_auth_lowest_scope(ngx_http_mcp_auth_loc_conf_t *alcf)
{
    ngx_uint_t                  i;
    ngx_http_mcp_auth_scope_t  *s, *low;

    s = alcf->scopes->elts;
    low = &s[0];

    for (i = 1; i < alcf->scopes->nelts; i++) {
        if (s[i].tier < low->tier) {
            low = &s[i];
        }
    }

    return &low->scope;
}

/*
 * The highest tier among the granted scopes ("scope": space-separated
 * string, RFC 8693 style; or "scp": array, as some issuers send).
 */
static mcp_tier_t
ngx_http_mcp_auth_tier(ngx_http_mcp_auth_loc_conf_t *alcf, json_t *claims)
{
    size_t                      i, len;
    const char                 *p, *end, *word;
    json_t                     *scope, *v;
    mcp_tier_t                  tier;
    ngx_uint_t                  k;
    ngx_http_mcp_auth_scope_t  *s;

    tier = MCP_TIER_NONE;
    s = alcf->scopes->elts;
    scope = json_object_get(claims, "scope");

    if (json_is_string(scope)) {
        p = json_string_value(scope);
        end = p + json_string_length(scope);

        while (p < end) {
            while (p < end && *p == ' ') {
                p++;
            }

            word = p;
            while (p < end && *p != ' ') {
                p++;
            }

            len = p - word;
            for (k = 0; len && k < alcf->scopes->nelts; k++) {
                if (s[k].scope.len == len
                    && ngx_strncmp(s[k].scope.data, word, len) == 0
                    && s[k].tier > tier)
                {
                    tier = s[k].tier;
                }
            }
        }

        return tier;
    }

    json_array_foreach(json_object_get(claims, "scp"), i, v) {
        for (k = 0; json_is_string(v) && k < alcf->scopes->nelts; k++) {
            if (s[k].scope.len == json_string_length(v)
                && ngx_strncmp(s[k].scope.data, json_string_value(v),
                               s[k].scope.len) == 0
                && s[k].tier > tier)
            {
                tier = s[k].tier;
            }
        }
    }

    return tier;
}

/*
 * Turns validated claims into the request's identity: 403 when no granted
 * scope maps to a tier.
 */
ngx_int_t
ngx_http_mcp_auth_accept(ngx_http_request_t *r,
    ngx_http_mcp_auth_loc_conf_t *alcf, ngx_http_mcp_auth_ctx_t *ctx,
    json_t *claims)
{
    size_t       len;
    json_t      *sub;
    mcp_tier_t   tier;

    ctx->done = 1;

    tier = ngx_http_mcp_auth_tier(alcf, claims);
    if (tier == MCP_TIER_NONE) {
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "mcp auth: token grants no mapped scope");
        ngx_http_mcp_metrics_auth_failure("insufficient_scope");
        ctx->rc = ngx_http_mcp_auth_challenge(r, alcf, NGX_HTTP_FORBIDDEN,
                      "insufficient_scope", "a scope granting a tier is "
                      "required", ngx_http_mcp_auth_lowest_scope(alcf));
        return ctx->rc;
    }

    sub = json_object_get(claims, "sub");
    len = json_string_length(sub);

    ctx->identity.subject.data = ngx_pnalloc(r->pool, len);
    if (ctx->identity.subject.data == NULL) {
        ctx->rc = NGX_HTTP_INTERNAL_SERVER_ERROR;
        return ctx->rc;
    }

    ngx_memcpy(ctx->identity.subject.data, json_string_value(sub), len);
    ctx->identity.subject.len = len;
    ctx->identity.max_tier = tier;
    ctx->identity.authenticated = 1;
    ctx->rc = NGX_OK;

    return NGX_OK;
}

ngx_int_t
ngx_http_mcp_auth_reject(ngx_http_request_t *r,
    ngx_http_mcp_auth_loc_conf_t *alcf, ngx_http_mcp_auth_ctx_t *ctx,
    const char *reason)
{
    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                  "mcp auth: bearer token rejected: %s", reason);

    ngx_http_mcp_metrics_auth_failure(reason);

    ctx->done = 1;
    ctx->rc = ngx_http_mcp_auth_challenge(r, alcf, NGX_HTTP_UNAUTHORIZED,
                                          "invalid_token", reason, NULL);
    return ctx->rc;
}

/* The bearer token of the Authorization header (RFC 6750 2.1), or 0. */
static ngx_int_t
ngx_http_mcp_auth_bearer(ngx_http_request_t *r, ngx_str_t *token)
{
    u_char           *p, *end;
    ngx_table_elt_t  *h;

    h = r->headers_in.authorization;
    if (h == NULL || h->value.len < sizeof("Bearer ") - 1
        || ngx_strncasecmp(h->value.data, (u_char *) "Bearer ",
                           sizeof("Bearer ") - 1) != 0)
    {
        return NGX_DECLINED;
    }

    p = h->value.data + sizeof("Bearer ") - 1;
    end = h->value.data + h->value.len;

    while (p < end && *p == ' ') {
        p++;
    }

    while (end > p && end[-1] == ' ') {
        end--;
    }

    token->data = p;
    token->len = end - p;

    return token->len ? NGX_OK : NGX_DECLINED;
}

static ngx_int_t
ngx_http_mcp_auth_check(ngx_http_request_t *r)
{
    ngx_http_mcp_auth_ctx_t       *ctx;
    ngx_http_mcp_auth_loc_conf_t  *alcf;

    alcf = ngx_http_get_module_loc_conf(r, ngx_http_mcp_auth_module);

    if (alcf->mode == NGX_HTTP_MCP_AUTH_OFF
        || alcf->mode == NGX_HTTP_MCP_AUTH_UNSET || alcf->metadata)
    {
        return NGX_DECLINED;
    }

    ctx = ngx_http_get_module_ctx(r, ngx_http_mcp_auth_module);

    if (ctx == NULL) {
        ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_mcp_auth_ctx_t));
        if (ctx == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        ngx_http_set_ctx(r, ctx, ngx_http_mcp_auth_module);

        if (ngx_http_mcp_auth_bearer(r, &ctx->token) != NGX_OK) {
            ngx_http_mcp_metrics_auth_failure("missing");
            ctx->done = 1;
            ctx->rc = ngx_http_mcp_auth_challenge(r, alcf,
                          NGX_HTTP_UNAUTHORIZED, NULL, NULL, NULL);
            return ctx->rc;
        }
    }

    if (ctx->done) {
        return ctx->rc;
    }

    if (alcf->mode == NGX_HTTP_MCP_AUTH_INTROSPECT) {
        return ngx_http_mcp_introspect(r, alcf, ctx);
    }

    return ngx_http_mcp_auth_jwt(r, alcf, ctx);
}

/* The bearer token first, then the plain-HTTP rate rules keyed by it. */
static ngx_int_t
ngx_http_mcp_auth_handler(ngx_http_request_t *r)
{
    ngx_int_t  rc, limited;

    rc = ngx_http_mcp_auth_check(r);
    if (rc != NGX_OK && rc != NGX_DECLINED) {
        return rc;
    }

    limited = ngx_http_mcp_ratelimit_http(r);

    return limited == NGX_DECLINED ? rc : limited;
}

static void
ngx_http_mcp_auth_jwks_cleanup(void *data)
{
    ngx_http_mcp_jwks_free(data);
}

static char *
ngx_http_mcp_auth_mode(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_mcp_auth_loc_conf_t  *alcf = conf;

    ngx_str_t  *value;

    if (alcf->mode != NGX_CONF_UNSET_UINT) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_strcmp(value[1].data, "off") == 0) {
        alcf->mode = NGX_HTTP_MCP_AUTH_OFF;
        alcf->off_file = cf->conf_file->file.name;
        alcf->off_line = cf->conf_file->line;

    } else if (ngx_strcmp(value[1].data, "jwt") == 0) {
        alcf->mode = NGX_HTTP_MCP_AUTH_JWT;

    } else if (ngx_strcmp(value[1].data, "introspect") == 0) {
        alcf->mode = NGX_HTTP_MCP_AUTH_INTROSPECT;

    } else {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid value \"%V\", expected \"off\", \"jwt\" "
                           "or \"introspect\"", &value[1]);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}

static char *
ngx_http_mcp_auth_jwks_file(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_mcp_auth_loc_conf_t  *alcf = conf;

    char                 err[256];
    ssize_t              n;
    ngx_str_t           *value, name;
    ngx_file_t           file;
    ngx_file_info_t      fi;
    ngx_pool_cleanup_t  *cln;
    u_char              *buf;

    if (alcf->jwks != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;
    name = value[1];

    if (ngx_conf_full_name(cf->cycle, &name, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    ngx_memzero(&file, sizeof(ngx_file_t));
    file.name = name;
    file.log = cf->log;

    file.fd = ngx_open_file(name.data, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);
    if (file.fd == NGX_INVALID_FILE) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_open_file_n " \"%V\" failed", &name);
        return NGX_CONF_ERROR;
    }

    n = NGX_ERROR;
    buf = NULL;

    if (ngx_fd_info(file.fd, &fi) != NGX_FILE_ERROR
        && ngx_file_size(&fi) <= 1024 * 1024)
    {
        buf = ngx_pnalloc(cf->temp_pool, ngx_file_size(&fi) + 1);
        if (buf != NULL) {
            n = ngx_read_file(&file, buf, ngx_file_size(&fi), 0);
        }
    }

    ngx_close_file(file.fd);

    if (n == NGX_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "cannot read JWKS file \"%V\"", &name);
        return NGX_CONF_ERROR;
    }

    alcf->jwks = ngx_pcalloc(cf->pool, sizeof(ngx_http_mcp_jwks_t));
    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (alcf->jwks == NULL || cln == NULL) {
        return NGX_CONF_ERROR;
    }

    if (ngx_http_mcp_jwks_parse((const char *) buf, (size_t) n, alcf->jwks,
                                err, sizeof(err)) != 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "JWKS file \"%V\": %s", &name, err);
        return NGX_CONF_ERROR;
    }

    cln->handler = ngx_http_mcp_auth_jwks_cleanup;
    cln->data = alcf->jwks;
    alcf->jwks_file = name;

    if (alcf->jwks->nkeys == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "JWKS file \"%V\" holds no signing key", &name);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}

static char *
ngx_http_mcp_auth_scope_tier(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_mcp_auth_loc_conf_t  *alcf = conf;

    ngx_str_t                  *value;
    ngx_uint_t                  t;
    ngx_http_mcp_auth_scope_t  *s;

    value = cf->args->elts;

    if (alcf->scopes == NGX_CONF_UNSET_PTR) {
        alcf->scopes = ngx_array_create(cf->pool, 4,
                                        sizeof(ngx_http_mcp_auth_scope_t));
        if (alcf->scopes == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    for (t = MCP_TIER_FUNDAMENTAL; t <= MCP_TIER_PROFESSIONAL; t++) {
        if (ngx_strcmp(value[2].data, mcp_tier_name(t)) == 0) {
            break;
        }
    }

    if (t > MCP_TIER_PROFESSIONAL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid tier \"%V\", expected \"fundamental\", "
                           "\"advanced\" or \"professional\"", &value[2]);
        return NGX_CONF_ERROR;
    }

    s = ngx_array_push(alcf->scopes);
    if (s == NULL) {
        return NGX_CONF_ERROR;
    }

    s->scope = value[1];
    s->tier = t;

    return NGX_CONF_OK;
}

static char *
ngx_http_mcp_auth_metadata(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_mcp_auth_loc_conf_t  *alcf = conf;

    ngx_http_core_loc_conf_t  *clcf;

    alcf->metadata = 1;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_mcp_auth_metadata_handler;

    return NGX_CONF_OK;
}

static void *
ngx_http_mcp_auth_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_mcp_auth_main_conf_t  *amcf;

    amcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_mcp_auth_main_conf_t));
    if (amcf == NULL) {
        return NULL;
    }

    amcf->offs = ngx_array_create(cf->pool, 2,
                                  sizeof(ngx_http_mcp_auth_off_t));
    amcf->prefetches = ngx_array_create(cf->pool, 1, sizeof(void *));
    if (amcf->offs == NULL || amcf->prefetches == NULL) {
        return NULL;
    }

    return amcf;
}

static void *
ngx_http_mcp_auth_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_mcp_auth_loc_conf_t  *conf;

    conf = ngx_pcalloc(cf->pool, sizeof(ngx_http_mcp_auth_loc_conf_t));
    if (conf == NULL) {
        return NULL;
    }

    conf->mode = NGX_CONF_UNSET_UINT;
    conf->jwks = NGX_CONF_UNSET_PTR;
    conf->prefetch = NGX_CONF_UNSET_PTR;
    conf->jwks_refresh = NGX_CONF_UNSET;
    conf->jwks_min_refresh = NGX_CONF_UNSET;
    conf->leeway = NGX_CONF_UNSET;
    conf->scopes = NGX_CONF_UNSET_PTR;
    conf->authorization_servers = NGX_CONF_UNSET_PTR;
    conf->scopes_supported = NGX_CONF_UNSET_PTR;
    conf->cache_zone = NGX_CONF_UNSET_PTR;
    conf->jwt_cache_max = NGX_CONF_UNSET;

    return conf;
}

/* The RFC 9728 metadata URL of a resource: origin + well-known + path. */
static ngx_int_t
ngx_http_mcp_auth_metadata_url(ngx_conf_t *cf, ngx_str_t *resource,
    ngx_str_t *url)
{
    u_char  *p, *path, *end;

    end = resource->data + resource->len;
    p = ngx_strlcasestrn(resource->data, end, (u_char *) "://", 3 - 1);
    if (p == NULL) {
        return NGX_ERROR;
    }

    path = ngx_strlchr(p + 3, end, '/');
    if (path == NULL) {
        path = end;
    }

    url->len = resource->len + sizeof("/.well-known/oauth-protected-resource")
               - 1;
    url->data = ngx_pnalloc(cf->pool, url->len);
    if (url->data == NULL) {
        return NGX_ERROR;
    }

    p = ngx_cpymem(url->data, resource->data, path - resource->data);
    p = ngx_cpymem(p, "/.well-known/oauth-protected-resource",
                   sizeof("/.well-known/oauth-protected-resource") - 1);
    ngx_memcpy(p, path, end - path);

    return NGX_OK;
}

static char *
ngx_http_mcp_auth_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_mcp_auth_loc_conf_t  *prev = parent;
    ngx_http_mcp_auth_loc_conf_t  *conf = child;

    ngx_uint_t                      i, uri_set;
    ngx_str_t                      *s;
    ngx_http_mcp_auth_off_t        *off;
    ngx_http_mcp_auth_scope_t      *sc;
    ngx_http_mcp_auth_main_conf_t  *amcf;
    ngx_http_core_srv_conf_t       *srv;
    ngx_http_mcp_loc_conf_t        *mlcf;

    uri_set = (conf->jwks_uri.data != NULL);

    if (conf->mode == NGX_CONF_UNSET_UINT) {
        conf->off_file = prev->off_file;
        conf->off_line = prev->off_line;
    }

    /* cf->ctx holds the server being merged: remember where auth is off */
    if (conf->off_line) {
        amcf = ngx_http_conf_get_module_main_conf(cf,
                                                  ngx_http_mcp_auth_module);
        srv = ngx_http_conf_get_module_srv_conf(cf, ngx_http_core_module);
        off = amcf->offs->elts;

        for (i = 0; i < amcf->offs->nelts; i++) {
            if (off[i].server == srv && off[i].line == conf->off_line) {
                break;
            }
        }

        if (i == amcf->offs->nelts) {
            off = ngx_array_push(amcf->offs);
            if (off == NULL) {
                return NGX_CONF_ERROR;
            }

            off->server = srv;
            off->file = conf->off_file;
            off->line = conf->off_line;
        }
    }

    ngx_conf_merge_uint_value(conf->mode, prev->mode,
                              NGX_HTTP_MCP_AUTH_UNSET);

    /* the MCP endpoint never runs without auth unless told so */
    mlcf = ngx_http_conf_get_module_loc_conf(cf, ngx_mcp_module);
    if (conf->mode == NGX_HTTP_MCP_AUTH_UNSET && mlcf->endpoint == 1) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "mcp_auth must be set "
                           "(jwt|introspect|off) for an mcp_endpoint "
                           "location");
        return NGX_CONF_ERROR;
    }

    if (conf->jwks == NGX_CONF_UNSET_PTR) {
        conf->jwks_file = prev->jwks_file;
    }

    ngx_conf_merge_ptr_value(conf->jwks, prev->jwks, NULL);
    ngx_conf_merge_str_value(conf->jwks_uri, prev->jwks_uri, "");
    ngx_conf_merge_ptr_value(conf->prefetch, prev->prefetch, NULL);
    ngx_conf_merge_sec_value(conf->jwks_refresh, prev->jwks_refresh, 300);
    ngx_conf_merge_sec_value(conf->jwks_min_refresh, prev->jwks_min_refresh,
                             10);
    ngx_conf_merge_sec_value(conf->leeway, prev->leeway, 60);
    ngx_conf_merge_str_value(conf->issuer, prev->issuer, "");
    ngx_conf_merge_str_value(conf->audience, prev->audience, "");
    ngx_conf_merge_ptr_value(conf->scopes, prev->scopes, NULL);
    ngx_conf_merge_str_value(conf->resource_metadata,
                             prev->resource_metadata, "");
    ngx_conf_merge_ptr_value(conf->authorization_servers,
                             prev->authorization_servers, NULL);
    ngx_conf_merge_ptr_value(conf->scopes_supported, prev->scopes_supported,
                             NULL);
    ngx_conf_merge_str_value(conf->introspect_uri, prev->introspect_uri, "");
    ngx_conf_merge_ptr_value(conf->cache_zone, prev->cache_zone, NULL);
    ngx_conf_merge_sec_value(conf->jwt_cache_max, prev->jwt_cache_max,
                             NGX_CONF_UNSET);

    /* locations sharing one JWKS URI share its fetched keys */
    if (!uri_set) {
        conf->fetched = prev->fetched;
    }

    if (conf->scopes == NULL) {
        conf->scopes = ngx_array_create(cf->pool, 3,
                                        sizeof(ngx_http_mcp_auth_scope_t));
        if (conf->scopes == NULL) {
            return NGX_CONF_ERROR;
        }

        sc = ngx_array_push_n(conf->scopes, 3);
        if (sc == NULL) {
            return NGX_CONF_ERROR;
        }

        ngx_memcpy(sc, ngx_http_mcp_auth_default_scopes,
                   sizeof(ngx_http_mcp_auth_default_scopes));
    }

    if (conf->scopes_supported == NULL) {
        conf->scopes_supported = ngx_array_create(cf->pool,
                                     conf->scopes->nelts, sizeof(ngx_str_t));
        if (conf->scopes_supported == NULL) {
            return NGX_CONF_ERROR;
        }

        sc = conf->scopes->elts;
        for (i = 0; i < conf->scopes->nelts; i++) {
            s = ngx_array_push(conf->scopes_supported);
            if (s == NULL) {
                return NGX_CONF_ERROR;
            }
            *s = sc[i].scope;
        }
    }

    if ((conf->mode == NGX_HTTP_MCP_AUTH_OFF
         || conf->mode == NGX_HTTP_MCP_AUTH_UNSET)
        && !conf->metadata)
    {
        return NGX_CONF_OK;
    }

    if (conf->audience.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "mcp_auth needs "
                           "\"mcp_auth_audience\", this resource's URI "
                           "(RFC 8707)");
        return NGX_CONF_ERROR;
    }

    if (conf->resource_metadata.len == 0
        && ngx_http_mcp_auth_metadata_url(cf, &conf->audience,
                                          &conf->resource_metadata)
           != NGX_OK)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "\"mcp_auth_audience\" "
                           "must be an absolute URI");
        return NGX_CONF_ERROR;
    }

    if (conf->mode == NGX_HTTP_MCP_AUTH_JWT && conf->jwks == NULL
        && conf->jwks_uri.len == 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "\"mcp_auth jwt\" needs "
                           "\"mcp_auth_jwks_file\" or \"mcp_auth_jwks_uri\"");
        return NGX_CONF_ERROR;
    }

    if (conf->mode == NGX_HTTP_MCP_AUTH_JWT && conf->jwt_cache_max > 0
        && conf->cache_zone == NULL)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "\"mcp_auth_jwt_cache_max\" "
                           "needs \"mcp_auth_cache_zone\" (verified tokens "
                           "are kept there)");
        return NGX_CONF_ERROR;
    }

    if (conf->mode == NGX_HTTP_MCP_AUTH_INTROSPECT
        && conf->introspect_uri.len == 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "\"mcp_auth introspect\" "
                           "needs \"mcp_auth_introspect_uri\"");
        return NGX_CONF_ERROR;
    }

    if (conf->prefetch != NULL && conf->jwks_uri.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "\"mcp_auth_jwks_prefetch\" "
                           "needs \"mcp_auth_jwks_uri\" (a kid it has not "
                           "seen yet is fetched through it)");
        return NGX_CONF_ERROR;
    }

    if (conf->jwks_uri.len && conf->fetched == NULL) {
        conf->fetched = ngx_pcalloc(cf->pool,
                                    sizeof(ngx_http_mcp_auth_keys_t));
        if (conf->fetched == NULL) {
            return NGX_CONF_ERROR;
        }

        /* one timer per key store, not per location sharing it */
        if (conf->prefetch != NULL
            && ngx_http_mcp_jwks_timer_register(cf, conf) != NGX_OK)
        {
            return NGX_CONF_ERROR;
        }
    }

    return NGX_CONF_OK;
}

static ngx_int_t
ngx_http_mcp_auth_init(ngx_conf_t *cf)
{
    ngx_http_handler_pt        *h;
    ngx_http_core_main_conf_t  *cmcf;

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_ACCESS_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_mcp_auth_handler;

    ngx_http_mcp_auth_warn_open(cf, cmcf);

    return NGX_OK;
}
