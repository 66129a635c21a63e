/*
 * firewall_read.c: the firewall and log read tools (upstream-catalog §1.9):
 * filter/NAT rules, address lists, recent logs with filters, logging rules.
 */
#include "log_filter.h"
#include "menu.h"
#include "menu_list.h"
#include "registry.h"

#include <stdio.h>
#include <string.h>

#define AGENT_RULE_MATCHERS                                                    \
    {".id", "id", AGENT_F_STR}, {"chain", "chain", AGENT_F_STR},               \
        {"action", "action", AGENT_F_STR},                                     \
        {"protocol", "protocol", AGENT_F_STR},                                 \
        {"src-address", "src_address", AGENT_F_STR},                           \
        {"dst-address", "dst_address", AGENT_F_STR},                           \
        {"src-address-list", "src_address_list", AGENT_F_STR},                 \
        {"dst-address-list", "dst_address_list", AGENT_F_STR},                 \
        {"src-port", "src_port", AGENT_F_STR},                                 \
        {"dst-port", "dst_port", AGENT_F_STR},                                 \
        {"in-interface", "in_interface", AGENT_F_STR},                         \
        {"out-interface", "out_interface", AGENT_F_STR},                       \
        {"in-interface-list", "in_interface_list", AGENT_F_STR},               \
        {"out-interface-list", "out_interface_list", AGENT_F_STR},             \
        {"connection-state", "connection_state", AGENT_F_LIST},                \
        {"log", "log", AGENT_F_FLAG},                                          \
        {"log-prefix", "log_prefix", AGENT_F_STR},                             \
        {"comment", "comment", AGENT_F_STR},                                   \
        {"disabled", "disabled", AGENT_F_FLAG},                                \
        {"dynamic", "dynamic", AGENT_F_FLAG},                                  \
        {"invalid", "invalid", AGENT_F_FLAG}, {"bytes", "bytes", AGENT_F_INT}, \
    {                                                                          \
        "packets", "packets", AGENT_F_INT                                      \
    }

static const agent_field_t agent_filter_fields[] = {
    AGENT_RULE_MATCHERS,
    {"jump-target", "jump_target", AGENT_F_STR},
    {"reject-with", "reject_with", AGENT_F_STR},
    {"hw-offload", "hw_offload", AGENT_F_BOOL},
    {NULL, NULL, AGENT_F_STR}};

static const agent_field_t agent_nat_fields[] = {
    AGENT_RULE_MATCHERS,
    {"to-addresses", "to_addresses", AGENT_F_STR},
    {"to-ports", "to_ports", AGENT_F_STR},
    {"ipsec-policy", "ipsec_policy", AGENT_F_STR},
    {NULL, NULL, AGENT_F_STR}};

static const agent_field_t agent_address_fields[] = {
    {".id", "id", AGENT_F_STR},
    {"list", "list_name", AGENT_F_STR},
    {"address", "address", AGENT_F_STR},
    {"comment", "comment", AGENT_F_STR},
    {"timeout", "timeout", AGENT_F_STR},
    {"timeout", "timeout_seconds", AGENT_F_SECONDS},
    {"creation-time", "creation_time", AGENT_F_STR},
    {"disabled", "disabled", AGENT_F_FLAG},
    {"dynamic", "dynamic", AGENT_F_FLAG},
    {NULL, NULL, AGENT_F_STR}};

static const agent_field_t agent_logging_fields[] = {
    {".id", "id", AGENT_F_STR},
    {"topics", "topics", AGENT_F_LIST},
    {"action", "action", AGENT_F_STR},
    {"prefix", "prefix", AGENT_F_STR},
    {"disabled", "disabled", AGENT_F_FLAG},
    {"default", "default", AGENT_F_FLAG},
    {"invalid", "invalid", AGENT_F_FLAG},
    {NULL, NULL, AGENT_F_STR}};

static const agent_field_t agent_log_fields[] = {
    {".id", "id", AGENT_F_STR},
    {"time", "time", AGENT_F_STR},
    {"topics", "topics", AGENT_F_LIST},
    {"message", "message", AGENT_F_STR},
    {NULL, NULL, AGENT_F_STR}};

