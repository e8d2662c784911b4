#!/usr/bin/env bash
# Build the image a nightly podlab run uses inside a cluster (manifests/nightly/), without a registry or docker:
#   localhost/podlab-runner:<package.json version>
#     bash, dash and coreutils from Debian packages; this host's Node (Debian bookworm's nodejs is 18, podlab
#     needs 20) and the embedded build's kubectl; podlab as built in this checkout (dist/cli, bin, the
#     scenario API's sources, schemas, labs, scenarios, manifests) with its production node_modules.
#
#   build-runner-image.sh                 build (or find cached), print the OCI archive's path
#   build-runner-image.sh --import SOCK   and import it into containerd's k8s.io namespace at SOCK
#
# Needs a built checkout (npm run build && bash scripts/bundle.sh, as scripts/bootstrap.sh does). Cached under
# ${XDG_CACHE_HOME:-$HOME/.cache}/podlab/runner-<hash>/, the hash covering this script, the Debian package
# versions, the Node and kubectl binaries and podlab's files, so a warm cache builds nothing. Only the
# nightly test and people deploying the CronJob need it; `cluster up` does not build it.
set -euo pipefail
unset NODE_OPTIONS # a caller's (a test runner's) hooks are not the image's

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
PACKAGES=(bash dash coreutils libstdc++6 libgcc-s1)
SKIP_PACKAGES='^(perl-base|dpkg|tar|usrmerge|usr-is-merged|init-system-helpers|debconf|debianutils|base-files)$'

die() { echo "build-runner-image: $*" >&2; exit 1; }
log() { echo "build-runner-image: $*" >&2; }

sock=""
if [[ ${1:-} == --import ]]; then
  sock="${2:-}"
  [[ -S "$sock" ]] || die "--import: $sock is not a socket (is containerd running?)"
fi
for tool in umoci apt-get apt-cache dpkg-deb jq readelf sha256sum node; do
  command -v "$tool" >/dev/null || die "$tool not found; run cluster/runtime/install-deps.sh"
done
[[ -s "$repo/dist/cli/podlab.js" ]] || die "podlab is not built: npm run build && bash scripts/bundle.sh"
node="$(readlink -f "$(command -v node)")"
[[ "$("$node" -p 'process.versions.node.split(".")[0] >= 20')" == true ]] || die "$node is older than Node 20"
kubectl_dir="$(bash "$repo/cluster/scripts/build-k8s.sh" --path | tail -1)"
kubectl="$(readlink -f "$kubectl_dir/kubectl")"
[[ -x "$kubectl" ]] || die "kubectl not built yet: bash cluster/scripts/build-k8s.sh"
version="$(jq -r .version "$repo/package.json")"
REF="localhost/podlab-runner:$version"

