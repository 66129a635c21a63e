/*
 * schema.c: validates JSON values against the JSON Schema subset the tool
 * catalog uses, and checks catalog schemas for keywords we do not enforce.
 */
#include "schema.h"
#include "formats.h"

#include <regex.h>
#include <stdio.h>
#include <string.h>

#define MCP_SCHEMA_PATH_MAX 256

static const char *mcp_schema_keywords[] = {
    "type", "properties", "required", "additionalProperties", "enum",
    "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "minLength", "maxLength", "pattern", "format", "items", "minItems",
    "maxItems", "uniqueItems", "minProperties", "maxProperties", "default",
    "description", "title", "examples", "$comment", NULL
};

static const char *mcp_schema_types[] = {
    "object", "array", "string", "integer", "number", "boolean", "null", NULL
};

static int
mcp_in_list(const char *s, const char **list)
{
    for (; *list; list++) {
        if (strcmp(s, *list) == 0) {
            return 1;
        }
    }
    return 0;
}

static int
mcp_fail(char *err, size_t errlen, const char *path, const char *msg)
{
    snprintf(err, errlen, "%s: %s", path, msg);
    return -1;
}

static void
mcp_path_child(char *out, size_t outlen, const char *path, const char *key)
{
    snprintf(out, outlen, "%s.%s", path, key);
}

static void
mcp_path_index(char *out, size_t outlen, const char *path, size_t i)
{
    snprintf(out, outlen, "%s[%zu]", path, i);
}

/* ---- checking catalog schemas -------------------------------------------- */

static int mcp_check(const json_t *schema, const char *path, char *err,
    size_t errlen);

static int
mcp_check_number(const json_t *schema, const char *kw, const char *path,
    char *err, size_t errlen)
{
    const json_t *v = json_object_get(schema, kw);
    char          msg[96];

    if (v != NULL && !json_is_number(v)) {
        snprintf(msg, sizeof(msg), "\"%s\" must be a number", kw);
        return mcp_fail(err, errlen, path, msg);
    }
    return 0;
}

static int
mcp_check_count(const json_t *schema, const char *kw, const char *path,
    char *err, size_t errlen)
{
    const json_t *v = json_object_get(schema, kw);
    char          msg[96];

    if (v != NULL && (!json_is_integer(v) || json_integer_value(v) < 0)) {
        snprintf(msg, sizeof(msg), "\"%s\" must be a non-negative integer",
            kw);
        return mcp_fail(err, errlen, path, msg);
    }
    return 0;
}

static int
mcp_check_type(const json_t *type, const char *path, char *err,
    size_t errlen)
{
    size_t  i;
    json_t *t;

    if (json_is_string(type)) {
        if (!mcp_in_list(json_string_value(type), mcp_schema_types)) {
            return mcp_fail(err, errlen, path, "unknown \"type\"");
        }
        return 0;
    }
    if (!json_is_array(type) || json_array_size(type) == 0) {
        return mcp_fail(err, errlen, path,
            "\"type\" must be a string or a non-empty array");
    }
    json_array_foreach(type, i, t) {
        if (!json_is_string(t)
            || !mcp_in_list(json_string_value(t), mcp_schema_types))
        {
            return mcp_fail(err, errlen, path, "unknown \"type\" in array");
        }
    }
    return 0;
}

static int
mcp_check_pattern(const json_t *pattern, const char *path, char *err,
    size_t errlen)
{
    regex_t re;

    if (!json_is_string(pattern)) {
        return mcp_fail(err, errlen, path, "\"pattern\" must be a string");
    }
    if (regcomp(&re, json_string_value(pattern), REG_EXTENDED | REG_NOSUB)
        != 0)
    {
        return mcp_fail(err, errlen, path, "\"pattern\" does not compile");
    }
    regfree(&re);
    return 0;
}

