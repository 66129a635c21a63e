/*
 * prompts.c: loads the prompt templates and renders them: {{arg}} becomes the
 * argument (or its default), {{arg|text}} falls back to text when absent.
 */
#include "prompts.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MCP_PROMPTS_MAX_FILES   64
#define MCP_PROMPT_ARG_MAX      1024
#define MCP_PROMPT_TEXT_MAX     65536

static int
mcp_prompt_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* Checks one definition and returns the object prompts/list shows. */
static json_t *
mcp_prompt_listed(json_t *def, const char *file, char *err, size_t errlen)
{
    json_t     *args, *a;
    const char *name, *text;
    size_t      i;

    name = json_string_value(json_object_get(def, "name"));
    text = json_string_value(json_object_get(def, "template"));
    args = json_object_get(def, "arguments");
    if (name == NULL || text == NULL || !json_is_array(args)
        || !json_is_string(json_object_get(def, "description")))
    {
        snprintf(err, errlen, "%s: a prompt needs name, description, "
            "arguments and template", file);
        return NULL;
    }
    json_array_foreach(args, i, a) {
        if (!json_is_string(json_object_get(a, "name"))
            || !json_is_boolean(json_object_get(a, "required")))
        {
            snprintf(err, errlen, "%s: argument %zu needs name and required",
                file, i);
            return NULL;
        }
    }
    return json_pack("{s:O, s:O, s:O, s:O}", "name",
                     json_object_get(def, "name"), "title",
                     json_object_get(def, "title") ? json_object_get(def,
                         "title") : json_object_get(def, "name"),
                     "description", json_object_get(def, "description"),
                     "arguments", args);
}

static int
mcp_prompts_read_dir(const char *dir, char **names, size_t *n, char *err,
    size_t errlen)
{
    DIR           *d = opendir(dir);
    struct dirent *de;
    size_t         len;

    *n = 0;
    if (d == NULL) {
        snprintf(err, errlen, "cannot open prompt directory %s", dir);
        return -1;
    }
    while ((de = readdir(d)) != NULL && *n < MCP_PROMPTS_MAX_FILES) {
        len = strlen(de->d_name);
        if (len > 5 && de->d_name[0] != '.'
            && strcmp(de->d_name + len - 5, ".json") == 0)
        {
            names[(*n)++] = strdup(de->d_name);
        }
    }
    closedir(d);
    qsort(names, *n, sizeof(char *), mcp_prompt_cmp);
    return 0;
}

int
mcp_prompts_load(const char *dir, mcp_prompts_t *p, char *err, size_t errlen)
{
    char        *names[MCP_PROMPTS_MAX_FILES];
    char         path[1024];
    size_t       n, i;
    json_t      *def, *listed, *arr;
    json_error_t jerr;
    int          rc = 0;

    memset(p, 0, sizeof(*p));
    if (mcp_prompts_read_dir(dir, names, &n, err, errlen) != 0) {
        return -1;
    }
    p->prompts = json_array();
    arr = json_array();
    for (i = 0; i < n; i++) {
        if (rc == 0 && names[i] != NULL) {
            snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
            def = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
            listed = def ? mcp_prompt_listed(def, path, err, errlen) : NULL;
            if (def == NULL) {
                snprintf(err, errlen, "%s: %s", path, jerr.text);
            }
            if (listed == NULL) {
                rc = -1;
            } else {
                json_array_append(p->prompts, def);
                json_array_append_new(arr, listed);
            }
            json_decref(def);
        }
        free(names[i]);
    }
    p->listed = json_pack("{s:o}", "prompts", arr);
    if (rc != 0 || p->prompts == NULL || p->listed == NULL) {
        mcp_prompts_free(p);
        return -1;
    }
    return 0;
}

static const json_t *
mcp_prompt_find(const mcp_prompts_t *p, const char *name, size_t name_len)
{
    json_t     *def;
    const char *have;
    size_t      i;

    json_array_foreach(p->prompts, i, def) {
        have = json_string_value(json_object_get(def, "name"));
        if (strlen(have) == name_len && memcmp(have, name, name_len) == 0) {
            return def;
        }
    }
    return NULL;
}

static const json_t *
mcp_prompt_arg_def(const json_t *def, const char *name, size_t len)
{
    json_t     *a;
    const char *have;
    size_t      i;

    json_array_foreach(json_object_get(def, "arguments"), i, a) {
        have = json_string_value(json_object_get(a, "name"));
        if (strlen(have) == len && strncmp(have, name, len) == 0) {
            return a;
        }
    }
    return NULL;
}

/* Every given argument is declared, a string, short, and in its enum;
 * every required argument is present. */
