#!/usr/bin/env bash
# Bundles the compiled CLI (dist/harness) into dist/cli with esbuild: Node resolves and links about a thousand
# ES modules of the Kubernetes client on every start otherwise, which was most of a short command's time.
# Commands stay lazily loaded (code splitting), so `podlab --help` loads only the small entry chunk. esbuild stays
# outside the bundle: podlab runs it to compile the scenarios at run time (harness/src/loader/load.ts).
# Whitespace and syntax are minified (about 80 ms less parsing per command); names are kept, so stack traces
# stay readable. lint's worker thread (harness/src/cli/lint-worker.ts) is a second entry, dist/cli/lint-worker.js,
# beside the chunk that starts it: a worker runs a file of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist/cli
npx esbuild podlab=dist/harness/src/cli/main.js lint-worker=dist/harness/src/cli/lint-worker.js --bundle --splitting --format=esm --platform=node --target=node20 \
  --outdir=dist/cli --entry-names='[name]' --chunk-names='chunk-[hash]' --external:esbuild --minify-whitespace --minify-syntax --sourcemap --log-level=warning \
  --banner:js="import { createRequire as __podlabRequire } from 'node:module'; import { fileURLToPath as __podlabPath } from 'node:url'; const require = __podlabRequire(import.meta.url); const __filename = __podlabPath(import.meta.url); const __dirname = __filename.replace(/\/[^/]*\$/, '');"
