#!/usr/bin/env bash
# The main job: bring up the embedded cluster (building what it needs on first use)
# and run the Pod Sandboxing workshop end to end, printing TAP.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/cluster-build.sh
source scripts/cluster-build.sh
start_cluster_build
bash scripts/bootstrap.sh
wait_cluster_build
bash cluster/podlab-cluster.sh up
export KUBECONFIG=${PODLAB_STATE_DIR:-/var/lib/podlab/cluster}/admin.kubeconfig
exec node bin/podlab.js run pod-sandboxing "$@"
