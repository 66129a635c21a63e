/*
 * modern.c: the 2026-07-28 request checks: era claim, the validation ladder
 * of MCP-Protocol-Version, Mcp-Method, Mcp-Name and the per-request _meta.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/evp.h>
#include "levels.h"
#include "modern.h"

#define MCP_B64_OPEN   "=?base64?"
#define MCP_B64_CLOSE  "?="
#define MCP_NAME_MAX   4096

static const char  *mcp_modern_served[] = { MCP_MODERN_VERSION, NULL };


json_t *
mcp_modern_versions(void)
{
    int      i;
    json_t  *a;

    a = json_array();

    for (i = 0; a != NULL && mcp_modern_served[i]; i++) {
        if (json_array_append_new(a, json_string(mcp_modern_served[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }

    return a;
}


/* The value without surrounding blanks (header values tolerate them). */
static mcp_header_t
mcp_trim(const mcp_header_t *h)
{
    mcp_header_t  t = *h;

    while (t.len && (t.data[0] == ' ' || t.data[0] == '\t')) {
        t.data++;
        t.len--;
    }

    while (t.len && (t.data[t.len - 1] == ' ' || t.data[t.len - 1] == '\t')) {
        t.len--;
    }

    return t;
}


static int
mcp_header_is(const mcp_header_t *h, const char *s, size_t len)
{
    return h->data != NULL && h->len == len && memcmp(h->data, s, len) == 0;
}


static int
mcp_served(const mcp_header_t *v)
{
    int  i;

    for (i = 0; mcp_modern_served[i]; i++) {
        if (mcp_header_is(v, mcp_modern_served[i],
                          strlen(mcp_modern_served[i])))
        {
            return 1;
        }
    }

    return 0;
}


static json_t *
mcp_meta(const mcp_envelope_t *env)
{
    return json_object_get(env->params, "_meta");
}


int
mcp_modern_claims(const mcp_envelope_t *env, const mcp_header_t *version)
{
    mcp_header_t  v;

    if (version->data != NULL) {
        v = mcp_trim(version);

        if (mcp_served(&v)) {
            return 1;
        }
    }

    return json_object_get(mcp_meta(env), MCP_META_PROTOCOL_VERSION) != NULL;
}


int
mcp_modern_has_capability(json_t *caps, const char *name)
{
    return json_is_object(json_object_get(caps, name));
}


/* Visible ASCII only: what a header may carry without the base64 form. */
static int
mcp_visible(const char *s, size_t len)
{
    size_t  i;

    for (i = 0; i < len; i++) {
        if ((unsigned char) s[i] < 0x21 || (unsigned char) s[i] > 0x7e) {
            return 0;
        }
    }

    return 1;
}


/*
 * The header value a client sends for a body string: =?base64?…?= decoded,
 * into out (NUL-terminated, at most size - 1 bytes). -1: not a valid value.
 */
static long
mcp_header_decode(const mcp_header_t *h, unsigned char *out, size_t size)
{
    int     n;
    size_t  len, blen, pad;

    len = h->len;

    if (len >= sizeof(MCP_B64_OPEN) - 1 + sizeof(MCP_B64_CLOSE) - 1
        && memcmp(h->data, MCP_B64_OPEN, sizeof(MCP_B64_OPEN) - 1) == 0
        && memcmp(h->data + len - 2, MCP_B64_CLOSE, 2) == 0)
    {
        blen = len - (sizeof(MCP_B64_OPEN) - 1) - 2;

        if (blen % 4 != 0 || blen / 4 * 3 >= size) {
            return -1;
        }

        n = EVP_DecodeBlock(out, (const unsigned char *) h->data
                                 + sizeof(MCP_B64_OPEN) - 1, (int) blen);
        if (n < 0) {
            return -1;
        }

        pad = 0;
        while (pad < 2 && blen > pad
               && h->data[len - 3 - pad] == '=')
        {
            pad++;
        }

        out[n - pad] = '\0';
        return (long) (n - pad);
    }

    if (!mcp_visible(h->data, len) || len >= size) {
        return -1;
    }

    memcpy(out, h->data, len);
    out[len] = '\0';

    return (long) len;
}


/* The body member Mcp-Name mirrors for this method, or NULL. */
static const char *
mcp_name_member(const mcp_envelope_t *env)
{
    static const struct {
        const char  *method;
        const char  *member;
    } map[] = {
        { "tools/call", "name" },
        { "prompts/get", "name" },
        { "resources/read", "uri" },
        { NULL, NULL }
    };
    int  i;

    for (i = 0; map[i].method; i++) {
        if (env->method_len == strlen(map[i].method)
            && memcmp(env->method, map[i].method, env->method_len) == 0)
        {
            return map[i].member;
        }
    }

    return NULL;
}


static mcp_err_t
mcp_fail(mcp_err_t err, int status, char *message, size_t size,
    int *out_status, const char *fmt, const char *arg)
{
    snprintf(message, size, fmt, arg);
    *out_status = status;

    return err;
}


