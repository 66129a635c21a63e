#!/bin/sh
# C unit tests of agent_diag_parse (TAP); built by make into $BUILD/unit.
exec "${BUILD:-build}/unit/agent_diag_parse"
