/*
 * ngx_http_mcp_auth_warn.c: at startup, warns about every explicit
 * "mcp_auth off" in a server that listens on a non-loopback address.
 */
#include "ngx_http_mcp_auth_conf.h"

static ngx_uint_t
ngx_http_mcp_auth_loopback(struct sockaddr *sa)
{
    struct sockaddr_in   *sin;
#if (NGX_HAVE_INET6)
    struct sockaddr_in6  *sin6;
#endif

    switch (sa->sa_family) {

    case AF_INET:
        sin = (struct sockaddr_in *) sa;
        return (ntohl(sin->sin_addr.s_addr) >> 24) == 127;

#if (NGX_HAVE_INET6)
    case AF_INET6:
        sin6 = (struct sockaddr_in6 *) sa;
        return IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr);
#endif

#if (NGX_HAVE_UNIX_DOMAIN)
    case AF_UNIX:
        return 1;
#endif

    default:
        return 0;
    }
}

void
ngx_http_mcp_auth_warn_open(ngx_conf_t *cf, ngx_http_core_main_conf_t *cmcf)
{
    ngx_uint_t                    p, a, s, o;
    ngx_http_conf_port_t         *port;
    ngx_http_conf_addr_t         *addr;
    ngx_http_core_srv_conf_t    **cscfp;
    ngx_http_mcp_auth_off_t      *off;
    ngx_http_mcp_auth_main_conf_t  *amcf;
    u_char                        text[NGX_SOCKADDR_STRLEN];
    size_t                        len;

    amcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_mcp_auth_module);

    if (cmcf->ports == NULL || amcf->offs->nelts == 0) {
        return;
    }

    off = amcf->offs->elts;
    port = cmcf->ports->elts;

    for (p = 0; p < cmcf->ports->nelts; p++) {
        addr = port[p].addrs.elts;

        for (a = 0; a < port[p].addrs.nelts; a++) {
            if (ngx_http_mcp_auth_loopback(addr[a].opt.sockaddr)) {
                continue;
            }

            len = ngx_sock_ntop(addr[a].opt.sockaddr, addr[a].opt.socklen,
                                text, NGX_SOCKADDR_STRLEN, 1);
            cscfp = addr[a].servers.elts;

            for (s = 0; s < addr[a].servers.nelts; s++) {
                for (o = 0; o < amcf->offs->nelts; o++) {
                    if (off[o].server != cscfp[s]) {
                        continue;
                    }

                    ngx_log_error(NGX_LOG_WARN, cf->log, 0,
                                  "\"mcp_auth off\" in %V:%ui serves "
                                  "%*s without bearer tokens",
                                  &off[o].file, off[o].line, len, text);
                }
            }
        }
    }
}
