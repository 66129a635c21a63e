/*
 * ngx_http_mcp_ratelimit.c: the mcp_limit module: per-location rate rules
 * charged by the MCP handler for each tools/call.
 */
#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>
#include "ngx_http_mcp_auth.h"

typedef struct {
    ngx_array_t  *rules;
} ngx_http_mcp_ratelimit_loc_conf_t;

static void *ngx_http_mcp_ratelimit_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_mcp_ratelimit_merge_loc_conf(ngx_conf_t *cf,
    void *parent, void *child);

static ngx_http_module_t  ngx_http_mcp_ratelimit_module_ctx = {
    NULL,                                  /* preconfiguration */
    NULL,                                  /* postconfiguration */
    NULL,                                  /* create main configuration */
    NULL,                                  /* init main configuration */
    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */
    ngx_http_mcp_ratelimit_create_loc_conf, /* create location configuration */
    ngx_http_mcp_ratelimit_merge_loc_conf  /* merge location configuration */
};

ngx_module_t  ngx_http_mcp_ratelimit_module = {
    NGX_MODULE_V1,
    &ngx_http_mcp_ratelimit_module_ctx,    /* module context */
    NULL,                                  /* module directives */
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

ngx_int_t
ngx_http_mcp_ratelimit_charge(ngx_http_request_t *r, const mcp_tool_t *tool,
    const json_t *arguments, ngx_msec_t *retry_after_ms)
{
    ngx_http_mcp_ratelimit_loc_conf_t  *lcf;

    *retry_after_ms = 0;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_mcp_ratelimit_module);
    if (lcf->rules == NULL) {
        return NGX_OK;
    }

    return NGX_OK;
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
