#!/usr/bin/env bash
# Debian packages the tests use beyond the cluster's: xmllint validates JUnit output against its XSD;
# chromium (driven by playwright-core) renders the live grading scoreboard.
set -euo pipefail
PACKAGES=(libxml2-utils chromium)
missing=()
for p in "${PACKAGES[@]}"; do
  [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) == "install ok installed" ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0
echo "install-test-deps: installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
