/*
 * cli_parse.c: parsers of RouterOS console print formats (key: value,
 * detail/terse items, as-value runs) into REST-shaped JSON.
 */
#include "cli_parse.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_MAX_FLAGS 16

typedef struct {
    char letter[CLI_MAX_FLAGS];
    char name[CLI_MAX_FLAGS][48];
    int  n;
} cli_flags_t;

static const struct {
    const char *suffix;
    double      factor;
} cli_byte_units[] = {
    { "TiB", 1099511627776.0 }, { "GiB", 1073741824.0 },
    { "MiB", 1048576.0 },       { "KiB", 1024.0 },       { "B", 1.0 },
};

/* "45.5MiB" → bytes; 1 when s is a number followed by exactly suffix. */
static int
cli_number_with(const char *s, const char *suffix, double *out)
{
    size_t n = strlen(s), sl = strlen(suffix);
    char   num[64], *end;

    if (n <= sl || n - sl >= sizeof(num) || strcmp(s + n - sl, suffix) != 0
        || !isdigit((unsigned char) s[0])) {
        return 0;
    }
    memcpy(num, s, n - sl);
    num[n - sl] = '\0';
    *out = strtod(num, &end);
    return *end == '\0';
}

void
agent_cli_value(const char *value, int quoted, char *buf, size_t len)
{
    double v;
    size_t i;

    if (!quoted) {
        if (strcmp(value, "yes") == 0 || strcmp(value, "no") == 0) {
            snprintf(buf, len, "%s", value[0] == 'y' ? "true" : "false");
            return;
        }
        for (i = 0; i < sizeof(cli_byte_units) / sizeof(*cli_byte_units);
             i++) {
            if (cli_number_with(value, cli_byte_units[i].suffix, &v)) {
                snprintf(buf, len, "%.0f",
                         floor(v * cli_byte_units[i].factor + 0.5));
                return;
            }
        }
        if (cli_number_with(value, "%", &v)
            || cli_number_with(value, "MHz", &v)) {
            snprintf(buf, len, "%.*s", (int) (strlen(value)
                     - (value[strlen(value) - 1] == '%' ? 1 : 3)), value);
            return;
        }
    }
    snprintf(buf, len, "%s", value);
}

static int
cli_set(json_t *obj, const char *key, const char *value, int quoted)
{
    char buf[4096];

    agent_cli_value(value, quoted, buf, sizeof(buf));
    return json_object_set_new(obj, key, json_string(buf));
}

int
agent_cli_error(const char *output, char *msg, size_t len)
{
    static const char *const starts[] = {
        "bad command name ", "expected end of command", "syntax error",
        "failure:", "no such item", "invalid value", "missing value",
        "input does not match any value", "expected command name",
    };
    size_t i, n;

    while (*output == '\n' || *output == '\r' || *output == ' ') {
        output++;
    }
    for (i = 0; i < sizeof(starts) / sizeof(*starts); i++) {
        if (strncmp(output, starts[i], strlen(starts[i])) == 0) {
            n = strcspn(output, "\r\n");
            snprintf(msg, len, "%.*s", (int) n, output);
            return 1;
        }
    }
    return 0;
}

