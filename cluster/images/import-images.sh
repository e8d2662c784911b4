#!/usr/bin/env bash
# Import the podlab images into containerd's `k8s.io` namespace (the CRI's).
# The lab image is also pushed into the loopback registry (cluster/lib/registry.sh), which is what the
# lab's LAB_IMAGE names; its import here keeps the older name localhost/podlab-lab:latest working.
#
#   import-images.sh SOCKET
#
# Builds the archives first if needed (cached, see build-images.sh).
# Idempotent: an image already present with the archive's digest is skipped.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
die() { echo "import-images: $*" >&2; exit 1; }

[[ $# -eq 1 ]] || die "usage: $0 SOCKET"
sock="$1"
[[ -S "$sock" ]] || die "$sock is not a socket (is containerd running?)"
command -v ctr >/dev/null || die "ctr not found; run cluster/runtime/install-deps.sh"
ctr=(ctr -a "$sock" -n k8s.io)

mapfile -t archives < <(bash "$here/build-images.sh")
((${#archives[@]} == 2)) || die "build-images.sh printed ${#archives[@]} paths, expected 2"

for tar in "${archives[@]}"; do
  # Name and manifest digest straight from the archive's index.json.
  read -r ref digest < <(tar -xOf "$tar" ./index.json |
    jq -r '.manifests[0] | "\(.annotations["io.containerd.image.name"]) \(.digest)"')
  have="$("${ctr[@]}" images ls -q "name==$ref" 2>/dev/null || true)"
  if [[ -n "$have" ]] && "${ctr[@]}" images ls "name==$ref" | grep -q "$digest"; then
    echo "import-images: $ref already imported ($digest)" >&2
    continue
  fi
  echo "import-images: importing $ref from $tar" >&2
  "${ctr[@]}" images import "$tar" >&2
  "${ctr[@]}" images ls "name==$ref" | grep -q "$digest" ||
    die "$ref not listed with digest $digest after import"
done

"${ctr[@]}" images ls | grep -E 'localhost/podlab-(pause|lab)' >&2 ||
  die "images missing from ctr images ls"
