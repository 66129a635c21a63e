/*
 * menu_list.c: the shared body of the plain list tools (device, one menu
 * read, typed records, bounded list with a one-line summary).
 */
#include "menu.h"
#include "menu_list.h"

void
agent_menu_number(json_t *list)
{
    json_t *item;
    size_t  i;

    json_array_foreach(list, i, item)
    {
        json_object_set_new(item, "position", json_integer((json_int_t)i));
    }
}

void
agent_menu_list(agent_ctx_t *ctx, const json_t *args,
                const agent_menu_list_t *spec, agent_outcome_t *out)
{
    agent_device_t dev;
    json_t        *reply = NULL, *list, *o;
    size_t         total;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, spec->path, &reply, out) != 0) {
        goto done;
    }
    list = agent_fields_map_list(reply, spec->fields);
    agent_menu_number(list);
    total = json_array_size(list);
    o = agent_menu_bounded(dev.id, spec->key, list,
                           agent_menu_limit(args, spec->limit));
    agent_result(out, 0, o, "%s: %zu %s%s", dev.id, total, spec->noun,
                 json_is_true(json_object_get(o, "truncated"))
                     ? " (list truncated)"
                     : "");
done:
    agent_device_release(&dev);
    json_decref(reply);
}
