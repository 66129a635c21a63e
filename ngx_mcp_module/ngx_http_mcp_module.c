/*
 * ngx_http_mcp_module.c: the MCP endpoint module: directives, configuration,
 * the catalog loaded once per configuration, and per-worker start and stop.
 */
#include "ngx_http_mcp.h"

static void *ngx_http_mcp_create_main_conf(ngx_conf_t *cf);
static char *ngx_http_mcp_init_main_conf(ngx_conf_t *cf, void *conf);
static void *ngx_http_mcp_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_mcp_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static char *ngx_http_mcp_redis_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_mcp_catalog_directive(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_mcp_endpoint_directive(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static ngx_int_t ngx_http_mcp_init_process(ngx_cycle_t *cycle);
static void ngx_http_mcp_exit_process(ngx_cycle_t *cycle);

static ngx_command_t  ngx_http_mcp_commands[] = {

    { ngx_string("mcp_redis"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_http_mcp_redis_directive,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("mcp_redis_timeout"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mcp_main_conf_t, redis_timeout),
      NULL },

    { ngx_string("mcp_catalog"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_http_mcp_catalog_directive,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("mcp_tools_page_size"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mcp_main_conf_t, tools_page_size),
      NULL },

    { ngx_string("mcp_conformance_fixtures"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mcp_main_conf_t, conformance_fixtures),
      NULL },

    { ngx_string("mcp_prompts"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_http_mcp_prompts_directive,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("mcp_node_name"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_mcp_main_conf_t, node_name),
      NULL },

    { ngx_string("mcp_endpoint"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_mcp_endpoint_directive,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("mcp_session_ttl"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_mcp_loc_conf_t, session_ttl),
      NULL },

    { ngx_string("mcp_allowed_origins"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_mcp_allowed_origins_directive,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

      ngx_null_command
};

static ngx_http_module_t  ngx_http_mcp_module_ctx = {
    NULL,                                  /* preconfiguration */
    NULL,                                  /* postconfiguration */
    ngx_http_mcp_create_main_conf,         /* create main configuration */
    ngx_http_mcp_init_main_conf,           /* init main configuration */
    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */
    ngx_http_mcp_create_loc_conf,          /* create location configuration */
    ngx_http_mcp_merge_loc_conf            /* merge location configuration */
};

/*
 * Named ngx_mcp_module (not ngx_http_mcp_module) because nginx names the
 * dynamic library after the first module: ngx_mcp_module.so.
 */
ngx_module_t  ngx_mcp_module = {
    NGX_MODULE_V1,
    &ngx_http_mcp_module_ctx,              /* module context */
    ngx_http_mcp_commands,                 /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    ngx_http_mcp_init_process,             /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    ngx_http_mcp_exit_process,             /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


static void *
ngx_http_mcp_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_mcp_main_conf_t  *mcf;

    mcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_mcp_main_conf_t));
    if (mcf == NULL) {
        return NULL;
    }

    mcf->redis_timeout = NGX_CONF_UNSET_MSEC;
    mcf->redis_port = NGX_CONF_UNSET;
    mcf->tools_page_size = NGX_CONF_UNSET_UINT;
    mcf->conformance_fixtures = NGX_CONF_UNSET;

    return mcf;
}


static char *
ngx_http_mcp_init_main_conf(ngx_conf_t *cf, void *conf)
{
    ngx_http_mcp_main_conf_t  *mcf = conf;

    ngx_conf_init_msec_value(mcf->redis_timeout, 5000);
    ngx_conf_init_uint_value(mcf->tools_page_size, 50);
    ngx_conf_init_value(mcf->conformance_fixtures, 0);

    if (mcf->tools_page_size == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"mcp_tools_page_size\" must be at least 1");
        return NGX_CONF_ERROR;
    }

    if (mcf->node_name.len == 0) {
        mcf->node_name = cf->cycle->hostname;
    }

    if (!mcf->used) {
        return NGX_CONF_OK;
    }

    if (mcf->redis.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"mcp_endpoint\" needs \"mcp_redis\" in http{}");
        return NGX_CONF_ERROR;
    }

    if (mcf->catalog_dir.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"mcp_endpoint\" needs \"mcp_catalog\" in http{}");
        return NGX_CONF_ERROR;
    }

    /* rendered here: mcp_tools_page_size may follow mcp_catalog */
    if (ngx_http_mcp_tools_list_render(cf, mcf) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static void *
ngx_http_mcp_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_mcp_loc_conf_t  *lcf;

    lcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_mcp_loc_conf_t));
    if (lcf == NULL) {
        return NULL;
    }

    lcf->endpoint = NGX_CONF_UNSET;
    lcf->session_ttl = NGX_CONF_UNSET;

    return lcf;
}


static char *
ngx_http_mcp_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_mcp_loc_conf_t  *prev = parent;
    ngx_http_mcp_loc_conf_t  *conf = child;

    ngx_conf_merge_value(conf->endpoint, prev->endpoint, 0);
    ngx_conf_merge_sec_value(conf->session_ttl, prev->session_ttl, 3600);

    if (conf->allowed_origins == NULL) {
        conf->allowed_origins = prev->allowed_origins;
    }

    if (conf->session_ttl < 1) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"mcp_session_ttl\" must be at least 1s");
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_mcp_redis_directive(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_mcp_main_conf_t  *mcf = conf;
    ngx_str_t                 *value;

    if (mcf->redis.len) {
        return "is duplicate";
    }

    value = cf->args->elts;
    mcf->redis = value[1];

    return ngx_http_mcp_redis_parse(cf, mcf);
}


static void
ngx_http_mcp_catalog_cleanup(void *data)
{
    mcp_catalog_t  *catalog = data;

    mcp_catalog_free(catalog);
}


/* Loads the catalog once per configuration. */
static char *
ngx_http_mcp_catalog_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_mcp_main_conf_t  *mcf = conf;

    char                 err[512];
    ngx_str_t           *value;
    ngx_pool_cleanup_t  *cln;

    if (mcf->catalog_dir.len) {
        return "is duplicate";
    }

    value = cf->args->elts;
    mcf->catalog_dir = value[1];

    if (mcp_catalog_load((char *) value[1].data, &mcf->catalog, err,
                         sizeof(err))
        != 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "mcp_catalog \"%V\": %s", &value[1], err);
        return NGX_CONF_ERROR;
    }

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        mcp_catalog_free(&mcf->catalog);
        return NGX_CONF_ERROR;
    }

    cln->handler = ngx_http_mcp_catalog_cleanup;
    cln->data = &mcf->catalog;

    return NGX_CONF_OK;
}


