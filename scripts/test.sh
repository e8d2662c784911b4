#!/usr/bin/env bash
# The test command (`npm test`, and what .ci/run calls): installs everything, brings up the
# embedded cluster, runs every tap test (unit, cluster, integration) in one tap run and ends
# with tap's summary followed by a plain "N passed, N failed, N skipped" line.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/cluster-build.sh
source scripts/cluster-build.sh
start_cluster_build
bash scripts/bootstrap.sh
# Style first: a lint or format problem fails in seconds, before the cluster is up.
echo "podlab: lint (typescript-eslint) and format (prettier)"
npm run --silent lint
bash scripts/install-test-deps.sh
wait_cluster_build
bash cluster/podlab-cluster.sh up
export KUBECONFIG=${PODLAB_STATE_DIR:-/var/lib/podlab/cluster}/admin.kubeconfig

log=$(mktemp)
set +e
npx tap "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
node scripts/tap-summary.mjs "$log"
rm -f "$log"
exit "$rc"
