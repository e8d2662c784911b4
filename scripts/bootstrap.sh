#!/usr/bin/env bash
# Installs the npm dependencies (when package-lock.json changed), then `npm run build`: compiles the TypeScript,
# declares the scenario API (dist/types) and bundles the CLI.
# Shared first step of `npm start` and `npm test`; safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.podlab-lock.sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "podlab: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

echo "podlab: compiling TypeScript"
npm run --silent build
