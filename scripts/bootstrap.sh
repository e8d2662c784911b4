#!/usr/bin/env bash
# Installs the npm dependencies (when package-lock.json changed), compiles the TypeScript and bundles the CLI.
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
rm -rf dist
npx tsc -p tsconfig.json
bash scripts/bundle.sh
