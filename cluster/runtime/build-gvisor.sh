#!/usr/bin/env bash
# Build gVisor's runsc and containerd-shim-runsc-v1 from the gvisor.dev/gvisor
# module's `go` branch, pinned in cluster/runtime/gvisor/go.mod, so that both
# come from the same source version.
#
# Output: ${XDG_CACHE_HOME:-$HOME/.cache}/podlab/gvisor-<version>-<patch level>/
#         {runsc,containerd-shim-runsc-v1,BUILD-INFO}
# Cached: skips the build when both binaries are present.
# The LAST line of stdout is the output directory; progress goes to stderr.
#
# Two local patches, applied at build time to a temporary copy of the module
# (used through `replace` in a temporary -modfile; the checkout and the module
# cache stay untouched):
#  1. the shim's start-up sets its own oom_score_adj to -999 and fails when
#     that is denied. These machines deny CAP_SYS_RESOURCE even to root, so the
#     patched shim ignores that error and carries on.
#  2. on cgroup v1 the shim publishes /tasks/oom with an empty container id
#     (it registers the sandbox cgroup under the shim's unset id), which the
#     CRI drops; the patched shim registers it under each created container's
#     id (as newer gVisor does), so kubelet sees OOMKilled.
# See cluster/NOTES-runtime.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
modDir="$here/gvisor"

command -v go >/dev/null || { echo "build-gvisor: go not found on PATH" >&2; exit 1; }

version="$(awk '$1 == "require" && $2 == "gvisor.dev/gvisor" {print $3}' "$modDir/go.mod")"
[[ -n "$version" ]] || { echo "build-gvisor: no gvisor.dev/gvisor require in $modDir/go.mod" >&2; exit 1; }

PATCH_LEVEL=p2 # bump when the build-time patch below changes
out="${XDG_CACHE_HOME:-$HOME/.cache}/podlab/gvisor-$version-$PATCH_LEVEL"
if [[ -x "$out/runsc" && -x "$out/containerd-shim-runsc-v1" ]]; then
  echo "build-gvisor: cached $out" >&2
  echo "$out"
  exit 0
fi

mkdir -p "$out"
tmp="$(mktemp -d "$out.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

echo "build-gvisor: building gvisor $version (takes minutes on 2 cores)" >&2
start=$SECONDS
(
  cd "$modDir"
  export CGO_ENABLED=0 GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" GOFLAGS="${GOFLAGS:-} -mod=mod"
  go mod download gvisor.dev/gvisor
  cp -a "$(go list -m -f '{{.Dir}}' gvisor.dev/gvisor)" "$tmp/src"
  chmod -R u+w "$tmp/src"
  # The file that sets the shim's OOM score (service.go or manager.go).
  shimSrc="$(grep -rl 'failed to set OOM Score on shim' "$tmp/src/pkg/shim" | head -1)"
  [[ -n "$shimSrc" ]] || { echo "build-gvisor: OOM-score patch no longer applies" >&2; exit 1; }
  sed -i 's|return [^,]*, fmt.Errorf("failed to set OOM Score on shim: %w", err)|_ = err // podlab: oom_score_adj denied on this host; stdout is the start reply, so stay quiet|' "$shimSrc"
  grep -q 'podlab: oom_score_adj denied' "$shimSrc" ||
    { echo "build-gvisor: OOM-score patch no longer applies to $shimSrc" >&2; exit 1; }
  oomSrc="$tmp/src/pkg/shim/v1/runsc/service.go"
  sed -i 's|s.oomPoller.add(s.id, cg)|s.oomPoller.add(rfs.Create.ID /* podlab: route TaskOOM to the container */, cg)|' "$oomSrc"
  grep -q 'podlab: route TaskOOM' "$oomSrc" ||
    { echo "build-gvisor: OOM-routing patch no longer applies to $oomSrc" >&2; exit 1; }
  cp go.mod go.sum "$tmp/"
  echo "replace gvisor.dev/gvisor => $tmp/src" >>"$tmp/go.mod"
  for pkg in runsc shim; do
    bin=runsc
    [[ $pkg == shim ]] && bin=containerd-shim-runsc-v1
    total=$(go list -modfile="$tmp/go.mod" -deps "gvisor.dev/gvisor/$pkg" | wc -l)
    go build -v -modfile="$tmp/go.mod" -trimpath -ldflags='-s -w' -o "$tmp/$bin" "gvisor.dev/gvisor/$pkg" 2>&1 |
      node "$here/../lib/go-progress.mjs" "build-gvisor: $bin" "$total"
  done
) >&2
secs=$((SECONDS - start))

mv "$tmp/runsc" "$tmp/containerd-shim-runsc-v1" "$out/"
printf 'version=%s\npatch=%s\nbuild_seconds=%s\nbuilt_at=%s\ngo=%s\n' \
  "$version" "$PATCH_LEVEL" "$secs" "$(date -u +%FT%TZ)" "$(go env GOVERSION)" >"$out/BUILD-INFO"
echo "build-gvisor: built in ${secs}s" >&2
echo "$out"
