#!/usr/bin/env bash
# Build the embedded cluster's NetworkPolicy engine: kube-router's firewall controller, from the
# github.com/cloudnativelabs/kube-router/v2 module pinned in cluster/runtime/netpol/go.mod.
#
# Output: ${XDG_CACHE_HOME:-$HOME/.cache}/podlab/netpol-<version>-<key>/{kube-router,BUILD-INFO}
# Cached: skips the build when the binary is present (the key covers go.mod and go.sum).
# The LAST line of stdout is the output directory; progress goes to stderr.
# --path prints that directory without building (for `cluster down`/`status`).
#
# Why kube-router and not sigs.k8s.io/kube-network-policies: the latter queues packets with nftables'
# `queue` statement, and this kernel has no CONFIG_NFT_QUEUE; kube-router needs iptables and ipset only.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
modDir="$here/netpol"
version="$(awk '$1 == "require" && $2 == "github.com/cloudnativelabs/kube-router/v2" {print $3}' "$modDir/go.mod")"
[[ -n "$version" ]] || { echo "build-netpol: no kube-router require in $modDir/go.mod" >&2; exit 1; }
key="$(cat "$modDir/go.mod" "$modDir/go.sum" | sha256sum | cut -c1-12)"
out="${XDG_CACHE_HOME:-$HOME/.cache}/podlab/netpol-$version-$key"
if [[ ${1:-} == --path ]]; then echo "$out"; exit 0; fi
if [[ -x "$out/kube-router" ]]; then
  echo "build-netpol: cached $out" >&2
  echo "$out"
  exit 0
fi
command -v go >/dev/null || { echo "build-netpol: go not found on PATH" >&2; exit 1; }

mkdir -p "$(dirname "$out")"
tmp="$(mktemp -d "$out.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "build-netpol: building kube-router $version (first run only; a few minutes on 2 cores)" >&2
start=$SECONDS
pkg=github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
(
  cd "$modDir"
  export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod"
  total=$(go list -deps "$pkg" | wc -l)
  go build -v -trimpath -ldflags='-s -w' -o "$tmp/kube-router" "$pkg" 2>&1 |
    node "$here/../lib/go-progress.mjs" "build-netpol: kube-router" "$total"
) >&2
secs=$((SECONDS - start))
printf 'version=%s\nbuild_seconds=%s\nbuilt_at=%s\ngo=%s\n' "$version" "$secs" "$(date -u +%FT%TZ)" "$(go env GOVERSION)" >"$tmp/BUILD-INFO"
chmod 755 "$tmp" # mktemp made it private
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "build-netpol: built in ${secs}s" >&2
echo "$out"