static int
mcp_check_properties(const json_t *schema, const char *path, char *err,
    size_t errlen)
{
    const json_t *props = json_object_get(schema, "properties");
    const json_t *req = json_object_get(schema, "required");
    const char   *key;
    json_t       *sub;
    size_t        i;
    char          child[MCP_SCHEMA_PATH_MAX];

    if (props != NULL) {
        if (!json_is_object(props)) {
            return mcp_fail(err, errlen, path,
                "\"properties\" must be an object");
        }
        json_object_foreach((json_t *) props, key, sub) {
            mcp_path_child(child, sizeof(child), path, key);
            if (mcp_check(sub, child, err, errlen) != 0) {
                return -1;
            }
        }
    }
    if (req != NULL) {
        if (!json_is_array(req)) {
            return mcp_fail(err, errlen, path, "\"required\" must be an array");
        }
        json_array_foreach(req, i, sub) {
            if (!json_is_string(sub)
                || props == NULL
                || json_object_get(props, json_string_value(sub)) == NULL)
            {
                return mcp_fail(err, errlen, path,
                    "\"required\" names a property that is not declared");
            }
        }
    }
    sub = json_object_get(schema, "additionalProperties");
    if (sub != NULL && !json_is_boolean(sub)) {
        return mcp_fail(err, errlen, path,
            "\"additionalProperties\" must be a boolean");
    }
    return 0;
}

static int
mcp_check(const json_t *schema, const char *path, char *err, size_t errlen)
{
    const char *key;
    json_t     *v;
    char        msg[128];
    static const char *numbers[] = { "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", NULL };
    static const char *counts[] = { "minLength", "maxLength", "minItems",
        "maxItems", "minProperties", "maxProperties", NULL };
    const char **kw;

    if (!json_is_object(schema)) {
        return mcp_fail(err, errlen, path, "schema must be an object");
    }
    json_object_foreach((json_t *) schema, key, v) {
        if (!mcp_in_list(key, mcp_schema_keywords)) {
            snprintf(msg, sizeof(msg), "unsupported keyword \"%s\"", key);
            return mcp_fail(err, errlen, path, msg);
        }
    }
    v = json_object_get(schema, "type");
    if (v != NULL && mcp_check_type(v, path, err, errlen) != 0) {
        return -1;
    }
    for (kw = numbers; *kw; kw++) {
        if (mcp_check_number(schema, *kw, path, err, errlen) != 0) {
            return -1;
        }
    }
    for (kw = counts; *kw; kw++) {
        if (mcp_check_count(schema, *kw, path, err, errlen) != 0) {
            return -1;
        }
    }
    v = json_object_get(schema, "enum");
    if (v != NULL && (!json_is_array(v) || json_array_size(v) == 0)) {
        return mcp_fail(err, errlen, path, "\"enum\" must be a non-empty array");
    }
    v = json_object_get(schema, "pattern");
    if (v != NULL && mcp_check_pattern(v, path, err, errlen) != 0) {
        return -1;
    }
    v = json_object_get(schema, "format");
    if (v != NULL && (!json_is_string(v)
                      || !mcp_format_known(json_string_value(v))))
    {
        return mcp_fail(err, errlen, path, "unknown \"format\"");
    }
    v = json_object_get(schema, "uniqueItems");
    if (v != NULL && !json_is_boolean(v)) {
        return mcp_fail(err, errlen, path, "\"uniqueItems\" must be a boolean");
    }
    if (mcp_check_properties(schema, path, err, errlen) != 0) {
        return -1;
    }
    v = json_object_get(schema, "items");
    if (v != NULL) {
        char child[MCP_SCHEMA_PATH_MAX];

        snprintf(child, sizeof(child), "%s[]", path);
        if (mcp_check(v, child, err, errlen) != 0) {
            return -1;
        }
    }
    v = json_object_get(schema, "default");
    if (v != NULL) {
        char derr[256];

        if (mcp_schema_validate(schema, v, "default", derr, sizeof(derr)) != 0)
        {
            snprintf(msg, sizeof(msg), "\"default\" fails its own schema");
            return mcp_fail(err, errlen, path, msg);
        }
    }
    return 0;
}

