/*
 * fields.c: table-driven conversion of RouterOS records into typed JSON
 * objects (booleans, integers, numbers, durations, comma lists).
 */
#include "fields.h"
#include "../routeros/values.h"

#include <string.h>

json_t *
agent_fields_split(const char *csv)
{
    json_t     *a = json_array();
    const char *p = csv;

    while (p != NULL && *p != '\0') {
        const char *comma = strchr(p, ',');
        size_t      n = comma ? (size_t) (comma - p) : strlen(p);

        if (n > 0) {
            json_array_append_new(a, json_stringn(p, n));
        }
        p = comma ? comma + 1 : NULL;
    }
    return a;
}

static json_t *
agent_field_value(const char *s, agent_field_type_t type)
{
    int64_t i;
    double  d;
    int     b;

    switch (type) {
    case AGENT_F_BOOL:
    case AGENT_F_FLAG:
        return agent_ros_bool(s, &b) == 0 ? json_boolean(b) : json_null();
    case AGENT_F_INT:
        return agent_ros_int(s, &i) == 0 ? json_integer(i) : json_null();
    case AGENT_F_NUM:
        return agent_ros_number(s, &d) == 0 ? json_real(d) : json_null();
    case AGENT_F_SECONDS:
        return agent_ros_duration_us(s, &i) == 0
                   ? json_integer(i / 1000000) : json_null();
    case AGENT_F_LIST:
        return agent_fields_split(s);
    default:
        return json_string(s);
    }
}

json_t *
agent_fields_map(const json_t *rec, const agent_field_t *fields)
{
    json_t              *o = json_object();
    const agent_field_t *f;

    for (f = fields; f->ros != NULL; f++) {
        const char *s = json_string_value(json_object_get(rec, f->ros));

        if (s != NULL) {
            json_object_set_new(o, f->key, agent_field_value(s, f->type));
        } else if (f->type == AGENT_F_FLAG) {
            json_object_set_new(o, f->key, json_false());
        }
    }
    return o;
}

json_t *
agent_fields_map_list(const json_t *list, const agent_field_t *fields)
{
    json_t *a = json_array(), *rec;
    size_t  i;

    json_array_foreach(list, i, rec) {
        if (json_is_object(rec)) {
            json_array_append_new(a, agent_fields_map(rec, fields));
        }
    }
    return a;
}

const char *
agent_fields_str(const json_t *o, const char *key, const char *fallback)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s ? s : fallback;
}
