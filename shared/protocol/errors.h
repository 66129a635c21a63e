/*
 * errors.h: the one error vocabulary of the project, mapped once to JSON-RPC
 * codes and once to HTTP statuses (errors.c).
 */
#ifndef MCP_PROTOCOL_ERRORS_H
#define MCP_PROTOCOL_ERRORS_H

typedef enum {
    MCP_OK = 0,
    MCP_ERR_PARSE,              /* body is not JSON */
    MCP_ERR_INVALID_REQUEST,    /* JSON but not a JSON-RPC request */
    MCP_ERR_METHOD_NOT_FOUND,
    MCP_ERR_INVALID_PARAMS,     /* schema failure, unknown tool */
    MCP_ERR_INTERNAL,
    MCP_ERR_RESOURCE_NOT_FOUND,
    MCP_ERR_QUEUE_UNAVAILABLE,  /* Redis down */
    MCP_ERR_TIMEOUT,            /* tool deadline passed */
    MCP_ERR_CANCELLED,
    MCP_ERR_DEVICE_NOT_FOUND,
    MCP_ERR_FORBIDDEN,          /* environment / tier / device flag gate */
    MCP_ERR_RATE_LIMITED,
    MCP_ERR_UNAUTHORIZED,
    MCP_ERR_SESSION_REQUIRED,
    MCP_ERR_SESSION_NOT_FOUND,
    MCP_ERR_UNSUPPORTED_MEDIA,
    MCP_ERR_NOT_ACCEPTABLE,
    MCP_ERR_BODY_TOO_LARGE,
    MCP_ERR_METHOD_NOT_ALLOWED,
    MCP_ERR_BAD_ORIGIN,
    MCP_ERR_HEADER_MISMATCH,    /* 2026: MCP-* header vs body (-32020) */
    MCP_ERR_MISSING_CAPABILITY, /* 2026: undeclared client capability */
    MCP_ERR_UNSUPPORTED_VERSION, /* 2026: protocol version not served */
    MCP_ERR__COUNT
} mcp_err_t;

/* JSON-RPC error code for e (-32700, -32602, -32000…). */
int mcp_err_jsonrpc_code(mcp_err_t e);
/* HTTP status for e when it is answered before JSON-RPC, else 200. */
int mcp_err_http_status(mcp_err_t e);
/* Stable lower-case name ("queue_unavailable") for logs, metrics and data.reason. */
const char *mcp_err_name(mcp_err_t e);

#endif
