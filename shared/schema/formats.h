/*
 * formats.h: the string formats a catalog schema may name ("format": …):
 * ipv4, ipv6, ip, cidr, hostname, host (an ip or a hostname).
 */
#ifndef MCP_SCHEMA_FORMATS_H
#define MCP_SCHEMA_FORMATS_H

int mcp_format_known(const char *format);
/* 1 when s is a valid instance of format (unknown formats never match). */
int mcp_format_matches(const char *format, const char *s);

#endif
