/*
 * modern.h: the 2026-07-28 (modern era) checks of one request: which era it
 * claims, its MCP-Protocol-Version / Mcp-Method / Mcp-Name headers against
 * the body, and its per-request _meta (plain C on jansson).
 */
#ifndef MCP_PROTOCOL_MODERN_H
#define MCP_PROTOCOL_MODERN_H

#include <stddef.h>
#include <jansson.h>
#include "envelope.h"

#define MCP_MODERN_VERSION         "2026-07-28"
#define MCP_META_PROTOCOL_VERSION  "io.modelcontextprotocol/protocolVersion"
#define MCP_META_CLIENT_CAPS       "io.modelcontextprotocol/clientCapabilities"
#define MCP_META_CLIENT_INFO       "io.modelcontextprotocol/clientInfo"
#define MCP_META_LOG_LEVEL         "io.modelcontextprotocol/logLevel"
#define MCP_META_SERVER_INFO       "io.modelcontextprotocol/serverInfo"
#define MCP_META_SUBSCRIPTION_ID   "io.modelcontextprotocol/subscriptionId"

/* A header value as received; data NULL when the header is absent. */
typedef struct {
    const char  *data;
    size_t       len;
} mcp_header_t;

typedef struct {
    mcp_header_t  version;   /* MCP-Protocol-Version */
    mcp_header_t  method;    /* Mcp-Method */
    mcp_header_t  name;      /* Mcp-Name */
} mcp_modern_headers_t;

/* What a checked modern request asks for beyond its method (borrowed). */
typedef struct {
    json_t      *client_caps;   /* the clientCapabilities object */
    const char  *log_level;     /* NULL: no notifications/message */
} mcp_modern_request_t;

/*
 * Whether a message belongs to the modern era: its MCP-Protocol-Version is
 * a modern version, or its params._meta claims a protocol version.
 */
int mcp_modern_claims(const mcp_envelope_t *env, const mcp_header_t *version);

/*
 * The validation ladder: version header (-32022 for an unsupported one),
 * Mcp-Method and Mcp-Name against the body (-32020), required _meta fields
 * (-32602), _meta version against the header (-32020). On error, message
 * names the header or field, *data (owned, may be NULL) is the error data,
 * *status the HTTP status.
 */
mcp_err_t mcp_modern_check(const mcp_envelope_t *env,
                           const mcp_modern_headers_t *h,
                           mcp_modern_request_t *req, char *message,
                           size_t size, json_t **data, int *status);

/* The protocol versions the modern era serves, as a new JSON array. */
json_t *mcp_modern_versions(void);

/* 1 if caps (a clientCapabilities object) declares capability name. */
int mcp_modern_has_capability(json_t *caps, const char *name);

#endif
