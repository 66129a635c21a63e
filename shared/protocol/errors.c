/*
 * errors.c: maps the project's error vocabulary to JSON-RPC codes and HTTP
 * statuses, in one table so the module and the agent can never disagree.
 */
#include "errors.h"

typedef struct {
    int         jsonrpc;
    int         http;
    const char *name;
} mcp_err_row_t;

static const mcp_err_row_t mcp_err_rows[MCP_ERR__COUNT] = {
    [MCP_OK]                     = { 0,      200, "ok" },
    [MCP_ERR_PARSE]              = { -32700, 400, "parse_error" },
    [MCP_ERR_INVALID_REQUEST]    = { -32600, 400, "invalid_request" },
    [MCP_ERR_METHOD_NOT_FOUND]   = { -32601, 200, "method_not_found" },
    [MCP_ERR_INVALID_PARAMS]     = { -32602, 200, "invalid_params" },
    [MCP_ERR_INTERNAL]           = { -32603, 500, "internal_error" },
    [MCP_ERR_RESOURCE_NOT_FOUND] = { -32002, 200, "resource_not_found" },
    [MCP_ERR_QUEUE_UNAVAILABLE]  = { -32003, 503, "queue_unavailable" },
    [MCP_ERR_TIMEOUT]            = { -32004, 504, "timeout" },
    [MCP_ERR_CANCELLED]          = { -32005, 200, "cancelled" },
    [MCP_ERR_DEVICE_NOT_FOUND]   = { -32000, 404, "device_not_found" },
    [MCP_ERR_FORBIDDEN]          = { -32006, 403, "forbidden" },
    [MCP_ERR_RATE_LIMITED]       = { -32009, 429, "rate_limited" },
    [MCP_ERR_UNAUTHORIZED]       = { -32001, 401, "unauthorized" },
    [MCP_ERR_SESSION_REQUIRED]   = { -32000, 400, "session_required" },
    [MCP_ERR_SESSION_NOT_FOUND]  = { -32001, 404, "session_not_found" },
    [MCP_ERR_UNSUPPORTED_MEDIA]  = { -32000, 415, "unsupported_media_type" },
    [MCP_ERR_NOT_ACCEPTABLE]     = { -32000, 406, "not_acceptable" },
    [MCP_ERR_BODY_TOO_LARGE]     = { -32000, 413, "body_too_large" },
    [MCP_ERR_METHOD_NOT_ALLOWED] = { -32000, 405, "method_not_allowed" },
    [MCP_ERR_BAD_ORIGIN]         = { -32000, 403, "bad_origin" },
    [MCP_ERR_HEADER_MISMATCH]    = { -32020, 400, "header_mismatch" },
    [MCP_ERR_MISSING_CAPABILITY] = { -32021, 400, "missing_capability" },
    [MCP_ERR_UNSUPPORTED_VERSION] = { -32022, 400, "unsupported_version" },
};

static const mcp_err_row_t *
mcp_err_row(mcp_err_t e)
{
    if ((unsigned) e >= MCP_ERR__COUNT) {
        e = MCP_ERR_INTERNAL;
    }
    return &mcp_err_rows[e];
}

int
mcp_err_jsonrpc_code(mcp_err_t e)
{
    return mcp_err_row(e)->jsonrpc;
}

int
mcp_err_http_status(mcp_err_t e)
{
    return mcp_err_row(e)->http;
}

const char *
mcp_err_name(mcp_err_t e)
{
    return mcp_err_row(e)->name;
}
