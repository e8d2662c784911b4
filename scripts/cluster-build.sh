# Sourced by main.sh and test.sh. The cluster's Go builds (minutes on a cold machine) need neither npm nor
# the Debian packages, so they start first and run beside the bootstrap (npm ci, tsc, apt) instead of after it.
# A cached build answers at once.

start_cluster_build() {
  cluster_build_log=$(mktemp)
  # Its own process group, so that a failed bootstrap stops the whole build (go and its compilers) too.
  setsid bash cluster/scripts/build-binaries.sh >"$cluster_build_log" &
  cluster_build_pid=$!
  trap 'kill -- "-$cluster_build_pid" 2>/dev/null || true' EXIT
}

wait_cluster_build() {
  if ! wait "$cluster_build_pid"; then
    echo "podlab: building the cluster's binaries failed (above)" >&2
    exit 3
  fi
  trap - EXIT
  rm -f "$cluster_build_log"
}
