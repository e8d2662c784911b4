#!/usr/bin/env bash
# Installs the npm dependencies (when package-lock.json changed), then `npm run build`: compiles the TypeScript,
# declares the scenario API (dist/types) and bundles the CLI. Meanwhile the cluster's Debian packages install
# (cluster/runtime/install-deps.sh: downloads and unpacking beside npm's downloads and tsc's CPU; a no-op once
# they are there), so that a cold machine does not wait for them after.
# Shared first step of `npm start` and `npm test`; safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

deps_log=$(mktemp)
bash cluster/runtime/install-deps.sh >"$deps_log" 2>&1 &
deps_pid=$!

stamp=node_modules/.podlab-lock.sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "podlab: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

echo "podlab: compiling TypeScript"
npm run --silent build

if ! wait "$deps_pid"; then
  cat "$deps_log" >&2
  rm -f "$deps_log"
  echo "podlab: installing the cluster's Debian packages failed (above)" >&2
  exit 3
fi
cat "$deps_log" >&2
rm -f "$deps_log"
