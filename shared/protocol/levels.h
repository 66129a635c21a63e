/*
 * levels.h: the RFC 5424 log levels of MCP logging (logging/setLevel in the
 * legacy era, _meta logLevel in the modern era).
 */
#ifndef MCP_PROTOCOL_LEVELS_H
#define MCP_PROTOCOL_LEVELS_H

/* The level's rank (debug 0 … emergency 7), or -1 for no level name. */
int mcp_log_level_rank(const char *name);

#endif
