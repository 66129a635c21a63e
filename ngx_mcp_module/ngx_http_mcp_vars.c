/*
 * ngx_http_mcp_vars.c: $mcp_session_id, $mcp_method, $mcp_tool and
 * $mcp_subject for log_format, read from the MCP and auth request contexts.
 */
#include "ngx_http_mcp.h"
#include "ngx_http_mcp_auth_conf.h"

static ngx_int_t ngx_http_mcp_vars_add(ngx_conf_t *cf);

static ngx_http_module_t  ngx_http_mcp_vars_module_ctx = {
    ngx_http_mcp_vars_add,                 /* preconfiguration */
    NULL,                                  /* postconfiguration */
    NULL,                                  /* create main configuration */
    NULL,                                  /* init main configuration */
    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */
    NULL,                                  /* create location configuration */
    NULL                                   /* merge location configuration */
};

ngx_module_t  ngx_http_mcp_vars_module = {
    NGX_MODULE_V1,
    &ngx_http_mcp_vars_module_ctx,         /* module context */
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

#define NGX_HTTP_MCP_VAR_SESSION  0
#define NGX_HTTP_MCP_VAR_METHOD   1
#define NGX_HTTP_MCP_VAR_TOOL     2

static void
ngx_http_mcp_vars_set(ngx_http_variable_value_t *v, u_char *data, size_t len)
{
    if (data == NULL || len == 0) {
        v->not_found = 1;
        return;
    }

    v->data = data;
    v->len = len;
    v->valid = 1;
    v->no_cacheable = 1;
    v->not_found = 0;
}

/* The session the client named, or the one initialize just handed out. */
static void
ngx_http_mcp_vars_session(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    ngx_http_variable_value_t *v)
{
    ngx_uint_t        i;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;

    if (ctx->session.len) {
        ngx_http_mcp_vars_set(v, ctx->session.data, ctx->session.len);
        return;
    }

    part = &r->headers_out.headers.part;
    h = part->elts;

    for (i = 0; /* void */ ; i++) {
        if (i >= part->nelts) {
            if (part->next == NULL) {
                break;
            }
            part = part->next;
            h = part->elts;
            i = 0;
        }

        if (h[i].hash && h[i].key.len == sizeof("Mcp-Session-Id") - 1
            && ngx_strncasecmp(h[i].key.data, (u_char *) "Mcp-Session-Id",
                               h[i].key.len) == 0)
        {
            ngx_http_mcp_vars_set(v, h[i].value.data, h[i].value.len);
            return;
        }
    }

    v->not_found = 1;
}

static ngx_int_t
ngx_http_mcp_vars_request(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_http_mcp_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r->main, ngx_mcp_module);
    if (ctx == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    switch (data) {

    case NGX_HTTP_MCP_VAR_SESSION:
        ngx_http_mcp_vars_session(r->main, ctx, v);
        break;

    case NGX_HTTP_MCP_VAR_METHOD:
        ngx_http_mcp_vars_set(v, ctx->method.data, ctx->method.len);
        break;

    default: /* NGX_HTTP_MCP_VAR_TOOL */
        if (ctx->tool == NULL) {
            v->not_found = 1;
            break;
        }

        ngx_http_mcp_vars_set(v, (u_char *) ctx->tool->name,
                              ngx_strlen(ctx->tool->name));
    }

    return NGX_OK;
}

/* The token's subject; "anonymous" where auth is off; unset if refused. */
static ngx_int_t
ngx_http_mcp_vars_subject(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_http_mcp_auth_ctx_t        *actx;
    const ngx_http_mcp_identity_t  *id;

    actx = ngx_http_get_module_ctx(r->main, ngx_http_mcp_auth_module);
    if (actx != NULL && (!actx->done || actx->rc != NGX_OK)) {
        v->not_found = 1;
        return NGX_OK;
    }

    id = ngx_http_mcp_identity(r);
    ngx_http_mcp_vars_set(v, id->subject.data, id->subject.len);

    return NGX_OK;
}

static ngx_http_variable_t  ngx_http_mcp_vars[] = {

    { ngx_string("mcp_session_id"), NULL, ngx_http_mcp_vars_request,
      NGX_HTTP_MCP_VAR_SESSION, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("mcp_method"), NULL, ngx_http_mcp_vars_request,
      NGX_HTTP_MCP_VAR_METHOD, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("mcp_tool"), NULL, ngx_http_mcp_vars_request,
      NGX_HTTP_MCP_VAR_TOOL, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("mcp_subject"), NULL, ngx_http_mcp_vars_subject,
      0, NGX_HTTP_VAR_NOCACHEABLE, 0 },

      ngx_http_null_variable
};

static ngx_int_t
ngx_http_mcp_vars_add(ngx_conf_t *cf)
{
    ngx_http_variable_t  *var, *v;

    for (v = ngx_http_mcp_vars; v->name.len; v++) {
        var = ngx_http_add_variable(cf, &v->name, v->flags);
        if (var == NULL) {
            return NGX_ERROR;
        }

        var->get_handler = v->get_handler;
        var->data = v->data;
    }

    return NGX_OK;
}
