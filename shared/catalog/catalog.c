/*
 * catalog.c: reads every tool definition from shared/catalog/tools/<domain>.json,
 * checks it strictly, and keeps it sorted for lookups by name.
 */
#include "catalog.h"
#include "../schema/schema.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MCP_CATALOG_MAX_FILES 64

static const char *mcp_tier_names[] = {
    "none", "fundamental", "advanced", "professional", NULL
};
static const char *mcp_writes_names[] = { "no", "db", "dev", NULL };
static const char *mcp_rate_classes[] = {
    "none", "read", "write", "diagnostics", "plan", NULL
};
static const char *mcp_entry_keys[] = {
    "name", "title", "description", "tier", "writes", "timeout_ms",
    "rate_class", "long_running", "inputSchema", "outputSchema", NULL
};

static int
mcp_index_of(const char *s, const char **list)
{
    int i;

    for (i = 0; list[i]; i++) {
        if (strcmp(s, list[i]) == 0) {
            return i;
        }
    }
    return -1;
}

const char *
mcp_tier_name(mcp_tier_t tier)
{
    if ((unsigned) tier > MCP_TIER_PROFESSIONAL) {
        return "unknown";
    }
    return mcp_tier_names[tier];
}

static int
mcp_valid_tool_name(const char *s)
{
    size_t i, n = strlen(s);

    if (n == 0 || n > 64 || s[0] < 'a' || s[0] > 'z') {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')
              || s[i] == '_'))
        {
            return 0;
        }
    }
    return 1;
}

