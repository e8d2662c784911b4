#!/usr/bin/env bash
# `npm run bench`: the embedded cluster up (built on first use), then bench/ side by side with the kubectl +
# bash baselines in bench/baseline/. Options go to bench/bench.ts (--rounds N, --attendees N, --record FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash cluster/podlab-cluster.sh up
# The baselines substitute manifests with envsubst (gettext-base) and judge JSON with jq.
for p in gettext-base jq; do
  [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) == "install ok installed" ]] \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null; }
done
export KUBECONFIG=${PODLAB_STATE_DIR:-/var/lib/podlab/cluster}/admin.kubeconfig
exec node dist/bench/bench.js "$@"
