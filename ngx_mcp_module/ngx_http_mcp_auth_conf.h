/*
 * ngx_http_mcp_auth_conf.h: the mcp_auth location configuration and request
 * context, shared by the auth module's files (handler, challenge, metadata).
 */
#ifndef NGX_HTTP_MCP_AUTH_CONF_H
#define NGX_HTTP_MCP_AUTH_CONF_H

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>
#include "ngx_http_mcp_auth.h"
#include <jansson.h>
#include "ngx_http_mcp_jwks.h"

/* not set anywhere: no check outside mcp_endpoint, refused in it */
#define NGX_HTTP_MCP_AUTH_UNSET       0
#define NGX_HTTP_MCP_AUTH_OFF         1
#define NGX_HTTP_MCP_AUTH_JWT         2
#define NGX_HTTP_MCP_AUTH_INTROSPECT  3

typedef struct {
    ngx_str_t    scope;
    mcp_tier_t   tier;
} ngx_http_mcp_auth_scope_t;

/* keys fetched from mcp_auth_jwks_uri: per-worker state, not configuration */
typedef struct {
    ngx_http_mcp_jwks_t   jwks;
    time_t                fetched;      /* last fetch attempt */
    ngx_uint_t            fetching;     /* a subrequest is under way */
} ngx_http_mcp_auth_keys_t;

typedef struct {
    ngx_uint_t                 mode;
    ngx_uint_t                 off_line;     /* line of an explicit "off" */
    ngx_str_t                  off_file;
    ngx_http_mcp_jwks_t       *jwks;         /* from mcp_auth_jwks_file */
    ngx_str_t                  jwks_file;    /* its full name */
    ngx_str_t                  jwks_uri;
    ngx_url_t                 *prefetch;     /* mcp_auth_jwks_prefetch */
    time_t                     jwks_refresh;
    time_t                     jwks_min_refresh;
    ngx_http_mcp_auth_keys_t  *fetched;
    time_t                     leeway;
    ngx_str_t                  issuer;       /* NUL-terminated when set */
    ngx_str_t                  audience;     /* NUL-terminated when set */
    ngx_array_t               *scopes;       /* ngx_http_mcp_auth_scope_t */
    ngx_str_t                  resource_metadata;
    ngx_array_t               *authorization_servers;  /* ngx_str_t */
    ngx_array_t               *scopes_supported;       /* ngx_str_t */
    ngx_flag_t                 metadata;     /* mcp_protected_resource_... */
    ngx_str_t                  introspect_uri;
    ngx_shm_zone_t            *cache_zone;
    time_t                     jwt_cache_max;  /* UNSET: 5 minutes */
} ngx_http_mcp_auth_loc_conf_t;

/* an explicit "mcp_auth off" and the server it is in */
typedef struct {
    ngx_http_core_srv_conf_t  *server;
    ngx_str_t                  file;
    ngx_uint_t                 line;
} ngx_http_mcp_auth_off_t;

typedef struct {
    ngx_array_t               *offs;        /* ngx_http_mcp_auth_off_t */
    ngx_array_t               *prefetches;  /* loc confs with a timer */
} ngx_http_mcp_auth_main_conf_t;

typedef struct {
    ngx_http_mcp_identity_t    identity;
    ngx_int_t                  rc;           /* final answer once done */
    ngx_uint_t                 done;
    ngx_uint_t                 waiting;      /* subrequest in flight */
    ngx_uint_t                 refetched;    /* keys refetched already */
    ngx_http_request_t        *sr;
    ngx_str_t                  token;
    u_char                     hash[32];     /* SHA-256 of the token */
} ngx_http_mcp_auth_ctx_t;

extern ngx_module_t  ngx_http_mcp_auth_module;

/* Sets the 401/403 challenge; returns the status to finish with. */
ngx_int_t ngx_http_mcp_auth_challenge(ngx_http_request_t *r,
    ngx_http_mcp_auth_loc_conf_t *alcf, ngx_int_t status, const char *error,
    const char *description, ngx_str_t *scope);

/* Accepts validated claims as r's identity (403 without a mapped scope). */
ngx_int_t ngx_http_mcp_auth_accept(ngx_http_request_t *r,
    ngx_http_mcp_auth_loc_conf_t *alcf, ngx_http_mcp_auth_ctx_t *ctx,
    json_t *claims);

/* Rejects the presented token: 401 invalid_token with reason. */
ngx_int_t ngx_http_mcp_auth_reject(ngx_http_request_t *r,
    ngx_http_mcp_auth_loc_conf_t *alcf, ngx_http_mcp_auth_ctx_t *ctx,
    const char *reason);

/* JWT validation of ctx->token; NGX_AGAIN while keys are being fetched. */
ngx_int_t ngx_http_mcp_auth_jwt(ngx_http_request_t *r,
    ngx_http_mcp_auth_loc_conf_t *alcf, ngx_http_mcp_auth_ctx_t *ctx);

/* Warns about "mcp_auth off" in servers listening beyond loopback. */
void ngx_http_mcp_auth_warn_open(ngx_conf_t *cf,
    ngx_http_core_main_conf_t *cmcf);

/*
 * Starts an in-memory subrequest of r to the internal location uri, with
 * none of r's headers (the bearer token is never forwarded) and body as its
 * form-encoded POST body (GET when body is NULL). handler gets data.
 */
ngx_int_t ngx_http_mcp_auth_subrequest(ngx_http_request_t *r, ngx_str_t *uri,
    ngx_str_t *body, ngx_http_post_subrequest_pt handler, void *data,
    ngx_http_request_t **psr);

/* The in-memory body of a finished subrequest (empty when none). */
void ngx_http_mcp_auth_subrequest_body(ngx_http_request_t *sr,
    ngx_str_t *body);

/* mcp_auth_jwks_prefetch http://<host>:<port>/<path>; */
char *ngx_http_mcp_jwks_prefetch(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);

/* Gives alcf's key store (alcf->prefetch set) a refresh timer per worker. */
ngx_int_t ngx_http_mcp_jwks_timer_register(ngx_conf_t *cf,
    ngx_http_mcp_auth_loc_conf_t *alcf);

/* Starts the registered timers in a worker. */
ngx_int_t ngx_http_mcp_jwks_timer_init_process(ngx_cycle_t *cycle);

/* Content handler of mcp_protected_resource_metadata (RFC 9728). */
ngx_int_t ngx_http_mcp_auth_metadata_handler(ngx_http_request_t *r);

#endif
