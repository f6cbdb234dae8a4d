#!/usr/bin/env bash
# Builds the register screen into web/dist (embedded into pos-api): installs the locked
# dependencies, regenerates the GraphQL types from schema.graphql, bundles, and writes
# web/dist/SOURCE_SHA256 (the hash of the sources it was built from; see
# web/scripts/source-hash.mjs for how a test recomputes it).
set -euo pipefail
cd "$(dirname "$0")/../web"
npm ci --no-audit --no-fund
npm run codegen
npm run build
echo "web/dist built from sources $(cat dist/SOURCE_SHA256)"
