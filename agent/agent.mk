# agent.mk: sources of the agent daemon and the admin CLI (included by the
# top Makefile together with shared/shared.mk).
AGENT_MAIN := agent/main.c
ADMIN_MAIN := agent/cli/admin_main.c
AGENT_SRCS := $(sort $(filter-out $(AGENT_MAIN) $(ADMIN_MAIN), \
                $(wildcard agent/*.c agent/*/*.c)))
AGENT_HDRS := $(sort $(wildcard agent/*.h agent/*/*.h))
AGENT_LIBS := -lhiredis -ljansson -lcurl -lpq -lcrypto -lssl -lssh2 -lpthread -lm
