#!/usr/bin/env bash
# Build the embedded cluster's two images from Debian packages, without a
# registry or docker:
#   localhost/podlab-pause:3.10   static C pause (pause.c, gcc -static)
#   localhost/podlab-lab:latest   busybox + iputils-ping + stress-ng + procps
# Each is an OCI image layout made with umoci, packed as an OCI archive (tar)
# whose index carries the `io.containerd.image.name` annotation, so that
# `ctr images import` names it without flags.
#
# Cached under ${XDG_CACHE_HOME:-$HOME/.cache}/podlab/images-<hash>/, the hash
# covering this script, pause.c and the exact Debian package versions used.
# Prints the two archive paths (pause first, lab last) on stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PAUSE_REF="localhost/podlab-pause:3.10"
LAB_REF="localhost/podlab-lab:latest"
# Packages the lab image is made of (their Depends are added below).
# dash is /bin/sh: Debian's busybox ash prefers its own applets over PATH, so
# `sh -c ping` would run busybox's ping instead of iputils'.
LAB_PACKAGES=(busybox-static iputils-ping stress-ng procps dash)
# Packaging machinery and maintainer-script tools pulled in by Depends that
# nothing in the image runs; the ELF check below proves none is needed.
SKIP_PACKAGES='^(perl|perl-base|perl-modules-.*|libperl.*|lib.*-perl|dpkg|tar|usrmerge|usr-is-merged|init-system-helpers|debconf|libdb5\.3|libgdbm.*|libelogind0|libcap2-bin)$'

die() { echo "build-images: $*" >&2; exit 1; }
log() { echo "build-images: $*" >&2; }

for tool in umoci gcc apt-get apt-cache dpkg-deb jq readelf sha256sum; do
  command -v "$tool" >/dev/null || die "$tool not found; run cluster/runtime/install-deps.sh"
done

