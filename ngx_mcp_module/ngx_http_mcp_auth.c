/*
 * ngx_http_mcp_auth.c: the mcp_auth module: directives, the ACCESS-phase
 * bearer-token check and the identity it leaves for the MCP handler.
 */
#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>
#include "ngx_http_mcp_auth.h"

#define NGX_HTTP_MCP_AUTH_UNSET      0
#define NGX_HTTP_MCP_AUTH_OFF        1

typedef struct {
    ngx_uint_t  mode;
} ngx_http_mcp_auth_loc_conf_t;

typedef struct {
    ngx_http_mcp_identity_t  identity;
} ngx_http_mcp_auth_ctx_t;

static void *ngx_http_mcp_auth_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_mcp_auth_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);

static ngx_conf_enum_t  ngx_http_mcp_auth_modes[] = {
    { ngx_string("off"), NGX_HTTP_MCP_AUTH_OFF },
    { ngx_null_string, 0 }
};

static ngx_command_t  ngx_http_mcp_auth_commands[] = {

    { ngx_string("mcp_auth"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_enum_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mcp_auth_loc_conf_t, mode),
      &ngx_http_mcp_auth_modes },

      ngx_null_command
};

static ngx_http_module_t  ngx_http_mcp_auth_module_ctx = {
    NULL,                                  /* preconfiguration */
    NULL,                                  /* postconfiguration */
    NULL,                                  /* create main configuration */
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
    NULL,                                  /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    NULL,                                  /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};

static const ngx_http_mcp_identity_t  ngx_http_mcp_anonymous = {
    ngx_string("anonymous"), MCP_TIER_PROFESSIONAL, 0
};

const ngx_http_mcp_identity_t *
ngx_http_mcp_identity(ngx_http_request_t *r)
{
    ngx_http_mcp_auth_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r->main, ngx_http_mcp_auth_module);
    if (ctx == NULL) {
        return &ngx_http_mcp_anonymous;
    }

    return &ctx->identity;
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

    return conf;
}

static char *
ngx_http_mcp_auth_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_mcp_auth_loc_conf_t  *prev = parent;
    ngx_http_mcp_auth_loc_conf_t  *conf = child;

    ngx_conf_merge_uint_value(conf->mode, prev->mode, NGX_HTTP_MCP_AUTH_OFF);

    return NGX_CONF_OK;
}
