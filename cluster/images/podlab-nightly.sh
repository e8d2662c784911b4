#!/bin/bash
# podlab-nightly LAB...: the runner image's command (manifests/nightly/cronjob.yaml). Runs each lab with
# `podlab run` (TAP and progress lines in the log as it goes), keeps its JUnit and JSON reports under
# $PODLAB_REPORTS, then prints each report to the log between marker lines:
#   ----- BEGIN podlab junit hello-pod -----
#   <?xml ...
#   ----- END podlab junit hello-pod -----
# Exits with the worst exit code of the runs: 0 all passed, 1 a check failed, 2 bad input, 3 the environment
# (an unreachable API server, or RBAC that lacks something a run needs).
set -uo pipefail
reports="${PODLAB_REPORTS:-/tmp/podlab-reports}"
mkdir -p "$reports" || exit 3
(($# > 0)) || { echo "usage: podlab-nightly LAB..." >&2; exit 2; }
worst=0
for lab in "$@"; do
  name="${lab//\//_}"
  podlab run "$lab" --report "junit=$reports/$name.junit.xml" --report "json=$reports/$name.json"
  rc=$?
  ((rc > worst)) && worst=$rc
  for kind in junit json; do
    file="$reports/$name.$([[ $kind == junit ]] && echo junit.xml || echo json)"
    [[ -s "$file" ]] || continue
    echo "----- BEGIN podlab $kind $lab -----"
    cat "$file"
    [[ "$(tail -c1 "$file")" == "" ]] || echo
    echo "----- END podlab $kind $lab -----"
  done
  # stdout, like the reports: the log interleaves its two streams by when it read them, not by when they were written
  echo "podlab-nightly: $lab exit $rc"
done
exit "$worst"
