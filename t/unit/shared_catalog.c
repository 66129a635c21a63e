/*
 * shared_catalog.c: unit tests of the catalog loader and the job codec: the
 * real catalog loads, lookups are exact, and broken catalogs are refused.
 */
#include "tap.h"
#include "../../shared/catalog/catalog.h"
#include "../../shared/protocol/errors.h"
#include "../../shared/protocol/job.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *
load_text(const char *text)
{
    static char   err[512];
    char          dir[] = "/tmp/mcp-cat-XXXXXX";
    char          path[600];
    FILE         *f;
    mcp_catalog_t cat;
    int           rc;

    if (mkdtemp(dir) == NULL) {
        return "mkdtemp failed";
    }
    snprintf(path, sizeof(path), "%s/t.json", dir);
    f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    rc = mcp_catalog_load(dir, &cat, err, sizeof(err));
    if (rc == 0) {
        mcp_catalog_free(&cat);
    }
    unlink(path);
    rmdir(dir);
    if (rc == 0) {
        return "loaded";
    }
    /* drop the temporary directory from the message */
    return strstr(err, "tool ") ? strstr(err, "tool ") : err;
}

#define TOOL(extra) "[{\"name\":\"t1\",\"description\":\"d\",\"tier\":\"none\"," \
    "\"writes\":\"no\",\"timeout_ms\":100,\"rate_class\":\"none\"," \
    "\"inputSchema\":{\"type\":\"object\"}" extra "}]"

int
main(int argc, char **argv)
{
    const char       *dir = argc > 1 ? argv[1] : "shared/catalog/tools";
    mcp_catalog_t     cat;
    const mcp_tool_t *t;
    char              err[512];
    mcp_job_t         job, back;
    char             *enc;
    size_t            i;

    ok(mcp_catalog_load(dir, &cat, err, sizeof(err)) == 0,
       "the project catalog loads (%s)", err);
    ok(cat.ntools >= 6, "it has at least the six skeleton tools (%zu)",
       cat.ntools);
    for (i = 1; i < cat.ntools; i++) {
        if (strcmp(cat.tools[i - 1].name, cat.tools[i].name) >= 0) {
            break;
        }
    }
    ok(i == cat.ntools, "tools are sorted by name");
    t = mcp_catalog_find(&cat, "get_system_overview", 19);
    ok(t != NULL && t->tier == MCP_TIER_FUNDAMENTAL && t->writes == MCP_WRITES_NO
       && t->timeout_ms > 0, "get_system_overview found with its tier");
    ok(mcp_catalog_find(&cat, "echo", 4) != NULL, "echo found");
    ok(mcp_catalog_find(&cat, "echo", 3) == NULL, "a prefix is not a match");
    ok(mcp_catalog_find(&cat, "echoo", 5) == NULL, "a longer name is not a match");
    ok(mcp_catalog_find(&cat, "echo\0x", 6) == NULL,
       "an embedded NUL is not a match");
    ok(t != NULL && json_is_object(t->listed)
       && json_object_get(t->listed, "inputSchema") != NULL
       && json_object_get(t->listed, "tier") == NULL,
       "the listed form carries the schema but not internal fields");
    mcp_catalog_free(&cat);

    is_str(load_text(TOOL("")), "loaded", "a minimal tool loads");
    is_str(load_text(TOOL(",\"bogus\":1")), "tool t1: unknown field \"bogus\"",
           "unknown entry fields are refused");
    ok(strstr(load_text("[{\"name\":\"Bad Name\"}]"),
              "invalid \"name\"") != NULL, "invalid names are refused");
    ok(strstr(load_text("[" "{\"name\":\"t1\",\"description\":\"d\",\"tier\":\"none\",\"writes\":\"no\",\"timeout_ms\":100,\"rate_class\":\"none\",\"inputSchema\":{\"type\":\"object\"}},"
                            "{\"name\":\"t1\",\"description\":\"d\",\"tier\":\"none\",\"writes\":\"no\",\"timeout_ms\":100,\"rate_class\":\"none\",\"inputSchema\":{\"type\":\"object\"}}]"),
              "defined twice") != NULL, "duplicate tools are refused");
    ok(strstr(load_text(TOOL(",\"outputSchema\":{\"allOf\":[]}")),
              "unsupported keyword") != NULL,
       "unsupported schema keywords are refused");
    ok(strstr(load_text("[{\"name\":\"t1\",\"description\":\"d\",\"tier\":\"root\",\"writes\":\"no\",\"timeout_ms\":100,\"rate_class\":\"none\",\"inputSchema\":{\"type\":\"object\"}}]"),
              "invalid \"tier\"") != NULL, "unknown tiers are refused");

    memset(&job, 0, sizeof(job));
    ok(mcp_job_new_id(job.id) == 0 && strlen(job.id) == MCP_JOB_ID_LEN,
       "job ids are 32 hex characters");
    job.kind = "tool";
    job.name = "echo";
    job.arguments = json_pack("{s:s}", "message", "hi \"there\"");
    job.subject = "alice";
    job.session = "";
    job.notify = "mcp:notify:n1:42";
    job.deadline = 1764850000123LL;
    job.progress = 1;
    enc = mcp_job_encode(&job);
    ok(enc != NULL, "a job encodes");
    ok(mcp_job_decode(enc, strlen(enc), &back, err, sizeof(err)) == 0,
       "and decodes (%s)", err);
    ok(strcmp(back.id, job.id) == 0 && strcmp(back.name, "echo") == 0
       && back.deadline == job.deadline && back.progress == 1
       && strcmp(json_string_value(json_object_get(back.arguments, "message")),
                 "hi \"there\"") == 0,
       "every field survives the round trip");
    mcp_job_release(&back);
    free(enc);
    json_decref(job.arguments);
    ok(mcp_job_decode("{\"v\":1}", 7, &back, err, sizeof(err)) == -1
       && strstr(err, "malformed") != NULL, "incomplete jobs are refused");
    ok(mcp_job_decode("nope", 4, &back, err, sizeof(err)) == -1,
       "non-JSON jobs are refused");
    is_str(mcp_err_name(MCP_ERR_QUEUE_UNAVAILABLE), "queue_unavailable",
           "error names are stable");
    ok(mcp_err_jsonrpc_code(MCP_ERR_INVALID_PARAMS) == -32602
       && mcp_err_http_status(MCP_ERR_NOT_ACCEPTABLE) == 406
       && mcp_err_jsonrpc_code((mcp_err_t) 999) == -32603,
       "error codes map once, out-of-range maps to internal");
    return done_testing();
}
