/*
 * updated.h: resource subscriptions (resources/subscribe) as both halves see
 * them: the subscriber-set key of a URI and the updated notification.
 */
#ifndef MCP_PROTOCOL_UPDATED_H
#define MCP_PROTOCOL_UPDATED_H

#include <stddef.h>

/* Longest resource URI a session may subscribe to. */
#define MCP_SUBSCRIBE_URI_MAX 1024

/*
 * Writes MCP_KEY_SUBSCRIBERS_FMT of uri (len bytes: the SET of the session
 * ids subscribed to it, keyed by the URI's SHA-256) into buf; its length,
 * or 0 when it does not fit or hashing failed.
 */
size_t mcp_subscribers_key(char *buf, size_t size, const char *uri,
                           size_t len);

/* The notifications/resources/updated message of uri as compact JSON
 * (caller frees with free), or NULL. */
char *mcp_resource_updated_message(const char *uri, size_t len);

#endif
