/*
 * cli_parse.h: RouterOS console `print` output turned into the JSON shapes
 * the REST API returns (string values, hyphenated keys, "true"/"false").
 */
#ifndef AGENT_ROUTEROS_CLI_PARSE_H
#define AGENT_ROUTEROS_CLI_PARSE_H

#include <jansson.h>
#include <stddef.h>

/*
 * `print` of a singleton menu ("  free-memory: 988.3MiB" lines) → object.
 * Units become REST numbers: 988.3MiB → bytes, 3% → "3", 880MHz → "880";
 * yes/no → "true"/"false"; durations stay as RouterOS writes them (as in
 * REST). 0, or -1 with err.
 */
int agent_cli_parse_single(const char *text, json_t **out, char *err,
    size_t errlen);

/*
 * `print detail [without-paging]` or `print terse` of a collection → array
 * of objects. The "Flags:" legend turns each listed flag into a field
 * ("true" when the item carries its letter, else "false"); ";;; text"
 * becomes "comment". 0, or -1 with err.
 */
int agent_cli_parse_items(const char *text, json_t **out, char *err,
    size_t errlen);

/*
 * `print as-value` as the console prints it (one flat "k=v;k=v" run, a new
 * item starting where a key repeats) → array of objects. 0 or -1.
 */
int agent_cli_parse_as_value(const char *text, json_t **out, char *err,
    size_t errlen);

/*
 * A console value in REST form into buf: units converted, yes/no mapped.
 * quoted: the value was a "..." string (kept verbatim).
 */
void agent_cli_value(const char *value, int quoted, char *buf, size_t len);

/*
 * 1 when output is a RouterOS console error ("bad command name x (line 1
 * column 2)", "expected end of command …", "syntax error …", "failure: …",
 * "no such item", "invalid value …"), with its first line copied to msg.
 */
int agent_cli_error(const char *output, char *msg, size_t len);

#endif
