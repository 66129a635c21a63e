#!/bin/sh
# C unit tests of the JWT verifier and JWKS loader (TAP); built into $BUILD/unit.
exec "${BUILD:-build}/unit/jwt_verify"