mapfile -t pkgs < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances "${PACKAGES[@]}" | grep -v '^ ' | grep -v '^<' | sort -u | grep -Ev "$SKIP_PACKAGES")
mapfile -t pins < <(apt-cache policy "${pkgs[@]}" | awk '/^[^ ]/ {p = $1; sub(/:$/, "", p)} /Candidate:/ {print p "=" $2}')
((${#pins[@]} == ${#pkgs[@]} && ${#pins[@]} > 0)) || die "apt-cache policy did not resolve every package (apt-get update?)"

# podlab's files: what a run reads (the bundle, the scenario API's sources that scenarios are compiled against,
# schemas, labs) and the production packages of package-lock.json that are installed here.
podlab_files() {
  (cd "$repo" && find package.json package-lock.json bin dist/cli harness/src harness/schemas labs scenarios manifests -type f | sort)
}
mapfile -t modules < <(cd "$repo" && node -e '
  const fs = require("fs");
  for (const [p, m] of Object.entries(require("./package-lock.json").packages))
    if (p && !m.dev && fs.existsSync(p)) console.log(p);')

# build: the image's root file system in a work folder, as one OCI layer, published atomically to $out.
build() {
  mkdir -p "$(dirname "$out")"
  local start=$SECONDS
  work="$(mktemp -d "$out.tmp.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  local rootfs="$work/rootfs"
  log "downloading ${#pins[@]} Debian packages"
  mkdir -p "$work/debs" "$rootfs/usr"
  (cd "$work/debs" && apt-get -o APT::Sandbox::User=root download -q "${pins[@]}" >&2)
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$rootfs"; done
  for d in bin sbin lib lib64; do # merged /usr, as on Debian 12
    if [[ -d "$rootfs/$d" && ! -L "$rootfs/$d" ]]; then
      mkdir -p "$rootfs/usr/$d" && cp -a "$rootfs/$d/." "$rootfs/usr/$d/" && rm -rf "${rootfs:?}/$d"
    fi
    mkdir -p "$rootfs/usr/$d" && ln -s "usr/$d" "$rootfs/$d"
  done
  ln -sf dash "$rootfs/usr/bin/sh"
  rm -rf "$rootfs"/usr/share/{doc,man,locale,info,lintian,bug}
  install -m 755 "$node" "$rootfs/usr/bin/node"
  install -D -m 755 "$kubectl" "$rootfs/usr/local/bin/kubectl" # the multi-call binary runs as its file name
  install -m 755 "$here/podlab-nightly.sh" "$rootfs/usr/local/bin/podlab-nightly"
  log "copying podlab and ${#modules[@]} production packages"
  mkdir -p "$rootfs/opt/podlab"
  (cd "$repo" && podlab_files | tar --no-recursion -cf - -T -) | tar -C "$rootfs/opt/podlab" -xf -
  (cd "$repo" && printf '%s\n' "${modules[@]}" | tar -cf - -T -) | tar -C "$rootfs/opt/podlab" -xf -
  ln -s /opt/podlab/bin/podlab.js "$rootfs/usr/local/bin/podlab"
  mkdir -p "$rootfs"/{etc,root,proc,sys,dev,run,reports,var/tmp} && install -d -m 1777 "$rootfs/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\npodlab:x:65532:65532:podlab:/tmp:/bin/bash\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\npodlab:x:65532:\n' >"$rootfs/etc/group"
  printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
  printf 'podlab runner image\n%s\n' "${pins[@]}" "node $("$node" --version)" >"$rootfs/etc/podlab-image"
  check_rootfs "$rootfs"
  umoci init --layout "$work/oci"
  umoci new --image "$work/oci:$version"
  umoci insert --image "$work/oci:$version" --history.created_by "podlab build-runner-image.sh" "$rootfs" /
  umoci config --image "$work/oci:$version" --no-history --config.user 65532:65532 --config.workingdir /opt/podlab \
    --config.cmd podlab-nightly --config.cmd hello-pod \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.env HOME=/tmp --config.env USER=podlab
  jq --arg tag "$version" --arg ref "$REF" '.manifests |= map(if .annotations["org.opencontainers.image.ref.name"] == $tag
    then .annotations["io.containerd.image.name"] = $ref else . end)' "$work/oci/index.json" >"$work/index.json"
  mv "$work/index.json" "$work/oci/index.json"
  umoci gc --layout "$work/oci"
  mkdir -p "$work/final"
  tar -C "$work/oci" --sort=name --owner=0 --group=0 --numeric-owner -cf "$work/final/podlab-runner.oci.tar" .
  printf 'build_seconds=%s\nbytes=%s\n' "$((SECONDS - start))" "$(stat -c %s "$work/final/podlab-runner.oci.tar")" >"$work/final/BUILD-INFO"
  rm -rf "$out" && mv "$work/final" "$out"
  # older builds are only disk (an image is ~120 MB); builds under way elsewhere are left alone
  find "$(dirname "$out")" -maxdepth 1 -name 'runner-*' ! -name "runner-$hash" ! -name '*.tmp.*' -exec rm -rf {} +
  log "built $REF in $((SECONDS - start))s: $out"
}

# check_rootfs ROOTFS: every ELF's libraries are in the image, and the tools a run starts work in it.
check_rootfs() {
  local rootfs="$1" missing
  missing="$(
    find "$rootfs/usr/bin" "$rootfs/usr/local/bin" -type f -perm /111 | while read -r f; do
      { readelf -d "$f" 2>/dev/null || true; } | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | while read -r lib; do
        [[ -e "$rootfs/usr/lib/x86_64-linux-gnu/$lib" || -e "$rootfs/usr/lib/$lib" ]] || echo "${f#"$rootfs"} needs $lib"
      done
    done
  )"
  [[ -z "$missing" ]] || die "runner image lacks shared libraries: $missing"
  for probe in "node --version" "kubectl version --client" "bash -c true" "podlab --version"; do
    # with the image's environment only (a caller's NODE_OPTIONS, for one, names files the image lacks)
    chroot "$rootfs" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp /bin/sh -c "cd /opt/podlab && $probe" >/dev/null 2>&1 ||
      die "runner image: '$probe' fails"
  done
}

hash="$(
  {
    cat "${BASH_SOURCE[0]}" "$here/podlab-nightly.sh"
    printf '%s\n' "${pins[@]}"
    stat -c '%n %s %Y' "$node" "$kubectl"
    podlab_files | (cd "$repo" && xargs sha256sum)
    dpkg-query -W -f='${Package}=${Version}\n' umoci
  } | sha256sum | cut -c1-16
)"
out="${XDG_CACHE_HOME:-$HOME/.cache}/podlab/runner-$hash"
tar="$out/podlab-runner.oci.tar"
if [[ -s "$tar" ]]; then
  log "cached $out"
else
  build
fi

if [[ -n "$sock" ]]; then
  ctr=(ctr -a "$sock" -n k8s.io)
  digest="$(tar -xOf "$tar" ./index.json | jq -r '.manifests[0].digest')"
  if "${ctr[@]}" images ls "name==$REF" | grep -q "$digest"; then
    log "$REF already imported ($digest)"
  else
    log "importing $REF"
    "${ctr[@]}" images import "$tar" >&2
    "${ctr[@]}" images ls "name==$REF" | grep -q "$digest" || die "$REF not listed with digest $digest after import"
  fi
fi
echo "$tar"
