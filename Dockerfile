# Dockerfile: a Debian 12 image with nginx + ngx_mcp_module and the agent and
# admin CLI. Redis and PostgreSQL are expected outside the container.
#
#   docker build -t routeros-mcp .
#   docker run -e ... routeros-mcp                      # nginx on :8080
#   docker run -e ROUTEROS_MCP_... routeros-mcp routeros-mcp-agent
#   docker run -e ROUTEROS_MCP_... routeros-mcp routeros-mcp-admin migrate
# nginx reads MCP_REDIS_ADDR (an IP:port, never a hostname) at start-up.

FROM debian:12 AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
        --no-install-recommends build-essential dpkg-dev nginx-dev \
        libcurl4-openssl-dev libjansson-dev libhiredis-dev libpq-dev \
        libssl-dev libssh2-1-dev ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY config Makefile ./
COPY ngx_mcp_module ngx_mcp_module
COPY agent agent
COPY shared shared
RUN make BUILD=build module agent

FROM debian:12
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
        --no-install-recommends nginx libcurl4 libjansson4 libhiredis0.14 \
        libpq5 libssl3 libssh2-1 ca-certificates gettext-base \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/module/ngx_mcp_module.so /usr/lib/nginx/modules/
COPY --from=build /src/build/routeros-mcp-agent /src/build/routeros-mcp-admin \
     /usr/local/bin/
COPY shared/catalog/tools /usr/share/routeros-mcp/catalog/tools
COPY shared/prompts/templates /usr/share/routeros-mcp/prompts/templates
COPY migrations /usr/share/routeros-mcp/migrations
COPY conf.d/routeros-mcp.conf /etc/nginx/routeros-mcp.conf
RUN echo 'load_module modules/ngx_mcp_module.so;' \
        > /etc/nginx/modules-enabled/50-mcp.conf \
    && rm -f /etc/nginx/sites-enabled/default \
    && printf '%s\n' \
       'mcp_redis ${MCP_REDIS_ADDR};' \
       'mcp_catalog /usr/share/routeros-mcp/catalog/tools;' \
       'mcp_prompts /usr/share/routeros-mcp/prompts/templates;' \
       'server {' \
       '    listen 8080;' \
       '    include /etc/nginx/routeros-mcp.conf;' \
       '}' > /etc/nginx/routeros-mcp-site.template
ENV MCP_REDIS_ADDR=127.0.0.1:6379 \
    ROUTEROS_MCP_CATALOG=/usr/share/routeros-mcp/catalog/tools \
    ROUTEROS_MCP_MIGRATIONS=/usr/share/routeros-mcp/migrations
EXPOSE 8080
CMD ["/bin/sh", "-c", "envsubst '$MCP_REDIS_ADDR' < /etc/nginx/routeros-mcp-site.template > /etc/nginx/conf.d/routeros-mcp.conf && exec nginx -g 'daemon off;'"]
