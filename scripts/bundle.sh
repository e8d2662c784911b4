#!/usr/bin/env bash
# Bundles the compiled CLI (dist/harness) into dist/cli with esbuild: Node resolves and links about a thousand
# ES modules of the Kubernetes client on every start otherwise, which was most of a short command's time.
# Commands stay lazily loaded (code splitting), so `podlab --help` loads only the small entry chunk. tsx stays
# outside the bundle: it loads the scenarios' TypeScript at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
npx esbuild dist/harness/src/cli/main.js --bundle --splitting --format=esm --platform=node --target=node20 \
  --outdir=dist/cli --entry-names=podlab --chunk-names='chunk-[hash]' --external:tsx --sourcemap --log-level=warning \
  --banner:js="import { createRequire as __podlabRequire } from 'node:module'; import { fileURLToPath as __podlabPath } from 'node:url'; const require = __podlabRequire(import.meta.url); const __filename = __podlabPath(import.meta.url); const __dirname = __filename.replace(/\/[^/]*\$/, '');"