int
mcp_schema_check(const json_t *schema, const char *where, char *err,
    size_t errlen)
{
    return mcp_check(schema, where, err, errlen);
}

/* ---- validating instances ------------------------------------------------ */

static const char *
mcp_type_of(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return "integer";
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    default:
        return "null";
    }
}

static int
mcp_type_matches(const char *want, const json_t *v)
{
    const char *have = mcp_type_of(v);

    if (strcmp(want, have) == 0) {
        return 1;
    }
    /* every integer is a number; JSON has no separate integer type */
    return strcmp(want, "number") == 0 && strcmp(have, "integer") == 0;
}

static int
mcp_validate_type(const json_t *type, const json_t *v, const char *path,
    char *err, size_t errlen)
{
    size_t  i;
    json_t *t;
    char    msg[128];

    if (type == NULL) {
        return 0;
    }
    if (json_is_string(type)) {
        if (mcp_type_matches(json_string_value(type), v)) {
            return 0;
        }
        snprintf(msg, sizeof(msg), "must be of type %s, not %s",
            json_string_value(type), mcp_type_of(v));
        return mcp_fail(err, errlen, path, msg);
    }
    json_array_foreach(type, i, t) {
        if (mcp_type_matches(json_string_value(t), v)) {
            return 0;
        }
    }
    snprintf(msg, sizeof(msg), "has type %s, which is not allowed",
        mcp_type_of(v));
    return mcp_fail(err, errlen, path, msg);
}

static int
mcp_validate_enum(const json_t *schema, const json_t *v, const char *path,
    char *err, size_t errlen)
{
    const json_t *en = json_object_get(schema, "enum");
    const json_t *cn = json_object_get(schema, "const");
    json_t       *e;
    size_t        i, off;
    char          msg[256];

    if (cn != NULL && !json_equal((json_t *) cn, (json_t *) v)) {
        return mcp_fail(err, errlen, path, "does not equal the required value");
    }
    if (en == NULL) {
        return 0;
    }
    json_array_foreach(en, i, e) {
        if (json_equal(e, (json_t *) v)) {
            return 0;
        }
    }
    off = (size_t) snprintf(msg, sizeof(msg), "must be one of");
    json_array_foreach(en, i, e) {
        if (off >= sizeof(msg) - 8) {
            break;
        }
        if (json_is_string(e)) {
            off += (size_t) snprintf(msg + off, sizeof(msg) - off, "%s \"%s\"",
                i ? "," : "", json_string_value(e));
        } else if (json_is_integer(e)) {
            off += (size_t) snprintf(msg + off, sizeof(msg) - off, "%s %lld",
                i ? "," : "", (long long) json_integer_value(e));
        }
    }
    return mcp_fail(err, errlen, path, msg);
}

static int
mcp_validate_number(const json_t *schema, const json_t *v, const char *path,
    char *err, size_t errlen)
{
    double        x = json_number_value(v);
    const json_t *b;
    char          msg[96];

    if (!json_is_number(v)) {
        return 0;
    }
    if ((b = json_object_get(schema, "minimum")) && x < json_number_value(b)) {
        snprintf(msg, sizeof(msg), "must be >= %g", json_number_value(b));
        return mcp_fail(err, errlen, path, msg);
    }
    if ((b = json_object_get(schema, "maximum")) && x > json_number_value(b)) {
        snprintf(msg, sizeof(msg), "must be <= %g", json_number_value(b));
        return mcp_fail(err, errlen, path, msg);
    }
    if ((b = json_object_get(schema, "exclusiveMinimum"))
        && x <= json_number_value(b))
    {
        snprintf(msg, sizeof(msg), "must be > %g", json_number_value(b));
        return mcp_fail(err, errlen, path, msg);
    }
    if ((b = json_object_get(schema, "exclusiveMaximum"))
        && x >= json_number_value(b))
    {
        snprintf(msg, sizeof(msg), "must be < %g", json_number_value(b));
        return mcp_fail(err, errlen, path, msg);
    }
    return 0;
}