static mcp_err_t
mcp_check_name(const mcp_envelope_t *env, const mcp_modern_headers_t *h,
    char *message, size_t size, int *status)
{
    long           n;
    json_t        *body;
    const char    *member;
    mcp_header_t   v;
    unsigned char  value[MCP_NAME_MAX];

    member = mcp_name_member(env);
    if (member == NULL) {
        return MCP_OK;
    }

    body = json_object_get(env->params, member);

    if (h->name.data == NULL) {
        if (body == NULL) {
            /* nothing to mirror: the method reports the missing member */
            return MCP_OK;
        }

        return mcp_fail(MCP_ERR_HEADER_MISMATCH, 400, message, size, status,
                        "Header mismatch: Mcp-Name header is required "
                        "(params.%s)", member);
    }

    v = mcp_trim(&h->name);
    n = mcp_header_decode(&v, value, sizeof(value));

    if (n < 0) {
        return mcp_fail(MCP_ERR_HEADER_MISMATCH, 400, message, size, status,
                        "Header mismatch: Mcp-Name header is not a valid "
                        "value for params.%s", member);
    }

    if (!json_is_string(body) || json_string_length(body) != (size_t) n
        || memcmp(json_string_value(body), value, (size_t) n) != 0)
    {
        return mcp_fail(MCP_ERR_HEADER_MISMATCH, 400, message, size, status,
                        "Header mismatch: Mcp-Name header does not match "
                        "params.%s", member);
    }

    return MCP_OK;
}


static mcp_err_t
mcp_check_meta(const mcp_envelope_t *env, const mcp_header_t *version,
    mcp_modern_request_t *req, char *message, size_t size, int *status)
{
    json_t  *meta, *v;

    meta = mcp_meta(env);

    if (!json_is_object(meta)) {
        return mcp_fail(MCP_ERR_INVALID_PARAMS, 400, message, size, status,
                        "Invalid params: params._meta%s",
                        meta == NULL ? " is required"
                                     : " must be an object");
    }

    v = json_object_get(meta, MCP_META_PROTOCOL_VERSION);
    if (!json_is_string(v)) {
        return mcp_fail(MCP_ERR_INVALID_PARAMS, 400, message, size, status,
                        "Invalid params: params._meta[\"%s\"] must be a "
                        "string", MCP_META_PROTOCOL_VERSION);
    }

    v = json_object_get(meta, MCP_META_CLIENT_CAPS);
    if (!json_is_object(v)) {
        return mcp_fail(MCP_ERR_INVALID_PARAMS, 400, message, size, status,
                        "Invalid params: params._meta[\"%s\"] must be an "
                        "object", MCP_META_CLIENT_CAPS);
    }

    req->client_caps = v;

    v = json_object_get(meta, MCP_META_CLIENT_INFO);
    if (v != NULL && !json_is_object(v)) {
        return mcp_fail(MCP_ERR_INVALID_PARAMS, 400, message, size, status,
                        "Invalid params: params._meta[\"%s\"] must be an "
                        "object", MCP_META_CLIENT_INFO);
    }

    v = json_object_get(meta, MCP_META_LOG_LEVEL);
    if (v != NULL) {
        if (mcp_log_level_rank(json_string_value(v)) < 0) {
            return mcp_fail(MCP_ERR_INVALID_PARAMS, 400, message, size,
                            status, "Invalid params: params._meta[\"%s\"] "
                            "must be one of debug, info, notice, warning, "
                            "error, critical, alert, emergency",
                            MCP_META_LOG_LEVEL);
        }

        req->log_level = json_string_value(v);
    }

    v = json_object_get(meta, MCP_META_PROTOCOL_VERSION);
    if (!mcp_header_is(version, json_string_value(v), json_string_length(v)))
    {
        return mcp_fail(MCP_ERR_HEADER_MISMATCH, 400, message, size, status,
                        "Header mismatch: MCP-Protocol-Version header does "
                        "not match params._meta[\"%s\"]",
                        MCP_META_PROTOCOL_VERSION);
    }

    return MCP_OK;
}


mcp_err_t
mcp_modern_check(const mcp_envelope_t *env, const mcp_modern_headers_t *h,
    mcp_modern_request_t *req, char *message, size_t size, json_t **data,
    int *status)
{
    mcp_err_t     err;
    mcp_header_t  v, m;

    memset(req, 0, sizeof(*req));
    *data = NULL;

    if (h->version.data == NULL) {
        return mcp_fail(MCP_ERR_HEADER_MISMATCH, 400, message, size, status,
                        "Header mismatch: %s header is required",
                        "MCP-Protocol-Version");
    }

    v = mcp_trim(&h->version);

    if (!mcp_served(&v)) {
        *data = json_pack("{s:o, s:s%}", "supported", mcp_modern_versions(),
                          "requested", v.data, v.len);
        return mcp_fail(MCP_ERR_UNSUPPORTED_VERSION, 400, message, size,
                        status, "Unsupported protocol version: %s header "
                        "names a version this server does not serve",
                        "MCP-Protocol-Version");
    }

    if (env->method != NULL) {
        if (h->method.data == NULL) {
            return mcp_fail(MCP_ERR_HEADER_MISMATCH, 400, message, size,
                            status, "Header mismatch: %s header is required",
                            "Mcp-Method");
        }

        m = mcp_trim(&h->method);

        if (!mcp_header_is(&m, env->method, env->method_len)) {
            return mcp_fail(MCP_ERR_HEADER_MISMATCH, 400, message, size,
                            status, "Header mismatch: %s header does not "
                            "match the body's method", "Mcp-Method");
        }
    }

    /* a notification carries no _meta obligations */
    if (env->id == NULL) {
        return MCP_OK;
    }

    err = mcp_check_meta(env, &v, req, message, size, status);
    if (err != MCP_OK) {
        return err;
    }

    return mcp_check_name(env, h, message, size, status);
}
