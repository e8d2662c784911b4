#!/usr/bin/env bash
# Debian packages the tests use beyond the cluster's: xmllint validates JUnit output against its XSD;
# chromium (driven by playwright-core) renders the live grading scoreboard; actionlint (built from its Go module
# into the podlab cache) checks the example workflows under examples/; Java and Maven fetch tap4j (the TAP reader of
# Jenkins' TAP plugin) so that the tests read podlab's TAP with it (test/helpers/tap-consumers.ts).
set -euo pipefail

ACTIONLINT_VERSION=v1.7.12
actionlint_dir="${XDG_CACHE_HOME:-$HOME/.cache}/podlab/tools/actionlint-$ACTIONLINT_VERSION"
if [[ ! -x $actionlint_dir/actionlint ]]; then
  echo "install-test-deps: building actionlint $ACTIONLINT_VERSION" >&2
  GOBIN="$actionlint_dir" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
fi
PACKAGES=(libxml2-utils chromium openjdk-17-jdk-headless maven)
missing=()
for p in "${PACKAGES[@]}"; do
  [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  echo "install-test-deps: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
pom="$(cd "$(dirname "$0")/.." && pwd)/test/fixtures/tap4j/pom.xml"
mvn -q -B -f "$pom" dependency:resolve >/dev/null