static const char *
mcp_entry_string(json_t *e, const char *key)
{
    json_t *v = json_object_get(e, key);

    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Builds the object tools/list shows for one tool. */
static json_t *
mcp_listed(const mcp_tool_t *t)
{
    json_t *o, *ann;

    o = json_pack("{s:s, s:O}", "name", t->name, "inputSchema",
                  t->input_schema);
    ann = json_pack("{s:b, s:b, s:b, s:b}",
                    "readOnlyHint", t->writes == MCP_WRITES_NO,
                    "destructiveHint", t->writes == MCP_WRITES_DEV,
                    "idempotentHint", t->writes == MCP_WRITES_NO,
                    "openWorldHint", 0);
    if (o == NULL || ann == NULL) {
        json_decref(o);
        json_decref(ann);
        return NULL;
    }
    if (json_object_get(t->entry, "title")) {
        json_object_set(o, "title", json_object_get(t->entry, "title"));
        json_object_set(ann, "title", json_object_get(t->entry, "title"));
    }
    json_object_set(o, "description", json_object_get(t->entry,
                                                       "description"));
    if (t->output_schema) {
        json_object_set(o, "outputSchema", t->output_schema);
    }
    json_object_set_new(o, "annotations", ann);
    return o;
}

static int
mcp_fill_tool(mcp_tool_t *t, json_t *e, const char *file, char *err,
    size_t errlen)
{
    const char *name, *s;
    const char *key;
    json_t     *v;
    int         idx;
    char        where[128];

    name = mcp_entry_string(e, "name");
    if (name == NULL || !mcp_valid_tool_name(name)) {
        snprintf(err, errlen, "%s: a tool has a missing or invalid \"name\"",
            file);
        return -1;
    }
    json_object_foreach(e, key, v) {
        if (mcp_index_of(key, mcp_entry_keys) < 0) {
            snprintf(err, errlen, "%s: tool %s: unknown field \"%s\"", file,
                name, key);
            return -1;
        }
    }
    memset(t, 0, sizeof(*t));
    t->name = name;
    t->entry = e;
    if (mcp_entry_string(e, "description") == NULL) {
        snprintf(err, errlen, "%s: tool %s: \"description\" missing", file,
            name);
        return -1;
    }
    s = mcp_entry_string(e, "tier");
    if (s == NULL || (idx = mcp_index_of(s, mcp_tier_names)) < 0) {
        snprintf(err, errlen, "%s: tool %s: invalid \"tier\"", file, name);
        return -1;
    }
    t->tier = (mcp_tier_t) idx;
    s = mcp_entry_string(e, "writes");
    if (s == NULL || (idx = mcp_index_of(s, mcp_writes_names)) < 0) {
        snprintf(err, errlen, "%s: tool %s: invalid \"writes\"", file, name);
        return -1;
    }
    t->writes = (mcp_writes_t) idx;
    s = mcp_entry_string(e, "rate_class");
    if (s == NULL || mcp_index_of(s, mcp_rate_classes) < 0) {
        snprintf(err, errlen, "%s: tool %s: invalid \"rate_class\"", file,
            name);
        return -1;
    }
    t->rate_class = s;
    v = json_object_get(e, "timeout_ms");
    if (!json_is_integer(v) || json_integer_value(v) < 1
        || json_integer_value(v) > 600000)
    {
        snprintf(err, errlen, "%s: tool %s: \"timeout_ms\" must be 1..600000",
            file, name);
        return -1;
    }
    t->timeout_ms = (int) json_integer_value(v);
    t->long_running = json_is_true(json_object_get(e, "long_running"));
    t->input_schema = json_object_get(e, "inputSchema");
    t->output_schema = json_object_get(e, "outputSchema");
    snprintf(where, sizeof(where), "%s.inputSchema", name);
    s = mcp_entry_string(t->input_schema, "type");
    if (!json_is_object(t->input_schema) || s == NULL
        || strcmp(s, "object") != 0)
    {
        snprintf(err, errlen, "%s: tool %s: \"inputSchema\" must be an "
            "object schema", file, name);
        return -1;
    }
    if (mcp_schema_check(t->input_schema, where, err, errlen) != 0) {
        return -1;
    }
    if (t->output_schema) {
        snprintf(where, sizeof(where), "%s.outputSchema", name);
        if (mcp_schema_check(t->output_schema, where, err, errlen) != 0) {
            return -1;
        }
    }
    t->listed = mcp_listed(t);
    if (t->listed == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

static int
mcp_tool_cmp(const void *a, const void *b)
{
    return strcmp(((const mcp_tool_t *) a)->name,
                  ((const mcp_tool_t *) b)->name);
}

static int
mcp_name_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* Collects *.json names of dir, sorted, so load order never depends on
 * the file system. */
static int
mcp_list_files(const char *dir, char **names, size_t *n, char *err,
    size_t errlen)
{
    DIR           *d;
    struct dirent *de;
    size_t         len;

    *n = 0;
    d = opendir(dir);
    if (d == NULL) {
        snprintf(err, errlen, "cannot open catalog directory %s", dir);
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0
            || de->d_name[0] == '.')
        {
            continue;
        }
        if (*n == MCP_CATALOG_MAX_FILES) {
            snprintf(err, errlen, "too many catalog files in %s", dir);
            closedir(d);
            return -1;
        }
        names[(*n)++] = strdup(de->d_name);
        if (names[*n - 1] == NULL) {
            closedir(d);
            return -1;
        }
    }
    closedir(d);
    qsort(names, *n, sizeof(char *), mcp_name_cmp);
    return 0;
}

static int
mcp_load_files(const char *dir, json_t *root, char *err, size_t errlen)
{
    char        *names[MCP_CATALOG_MAX_FILES];
    char         path[1024];
    size_t       n = 0, i;
    json_t      *arr;
    json_error_t jerr;
    int          rc = 0;

    if (mcp_list_files(dir, names, &n, err, errlen) != 0) {
        rc = -1;
    }
    for (i = 0; i < n; i++) {
        if (rc != 0) {
            free(names[i]);
            continue;
        }
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        arr = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
        if (arr == NULL || !json_is_array(arr)) {
            snprintf(err, errlen, "%s: %s (line %d)", path,
                arr ? "must hold a JSON array" : jerr.text, jerr.line);
            rc = -1;
        } else if (json_array_extend(root, arr) != 0) {
            rc = -1;
        }
        json_decref(arr);
        free(names[i]);
    }
    if (rc == 0 && json_array_size(root) == 0) {
        snprintf(err, errlen, "%s holds no tools", dir);
        rc = -1;
    }
    return rc;
}

int
mcp_catalog_load(const char *dir, mcp_catalog_t *cat, char *err,
    size_t errlen)
{
    size_t  i;
    json_t *e;

    memset(cat, 0, sizeof(*cat));
    err[0] = '\0';
    cat->root = json_array();
    if (cat->root == NULL || mcp_load_files(dir, cat->root, err, errlen) != 0)
    {
        goto fail;
    }
    cat->tools = calloc(json_array_size(cat->root), sizeof(mcp_tool_t));
    if (cat->tools == NULL) {
        goto fail;
    }
    json_array_foreach(cat->root, i, e) {
        if (!json_is_object(e)) {
            snprintf(err, errlen, "%s: entry %zu is not an object", dir, i);
            goto fail;
        }
        if (mcp_fill_tool(&cat->tools[i], e, dir, err, errlen) != 0) {
            cat->ntools = i + 1;
            goto fail;
        }
        cat->ntools = i + 1;
    }
    qsort(cat->tools, cat->ntools, sizeof(mcp_tool_t), mcp_tool_cmp);
    for (i = 1; i < cat->ntools; i++) {
        if (strcmp(cat->tools[i - 1].name, cat->tools[i].name) == 0) {
            snprintf(err, errlen, "tool %s is defined twice",
                cat->tools[i].name);
            goto fail;
        }
    }
    return 0;

fail:
    if (err[0] == '\0') {
        snprintf(err, errlen, "out of memory loading %s", dir);
    }
    mcp_catalog_free(cat);
    return -1;
}

const mcp_tool_t *
mcp_catalog_find(const mcp_catalog_t *cat, const char *name, size_t name_len)
{
    size_t lo = 0, hi = cat->ntools, mid, have;
    int    c;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        have = strlen(cat->tools[mid].name);
        c = memcmp(cat->tools[mid].name, name,
                   have < name_len ? have : name_len);
        if (c == 0 && have != name_len) {
            c = have < name_len ? -1 : 1;
        }
        if (c == 0) {
            return &cat->tools[mid];
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

void
mcp_catalog_free(mcp_catalog_t *cat)
{
    size_t i;

    for (i = 0; i < cat->ntools; i++) {
        json_decref(cat->tools[i].listed);
    }
    free(cat->tools);
    json_decref(cat->root);
    memset(cat, 0, sizeof(*cat));
}
