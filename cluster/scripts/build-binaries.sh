#!/usr/bin/env bash
# Builds (or finds cached) the cluster's Go binaries: gVisor beside Kubernetes (which holds kube-router's
# firewall too): module downloads, `go list` and single-threaded links leave cores idle that the other build
# fills. Progress goes to stderr; the last two lines of stdout are `K8S_BIN=dir` and `GVISOR_BIN=dir`.
# Needs only Go: no Debian package, no npm, so a cold machine can start it first (scripts/cluster-build.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
gvisor_out=$(mktemp)
trap 'rm -f "$gvisor_out"' EXIT
bash "$here/runtime/build-gvisor.sh" >"$gvisor_out" &
gvisor_pid=$!
k8s_bin=$(bash "$here/scripts/build-k8s.sh" | tail -n 1)
wait "$gvisor_pid" || { echo "podlab: building gVisor failed (see above)" >&2; exit 3; }
echo "K8S_BIN=$k8s_bin"
echo "GVISOR_BIN=$(tail -n 1 "$gvisor_out")"
