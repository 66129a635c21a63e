/*
 * system_info.c: the read-only system tools besides the overview
 * (upstream-catalog §1.4): installed packages and the system clock.
 */
#include "fields.h"
#include "menu.h"
#include "registry.h"
#include "../routeros/values.h"

#include <stdio.h>
#include <string.h>

/* No catalog limit: a device has a few dozen packages; this only bounds. */
#define AGENT_PACKAGES_MAX 500

static const agent_field_t agent_package_fields[] = {
    { ".id", "id", AGENT_F_STR },
    { "name", "name", AGENT_F_STR },
    { "version", "version", AGENT_F_STR },
    { "build-time", "build_time", AGENT_F_STR },
    { "disabled", "disabled", AGENT_F_BOOL },
    { "available", "available", AGENT_F_FLAG },
    { "scheduled", "scheduled", AGENT_F_STR },
    { "size", "size_bytes", AGENT_F_INT },
    { NULL, NULL, AGENT_F_STR }
};

static void
agent_tool_get_system_packages(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t dev;
    json_t        *reply = NULL, *list, *o, *p;
    long           installed = 0, available = 0;
    char           names[256];
    size_t         i, n = 0;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, "/system/package", &reply, out) != 0) {
        goto done;
    }
    list = agent_fields_map_list(reply, agent_package_fields);
    names[0] = '\0';
    json_array_foreach(list, i, p) {
        if (json_is_true(json_object_get(p, "available"))) {
            available++;
            continue;
        }
        installed++;
        if (n < sizeof(names)) {
            n += snprintf(names + n, sizeof(names) - n, "%s%s %s",
                          n ? ", " : "",
                          agent_fields_str(p, "name", "?"),
                          agent_fields_str(p, "version", "?"));
        }
    }
    o = agent_menu_bounded(dev.id, "packages", list, AGENT_PACKAGES_MAX);
    json_object_set_new(o, "installed_count", json_integer(installed));
    json_object_set_new(o, "available_count", json_integer(available));
    agent_result(out, 0, o, "%s: %ld package%s installed (%s%s)%s", dev.id,
                 installed, installed == 1 ? "" : "s", names,
                 n >= sizeof(names) ? "…" : "",
                 available ? ", more available" : "");
done:
    agent_device_release(&dev);
    json_decref(reply);
}

/* RouterOS writes hyphenated keys; some versions and the SSH path give
 * underscores. */
static const char *
agent_clock_field(const json_t *clock, const char *hyphen,
    const char *underscore)
{
    const char *s = json_string_value(json_object_get(clock, hyphen));

    return s ? s : json_string_value(json_object_get(clock, underscore));
}

static void
agent_tool_get_system_clock(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t dev;
    json_t        *reply = NULL, *o;
    const char    *date, *time, *tz, *gmt, *dst, *autodetect;
    int            b;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, "/system/clock", &reply, out) != 0) {
        goto done;
    }
    date = agent_clock_field(reply, "date", "date");
    time = agent_clock_field(reply, "time", "time");
    tz = agent_clock_field(reply, "time-zone-name", "time_zone_name");
    gmt = agent_clock_field(reply, "gmt-offset", "gmt_offset");
    dst = agent_clock_field(reply, "dst-active", "dst_active");
    autodetect = agent_clock_field(reply, "time-zone-autodetect",
                                   "time_zone_autodetect");
    o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "device_id", dev.id,
                  "date", date ? date : "", "time", time ? time : "",
                  "time_zone_name", tz ? tz : "", "gmt_offset",
                  gmt ? gmt : "", "transport", "rest");
    if (agent_ros_bool(dst, &b) == 0) {
        json_object_set_new(o, "dst_active", json_boolean(b));
    }
    if (agent_ros_bool(autodetect, &b) == 0) {
        json_object_set_new(o, "time_zone_autodetect", json_boolean(b));
    }
    agent_result(out, 0, o, "%s: %s %s %s (GMT%s%s)", dev.id,
                 date ? date : "?", time ? time : "?", tz ? tz : "",
                 gmt ? gmt : "?",
                 json_is_true(json_object_get(o, "dst_active"))
                     ? ", DST active" : "");
done:
    agent_device_release(&dev);
    json_decref(reply);
}

const agent_tool_def_t agent_tools_system_info[] = {
    { "get_system_packages", agent_tool_get_system_packages },
    { "get_system_clock", agent_tool_get_system_clock },
    { NULL, NULL }
};
