#!/bin/sh
# C unit tests of agent_cli_parse (TAP); built by make into $BUILD/unit.
exec "${BUILD:-build}/unit/agent_cli_parse"
