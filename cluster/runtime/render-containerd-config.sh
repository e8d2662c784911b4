#!/usr/bin/env bash
# Render the embedded cluster's containerd 1.6 config (and gVisor's runsc.toml).
#
#   render-containerd-config.sh STATE_DIR GVISOR_BIN_DIR
#
# Writes:
#   STATE_DIR/containerd/config.toml   containerd config (version = 2)
#   STATE_DIR/containerd/runsc.toml    options for containerd-shim-runsc-v1
# and prints the config.toml path.
#
# Start containerd (the cluster scripts do this) with gVisor's directory on
# PATH, so that containerd finds `containerd-shim-runsc-v1` for the
# io.containerd.runsc.v1 runtime (nothing is symlinked into /usr/local/bin):
#
#   mkdir -p /run/podlab/containerd
#   PATH="$GVISOR_BIN_DIR:$PATH" containerd --config "$STATE_DIR/containerd/config.toml" \
#     >"$STATE_DIR/containerd.log" 2>&1 &
#
# Optional overrides (for a second, private instance, e.g. tests):
#   PODLAB_CONTAINERD_RUN   run dir (default /run/podlab/containerd): holds
#                           state/, containerd.sock and runsc/ (runsc's root)
#   PODLAB_RUNSC_PLATFORM   gVisor platform (default systrap; kvm hangs in
#                           this Firecracker VM: no nested virtualisation)
#
#   PODLAB_REGISTRY         the loopback registry (default 127.0.0.1:5000),
#                           reached over plain HTTP (certs.d/<host>/hosts.toml)
#
# The ACR name the Pod Sandboxing text computes without ACR_NAME,
# myregistry.azurecr.io, is served by the loopback registry too (its only
# host, no fallback): under `cluster up --profile aks` the AKS text's
# LAB_IMAGE pulls as on AKS, and nothing is ever fetched from Azure.
#
# Runtimes for the CRI: "runc" (default, io.containerd.runc.v2, cgroupfs),
# "runsc" (gVisor, io.containerd.runsc.v1): RuntimeClass handler `runsc`, and
# "kata", gVisor again under the handler name AKS's RuntimeClass
# kata-vm-isolation uses (for `cluster up --profile aks`).
# Pulls: only from the loopback registry; the sandbox image is local, no mirrors.
set -euo pipefail

die() { echo "render-containerd-config: $*" >&2; exit 1; }

[[ $# -eq 2 ]] || die "usage: $0 STATE_DIR GVISOR_BIN_DIR"
state="$(realpath -m "$1")"
gvisor="$(realpath -m "$2")"
[[ -x "$gvisor/runsc" ]] || die "$gvisor/runsc not found (run cluster/runtime/build-gvisor.sh)"
[[ -x "$gvisor/containerd-shim-runsc-v1" ]] || die "$gvisor/containerd-shim-runsc-v1 not found"

run="${PODLAB_CONTAINERD_RUN:-/run/podlab/containerd}"
platform="${PODLAB_RUNSC_PLATFORM:-systrap}"
registry="${PODLAB_REGISTRY:-127.0.0.1:5000}"
dir="$state/containerd"
for host in "$registry" myregistry.azurecr.io; do
  mkdir -p "$dir/certs.d/$host"
  cat >"$dir/certs.d/$host/hosts.toml" <<EOF
# $host: the podlab loopback registry, over plain HTTP (written by render-containerd-config.sh)
server = "http://$registry"

[host."http://$registry"]
  capabilities = ["pull", "resolve"]
EOF
done
mkdir -p "$dir/root" "$state/cni/net.d" "$run"

cat >"$dir/runsc.toml" <<EOF
# containerd-shim-runsc-v1 options (written by podlab render-containerd-config.sh)
binary_name = "$gvisor/runsc"
root = "$run/runsc"

[runsc_config]
  platform = "$platform"
  # Raw sockets, so that ping works inside the sandbox.
  net-raw = "true"
EOF

cat >"$dir/config.toml" <<EOF
# containerd 1.6 config for the podlab embedded cluster
# (written by podlab render-containerd-config.sh; start with $gvisor on PATH)
version = 2
root = "$dir/root"
state = "$run/state"

[grpc]
  address = "$run/containerd.sock"

[ttrpc]
  address = ""

[debug]
  address = ""
  level = "info"

[plugins]
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "localhost/podlab-pause:3.10"
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    enable_selinux = false
    # This host denies CAP_SYS_RESOURCE: a negative oom_score_adj (kubelet
    # asks -998 for sandboxes) would fail container creation. Clamp instead.
    restrict_oom_score_adj = true
    max_container_log_line_size = 16384

    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      discard_unpacked_layers = false

      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          SystemdCgroup = false

      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runsc]
        runtime_type = "io.containerd.runsc.v1"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runsc.options]
          TypeUrl = "io.containerd.runsc.v1.options"
          ConfigPath = "$dir/runsc.toml"

      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata]
        runtime_type = "io.containerd.runsc.v1"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata.options]
          TypeUrl = "io.containerd.runsc.v1.options"
          ConfigPath = "$dir/runsc.toml"

    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = "$state/cni/net.d"
      max_conf_num = 1

    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = "$dir/certs.d"
EOF

echo "$dir/config.toml"
