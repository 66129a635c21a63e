/*
 * ngx_http_mcp_resources.c: resources/list, resources/templates/list and
 * resources/read, which matches the URI here and queues a "resource" job.
 */
#include "ngx_http_mcp_fixtures.h"
#include "ngx_http_mcp_subscribe.h"

#define NGX_HTTP_MCP_URI_MAX           1024
#define NGX_HTTP_MCP_ID_MAX            64
#define NGX_HTTP_MCP_RESOURCE_TIMEOUT  30000

/*
 * One served resource: a concrete URI (variable NULL) or an RFC 6570
 * level-1 template "<prefix>{<variable>}<suffix>".
 */
typedef struct {
    const char  *uri;
    const char  *name;
    const char  *title;
    const char  *description;
    const char  *prefix;
    const char  *variable;
    const char  *suffix;
} ngx_http_mcp_resource_t;


static const ngx_http_mcp_resource_t  ngx_http_mcp_resources[] = {
    { "fleet://health-summary", "fleet-health-summary",
      "Fleet health summary",
      "Live health check of every device of this service's environment: "
      "counts of healthy, degraded and unreachable devices, average CPU and "
      "memory use, and the devices that need attention.",
      NULL, NULL, NULL },

    { "fleet://devices-by-environment", "fleet-devices-by-environment",
      "Devices by environment",
      "Every registered device, grouped by environment (lab, staging, "
      "prod), with status and capability flags.",
      NULL, NULL, NULL },

    { "audit://events/recent", "audit-events-recent",
      "Recent audit events",
      "The newest 100 audit events (tool calls, device writes, plan "
      "transitions), newest first.",
      NULL, NULL, NULL },

    { "device://{device_id}/overview", "device-overview",
      "Device overview",
      "Registry row of the device, its live system overview (identity, "
      "version, board, resources) and its latest stored health check.",
      "device://", "device_id", "/overview" },

    { "device://{device_id}/health", "device-health",
      "Device health",
      "Runs a live health check of the device (CPU, memory, uptime) and "
      "stores it; status healthy, degraded or unreachable.",
      "device://", "device_id", "/health" },

    { "device://{device_id}/config", "device-config",
      "Device configuration snapshot",
      "The latest stored configuration snapshot of the device; not found "
      "when none was taken.",
      "device://", "device_id", "/config" },

    { "plan://{plan_id}/details", "plan-details",
      "Plan details",
      "A change plan: status, creator, approval, devices, risk, summary and "
      "the full changes.",
      "plan://", "plan_id", "/details" },

    { "plan://{plan_id}/history", "plan-history",
      "Plan history",
      "The audit trail of a change plan (creation, approval, execution, "
      "rollback), oldest first.",
      "plan://", "plan_id", "/history" },

    { "job://{job_id}", "job-status",
      "Plan-apply job",
      "A plan-apply job while it runs and after: status (pending, running, "
      "completed, failed, cancelled), percent done, current device, each "
      "device's step and the final report.",
      "job://", "job_id", "" },

    { "audit://events/by-device/{device_id}", "audit-events-by-device",
      "Audit events of a device",
      "The newest 100 audit events that touched one device, newest first.",
      "audit://events/by-device/", "device_id", "" },

    { NULL, NULL, NULL, NULL, NULL, NULL, NULL }
};


static json_t *
ngx_http_mcp_resources_entry(const ngx_http_mcp_resource_t *res)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s}",
                     res->variable ? "uriTemplate" : "uri", res->uri,
                     "name", res->name, "title", res->title,
                     "description", res->description,
                     "mimeType", "application/json");
}


