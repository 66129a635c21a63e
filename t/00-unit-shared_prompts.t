#!/bin/sh
# C unit tests of shared_prompts (TAP); built by make into $BUILD/unit.
exec "${BUILD:-build}/unit/shared_prompts"
