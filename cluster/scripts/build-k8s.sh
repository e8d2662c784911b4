#!/usr/bin/env bash
# Builds the multi-call podlab-k8s binary (upstream Kubernetes components + embedded etcd) into
# the podlab cache, keyed by the Kubernetes version and a hash of the wrapper module, and prints
# the bin directory as the last line. A cached build is reused as it is.
set -euo pipefail
here=$(cd "$(dirname "$0")/../k8s" && pwd)
k8s_version=$(awk '$1=="k8s.io/kubernetes" {print $2; exit}' "$here/go.mod")
key=$(cat "$here/go.mod" "$here/go.sum" "$here"/*.go | sha256sum | cut -c1-12)
out="${XDG_CACHE_HOME:-$HOME/.cache}/podlab/k8s-$k8s_version-$key"
bin="$out/bin"

# --path: only say where the build lives (status/env must never start a build).
if [[ ${1:-} == --path ]]; then echo "$bin"; exit 0; fi

if [[ ! -x $bin/podlab-k8s ]]; then
  echo "podlab: building Kubernetes $k8s_version (first run only; several minutes on 2 cores)" >&2
  mkdir -p "$bin"
  minor=${k8s_version#v1.}; minor=${minor%%.*}
  pkg=k8s.io/component-base/version
  cgo=k8s.io/client-go/pkg/version
  ldflags="-s -w"
  for p in $pkg $cgo; do
    ldflags+=" -X $p.gitVersion=$k8s_version -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
    ldflags+=" -X $p.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  done
  start=$(date +%s)
  # go build -v names each package as it is built; go-progress.mjs turns that into "built N/M packages, 2m13s".
  total=$(cd "$here" && GOFLAGS=-mod=mod go list -deps . | wc -l)
  (cd "$here" && GOFLAGS=-mod=mod /usr/bin/time -v -o "$out/build-time.txt" \
      go build -v -trimpath -ldflags "$ldflags" -o "$bin/podlab-k8s.tmp" . 2>&1) |
    node "$here/../lib/go-progress.mjs" "podlab: Kubernetes $k8s_version" "$total"
  mv "$bin/podlab-k8s.tmp" "$bin/podlab-k8s"
  peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/build-time.txt")
  echo "seconds=$(( $(date +%s) - start )) peak_rss_kb=$peak go=$(go env GOVERSION)" > "$out/build-stats.txt"
  cat "$out/build-stats.txt" >&2
fi
for c in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
  ln -sf podlab-k8s "$bin/$c"
done
echo "$bin"
