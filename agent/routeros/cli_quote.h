/*
 * cli_quote.h: RouterOS console commands built only from an allow-list of
 * templates, every value quoted as a RouterOS string or rejected.
 */
#ifndef AGENT_ROUTEROS_CLI_QUOTE_H
#define AGENT_ROUTEROS_CLI_QUOTE_H

#include <stddef.h>

/* Longest value accepted inside a command (bytes, before quoting). */
#define AGENT_CLI_MAX_VALUE 1024

typedef struct {
    const char *key;       /* must be one the template allows */
    const char *value;     /* any text; quoted or rejected */
} agent_cli_arg_t;

/*
 * Writes value as a double-quoted RouterOS string into buf: \ " $ ? are
 * backslash-escaped, tab/CR/LF written as \t \r \n. Rejects (-1, reason in
 * err) other control bytes, bytes >= 0x80 (the console is not UTF-8 safe),
 * values over AGENT_CLI_MAX_VALUE and a too small buf. 0 on success.
 */
int agent_cli_quote(const char *value, char *buf, size_t len, char *err,
    size_t errlen);

/*
 * Builds `<template> [flags...] key="value" ...` into buf. template must be
 * one of the allow-list (agent_cli_allowed), flags (e.g. "detail",
 * "without-paging", "terse", "as-value") and keys must be among those the
 * template permits. 0, or -1 with the reason in err.
 */
int agent_cli_build(const char *template, const char *const *flags,
    size_t nflags, const agent_cli_arg_t *args, size_t nargs, char *buf,
    size_t len, char *err, size_t errlen);

/* 1 when template is an allowed command (exact match), else 0. */
int agent_cli_allowed(const char *template);

/*
 * 1 when a finished command starts with an allowed template (followed by
 * its end or a space) and holds no control bytes: the last check before a
 * command goes to a device.
 */
int agent_cli_command_allowed(const char *command);

#endif
