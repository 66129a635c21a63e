/*
 * ngx_http_mcp_discover.c: server/discover (2026-07-28): the versions the
 * modern era serves and the capabilities initialize advertises, less those
 * the modern era does not implement.
 */
#include "ngx_http_mcp.h"

/* legacy-only capabilities: logging/setLevel is gone in 2026-07-28, and log
 * messages of agent jobs are not forwarded by _meta logLevel */
static const char  *ngx_http_mcp_legacy_only[] = { "logging", NULL };


void
ngx_http_mcp_server_discover(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    json_t      *init, *caps, *result;
    ngx_uint_t   i;

    init = ngx_http_mcp_initialize_result(r, MCP_MODERN_VERSION);
    caps = json_object_get(init, "capabilities");

    if (caps == NULL) {
        json_decref(init);
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    for (i = 0; ngx_http_mcp_legacy_only[i]; i++) {
        (void) json_object_del(caps, ngx_http_mcp_legacy_only[i]);
    }

    result = json_pack("{s:o, s:O}", "supportedVersions",
                       mcp_modern_versions(), "capabilities", caps);
    json_decref(init);

    ngx_http_mcp_result(r, ctx->id, result);
}
