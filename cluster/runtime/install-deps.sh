#!/usr/bin/env bash
# Install the Debian packages the embedded cluster's runtime layer needs.
# Idempotent: a fast no-op when every package is already installed.
# Nothing autostarts: Debian's containerd is installed with service starts
# denied (policy-rc.d) and the cluster scripts start containerd themselves.
set -euo pipefail

# One array; append what else the cluster needs.
PACKAGES=(
  containerd                   # 1.6, started by cluster/podlab-cluster.sh with our config
  runc
  containernetworking-plugins  # /usr/lib/cni
  iptables
  conntrack
  openssl
  umoci                        # OCI image layout builder (cluster/images)
  skopeo                       # pushes the lab image into the loopback registry
  docker-registry              # the loopback registry the lab image is pulled from (its binary, not the service)
  ipset                        # kube-router's NetworkPolicy firewall
  busybox-static
  gcc                          # static pause binary (cluster/images/pause.c)
  libc6-dev
  jq
  time
)

missing=()
for p in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ $EUID -ne 0 ]]; then
  echo "install-deps: need root to install: ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
# Deny service starts from maintainer scripts while we install (unless the
# machine already has its own policy).
policy=/usr/sbin/policy-rc.d
ownPolicy=0
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  ownPolicy=1
fi
cleanup() { if ((ownPolicy)); then rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt_opts=(-o DPkg::Lock::Timeout=600 -y --no-install-recommends)
if ! apt-get install "${apt_opts[@]}" "${missing[@]}"; then
  apt-get -o DPkg::Lock::Timeout=600 update
  apt-get install "${apt_opts[@]}" "${missing[@]}"
fi