/* resources/list (templates 0) or resources/templates/list (templates 1) */
static void
ngx_http_mcp_resources_listing(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx, ngx_uint_t templates)
{
    json_t                         *list, *entry;
    ngx_http_mcp_main_conf_t       *mcf;
    const ngx_http_mcp_resource_t  *res;

    /* one page holds every resource, so no cursor can be valid */
    if (json_object_get(ctx->params, "cursor") != NULL) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                           "params.cursor: invalid cursor", NULL);
        return;
    }

    list = json_array();
    if (list == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    for (res = ngx_http_mcp_resources; res->uri; res++) {
        if ((res->variable != NULL) != (templates != 0)) {
            continue;
        }

        entry = ngx_http_mcp_resources_entry(res);

        if (entry == NULL || json_array_append_new(list, entry) != 0) {
            json_decref(list);
            ngx_http_finalize_request(r, NGX_ERROR);
            return;
        }
    }

    mcf = ngx_http_get_module_main_conf(r, ngx_mcp_module);

    if (mcf->conformance_fixtures
        && ngx_http_mcp_fixtures_list_resources(list, templates) != NGX_OK)
    {
        json_decref(list);
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    ngx_http_mcp_result(r, ctx->id,
                        json_pack("{s:o}", templates ? "resourceTemplates"
                                                     : "resources", list));
}


void
ngx_http_mcp_resources_list(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    ngx_http_mcp_resources_listing(r, ctx, 0);
}


void
ngx_http_mcp_resources_templates_list(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx)
{
    ngx_http_mcp_resources_listing(r, ctx, 1);
}


/* RFC 3986: "scheme:" then only unreserved, reserved and '%' characters */
static ngx_int_t
ngx_http_mcp_uri_valid(const u_char *uri, size_t len)
{
    size_t  i;

    if (len == 0 || len > NGX_HTTP_MCP_URI_MAX
        || !((uri[0] | 0x20) >= 'a' && (uri[0] | 0x20) <= 'z'))
    {
        return 0;
    }

    for (i = 1; i < len && uri[i] != ':'; i++) {
        if (!(isalnum(uri[i]) || uri[i] == '+' || uri[i] == '-'
              || uri[i] == '.'))
        {
            return 0;
        }
    }

    if (i == len) {
        return 0;
    }

    for ( /* void */ ; i < len; i++) {
        if (uri[i] == '\0'
            || !(isalnum(uri[i])
                 || ngx_strchr("-._~:/?#[]@!$&'()*+,;=%", uri[i]) != NULL))
        {
            return 0;
        }
    }

    return 1;
}


/* a device or plan id as the devices and plans tables allow them */
static ngx_int_t
ngx_http_mcp_id_valid(const u_char *id, size_t len)
{
    size_t  i;

    if (len == 0 || len > NGX_HTTP_MCP_ID_MAX || !isalnum(id[0])) {
        return 0;
    }

    for (i = 1; i < len; i++) {
        if (!(isalnum(id[i]) || id[i] == '.' || id[i] == '_'
              || id[i] == '-'))
        {
            return 0;
        }
    }

    return 1;
}


/* The resource uri names, with its variable's value in *value. */
static const ngx_http_mcp_resource_t *
ngx_http_mcp_resources_match(const u_char *uri, size_t len, ngx_str_t *value)
{
    size_t                          pre, suf;
    const ngx_http_mcp_resource_t  *res;

    for (res = ngx_http_mcp_resources; res->uri; res++) {

        if (res->variable == NULL) {
            if (len == ngx_strlen(res->uri)
                && ngx_strncmp(uri, res->uri, len) == 0)
            {
                ngx_str_null(value);
                return res;
            }

            continue;
        }

        pre = ngx_strlen(res->prefix);
        suf = ngx_strlen(res->suffix);

        if (len <= pre + suf
            || ngx_strncmp(uri, res->prefix, pre) != 0
            || ngx_strncmp(uri + len - suf, res->suffix, suf) != 0
            || !ngx_http_mcp_id_valid(uri + pre, len - pre - suf))
        {
            continue;
        }

        value->data = (u_char *) uri + pre;
        value->len = len - pre - suf;
        return res;
    }

    return NULL;
}


ngx_int_t
ngx_http_mcp_resources_known(ngx_http_request_t *r, json_t *uri)
{
    ngx_str_t                  value;
    const u_char              *text;
    ngx_http_mcp_main_conf_t  *mcf;

    text = (const u_char *) json_string_value(uri);

    if (!ngx_http_mcp_uri_valid(text, json_string_length(uri))) {
        return 0;
    }

    mcf = ngx_http_get_module_main_conf(r, ngx_mcp_module);

    return ngx_http_mcp_resources_match(text, json_string_length(uri), &value)
               != NULL
           || (mcf->conformance_fixtures
               && ngx_http_mcp_fixtures_resource(text,
                                                 json_string_length(uri)));
}


void
ngx_http_mcp_resources_read(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    u_char                         *name;
    json_t                         *uri;
    ngx_str_t                       value;
    const u_char                   *text;
    ngx_http_mcp_main_conf_t       *mcf;
    const ngx_http_mcp_resource_t  *res;

    uri = json_object_get(ctx->params, "uri");

    if (!json_is_string(uri)) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                           "params.uri: required string", NULL);
        return;
    }

    text = (const u_char *) json_string_value(uri);

    if (!ngx_http_mcp_uri_valid(text, json_string_length(uri))) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                           "params.uri: not a valid URI",
                           json_pack("{s:O}", "uri", uri));
        return;
    }

    mcf = ngx_http_get_module_main_conf(r, ngx_mcp_module);

    if (mcf->conformance_fixtures
        && ngx_http_mcp_fixtures_read(r, ctx, uri) == NGX_OK)
    {
        return;
    }

    res = ngx_http_mcp_resources_match(text, json_string_length(uri), &value);

    if (res == NULL) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_RESOURCE_NOT_FOUND, 0,
                           "Resource not found",
                           json_pack("{s:O}", "uri", uri));
        return;
    }

    /* the agent dispatches on the template and gets the variable by name */
    ctx->arguments = json_pack("{s:s}", "template", res->uri);

    if (ctx->arguments == NULL
        || (res->variable != NULL
            && json_object_set_new(ctx->arguments, res->variable,
                                   json_stringn((char *) value.data,
                                                value.len))
               != 0))
    {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    name = ngx_pnalloc(r->pool, json_string_length(uri) + 1);
    if (name == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    ngx_memcpy(name, text, json_string_length(uri) + 1);

    ctx->job_kind = "resource";
    ctx->job_name = (char *) name;
    ctx->job_timeout = NGX_HTTP_MCP_RESOURCE_TIMEOUT;

    ngx_http_mcp_jobs_submit(r, ctx);
}
