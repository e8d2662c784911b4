#!/usr/bin/env bash
# The embedded single-node Kubernetes: podlab-cluster.sh up [--profile default|aks]|down [--purge]|status|env
#
# Real upstream components (one multi-call binary built from k8s.io/kubernetes, see cluster/k8s),
# embedded etcd 3.5, Debian's containerd + runc + CNI plugins, and gVisor runsc as the sandbox
# RuntimeClass `gvisor`; kube-router's firewall enforces NetworkPolicy. Everything stays on this machine: the
# node address lives on a port-less bridge, pods get routes only to pod, service and node addresses, and
# the lab image is pulled from a registry on 127.0.0.1 only.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
STATE=${PODLAB_STATE_DIR:-/var/lib/podlab/cluster}
RUN=/run/podlab
PKI=$STATE/pki
LOGS=$STATE/logs
PIDS=$RUN/pids
SOCK=$RUN/containerd/containerd.sock
KUBECONFIG_ADMIN=$STATE/admin.kubeconfig

NODE_NAME=podlab
NODE_IP=10.243.0.1
NODE_DEV=podlab-node
POD_CIDR=10.244.0.0/16
NODE_POD_CIDR=10.244.0.0/24
POD_GATEWAY=10.244.0.1
POD_BRIDGE=podlab-br0
SVC_CIDR=10.96.0.0/16
SVC_API_IP=10.96.0.1
API=https://$NODE_IP:6443
EGRESS_CHAIN=PODLAB-EGRESS

# Order matters: started in this order, stopped in reverse.
COMPONENTS=(registry etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy kube-router)

say() { echo "podlab cluster: $*" >&2; }
die() { say "$*"; exit "${2:-1}"; }

# Function groups, one file per job.
# shellcheck source=cluster/lib/process.sh
source "$repo/cluster/lib/process.sh"
# shellcheck source=cluster/lib/pki.sh
source "$repo/cluster/lib/pki.sh"
# shellcheck source=cluster/lib/network.sh
source "$repo/cluster/lib/network.sh"
# shellcheck source=cluster/lib/components.sh
source "$repo/cluster/lib/components.sh"
# shellcheck source=cluster/lib/netpol.sh
source "$repo/cluster/lib/netpol.sh"
# shellcheck source=cluster/lib/profile.sh
source "$repo/cluster/lib/profile.sh"
# shellcheck source=cluster/lib/registry.sh
source "$repo/cluster/lib/registry.sh"
# shellcheck source=cluster/lib/teardown.sh
source "$repo/cluster/lib/teardown.sh"

# ---------------------------------------------------------------- build inputs

prepare_binaries() {
  bash "$repo/cluster/runtime/install-deps.sh"
  local built
  built=$(bash "$repo/cluster/scripts/build-binaries.sh") || die "building the cluster's binaries failed (see above)" 3
  K8S_BIN=$(sed -n 's/^K8S_BIN=//p' <<<"$built")
  GVISOR_BIN=$(sed -n 's/^GVISOR_BIN=//p' <<<"$built")
  # Its last line is the lab image's archive, which the registry serves (push_lab_image).
  LAB_IMAGE_TAR=$(bash "$repo/cluster/images/build-images.sh" | tail -n 1)
  export PATH="$K8S_BIN:$GVISOR_BIN:$PATH"
}

kubectl_admin() { "$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }

# ---------------------------------------------------------------- commands

cmd_up() {
  local began=$SECONDS profile=default was
  if [[ ${1:-} == --profile ]]; then profile=${2:-}; elif [[ ${1:-} == --profile=* ]]; then profile=${1#--profile=}; elif [[ -n ${1:-} ]]; then
    die "unknown option '$1' (usage: up [--profile default|aks])" 2
  fi
  check_profile "$profile"
  [[ $EUID -eq 0 ]] || die "cluster up needs root (network namespaces, mounts, cgroups)" 3
  prepare_binaries
  if [[ -f $KUBECONFIG_ADMIN ]] && healthy; then
    push_lab_image # a rebuilt lab image reaches the running registry
    was=$(current_profile)
    if [[ $was != "$profile" ]]; then
      say "running with profile $was: re-applying profile $profile (RuntimeClass, node labels); pods already running keep their RuntimeClass"
      apply_profile "$profile"
    fi
    say "already running, profile $profile (KUBECONFIG=$KUBECONFIG_ADMIN)"
    return
  fi
  # Whatever a previous boot left (dead processes, mounts, netns) goes first; etcd data is
  # wiped too, so every up starts from an empty cluster.
  cmd_down >/dev/null 2>&1 || true
  rm -rf "$STATE/etcd" "$STATE/kubelet" "$STATE/containerd/root" "$LOGS"
  mkdir -p "$STATE" "$LOGS"
  ports_free
  make_pki
  setup_network
  write_configs
  start_components
  apply_profile "$profile"
  say "profile $profile"
  say "up in $((SECONDS - began))s: $(kubectl_admin get node "$NODE_NAME" --no-headers | awk '{print $1, $2, $5}')"
  say "KUBECONFIG=$KUBECONFIG_ADMIN"
}

cmd_down() {
  local purge=${1:-}
  K8S_BIN=$(bash "$repo/cluster/scripts/build-k8s.sh" --path)
  local i
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    [[ ${COMPONENTS[i]} == containerd ]] && kill_pods
    stop "${COMPONENTS[i]}"
  done
  kill_pods
  reap_orphans
  unmount_all
  teardown_network
  rm -rf "$RUN" /var/log/pods /var/log/containers
  if [[ $purge == --purge ]]; then
    rm -rf "$STATE"
    say "stopped and purged $STATE"
  else
    say "stopped (state kept in $STATE; 'down --purge' wipes it)"
  fi
}

cmd_status() {
  K8S_BIN=$(bash "$repo/cluster/scripts/build-k8s.sh" --path)
  local c rc=0
  for c in "${COMPONENTS[@]}"; do
    if alive "$c"; then echo "$c: running (pid $(pid_of "$c"))"; else echo "$c: stopped"; rc=3; fi
  done
  if [[ -x $K8S_BIN/kubectl ]] && kubectl_admin get --raw /readyz >/dev/null 2>&1; then
    echo "apiserver: ready at $API"
    kubectl_admin get nodes --no-headers 2>/dev/null | sed 's/^/node: /'
    echo "profile: $(current_profile)"
  else
    echo "apiserver: not ready"; rc=3
  fi
  ((rc == 0)) && healthy || rc=3
  return $rc
}

cmd_env() {
  K8S_BIN=$(bash "$repo/cluster/scripts/build-k8s.sh" --path)
  echo "export KUBECONFIG=$KUBECONFIG_ADMIN"
  echo "export PATH=$K8S_BIN:\$PATH"
}

case ${1:-} in
  up) cmd_up "${@:2}" ;;
  down) cmd_down "${2:-}" ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) echo "usage: podlab-cluster.sh up [--profile default|aks]|down [--purge]|status|env" >&2; exit 2 ;;
esac
