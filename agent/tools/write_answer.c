/*
 * write_answer.c: the answer of a write tool: its own data plus what the
 * guard did (changed, dry_run, rolled_back, snapshot_id), errors honest.
 */
#include "write_guard.h"

#include <stdarg.h>
#include <stdio.h>

void
agent_write_answer(const agent_write_t *w, const agent_write_report_t *rep,
    json_t *structured, agent_outcome_t *out, const char *fmt, ...)
{
    char    text[1024];
    va_list ap;
    int     failed = rep->message[0] != '\0';

    if (structured == NULL) {
        structured = json_object();
    }
    json_object_set_new(structured, "changed",
                        json_boolean(rep->applied && !rep->rolled_back));
    json_object_set_new(structured, "dry_run", json_boolean(w->dry_run));
    json_object_set_new(structured, "rolled_back",
                        json_boolean(rep->rolled_back));
    json_object_set_new(structured, "snapshot_id",
                        rep->snapshot_id[0] ? json_string(rep->snapshot_id)
                        : json_null());
    if (w->dry_run && !w->unchanged && !failed) {
        json_object_set_new(structured, "planned_changes",
                            json_pack("[{s:s, s:s, s:s?, s:s?, s:O?}]",
                                      "operation", agent_write_op_name(w->op),
                                      "menu", w->menu, "item_id", w->item_id,
                                      "command", w->command, "fields",
                                      (json_t *) w->body));
    }
    if (failed) {
        json_object_set_new(structured, "error", json_string(rep->message));
        agent_result(out, 1, structured, "%s%s", rep->refused ? "Refused: "
                     : "Write failed: ", rep->message);
        return;
    }
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    agent_result(out, 0, structured, "%s", text);
}
