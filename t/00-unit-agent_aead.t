#!/bin/sh
# C unit tests of agent_aead (TAP); built by make into $BUILD/unit.
exec "${BUILD:-build}/unit/agent_aead"