static char *
ngx_http_mcp_endpoint_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_mcp_loc_conf_t   *lcf = conf;
    ngx_http_mcp_main_conf_t  *mcf;
    ngx_http_core_loc_conf_t  *clcf;

    if (lcf->endpoint != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    lcf->endpoint = 1;

    mcf = ngx_http_conf_get_module_main_conf(cf, ngx_mcp_module);
    mcf->used = 1;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_mcp_handler;

    return NGX_CONF_OK;
}


static ngx_int_t
ngx_http_mcp_init_process(ngx_cycle_t *cycle)
{
    ngx_http_mcp_main_conf_t  *mcf;

    if (ngx_process != NGX_PROCESS_WORKER
        && ngx_process != NGX_PROCESS_SINGLE)
    {
        return NGX_OK;
    }

    mcf = ngx_http_cycle_get_module_main_conf(cycle, ngx_mcp_module);
    if (mcf == NULL || !mcf->used) {
        return NGX_OK;
    }

    ngx_http_mcp_jobs_init_process(cycle, mcf);
    ngx_http_mcp_stream_init_process();

    return ngx_http_mcp_redis_init_process(cycle, mcf);
}


static void
ngx_http_mcp_exit_process(ngx_cycle_t *cycle)
{
    ngx_http_mcp_redis_exit_process();
}
