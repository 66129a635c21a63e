/*
 * shared_prompts.c: unit tests of the prompt loader and renderer: every
 * shipped prompt loads, placeholders and defaults render, bad args are named.
 */
#include "tap.h"
#include "../../shared/prompts/prompts.h"

static const char *
text_of(json_t *res)
{
    json_t *m = json_array_get(json_object_get(res, "messages"), 0);

    return json_string_value(json_object_get(json_object_get(m, "content"),
                                             "text"));
}

int
main(void)
{
    mcp_prompts_t p;
    char          err[256] = "";
    json_t       *args, *res;
    json_t       *listed;

    ok(mcp_prompts_load("shared/prompts/templates", &p, err, sizeof(err)) == 0,
       "the shipped prompts load (%s)", err);
    listed = json_object_get(p.listed, "prompts");
    ok(json_array_size(listed) == 10, "ten prompts are listed (%zu)",
       json_array_size(listed));
    ok(json_object_get(json_array_get(listed, 0), "template") == NULL,
       "the listing does not expose templates");

    args = json_pack("{s:s}", "device_id", "dev-sim-r1");
    res = mcp_prompts_render(&p, "comprehensive-device-review", 27, args, err,
                             sizeof(err));
    ok(res != NULL && strstr(text_of(res), "Review RouterOS device dev-sim-r1")
       && strstr(text_of(res), "{{") == NULL,
       "arguments are substituted and no placeholder is left");
    json_decref(res);
    json_decref(args);

    res = mcp_prompts_render(&p, "comprehensive-device-review", 27, NULL, err,
                             sizeof(err));
    ok(res == NULL, "a missing required argument is refused");
    is_str(err, "params.arguments.device_id: required argument missing",
           "and the message names it");

    res = mcp_prompts_render(&p, "fleet-health-review", 19, NULL, err,
                             sizeof(err));
    ok(res != NULL && strstr(text_of(res), "(environment: all)") != NULL,
       "defaults fill absent arguments");
    json_decref(res);

    res = mcp_prompts_render(&p, "troubleshoot-device", 19, NULL, err,
                             sizeof(err));
    ok(res != NULL && strstr(text_of(res), "reported issue: unknown") != NULL,
       "fallback text is used for absent optional arguments");
    json_decref(res);

    args = json_pack("{s:s}", "environment", "moon");
    res = mcp_prompts_render(&p, "fleet-health-review", 19, args, err,
                             sizeof(err));
    ok(res == NULL && strstr(err, "params.arguments.environment") != NULL,
       "values outside the enum are refused by name");
    json_decref(args);

    args = json_pack("{s:s}", "nonsense", "x");
    res = mcp_prompts_render(&p, "fleet-health-review", 19, args, err,
                             sizeof(err));
    is_str(res == NULL ? err : "rendered",
           "params.arguments.nonsense: unknown argument",
           "unknown arguments are refused");
    json_decref(args);

    res = mcp_prompts_render(&p, "no-such", 7, NULL, err, sizeof(err));
    is_str(res == NULL ? err : "rendered", "params.name: unknown prompt",
           "unknown prompts are refused");
    args = json_pack("{s:i}", "device_id", 5);
    res = mcp_prompts_render(&p, "comprehensive-device-review", 27, args, err,
                             sizeof(err));
    ok(res == NULL && strstr(err, "must be a string") != NULL,
       "non-string arguments are refused");
    json_decref(args);
    mcp_prompts_free(&p);
    return done_testing();
}