static void
agent_tool_list_firewall_filter_rules(agent_ctx_t *ctx, const json_t *args,
                                      agent_outcome_t *out)
{
    static const agent_menu_list_t spec = {"/ip/firewall/filter", "rules",
                                           "firewall filter rules",
                                           agent_filter_fields, 500};

    agent_menu_list(ctx, args, &spec, out);
}

static void
agent_tool_list_firewall_nat_rules(agent_ctx_t *ctx, const json_t *args,
                                   agent_outcome_t *out)
{
    static const agent_menu_list_t spec = {"/ip/firewall/nat", "rules",
                                           "NAT rules", agent_nat_fields, 500};

    agent_menu_list(ctx, args, &spec, out);
}

static void
agent_tool_get_logging_config(agent_ctx_t *ctx, const json_t *args,
                              agent_outcome_t *out)
{
    static const agent_menu_list_t spec = {
        "/system/logging", "rules", "logging rules", agent_logging_fields, -1};

    agent_menu_list(ctx, args, &spec, out);
}

static void
agent_tool_list_firewall_address_lists(agent_ctx_t *ctx, const json_t *args,
                                       agent_outcome_t *out)
{
    const char    *name = json_string_value(json_object_get(args, "list_name"));
    agent_device_t dev;
    json_t        *reply = NULL, *list, *kept, *o, *item;
    size_t         i, total;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, "/ip/firewall/address-list", &reply, out) !=
        0) {
        goto done;
    }
    list = agent_fields_map_list(reply, agent_address_fields);
    kept = json_array();
    json_array_foreach(list, i, item)
    {
        const char *l = json_string_value(json_object_get(item, "list_name"));

        if (name == NULL || (l != NULL && strcmp(l, name) == 0)) {
            json_array_append(kept, item);
        }
    }
    json_decref(list);
    total = json_array_size(kept);
    o = agent_menu_bounded(dev.id, "entries", kept,
                           agent_menu_limit(args, 500));
    agent_result(
        out, 0, o, "%s: %zu address-list entr%s%s%s%s", dev.id, total,
        total == 1 ? "y" : "ies", name ? " in list " : "", name ? name : "",
        json_is_true(json_object_get(o, "truncated")) ? " (list truncated)"
                                                      : "");
done:
    agent_device_release(&dev);
    json_decref(reply);
}

/* Reads args.<key> as a log time into *stamp; needs today for the partial
 * forms. 0, or -1 with out holding an invalid-params error. */
static int
agent_log_arg(const json_t *args, const char *key,
              const agent_log_date_t *today, int *has, int64_t *stamp,
              agent_outcome_t *out)
{
    const char *s = json_string_value(json_object_get(args, key));

    *has = s != NULL;
    if (s == NULL || agent_log_time(s, today, stamp) == 0) {
        return 0;
    }
    agent_fail(out, MCP_ERR_INVALID_PARAMS,
               "%s: \"%s\" is not a time "
               "(YYYY-MM-DD HH:MM:SS, Mon/DD/YYYY HH:MM:SS or HH:MM:SS)",
               key, s);
    return -1;
}

/* 1 when the time window needs today's date: a partial bound or entry. */
static int
agent_log_needs_today(const json_t *args, const json_t *reply)
{
    const char   *start, *end;
    const json_t *rec;
    size_t        i;

    start = json_string_value(json_object_get(args, "start_time"));
    end = json_string_value(json_object_get(args, "end_time"));
    if (start == NULL && end == NULL) {
        return 0;
    }
    if ((start != NULL && agent_log_time_partial(start)) ||
        (end != NULL && agent_log_time_partial(end))) {
        return 1;
    }
    json_array_foreach(reply, i, rec)
    {
        const char *s = json_string_value(json_object_get(rec, "time"));

        if (s != NULL && agent_log_time_partial(s)) {
            return 1;
        }
    }
    return 0;
}

