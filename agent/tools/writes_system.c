/*
 * writes_system.c: set_system_identity (upstream-catalog §1.4) through the
 * write guard: PATCH /system/identity {name}.
 */
#include "menu.h"
#include "registry.h"
#include "write_guard.h"
#include "../routeros/values.h"

#include <stdio.h>
#include <string.h>

static void
agent_tool_set_system_identity(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t       dev;
    agent_write_t        w = { 0 };
    agent_write_report_t rep;
    json_t              *before = NULL, *body;
    const char          *want, *old;

    want = json_string_value(json_object_get(args, "identity"));
    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, "/system/identity", &before, out) != 0) {
        agent_device_release(&dev);
        return;
    }
    old = agent_ros_field_str(before, "name");
    old = old ? old : "";
    body = json_pack("{s:s}", "name", want);
    w.op = AGENT_WRITE_SET;
    w.tier = ctx->tool->tier;
    w.menu = "/system/identity";
    w.body = body;
    w.before = before;
    w.params = args;
    w.dry_run = json_is_true(json_object_get(args, "dry_run"));
    w.unchanged = strcmp(old, want) == 0;
    agent_write_execute(ctx, &dev, &w, &rep);
    agent_write_answer(&w, &rep,
                       json_pack("{s:s, s:s, s:s}", "device_id", dev.id,
                                 "old_identity", old, "new_identity", want),
                       out, "%s: identity \"%s\" %s \"%s\"", dev.id, old,
                       w.unchanged ? "kept, already equal to"
                       : w.dry_run ? "would change (dry run) to"
                       : "changed to", want);
    json_decref(body);
    json_decref(before);
    agent_device_release(&dev);
}

const agent_tool_def_t agent_tools_writes_system[] = {
    { "set_system_identity", agent_tool_set_system_identity },
    { NULL, NULL }
};