# Resolve the lab image's package closure (Depends and Pre-Depends only).
closure() {
  apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
    --no-breaks --no-replaces --no-enhances "${LAB_PACKAGES[@]}" |
    grep -v '^ ' | grep -v '^<' | sort -u | grep -Ev "$SKIP_PACKAGES"
}
# Resolving it reads every package list (about a second where apt keeps no binary cache), so the pins are
# remembered until the lists, dpkg's status or this script change.
pins_memo="${XDG_CACHE_HOME:-$HOME/.cache}/podlab/apt-pins-$(
  { cat "${BASH_SOURCE[0]}"; stat -c '%n %s %Y' /var/lib/apt/lists /var/lib/apt/lists/* /var/lib/dpkg/status /etc/apt/preferences* 2>/dev/null; } |
    sha256sum | cut -c1-16
)"
if [[ -s "$pins_memo" ]]; then
  mapfile -t pins <"$pins_memo"
else
  mapfile -t pkgs < <(closure)
  ((${#pkgs[@]} > 0)) || die "apt-cache found no packages (run apt-get update?)"
  mapfile -t pins < <(apt-cache policy "${pkgs[@]}" |
    awk '/^[^ ]/ {p = $1; sub(/:$/, "", p)} /Candidate:/ {print p "=" $2}')
  ((${#pins[@]} == ${#pkgs[@]})) || die "apt-cache policy did not resolve every package"
  mkdir -p "$(dirname "$pins_memo")"
  printf '%s\n' "${pins[@]}" >"$pins_memo.tmp" && mv "$pins_memo.tmp" "$pins_memo"
fi
for pin in "${pins[@]}"; do
  [[ "$pin" != *"=(none)" ]] || die "no candidate version: $pin"
done

hash="$(
  {
    cat "${BASH_SOURCE[0]}" "$here/pause.c"
    printf '%s\n' "${pins[@]}"
    dpkg-query -W -f='${Package}=${Version}\n' gcc libc6-dev umoci
  } | sha256sum | cut -c1-16
)"
out="${XDG_CACHE_HOME:-$HOME/.cache}/podlab/images-$hash"
pauseTar="$out/podlab-pause.oci.tar"
labTar="$out/podlab-lab.oci.tar"
if [[ -s "$pauseTar" && -s "$labTar" ]]; then
  log "cached $out"
  echo "$pauseTar"
  echo "$labTar"
  exit 0
fi

mkdir -p "$(dirname "$out")"
work="$(mktemp -d "$out.tmp.XXXXXX")"
trap 'rm -rf "$work"' EXIT
start=$SECONDS

# oci_archive LAYOUT TAG REF TAR: name the tagged manifest REF for containerd
# and pack the layout into TAR.
oci_archive() {
  local layout="$1" tag="$2" ref="$3" tar="$4"
  jq --arg tag "$tag" --arg ref "$ref" '
    .manifests |= map(
      if .annotations["org.opencontainers.image.ref.name"] == $tag
      then .annotations["io.containerd.image.name"] = $ref else . end)' \
    "$layout/index.json" >"$layout/index.json.new"
  mv "$layout/index.json.new" "$layout/index.json"
  umoci gc --layout "$layout" # drop the manifests/configs that umoci config replaced
  tar -C "$layout" --sort=name --owner=0 --group=0 --numeric-owner -cf "$tar" .
}

# new_image LAYOUT TAG ROOTFS: a one-layer image of ROOTFS.
new_image() {
  local layout="$1" tag="$2" rootfs="$3"
  umoci init --layout "$layout"
  umoci new --image "$layout:$tag"
  umoci insert --image "$layout:$tag" --history.created_by "podlab build-images.sh" "$rootfs" /
}

# --- pause -------------------------------------------------------------------
log "pause: gcc -static"
mkdir -p "$work/pause-rootfs"
gcc -static -Os -Wall -Wextra -Werror -o "$work/pause-rootfs/pause" "$here/pause.c"
strip "$work/pause-rootfs/pause"
new_image "$work/pause" 3.10 "$work/pause-rootfs"
umoci config --image "$work/pause:3.10" --no-history \
  --config.entrypoint /pause --config.user 65535:65535 --config.stopsignal SIGTERM
oci_archive "$work/pause" 3.10 "$PAUSE_REF" "$work/podlab-pause.oci.tar"

# --- lab ---------------------------------------------------------------------
log "lab: downloading ${#pins[@]} packages"
mkdir -p "$work/debs"
(cd "$work/debs" && apt-get -o APT::Sandbox::User=root download -q "${pins[@]}" >&2)
rootfs="$work/lab-rootfs"
mkdir -p "$rootfs/usr"
for deb in "$work"/debs/*.deb; do
  dpkg-deb -x "$deb" "$rootfs"
done
# Merged /usr, as on Debian 12 hosts.
for d in bin sbin lib lib64; do
  if [[ -d "$rootfs/$d" && ! -L "$rootfs/$d" ]]; then
    mkdir -p "$rootfs/usr/$d"
    cp -a "$rootfs/$d/." "$rootfs/usr/$d/"
    rm -rf "${rootfs:?}/$d"
  fi
  mkdir -p "$rootfs/usr/$d"
  ln -s "usr/$d" "$rootfs/$d"
done
ln -sf dash "$rootfs/usr/bin/sh"
# Busybox applets for everything no package provides (procps' ps, iputils' ping win).
[[ -x "$rootfs/bin/busybox" ]] || die "busybox missing from busybox-static"
while read -r applet; do
  [[ -e "$rootfs/$applet" || -L "$rootfs/$applet" ]] && continue
  mkdir -p "$rootfs/$(dirname "$applet")"
  ln -s /bin/busybox "$rootfs/$applet"
done < <(chroot "$rootfs" /bin/busybox --list-full)
# Minimal system files.
rm -rf "$rootfs/usr/share/doc" "$rootfs/usr/share/man" "$rootfs/usr/share/locale" \
  "$rootfs/usr/share/lintian" "$rootfs/usr/share/bug" "$rootfs/usr/share/info"
mkdir -p "$rootfs"/{etc,root,proc,sys,dev,run,var/tmp} && install -d -m 1777 "$rootfs/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
printf 'podlab lab image\n%s\n' "${pins[@]}" >"$rootfs/etc/podlab-image"
chroot "$rootfs" /sbin/ldconfig 2>/dev/null || true

# Every ELF's NEEDED libraries must be in the image (the library dirs, or
# the ELF's own dir for $ORIGIN-linked plugins such as gconv modules).
missing="$(
  find "$rootfs" -type f \( -perm /111 -o -name '*.so*' \) | while read -r f; do
    readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | while read -r lib; do
      for d in usr/lib/x86_64-linux-gnu usr/lib usr/lib64; do
        [[ -e "$rootfs/$d/$lib" ]] && continue 2
      done
      [[ -e "$(dirname "$f")/$lib" ]] || echo "${f#"$rootfs"} needs $lib"
    done
  done
)"
[[ -z "$missing" ]] || die "lab image lacks shared libraries: $missing"
# Through the image's own /bin/sh, as `kubectl exec ... sh -c` would.
for probe in "stress-ng --version" "ping -V" "pgrep -V" "sleep 0" "free -V"; do
  chroot "$rootfs" /bin/sh -c "$probe" >/dev/null 2>&1 || die "lab image: '$probe' fails"
done

new_image "$work/lab" latest "$rootfs"
umoci config --image "$work/lab:latest" --no-history \
  --config.cmd sleep --config.cmd infinity \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
oci_archive "$work/lab" latest "$LAB_REF" "$work/podlab-lab.oci.tar"

# Publish atomically.
mkdir -p "$work/final"
mv "$work/podlab-pause.oci.tar" "$work/podlab-lab.oci.tar" "$work/final/"
printf 'build_seconds=%s\npause_bytes=%s\nlab_bytes=%s\n' "$((SECONDS - start))" \
  "$(stat -c %s "$work/final/podlab-pause.oci.tar")" "$(stat -c %s "$work/final/podlab-lab.oci.tar")" \
  >"$work/final/BUILD-INFO"
printf '%s\n' "${pins[@]}" >"$work/final/PACKAGES"
rm -rf "$out"
mv "$work/final" "$out"
log "built in $((SECONDS - start))s: $out"
echo "$pauseTar"
echo "$labTar"
