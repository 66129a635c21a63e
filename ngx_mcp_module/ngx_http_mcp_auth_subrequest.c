/*
 * ngx_http_mcp_auth_subrequest.c: in-memory subrequests to internal proxy
 * locations (JWKS, introspection) that never carry the client's headers.
 */
#include "ngx_http_mcp_auth_conf.h"

static ngx_str_t  ngx_http_mcp_auth_get = ngx_string("GET");
static ngx_str_t  ngx_http_mcp_auth_post = ngx_string("POST");

static ngx_int_t
ngx_http_mcp_auth_subrequest_header(ngx_http_request_t *sr, char *name,
    ngx_str_t *value)
{
    ngx_table_elt_t  *h;

    h = ngx_list_push(&sr->headers_in.headers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    h->hash = 1;
    h->key.data = (u_char *) name;
    h->key.len = ngx_strlen(name);
    h->value = *value;
    h->lowcase_key = h->key.data;

    return NGX_OK;
}

ngx_int_t
ngx_http_mcp_auth_subrequest(ngx_http_request_t *r, ngx_str_t *uri,
    ngx_str_t *body, ngx_http_post_subrequest_pt handler, void *data,
    ngx_http_request_t **psr)
{
    ngx_buf_t                    *b;
    ngx_str_t                     form = ngx_string(
                                      "application/x-www-form-urlencoded");
    ngx_chain_t                  *cl;
    ngx_http_request_t           *sr;
    ngx_http_request_body_t      *rb;
    ngx_http_post_subrequest_t   *ps;

    ps = ngx_palloc(r->pool, sizeof(ngx_http_post_subrequest_t));
    rb = ngx_pcalloc(r->pool, sizeof(ngx_http_request_body_t));
    if (ps == NULL || rb == NULL) {
        return NGX_ERROR;
    }

    ps->handler = handler;
    ps->data = data;

    if (ngx_http_subrequest(r, uri, NULL, &sr, ps,
                            NGX_HTTP_SUBREQUEST_IN_MEMORY
                            |NGX_HTTP_SUBREQUEST_WAITED)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    /* a fresh header list: the client's Authorization stays behind */
    ngx_memzero(&sr->headers_in, sizeof(ngx_http_headers_in_t));
    sr->headers_in.content_length_n = 0;
    sr->headers_in.keep_alive_n = -1;

    if (ngx_list_init(&sr->headers_in.headers, r->pool, 4,
                      sizeof(ngx_table_elt_t))
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    sr->request_body = rb;
    sr->method = NGX_HTTP_GET;
    sr->method_name = ngx_http_mcp_auth_get;

    if (body != NULL) {
        b = ngx_calloc_buf(r->pool);
        cl = ngx_alloc_chain_link(r->pool);
        if (b == NULL || cl == NULL) {
            return NGX_ERROR;
        }

        b->pos = body->data;
        b->last = body->data + body->len;
        b->memory = 1;
        b->last_buf = 1;
        cl->buf = b;
        cl->next = NULL;
        rb->bufs = cl;

        sr->method = NGX_HTTP_POST;
        sr->method_name = ngx_http_mcp_auth_post;
        sr->headers_in.content_length_n = body->len;

        if (ngx_http_mcp_auth_subrequest_header(sr, "content-type", &form)
            != NGX_OK)
        {
            return NGX_ERROR;
        }
    }

    *psr = sr;

    return NGX_OK;
}

void
ngx_http_mcp_auth_subrequest_body(ngx_http_request_t *sr, ngx_str_t *body)
{
    ngx_buf_t  *b;

    body->len = 0;
    body->data = NULL;

    if (sr->out == NULL || sr->out->buf == NULL) {
        return;
    }

    b = sr->out->buf;
    body->data = b->pos;
    body->len = b->last - b->pos;
}