/* Today's date from GET /system/clock. 0, or -1 with out filled. */
static int
agent_log_today(agent_ctx_t *ctx, const agent_device_t *dev,
                agent_log_date_t *today, agent_outcome_t *out)
{
    json_t     *clock = NULL;
    const char *date;
    int         rc = -1;

    if (agent_menu_read(ctx, dev, "/system/clock", &clock, out) != 0) {
        return -1;
    }
    date = json_string_value(json_object_get(clock, "date"));
    if (date != NULL && agent_log_date(date, today) == 0) {
        rc = 0;
    } else {
        agent_result(out, 1, NULL,
                     "%s: cannot read today's date from "
                     "/system/clock (date \"%s\")",
                     dev->id, date ? date : "");
    }
    json_decref(clock);
    return rc;
}

/* Drops the oldest entries of list until at most limit remain. */
static void
agent_log_keep_newest(json_t *list, long limit)
{
    size_t drop;

    if (json_array_size(list) <= (size_t)limit) {
        return;
    }
    drop = json_array_size(list) - (size_t)limit;
    while (drop-- > 0) {
        json_array_remove(list, 0);
    }
}

static void
agent_tool_get_recent_logs(agent_ctx_t *ctx, const json_t *args,
                           agent_outcome_t *out)
{
    static const agent_log_date_t any = {2000, 1, 1};
    agent_log_filter_t            f;
    agent_log_date_t              today;
    agent_device_t                dev;
    json_t                       *reply = NULL, *kept, *rec;
    long                          limit = agent_menu_limit(args, 100);
    size_t                        i, total;

    memset(&f, 0, sizeof(f));
    /* Syntax first (any date will do), so a bad bound never reaches the
     * device. */
    if (agent_log_arg(args, "start_time", &any, &f.has_start, &f.start, out) !=
            0 ||
        agent_log_arg(args, "end_time", &any, &f.has_end, &f.end, out) != 0) {
        return;
    }
    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, "/log", &reply, out) != 0) {
        goto done;
    }
    if (agent_log_needs_today(args, reply)) {
        if (agent_log_today(ctx, &dev, &today, out) != 0) {
            goto done;
        }
        f.today = &today;
        agent_log_arg(args, "start_time", &today, &f.has_start, &f.start, out);
        agent_log_arg(args, "end_time", &today, &f.has_end, &f.end, out);
    }
    if (f.has_start && f.has_end && f.start > f.end) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "start_time: must not be "
                   "after end_time");
        goto done;
    }
    f.topics = json_object_get(args, "topics");
    f.message = json_string_value(json_object_get(args, "message"));
    kept = json_array();
    json_array_foreach(reply, i, rec)
    {
        if (json_is_object(rec) && agent_log_match(rec, &f)) {
            json_array_append_new(kept,
                                  agent_fields_map(rec, agent_log_fields));
        }
    }
    total = json_array_size(kept);
    agent_log_keep_newest(kept, limit);
    agent_result(out, 0,
                 json_pack("{s:s, s:o, s:I, s:I, s:b, s:s}", "device_id",
                           dev.id, "entries", kept, "total_count",
                           (json_int_t)total, "returned_count",
                           (json_int_t)json_array_size(kept), "truncated",
                           json_array_size(kept) < total, "transport", "rest"),
                 "%s: %zu matching log entr%s of %zu%s", dev.id, total,
                 total == 1 ? "y" : "ies", json_array_size(reply),
                 json_array_size(kept) < total ? " (only the newest returned)"
                                               : "");
done:
    agent_device_release(&dev);
    json_decref(reply);
}

const agent_tool_def_t agent_tools_firewall_read[] = {
    {"list_firewall_filter_rules", agent_tool_list_firewall_filter_rules},
    {"list_firewall_nat_rules", agent_tool_list_firewall_nat_rules},
    {"list_firewall_address_lists", agent_tool_list_firewall_address_lists},
    {"get_recent_logs", agent_tool_get_recent_logs},
    {"get_logging_config", agent_tool_get_logging_config},
    {NULL, NULL}};
