#!/bin/sh
# C unit tests of agent_cli_quote (TAP); built by make into $BUILD/unit.
exec "${BUILD:-build}/unit/agent_cli_quote"
