/*
 * ngx_http_mcp_tools_list.c: tools/list: the result pages rendered once per
 * configuration and tier, and the paginated answer with opaque cursors.
 */
#include "ngx_http_mcp.h"

#define NGX_HTTP_MCP_CURSOR_PREFIX  "tools:"


/* The opaque cursor of page n: base64url("tools:<n>"). */
static ngx_int_t
ngx_http_mcp_cursor_encode(ngx_pool_t *pool, ngx_uint_t n, ngx_str_t *cursor)
{
    u_char     plain[sizeof(NGX_HTTP_MCP_CURSOR_PREFIX) + NGX_INT_T_LEN];
    ngx_str_t  src;

    src.data = plain;
    src.len = ngx_sprintf(plain, NGX_HTTP_MCP_CURSOR_PREFIX "%ui", n) - plain;

    cursor->data = ngx_pnalloc(pool, ngx_base64_encoded_length(src.len));
    if (cursor->data == NULL) {
        return NGX_ERROR;
    }

    ngx_encode_base64url(cursor, &src);

    return NGX_OK;
}


/* The page a cursor names, or NGX_ERROR when it is not one of ours. */
static ngx_int_t
ngx_http_mcp_cursor_decode(json_t *cursor)
{
    u_char     plain[64];
    ngx_str_t  src, dst;
    size_t     prefix;

    if (!json_is_string(cursor) || json_string_length(cursor) == 0
        || ngx_base64_decoded_length(json_string_length(cursor))
           > sizeof(plain))
    {
        return NGX_ERROR;
    }

    src.data = (u_char *) json_string_value(cursor);
    src.len = json_string_length(cursor);
    dst.data = plain;

    if (ngx_decode_base64url(&dst, &src) != NGX_OK) {
        return NGX_ERROR;
    }

    prefix = sizeof(NGX_HTTP_MCP_CURSOR_PREFIX) - 1;

    if (dst.len <= prefix || dst.len > prefix + 9
        || ngx_strncmp(dst.data, NGX_HTTP_MCP_CURSOR_PREFIX, prefix) != 0)
    {
        return NGX_ERROR;
    }

    return ngx_atoi(dst.data + prefix, dst.len - prefix);
}


static ngx_int_t
ngx_http_mcp_render_page(ngx_conf_t *cf, json_t *tools, ngx_uint_t next,
    ngx_str_t *out)
{
    char       *text;
    json_t     *result;
    ngx_str_t   cursor;

    result = json_pack("{s:O}", "tools", tools);
    if (result == NULL) {
        return NGX_ERROR;
    }

    if (next) {
        if (ngx_http_mcp_cursor_encode(cf->pool, next, &cursor) != NGX_OK
            || json_object_set_new(result, "nextCursor",
                                   json_stringn((char *) cursor.data,
                                                cursor.len))
               != 0)
        {
            json_decref(result);
            return NGX_ERROR;
        }
    }

    text = json_dumps(result, JSON_COMPACT);
    json_decref(result);
    if (text == NULL) {
        return NGX_ERROR;
    }

    out->len = ngx_strlen(text);
    out->data = ngx_pnalloc(cf->pool, out->len);

    if (out->data != NULL) {
        ngx_memcpy(out->data, text, out->len);
    }

    free(text);

    return out->data != NULL ? NGX_OK : NGX_ERROR;
}


/* The pages of the tools/list result for a caller allowed up to tier. */
static ngx_int_t
ngx_http_mcp_render_tier(ngx_conf_t *cf, ngx_http_mcp_main_conf_t *mcf,
    ngx_uint_t tier)
{
    size_t       i, total, done;
    json_t      *page;
    ngx_str_t   *out;
    ngx_array_t *pages;

    pages = &mcf->tools_pages[tier];
    if (ngx_array_init(pages, cf->pool, 4, sizeof(ngx_str_t)) != NGX_OK) {
        return NGX_ERROR;
    }

    /* a conformance test server lists the suite's tools only */
    if (mcf->conformance_fixtures) {
        page = ngx_http_mcp_fixtures_tools();
        out = ngx_array_push(pages);

        if (page == NULL || out == NULL
            || ngx_http_mcp_render_page(cf, page, 0, out) != NGX_OK)
        {
            json_decref(page);
            return NGX_ERROR;
        }

        json_decref(page);
        return NGX_OK;
    }

    total = 0;
    for (i = 0; i < mcf->catalog.ntools; i++) {
        total += (ngx_uint_t) mcf->catalog.tools[i].tier <= tier;
    }

    page = json_array();
    if (page == NULL) {
        return NGX_ERROR;
    }

    done = 0;

    /* an empty tier still has one (empty) page */
    for (i = 0; i <= mcf->catalog.ntools; i++) {

        if (i < mcf->catalog.ntools) {
            if ((ngx_uint_t) mcf->catalog.tools[i].tier > tier) {
                continue;
            }

            if (json_array_append(page, mcf->catalog.tools[i].listed) != 0) {
                goto failed;
            }

            done++;

            if (json_array_size(page) < mcf->tools_page_size) {
                continue;
            }

        } else if (json_array_size(page) == 0 && pages->nelts > 0) {
            break;
        }

        out = ngx_array_push(pages);
        if (out == NULL
            || ngx_http_mcp_render_page(cf, page,
                                        done < total ? pages->nelts : 0,
                                        out)
               != NGX_OK)
        {
            goto failed;
        }

        json_array_clear(page);
    }

    json_decref(page);
    return NGX_OK;

failed:

    json_decref(page);
    return NGX_ERROR;
}


ngx_int_t
ngx_http_mcp_tools_list_render(ngx_conf_t *cf, ngx_http_mcp_main_conf_t *mcf)
{
    ngx_uint_t  tier;

    for (tier = MCP_TIER_NONE; tier <= MCP_TIER_PROFESSIONAL; tier++) {
        if (ngx_http_mcp_render_tier(cf, mcf, tier) != NGX_OK) {
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


void
ngx_http_mcp_tools_list(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    json_t                    *cursor;
    ngx_int_t                  n;
    ngx_str_t                 *pages;
    ngx_array_t               *tier;
    ngx_http_mcp_main_conf_t  *mcf;

    mcf = ngx_http_get_module_main_conf(r, ngx_mcp_module);

    /* only the tools the caller's token may call are shown */
    tier = &mcf->tools_pages[ngx_http_mcp_identity(r)->max_tier];
    pages = tier->elts;

    cursor = json_object_get(ctx->params, "cursor");
    n = 0;

    if (cursor != NULL) {
        n = ngx_http_mcp_cursor_decode(cursor);

        if (n <= 0 || (ngx_uint_t) n >= tier->nelts) {
            ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                               "params.cursor: invalid cursor", NULL);
            return;
        }
    }

    ngx_http_mcp_result_raw(r, ctx->id, &pages[n]);
}
