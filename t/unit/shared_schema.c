/*
 * shared_schema.c: unit tests of the JSON Schema subset (shared/schema):
 * every keyword accepts what it should and names the field when it refuses.
 */
#include "tap.h"
#include "../../shared/schema/schema.h"
#include "../../shared/schema/formats.h"

static json_t *
js(const char *text)
{
    json_error_t e;
    json_t      *v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);

    if (v == NULL) {
        printf("# bad test JSON: %s: %s\n", text, e.text);
    }
    return v;
}

static const char *
check(const char *schema, const char *instance)
{
    static char err[512];
    json_t     *s = js(schema), *i = js(instance);
    int         rc = mcp_schema_validate(s, i, "arguments", err, sizeof(err));

    json_decref(s);
    json_decref(i);
    return rc == 0 ? "valid" : err;
}

static const char *
lint(const char *schema)
{
    static char err[512];
    json_t     *s = js(schema);
    int         rc = mcp_schema_check(s, "t", err, sizeof(err));

    json_decref(s);
    return rc == 0 ? "valid" : err;
}

#define OBJ "{\"type\":\"object\",\"properties\":{" \
    "\"device_id\":{\"type\":\"string\",\"pattern\":\"^[a-z][a-z0-9-]*$\"}," \
    "\"count\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100,\"default\":4}," \
    "\"mode\":{\"type\":\"string\",\"enum\":[\"tx\",\"rx\",\"both\"]}," \
    "\"servers\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"format\":\"host\"},\"minItems\":1,\"maxItems\":3,\"uniqueItems\":true}," \
    "\"net\":{\"type\":\"string\",\"format\":\"cidr\"}," \
    "\"name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":3}," \
    "\"ratio\":{\"type\":\"number\",\"exclusiveMaximum\":1}," \
    "\"opt\":{\"type\":[\"string\",\"null\"]}" \
    "},\"required\":[\"device_id\"],\"additionalProperties\":false}"

int
main(void)
{
    json_t *s, *i;

    is_str(check(OBJ, "{\"device_id\":\"r1\"}"), "valid",
           "minimal valid arguments pass");
    is_str(check(OBJ, "{}"), "arguments.device_id: required property missing",
           "a missing required property is named");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"bogus\":1}"),
           "arguments.bogus: unknown property", "unknown properties are named");
    is_str(check(OBJ, "{\"device_id\":5}"),
           "arguments.device_id: must be of type string, not integer",
           "wrong type names field and both types");
    is_str(check(OBJ, "{\"device_id\":\"R1\"}"),
           "arguments.device_id: does not match the pattern ^[a-z][a-z0-9-]*$",
           "pattern mismatch");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"count\":0}"),
           "arguments.count: must be >= 1", "minimum");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"count\":101}"),
           "arguments.count: must be <= 100", "maximum");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"count\":2.5}"),
           "arguments.count: must be of type integer, not number",
           "a real is not an integer");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"ratio\":1}"),
           "arguments.ratio: must be < 1", "exclusiveMaximum");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"ratio\":0}"), "valid",
           "an integer is a number");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"mode\":\"up\"}"),
           "arguments.mode: must be one of \"tx\", \"rx\", \"both\"", "enum");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"servers\":[]}"),
           "arguments.servers: must have at least 1 items", "minItems");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"servers\":[\"a\",\"b\",\"c\",\"d\"]}"),
           "arguments.servers: must have at most 3 items", "maxItems");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"servers\":[\"1.1.1.1\",\"1.1.1.1\"]}"),
           "arguments.servers[1]: duplicates an earlier item", "uniqueItems");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"servers\":[\"ok.example\",\"-bad\"]}"),
           "arguments.servers[1]: is not a valid host", "format host in items");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"servers\":[\"9.9.9.9\",\"2001:db8::1\",\"ns1.example.org\"]}"),
           "valid", "ipv4, ipv6 and hostnames are hosts");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"net\":\"10.0.0.0/33\"}"),
           "arguments.net: is not a valid cidr", "cidr prefix too long");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"net\":\"2001:db8::/64\"}"),
           "valid", "ipv6 cidr");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"name\":\"\"}"),
           "arguments.name: must be at least 1 characters long", "minLength");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"name\":\"\\u00e9\\u00e9\\u00e9\"}"),
           "valid", "maxLength counts characters, not bytes");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"name\":\"a\\u0000b\"}"),
           "arguments.name: must not contain NUL characters", "NUL refused");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"opt\":null}"), "valid",
           "type arrays allow null");
    is_str(check(OBJ, "{\"device_id\":\"r1\",\"opt\":true}"),
           "arguments.opt: has type boolean, which is not allowed",
           "type arrays refuse other types");
    is_str(check(OBJ, "[]"),
           "arguments: must be of type object, not array", "root type");

    s = js(OBJ);
    i = js("{\"device_id\":\"r1\"}");
    ok(mcp_schema_apply_defaults(s, i) == 0
       && json_integer_value(json_object_get(i, "count")) == 4,
       "defaults fill absent properties");
    json_decref(i);
    i = js("{\"device_id\":\"r1\",\"count\":9}");
    mcp_schema_apply_defaults(s, i);
    ok(json_integer_value(json_object_get(i, "count")) == 9,
       "defaults never overwrite given values");
    json_decref(i);
    json_decref(s);

    is_str(lint(OBJ), "valid", "the test schema passes the catalog check");
    is_str(lint("{\"type\":\"object\",\"oneOf\":[]}"),
           "t: unsupported keyword \"oneOf\"",
           "keywords we do not enforce are refused");
    is_str(lint("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\"(\"}}}"),
           "t.a: \"pattern\" does not compile", "bad patterns are refused");
    is_str(lint("{\"type\":\"object\",\"properties\":{},\"required\":[\"x\"]}"),
           "t: \"required\" names a property that is not declared",
           "required must name declared properties");
    is_str(lint("{\"type\":\"integer\",\"minimum\":1,\"default\":0}"),
           "t: \"default\" fails its own schema", "defaults must be valid");
    is_str(lint("{\"type\":\"strin\"}"), "t: unknown \"type\"", "typo in type");
    ok(mcp_format_matches("hostname", "a.b-c.d") == 1
       && mcp_format_matches("hostname", "a..b") == 0
       && mcp_format_matches("hostname", "a_b") == 0
       && mcp_format_matches("ipv4", "256.1.1.1") == 0,
       "hostname and ipv4 rules");
    return done_testing();
}
