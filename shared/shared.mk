# shared.mk: sources of shared/ compiled into both the module (via config) and the agent.
SHARED_SRCS := $(sort $(wildcard shared/*/*.c))
SHARED_HDRS := $(sort $(wildcard shared/*/*.h))