static int
mcp_prompt_check_args(const json_t *def, const json_t *args, char *err,
    size_t errlen)
{
    const char   *key;
    json_t       *v, *a, *e;
    const json_t *ad;
    size_t        i, j;
    int           found;

    if (args != NULL && !json_is_object(args)) {
        snprintf(err, errlen, "params.arguments: must be an object");
        return -1;
    }
    json_object_foreach((json_t *) args, key, v) {
        ad = mcp_prompt_arg_def(def, key, strlen(key));
        if (ad == NULL) {
            snprintf(err, errlen, "params.arguments.%s: unknown argument", key);
            return -1;
        }
        if (!json_is_string(v) || json_string_length(v) > MCP_PROMPT_ARG_MAX
            || strlen(json_string_value(v)) != json_string_length(v))
        {
            snprintf(err, errlen, "params.arguments.%s: must be a string of "
                "at most %d characters", key, MCP_PROMPT_ARG_MAX);
            return -1;
        }
        found = json_object_get(ad, "enum") == NULL;
        json_array_foreach(json_object_get(ad, "enum"), j, e) {
            found |= json_equal(e, v);
        }
        if (!found) {
            snprintf(err, errlen, "params.arguments.%s: not one of the "
                "allowed values", key);
            return -1;
        }
    }
    json_array_foreach(json_object_get(def, "arguments"), i, a) {
        key = json_string_value(json_object_get(a, "name"));
        if (json_is_true(json_object_get(a, "required"))
            && json_object_get(args, key) == NULL)
        {
            snprintf(err, errlen, "params.arguments.%s: required argument "
                "missing", key);
            return -1;
        }
    }
    return 0;
}

static int
mcp_buf_add(char *buf, size_t *len, const char *s, size_t n)
{
    if (*len + n >= MCP_PROMPT_TEXT_MAX) {
        return -1;
    }
    memcpy(buf + *len, s, n);
    *len += n;
    return 0;
}

/* Substitutes one {{name}} or {{name|fallback}} placeholder. */
static int
mcp_render_placeholder(const json_t *def, const json_t *args, const char *in,
    size_t in_len, char *buf, size_t *len)
{
    const char   *bar = memchr(in, '|', in_len);
    size_t        name_len = bar ? (size_t) (bar - in) : in_len;
    const json_t *ad = mcp_prompt_arg_def(def, in, name_len);
    const json_t *v = NULL;
    const char   *key;

    if (ad != NULL) {
        key = json_string_value(json_object_get(ad, "name"));
        v = json_object_get(args, key);
        if (v == NULL && bar == NULL) {
            v = json_object_get(ad, "default");
        }
    }
    if (json_is_string(v)) {
        return mcp_buf_add(buf, len, json_string_value(v),
                           json_string_length(v));
    }
    if (bar != NULL) {
        return mcp_buf_add(buf, len, bar + 1, in_len - name_len - 1);
    }
    return 0;
}

json_t *
mcp_prompts_render(const mcp_prompts_t *p, const char *name, size_t name_len,
    const json_t *args, char *err, size_t errlen)
{
    const json_t *def = mcp_prompt_find(p, name, name_len);
    const char   *t, *open, *close;
    char         *buf;
    size_t        len = 0;
    json_t       *res;

    if (def == NULL) {
        snprintf(err, errlen, "params.name: unknown prompt");
        return NULL;
    }
    if (mcp_prompt_check_args(def, args, err, errlen) != 0) {
        return NULL;
    }
    buf = malloc(MCP_PROMPT_TEXT_MAX);
    if (buf == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    t = json_string_value(json_object_get(def, "template"));
    while ((open = strstr(t, "{{")) != NULL
           && (close = strstr(open + 2, "}}")) != NULL)
    {
        if (mcp_buf_add(buf, &len, t, (size_t) (open - t)) != 0
            || mcp_render_placeholder(def, args, open + 2,
                                      (size_t) (close - open - 2), buf,
                                      &len) != 0)
        {
            goto too_long;
        }
        t = close + 2;
    }
    if (mcp_buf_add(buf, &len, t, strlen(t)) != 0) {
        goto too_long;
    }
    res = json_pack("{s:O, s:[{s:s, s:{s:s, s:s%}}]}",
                    "description", json_object_get(def, "description"),
                    "messages", "role", "user", "content", "type", "text",
                    "text", buf, len);
    free(buf);
    return res;

too_long:
    free(buf);
    snprintf(err, errlen, "params.arguments: rendered prompt too long");
    return NULL;
}

void
mcp_prompts_free(mcp_prompts_t *p)
{
    json_decref(p->prompts);
    json_decref(p->listed);
    memset(p, 0, sizeof(*p));
}
