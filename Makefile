# Makefile: builds the nginx module, the agent, the admin CLI and the C unit
# tests into $(BUILD); runs the stack (run/stop), the tests and the benchmark.
#
#   make            build into build/        make SANITIZE=1   into build-asan/
#   make run        install deps, build, start the stack on 127.0.0.1:8080
#   make stop       stop what make run started
#   make test       deps, build, test stack, prove -r t/; again with ASan/UBSan
#   make bench      wrk against bare nginx, tools/list and tools/call echo
#   make fuzz       libFuzzer targets (FUZZ_TARGETS), FUZZ_SECONDS each

SANITIZE ?=
ifeq ($(SANITIZE),1)
BUILD ?= build-asan
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer
else
BUILD ?= build
SAN_FLAGS :=
endif

CC ?= cc
PG_INCLUDE := $(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE $(SAN_FLAGS) \
          -I$(PG_INCLUDE)
LDFLAGS := $(SAN_FLAGS)
NGX_SRC := /usr/share/nginx/src
BUILD_ABS := $(abspath $(BUILD))

include shared/shared.mk
-include agent/agent.mk

# Defaults matching docs/internals.md until agent/agent.mk says otherwise.
AGENT_MAIN ?= agent/main.c
ADMIN_MAIN ?= agent/cli/admin_main.c
AGENT_SRCS ?= $(sort $(wildcard agent/*/*.c))
AGENT_LIBS ?= -lcurl -ljansson -lhiredis -lpq -lcrypto -lssh2 -lpthread

AGENT_LIB_SRCS := $(filter-out $(AGENT_MAIN) $(ADMIN_MAIN),$(AGENT_SRCS))
obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
SHARED_OBJS := $(call obj,$(SHARED_SRCS))
AGENT_LIB_OBJS := $(call obj,$(AGENT_LIB_SRCS))
UNIT_SRCS := $(sort $(wildcard t/unit/*.c))
UNIT_BINS := $(patsubst t/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))
ALL_OBJS := $(SHARED_OBJS) $(AGENT_LIB_OBJS) $(call obj,$(AGENT_MAIN) \
            $(ADMIN_MAIN) $(UNIT_SRCS))

AGENT_BIN := $(BUILD)/routeros-mcp-agent
ADMIN_BIN := $(BUILD)/routeros-mcp-admin
MODULE_SO := $(BUILD)/module/ngx_mcp_module.so

NPROC := $(shell nproc 2>/dev/null || echo 2)

.PHONY: all build module agent units deps run stop test check sdk conformance bench fuzz clean
.DELETE_ON_ERROR:

all: build
build: module agent units

# --- nginx module: Debian's recipe (nginx-dev conf_flags, --with-compat) -----

# configure again when config, the source list or the sanitizer flags change
# (config globs the sources, so a new file needs a new nginx Makefile).
MODULE_FILES := $(sort $(wildcard ngx_mcp_module/*.c ngx_mcp_module/*.h) \
                       $(SHARED_SRCS) $(SHARED_HDRS))
MODULE_STAMP := $(BUILD)/module/.inputs
$(shell mkdir -p $(BUILD)/module && \
  echo '$(MODULE_FILES) $(SAN_FLAGS)' | cmp -s - $(MODULE_STAMP) || \
  echo '$(MODULE_FILES) $(SAN_FLAGS)' > $(MODULE_STAMP))

$(BUILD)/module/Makefile: config $(MODULE_STAMP)
	cd $(NGX_SRC) && bash -c '. ./conf_flags && ./configure \
	  --with-cc-opt="$$(dpkg-buildflags --get CFLAGS) -fPIC $$(dpkg-buildflags --get CPPFLAGS) $(SAN_FLAGS)" \
	  --with-ld-opt="$$(dpkg-buildflags --get LDFLAGS) -fPIC $(SAN_FLAGS)" \
	  "$${NGX_CONF_FLAGS[@]}" \
	  --add-dynamic-module=$(CURDIR) \
	  --builddir=$(BUILD_ABS)/module' > $(BUILD_ABS)/module/configure.log 2>&1 \
	  || { tail -n 20 $(BUILD_ABS)/module/configure.log; exit 1; }

# nginx's own Makefile tracks the module's sources and headers.
module: $(BUILD)/module/Makefile
	@echo "building $(MODULE_SO)"
	@env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	  $(MAKE) -s -f $(BUILD_ABS)/module/Makefile -C $(NGX_SRC) modules
	@test -f $(MODULE_SO)
ifeq ($(SANITIZE),1)
	@mkdir -p $(BUILD)/bin
	cp t/stack/nginx-asan.sh $(BUILD)/bin/nginx
endif

# --- agent, admin CLI, unit tests ---------------------------------------------

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(AGENT_CFLAGS) -MMD -MP -c $< -o $@

-include $(ALL_OBJS:.o=.d)

agent: $(AGENT_BIN) $(ADMIN_BIN)

$(AGENT_BIN): $(call obj,$(AGENT_MAIN)) $(AGENT_LIB_OBJS) $(SHARED_OBJS)
	$(CC) $(LDFLAGS) $^ -o $@ $(AGENT_LIBS)

$(ADMIN_BIN): $(call obj,$(ADMIN_MAIN)) $(AGENT_LIB_OBJS) $(SHARED_OBJS)
	$(CC) $(LDFLAGS) $^ -o $@ $(AGENT_LIBS)

units: $(UNIT_BINS)
.SECONDARY: $(call obj,$(UNIT_SRCS))

$(BUILD)/unit/%: $(BUILD)/obj/t/unit/%.o $(AGENT_LIB_OBJS) $(SHARED_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ -o $@ $(AGENT_LIBS)

# --- Debian packages ------------------------------------------------------------

# package[:command] — with a command, the package counts as present when the
# command is on PATH (node and npm may come from elsewhere than Debian).
DEB_PKGS := build-essential nginx nginx-dev dpkg-dev libcurl4-openssl-dev \
  libjansson-dev libhiredis-dev libpq-dev libssl-dev libssh2-1-dev \
  redis-server postgresql wrk python3 perl nodejs:node npm:npm curl openssl \
  ca-certificates openssh-server

# Package installation must not start system nginx/PostgreSQL services:
# a temporary policy-rc.d refuses service starts during apt-get.
deps:
	@missing=; for spec in $(DEB_PKGS); do pkg=$${spec%%:*}; cmd=$${spec#*:}; \
	  if [ "$$cmd" != "$$spec" ] && command -v "$$cmd" >/dev/null; then continue; fi; \
	  dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q 'ok installed' \
	    || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "missing Debian packages:$$missing (run make deps as root)"; exit 1; fi; \
	  echo "installing:$$missing"; \
	  policy=; if [ ! -e /usr/sbin/policy-rc.d ]; then policy=1; \
	    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; \
	    chmod 755 /usr/sbin/policy-rc.d; fi; \
	  rc=0; apt-get update -q && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -q --no-install-recommends $$missing || rc=$$?; \
	  if [ -n "$$policy" ]; then rm -f /usr/sbin/policy-rc.d; fi; \
	  exit $$rc; fi

# --- make run / make stop --------------------------------------------------------

run: deps
	$(MAKE) -j$(NPROC) build
	BUILD=$(BUILD) t/stack/stack.sh up run
	@t/stack/stack.sh status run
	@echo
	@echo "MCP endpoint (Streamable HTTP): http://127.0.0.1:8080/mcp"
	@echo "Simulated devices: dev-sim-r1 (127.0.0.2), dev-sim-r2 (127.0.0.3), dev-sim-r3 (127.0.0.4)"
	@echo "MCP Inspector:  npx @modelcontextprotocol/inspector"
	@echo "                then transport 'Streamable HTTP', URL http://127.0.0.1:8080/mcp"
	@echo "Remote client:  ssh -N -L 8080:127.0.0.1:8080 <this-host>, then use"
	@echo "                http://127.0.0.1:8080/mcp on the client machine"
	@echo "Logs and state: var/run/   Stop: make stop"

stop:
	t/stack/stack.sh down run

# --- make test ---------------------------------------------------------------------

SDK_STAMP := t/sdk/node_modules/.package-lock.json

sdk: $(SDK_STAMP)
$(SDK_STAMP): t/sdk/package.json t/sdk/package-lock.json
	cd t/sdk && npm ci --no-audit --no-fund --loglevel=error

# the official conformance suite and the Node 22 it needs (t/70-conformance.t)
CONFORMANCE_STAMP := t/conformance/node_modules/.package-lock.json

conformance: $(CONFORMANCE_STAMP)
$(CONFORMANCE_STAMP): t/conformance/package.json t/conformance/package-lock.json
	cd t/conformance && npm ci --no-audit --no-fund --loglevel=error

# check: a fresh stack of profile PROFILE for $(BUILD), prove -r t/, and the
# stack stopped whatever happens; sanitizer reports written by nginx or the
# agent fail the run.
PROFILE ?= test
check:
	@t/stack/stack.sh reset $(PROFILE); \
	trap 't/stack/stack.sh down $(PROFILE)' EXIT; \
	BUILD=$(BUILD) t/stack/stack.sh up $(PROFILE) || exit 1; \
	eval "$$(BUILD=$(BUILD) t/stack/stack.sh env $(PROFILE))"; \
	prove -r t/; rc=$$?; \
	t/stack/stack.sh down $(PROFILE); trap - EXIT; \
	if ls var/$(PROFILE)/sanitizer/* >/dev/null 2>&1; then \
	  echo "sanitizer reports:"; cat var/$(PROFILE)/sanitizer/*; rc=1; fi; \
	exit $$rc

test: deps
	$(MAKE) -j$(NPROC) build sdk conformance
	$(MAKE) check
	$(MAKE) -j$(NPROC) SANITIZE=1 BUILD=$(BUILD)-asan build
	$(MAKE) SANITIZE=1 BUILD=$(BUILD)-asan check

# --- make bench ----------------------------------------------------------------------

bench: deps
	$(MAKE) -j$(NPROC) build
	BUILD=$(BUILD) t/bench/run.sh

# --- make fuzz ------------------------------------------------------------------------

# libFuzzer targets built with clang, ASan and UBSan into $(BUILD)/fuzz; each
# runs FUZZ_SECONDS on a corpus seeded from t/fuzz/corpus/<target>; a crash,
# leak or sanitizer report fails (its input is kept in $(BUILD)/fuzz/).
# A target <t> is t/fuzz/<t>_fuzz.c plus FUZZ_<t>_SRCS, linked with FUZZ_<t>_LIBS.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := protocol jwt
FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -D_GNU_SOURCE -Wall -Wextra -Werror \
               -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_protocol_SRCS := shared/protocol/envelope.c shared/protocol/modern.c \
                      shared/protocol/levels.c shared/protocol/errors.c
FUZZ_protocol_LIBS := -ljansson -lcrypto
FUZZ_jwt_SRCS := ngx_mcp_module/ngx_http_mcp_jwks.c \
                 ngx_mcp_module/ngx_http_mcp_jwt.c
FUZZ_jwt_LIBS := -ljansson -lcrypto

.SECONDEXPANSION:
$(FUZZ_DIR)/%_fuzz: t/fuzz/%_fuzz.c $$(FUZZ_$$*_SRCS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $^ -o $@ $(FUZZ_$*_LIBS)

fuzz: $(patsubst %,$(FUZZ_DIR)/%_fuzz,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/corpus-$$t; \
	  seed=; [ -d t/fuzz/corpus/$$t ] && seed=t/fuzz/corpus/$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_DIR)/$${t}_fuzz -max_total_time=$(FUZZ_SECONDS) \
	    -artifact_prefix=$(FUZZ_DIR)/$$t- -print_final_stats=1 \
	    $(FUZZ_DIR)/corpus-$$t $$seed || exit 1; \
	done

clean:
	rm -rf build build-asan