/* Length in code points, so limits mean characters, not bytes. */
static size_t
mcp_utf8_length(const char *s, size_t len)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++) {
        if (((unsigned char) s[i] & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

static int
mcp_validate_string(const json_t *schema, const json_t *v, const char *path,
    char *err, size_t errlen)
{
    const json_t *b;
    const char   *s;
    size_t        n;
    regex_t       re;
    int           rc;
    char          msg[160];

    if (!json_is_string(v)) {
        return 0;
    }
    s = json_string_value(v);
    n = mcp_utf8_length(s, json_string_length(v));
    if ((b = json_object_get(schema, "minLength"))
        && n < (size_t) json_integer_value(b))
    {
        snprintf(msg, sizeof(msg), "must be at least %lld characters long",
            (long long) json_integer_value(b));
        return mcp_fail(err, errlen, path, msg);
    }
    if ((b = json_object_get(schema, "maxLength"))
        && n > (size_t) json_integer_value(b))
    {
        snprintf(msg, sizeof(msg), "must be at most %lld characters long",
            (long long) json_integer_value(b));
        return mcp_fail(err, errlen, path, msg);
    }
    if (strlen(s) != json_string_length(v)) {
        return mcp_fail(err, errlen, path, "must not contain NUL characters");
    }
    if ((b = json_object_get(schema, "pattern"))) {
        if (regcomp(&re, json_string_value(b), REG_EXTENDED | REG_NOSUB) != 0) {
            return mcp_fail(err, errlen, path, "schema pattern does not compile");
        }
        rc = regexec(&re, s, 0, NULL, 0);
        regfree(&re);
        if (rc != 0) {
            snprintf(msg, sizeof(msg), "does not match the pattern %s",
                json_string_value(b));
            return mcp_fail(err, errlen, path, msg);
        }
    }
    if ((b = json_object_get(schema, "format"))
        && !mcp_format_matches(json_string_value(b), s))
    {
        snprintf(msg, sizeof(msg), "is not a valid %s", json_string_value(b));
        return mcp_fail(err, errlen, path, msg);
    }
    return 0;
}

static int mcp_validate(const json_t *schema, const json_t *v,
    const char *path, char *err, size_t errlen);

static int
mcp_validate_array(const json_t *schema, const json_t *v, const char *path,
    char *err, size_t errlen)
{
    const json_t *b, *items;
    json_t       *e, *f;
    size_t        i, j, n;
    char          child[MCP_SCHEMA_PATH_MAX];
    char          msg[96];

    if (!json_is_array(v)) {
        return 0;
    }
    n = json_array_size(v);
    if ((b = json_object_get(schema, "minItems"))
        && n < (size_t) json_integer_value(b))
    {
        snprintf(msg, sizeof(msg), "must have at least %lld items",
            (long long) json_integer_value(b));
        return mcp_fail(err, errlen, path, msg);
    }
    if ((b = json_object_get(schema, "maxItems"))
        && n > (size_t) json_integer_value(b))
    {
        snprintf(msg, sizeof(msg), "must have at most %lld items",
            (long long) json_integer_value(b));
        return mcp_fail(err, errlen, path, msg);
    }
    if (json_is_true(json_object_get(schema, "uniqueItems"))) {
        for (i = 0; i < n; i++) {
            e = json_array_get(v, i);
            for (j = i + 1; j < n; j++) {
                f = json_array_get(v, j);
                if (json_equal(e, f)) {
                    mcp_path_index(child, sizeof(child), path, j);
                    return mcp_fail(err, errlen, child,
                        "duplicates an earlier item");
                }
            }
        }
    }
    items = json_object_get(schema, "items");
    if (items == NULL) {
        return 0;
    }
    json_array_foreach(v, i, e) {
        mcp_path_index(child, sizeof(child), path, i);
        if (mcp_validate(items, e, child, err, errlen) != 0) {
            return -1;
        }
    }
    return 0;
}

static int
mcp_validate_object(const json_t *schema, const json_t *v, const char *path,
    char *err, size_t errlen)
{
    const json_t *props, *req, *b;
    const char   *key;
    json_t       *e, *sub;
    size_t        i, n;
    char          child[MCP_SCHEMA_PATH_MAX];
    char          msg[96];

    if (!json_is_object(v)) {
        return 0;
    }
    props = json_object_get(schema, "properties");
    req = json_object_get(schema, "required");
    json_array_foreach(req, i, e) {
        if (json_object_get(v, json_string_value(e)) == NULL) {
            mcp_path_child(child, sizeof(child), path, json_string_value(e));
            return mcp_fail(err, errlen, child, "required property missing");
        }
    }
    json_object_foreach((json_t *) v, key, e) {
        mcp_path_child(child, sizeof(child), path, key);
        sub = props ? json_object_get(props, key) : NULL;
        if (sub == NULL) {
            if (json_is_false(json_object_get(schema,
                                              "additionalProperties")))
            {
                return mcp_fail(err, errlen, child, "unknown property");
            }
            continue;
        }
        if (mcp_validate(sub, e, child, err, errlen) != 0) {
            return -1;
        }
    }
    n = json_object_size(v);
    if ((b = json_object_get(schema, "minProperties"))
        && n < (size_t) json_integer_value(b))
    {
        snprintf(msg, sizeof(msg), "must have at least %lld properties",
            (long long) json_integer_value(b));
        return mcp_fail(err, errlen, path, msg);
    }
    if ((b = json_object_get(schema, "maxProperties"))
        && n > (size_t) json_integer_value(b))
    {
        snprintf(msg, sizeof(msg), "must have at most %lld properties",
            (long long) json_integer_value(b));
        return mcp_fail(err, errlen, path, msg);
    }
    return 0;
}

static int
mcp_validate(const json_t *schema, const json_t *v, const char *path,
    char *err, size_t errlen)
{
    if (mcp_validate_type(json_object_get(schema, "type"), v, path, err,
                          errlen) != 0
        || mcp_validate_enum(schema, v, path, err, errlen) != 0
        || mcp_validate_number(schema, v, path, err, errlen) != 0
        || mcp_validate_string(schema, v, path, err, errlen) != 0
        || mcp_validate_array(schema, v, path, err, errlen) != 0
        || mcp_validate_object(schema, v, path, err, errlen) != 0)
    {
        return -1;
    }
    return 0;
}

int
mcp_schema_validate(const json_t *schema, const json_t *instance,
    const char *root, char *err, size_t errlen)
{
    if (instance == NULL) {
        return mcp_fail(err, errlen, root, "missing");
    }
    return mcp_validate(schema, instance, root, err, errlen);
}

int
mcp_schema_apply_defaults(const json_t *schema, json_t *instance)
{
    const json_t *props;
    const char   *key;
    json_t       *sub, *have, *def;

    if (!json_is_object(instance)) {
        return 0;
    }
    props = json_object_get(schema, "properties");
    json_object_foreach((json_t *) props, key, sub) {
        have = json_object_get(instance, key);
        if (have != NULL) {
            if (mcp_schema_apply_defaults(sub, have) != 0) {
                return -1;
            }
            continue;
        }
        def = json_object_get(sub, "default");
        if (def != NULL
            && json_object_set_new(instance, key, json_deep_copy(def)) != 0)
        {
            return -1;
        }
    }
    return 0;
}
