/*
 * hex.h: lower-case hex encoding and strict decoding, and the SHA-256 hex
 * digest, used wherever ids, keys and checksums are written as text.
 */
#ifndef MCP_UTIL_HEX_H
#define MCP_UTIL_HEX_H

#include <stddef.h>

/* Writes 2n hex characters and a NUL into out (2n + 1 bytes). */
void mcp_hex_encode(const unsigned char *in, size_t n, char *out);

/* Value of one hex digit (either case), or -1. */
int mcp_hex_digit(int c);

/* Decodes exactly 2n hex characters of hex into out; 0, or -1 when hex has
 * another length or a non-hex character (out is then wiped). */
int mcp_hex_decode(const char *hex, unsigned char *out, size_t n);

/* SHA-256 of data as 64 hex characters and a NUL; 0 or -1. */
int mcp_sha256_hex(const void *data, size_t len, char out[65]);

#endif