int
agent_cli_parse_single(const char *text, json_t **out, char *err,
    size_t errlen)
{
    json_t     *obj = json_object();
    const char *line = text, *colon, *eol;
    char        key[128], value[4096];
    size_t      kl, vl;

    if (obj == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (; *line != '\0'; line = *eol ? eol + 1 : eol) {
        eol = line + strcspn(line, "\n");
        while (line < eol && *line == ' ') {
            line++;
        }
        if (line == eol || *line == '\r') {
            continue;
        }
        colon = memchr(line, ':', (size_t) (eol - line));
        if (colon == NULL || colon[1] != ' ') {
            snprintf(err, errlen, "unexpected line \"%.*s\"",
                     (int) (eol - line > 60 ? 60 : eol - line), line);
            json_decref(obj);
            return -1;
        }
        kl = (size_t) (colon - line);
        vl = (size_t) (eol - colon - 2);
        if (vl > 0 && colon[2 + vl - 1] == '\r') {
            vl--;
        }
        if (kl >= sizeof(key) || vl >= sizeof(value)) {
            snprintf(err, errlen, "line too long");
            json_decref(obj);
            return -1;
        }
        memcpy(key, line, kl);
        key[kl] = '\0';
        memcpy(value, colon + 2, vl);
        value[vl] = '\0';
        if (cli_set(obj, key, value, 0) != 0) {
            snprintf(err, errlen, "out of memory");
            json_decref(obj);
            return -1;
        }
    }
    *out = obj;
    return 0;
}

/* "Flags: X - disabled, R - running; S - SLAVE" → letters and names. */
static void
cli_parse_legend(const char *s, const char *eol, cli_flags_t *f)
{
    size_t i;

    f->n = 0;
    s += strlen("Flags:");
    while (s < eol && f->n < CLI_MAX_FLAGS) {
        while (s < eol && (*s == ' ' || *s == ',' || *s == ';')) {
            s++;
        }
        if (s + 4 >= eol || s[1] != ' ' || s[2] != '-' || s[3] != ' ') {
            return;
        }
        f->letter[f->n] = s[0];
        s += 4;
        for (i = 0; s < eol && *s != ',' && *s != ';' && *s != ' '
                    && *s != '\r' && i + 1 < sizeof(f->name[0]); s++) {
            f->name[f->n][i++] = (char) tolower((unsigned char) *s);
        }
        f->name[f->n][i] = '\0';
        f->n++;
    }
}

/* Reads one key=value (value bare or "quoted" with RouterOS escapes). */
static const char *
cli_pair(const char *p, const char *end, json_t *obj, int *ok)
{
    char        key[128], value[4096];
    size_t      kl = 0, vl = 0;
    int         quoted = 0;
    const char *esc_map = "n\nr\rt\ta\ab\bf\fv\v";
    const char *m;

    *ok = 0;
    while (p < end && *p != '=' && *p != ' ' && kl + 1 < sizeof(key)) {
        key[kl++] = *p++;
    }
    if (p >= end || *p != '=' || kl == 0) {
        return p;
    }
    key[kl] = '\0';
    p++;
    if (p < end && *p == '"') {
        quoted = 1;
        for (p++; p < end && *p != '"' && vl + 1 < sizeof(value); p++) {
            if (*p == '\\' && p + 1 < end) {
                p++;
                m = strchr(esc_map, *p);
                value[vl++] = (m != NULL && (m - esc_map) % 2 == 0) ? m[1]
                                                                     : *p;
            } else {
                value[vl++] = *p;
            }
        }
        if (p >= end) {
            return p;
        }
        p++;
    } else {
        while (p < end && *p != ' ' && *p != '\r' && vl + 1 < sizeof(value)) {
            value[vl++] = *p++;
        }
    }
    value[vl] = '\0';
    *ok = cli_set(obj, key, value, quoted) == 0;
    return p;
}

static json_t *
cli_new_item(const cli_flags_t *f, const char *letters, size_t nletters)
{
    json_t *item = json_object();
    int     i;

    for (i = 0; item != NULL && i < f->n; i++) {
        json_object_set_new(item, f->name[i], json_string(
            memchr(letters, f->letter[i], nletters) ? "true" : "false"));
    }
    return item;
}

int
agent_cli_parse_items(const char *text, json_t **out, char *err,
    size_t errlen)
{
    json_t     *items = json_array(), *item = NULL;
    cli_flags_t flags = { .n = 0 };
    const char *line, *eol, *p, *letters;
    size_t      nletters;
    int         ok;

    if (items == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (line = text; *line != '\0'; line = *eol ? eol + 1 : eol) {
        eol = line + strcspn(line, "\n");
        p = line;
        while (p < eol && *p == ' ') {
            p++;
        }
        if (p == eol || *p == '\r' || strncmp(p, "Columns:", 8) == 0) {
            continue;
        }
        if (strncmp(p, "Flags:", 6) == 0) {
            cli_parse_legend(p, eol, &flags);
            continue;
        }
        if (isdigit((unsigned char) *p)) {
            /* " 3 XR  key=value ..." starts an item: index, flag letters. */
            while (p < eol && isdigit((unsigned char) *p)) {
                p++;
            }
            while (p < eol && *p == ' ') {
                p++;
            }
            letters = p;
            nletters = 0;
            while (p + nletters < eol
                   && isalpha((unsigned char) p[nletters])) {
                nletters++;
            }
            /* A word of letters alone is the flags; "name=" is a field. */
            if (p + nletters < eol && p[nletters] != ' '
                && p[nletters] != '\r') {
                nletters = 0;
            }
            p += nletters;
            item = cli_new_item(&flags, letters, nletters);
            if (item == NULL || json_array_append_new(items, item) != 0) {
                snprintf(err, errlen, "out of memory");
                json_decref(items);
                return -1;
            }
        } else if (item == NULL) {
            snprintf(err, errlen, "unexpected line \"%.*s\"",
                     (int) (eol - line > 60 ? 60 : eol - line), line);
            json_decref(items);
            return -1;
        }
        while (p < eol && *p == ' ') {
            p++;
        }
        if (strncmp(p, ";;; ", 4) == 0) {
            json_object_set_new(item, "comment", json_stringn(p + 4,
                (size_t) (eol - p - 4) - (eol[-1] == '\r')));
            continue;
        }
        while (p < eol && *p != '\r') {
            p = cli_pair(p, eol, item, &ok);
            if (!ok) {
                snprintf(err, errlen, "malformed key=value near \"%.40s\"", p);
                json_decref(items);
                return -1;
            }
            while (p < eol && *p == ' ') {
                p++;
            }
        }
    }
    *out = items;
    return 0;
}

int
agent_cli_parse_as_value(const char *text, json_t **out, char *err,
    size_t errlen)
{
    json_t     *items = json_array(), *item = NULL;
    const char *p = text, *end, *eq;
    char        key[128], value[4096];
    size_t      kl, vl;

    if (items == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    while (*p != '\0' && *p != '\r' && *p != '\n') {
        end = p + strcspn(p, ";\r\n");
        eq = memchr(p, '=', (size_t) (end - p));
        if (eq == NULL || eq == p || (size_t) (eq - p) >= sizeof(key)
            || (size_t) (end - eq - 1) >= sizeof(value)) {
            snprintf(err, errlen, "malformed as-value entry \"%.40s\"", p);
            json_decref(items);
            return -1;
        }
        kl = (size_t) (eq - p);
        vl = (size_t) (end - eq - 1);
        memcpy(key, p, kl);
        key[kl] = '\0';
        memcpy(value, eq + 1, vl);
        value[vl] = '\0';
        if (item == NULL || json_object_get(item, key) != NULL) {
            item = json_object();
            if (item == NULL || json_array_append_new(items, item) != 0) {
                snprintf(err, errlen, "out of memory");
                json_decref(items);
                return -1;
            }
        }
        if (cli_set(item, key, value, 0) != 0) {
            snprintf(err, errlen, "out of memory");
            json_decref(items);
            return -1;
        }
        p = *end == ';' ? end + 1 : end;
    }
    *out = items;
    return 0;
}
