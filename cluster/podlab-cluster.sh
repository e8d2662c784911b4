#!/usr/bin/env bash
# The embedded single-node Kubernetes: podlab-cluster.sh up|down [--purge]|status|env
#
# Real upstream components (one multi-call binary built from k8s.io/kubernetes, see cluster/k8s),
# embedded etcd 3.5, Debian's containerd + runc + CNI plugins, and gVisor runsc as the sandbox
# RuntimeClass `gvisor`. Everything stays on this machine: the node address lives on a port-less
# bridge, pods get routes only to pod, service and node addresses, and nothing pulls images.
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
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy)

say() { echo "podlab cluster: $*" >&2; }
die() { say "$*"; exit "${2:-1}"; }

# ---------------------------------------------------------------- processes

pid_of() { [[ -f $PIDS/$1 ]] && cat "$PIDS/$1" || true; }
alive() { local pid; pid=$(pid_of "$1"); [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; }

start() { # start NAME CMD...: a detached background process with a pid file and a log
  local name=$1; shift
  if alive "$name"; then return; fi
  mkdir -p "$PIDS" "$LOGS"
  setsid "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$PIDS/$name"
}

stop() { # stop NAME: SIGTERM, then SIGKILL after a grace period
  local name=$1 pid i
  pid=$(pid_of "$name")
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDS/$name"
}

# What the components listen on (loopback or the node address). After `down` stopped ours, a listener on one
# of these is another program's (often another local cluster), and the component would die at start-up.
PORTS=(2379:etcd 2380:etcd 6443:kube-apiserver 10257:kube-controller-manager 10259:kube-scheduler
  10250:kubelet 10248:kubelet 10249:kube-proxy 10256:kube-proxy)
ports_free() {
  local entry port holder
  for entry in "${PORTS[@]}"; do
    port=${entry%%:*}
    holder=$(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -1 \
      | sed 's/users:(("\(.*\)",pid=\([0-9]*\)/\1, pid \2/' || true)
    [[ -z $holder ]] || die "port $port, which ${entry#*:} needs, is taken by another process ($holder): stop it, then run \`podlab cluster up\` again" 3
  done
}

wait_until() { # wait_until SECONDS WHAT LOG CMD...: readiness probe of a starting component
  local deadline=$((SECONDS + $1)) what=$2 log=$3; shift 3
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      tail -n 15 "$log" >&2 2>/dev/null || true
      die "$what did not become ready in time; see $log" 3
    fi
    sleep 0.5
  done
}

# ---------------------------------------------------------------- build inputs

prepare_binaries() {
  bash "$repo/cluster/runtime/install-deps.sh"
  K8S_BIN=$(bash "$repo/cluster/scripts/build-k8s.sh" | tail -n 1)
  GVISOR_BIN=$(bash "$repo/cluster/runtime/build-gvisor.sh" | tail -n 1)
  bash "$repo/cluster/images/build-images.sh" >/dev/null
  export PATH="$K8S_BIN:$GVISOR_BIN:$PATH"
}

kubectl_admin() { "$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }

# ---------------------------------------------------------------- certificates

cert() { # cert NAME CN [O] [SANS]: a key and certificate signed by the podlab CA
  local name=$1 cn=$2 org=${3:-} sans=${4:-} subj ext
  [[ -f $PKI/$name.crt ]] && return
  subj="/CN=$cn"; [[ -n $org ]] && subj="/O=$org$subj"
  ext=$(mktemp)
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth,clientAuth"
    [[ -n $sans ]] && echo "subjectAltName=$sans"
  } > "$ext"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" -subj "$subj" \
    -out "$PKI/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -extfile "$ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$ext" "$PKI/$name.csr"
}

kubeconfig() { # kubeconfig NAME CERT: a kubeconfig using the client certificate CERT
  local file=$STATE/$1.kubeconfig cert=$2
  [[ -f $file ]] && return
  cat > "$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: podlab
  cluster:
    server: $API
    certificate-authority-data: $(base64 -w0 < "$PKI/ca.crt")
users:
- name: $1
  user:
    client-certificate-data: $(base64 -w0 < "$PKI/$cert.crt")
    client-key-data: $(base64 -w0 < "$PKI/$cert.key")
contexts:
- name: podlab
  context: {cluster: podlab, user: $1}
current-context: podlab
EOF
  chmod 600 "$file"
}

make_pki() {
  mkdir -p "$PKI"; chmod 700 "$PKI"
  if [[ ! -f $PKI/ca.crt ]]; then
    openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -days 3650 \
      -subj "/CN=podlab-ca" -out "$PKI/ca.crt" 2>/dev/null
  fi
  [[ -f $PKI/sa.key ]] || openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  [[ -f $PKI/sa.pub ]] || openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  cert apiserver kube-apiserver "" \
    "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:$NODE_IP,IP:$SVC_API_IP,IP:127.0.0.1"
  cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
  cert admin podlab-admin system:masters
  cert kubelet "system:node:$NODE_NAME" system:nodes "DNS:$NODE_NAME,IP:$NODE_IP"
  cert controller-manager system:kube-controller-manager
  cert scheduler system:kube-scheduler
  cert kube-proxy system:kube-proxy
  kubeconfig admin admin
  kubeconfig kubelet kubelet
  kubeconfig controller-manager controller-manager
  kubeconfig scheduler scheduler
  kubeconfig kube-proxy kube-proxy
}

# ---------------------------------------------------------------- network

setup_network() {
  if ! ip link show "$NODE_DEV" >/dev/null 2>&1; then
    ip link add "$NODE_DEV" type bridge
  fi
  ip addr replace "$NODE_IP/32" dev "$NODE_DEV"
  ip link set "$NODE_DEV" up
  sysctl -qw net.ipv4.ip_forward=1
  sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || say "warning: bridge netfilter unavailable; Services between pods may not answer"
  # Pods may talk to pods, Services and the node; anything else they send is dropped here.
  iptables -N "$EGRESS_CHAIN" 2>/dev/null || iptables -F "$EGRESS_CHAIN"
  iptables -A "$EGRESS_CHAIN" -d "$POD_CIDR" -j RETURN
  iptables -A "$EGRESS_CHAIN" -d "$SVC_CIDR" -j RETURN
  iptables -A "$EGRESS_CHAIN" -d "$NODE_IP" -j RETURN
  iptables -A "$EGRESS_CHAIN" -j DROP
  iptables -C FORWARD -s "$POD_CIDR" -j "$EGRESS_CHAIN" 2>/dev/null \
    || iptables -I FORWARD 1 -s "$POD_CIDR" -j "$EGRESS_CHAIN"

  mkdir -p "$STATE/cni/net.d"
  cat > "$STATE/cni/net.d/10-podlab.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "podlab",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$POD_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$NODE_POD_CIDR", "gateway": "$POD_GATEWAY" }]],
        "routes": [{ "dst": "$POD_CIDR" }, { "dst": "$SVC_CIDR" }, { "dst": "$NODE_IP/32" }],
        "dataDir": "$STATE/cni/ipam"
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
}

teardown_network() {
  "$K8S_BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true
  while iptables -D FORWARD -s "$POD_CIDR" -j "$EGRESS_CHAIN" 2>/dev/null; do :; done
  iptables -F "$EGRESS_CHAIN" 2>/dev/null || true
  iptables -X "$EGRESS_CHAIN" 2>/dev/null || true
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '/^cni-/ {print $1}'); do ip netns delete "$ns" 2>/dev/null || true; done
  ip link del "$POD_BRIDGE" 2>/dev/null || true
  ip link del "$NODE_DEV" 2>/dev/null || true
  rm -rf "$STATE/cni/ipam"
}

# ---------------------------------------------------------------- components

write_configs() {
  : > "$STATE/resolv.conf"  # pods get no upstream DNS server
  cat > "$STATE/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $PKI/kubelet.crt
tlsPrivateKeyFile: $PKI/kubelet.key
address: $NODE_IP
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://$SOCK
resolvConf: $STATE/resolv.conf
clusterDomain: cluster.local
# Never collect images: the local pause and lab images cannot be pulled again.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
serializeImagePulls: false
protectKernelDefaults: false
EOF
}

start_components() {
  mkdir -p "$STATE/etcd" "$STATE/kubelet" "$RUN/containerd"
  start etcd "$K8S_BIN/podlab-k8s" etcd --data-dir "$STATE/etcd"
  wait_until 60 etcd "$LOGS/etcd.log" grep -q "ready on" "$LOGS/etcd.log"

  start kube-apiserver "$K8S_BIN/podlab-k8s" kube-apiserver \
    --etcd-servers=http://127.0.0.1:2379 \
    --bind-address="$NODE_IP" --advertise-address="$NODE_IP" --secure-port=6443 \
    --service-cluster-ip-range="$SVC_CIDR" \
    --client-ca-file="$PKI/ca.crt" \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" \
    --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority="$PKI/ca.crt" \
    --kubelet-preferred-address-types=InternalIP \
    --service-account-key-file="$PKI/sa.pub" \
    --service-account-signing-key-file="$PKI/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --authorization-mode=Node,RBAC \
    --enable-admission-plugins=NodeRestriction \
    --allow-privileged=true \
    --profiling=false
  wait_until 120 kube-apiserver "$LOGS/kube-apiserver.log" kubectl_admin get --raw /readyz

  start kube-controller-manager "$K8S_BIN/podlab-k8s" kube-controller-manager \
    --kubeconfig="$STATE/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$STATE/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$STATE/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false \
    --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --use-service-account-credentials=true \
    --allocate-node-cidrs=true --cluster-cidr="$POD_CIDR" --node-cidr-mask-size=24 \
    --service-cluster-ip-range="$SVC_CIDR" --profiling=false
  start kube-scheduler "$K8S_BIN/podlab-k8s" kube-scheduler \
    --kubeconfig="$STATE/scheduler.kubeconfig" \
    --authentication-kubeconfig="$STATE/scheduler.kubeconfig" \
    --authorization-kubeconfig="$STATE/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --profiling=false

  bash "$repo/cluster/runtime/render-containerd-config.sh" "$STATE" "$GVISOR_BIN" >/dev/null
  start containerd containerd --config "$STATE/containerd/config.toml"
  wait_until 60 containerd "$LOGS/containerd.log" ctr -a "$SOCK" version
  bash "$repo/cluster/images/import-images.sh" "$SOCK" >/dev/null

  start kubelet "$K8S_BIN/podlab-k8s" kubelet \
    --config="$STATE/kubelet.yaml" --kubeconfig="$STATE/kubelet.kubeconfig" \
    --root-dir="$STATE/kubelet" --hostname-override="$NODE_NAME" --node-ip="$NODE_IP"
  start kube-proxy "$K8S_BIN/podlab-k8s" kube-proxy \
    --kubeconfig="$STATE/kube-proxy.kubeconfig" --hostname-override="$NODE_NAME" \
    --proxy-mode=iptables --cluster-cidr="$POD_CIDR" \
    --conntrack-max-per-core=0 --healthz-bind-address=127.0.0.1:10256 \
    --metrics-bind-address=127.0.0.1:10249

  wait_until 120 kubelet "$LOGS/kubelet.log" kubectl_admin get node "$NODE_NAME"
  kubectl_admin wait --for=condition=Ready "node/$NODE_NAME" --timeout=180s >/dev/null \
    || die "node $NODE_NAME did not become Ready; see $LOGS/kubelet.log" 3
  kubectl_admin apply -f - >/dev/null <<EOF
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: gvisor
  labels: {app.kubernetes.io/part-of: podlab-cluster}
handler: runsc
# gVisor's Sentry and Gofer live in the pod's cgroup beside the workload; account for them.
overhead:
  podFixed: {memory: 64Mi, cpu: 50m}
EOF
  wait_until 60 "the default ServiceAccount" "$LOGS/kube-controller-manager.log" \
    kubectl_admin get serviceaccount default -n default
}

healthy() {
  local c
  for c in "${COMPONENTS[@]}"; do alive "$c" || return 1; done
  kubectl_admin get --raw /readyz >/dev/null 2>&1 || return 1
  [[ $(kubectl_admin get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == True ]]
}

# ---------------------------------------------------------------- teardown

kill_pods() { # every process in a pod cgroup, then the shims and sandboxes containerd started
  local procs pid
  procs=$(cat /sys/fs/cgroup/pids/kubepods*/cgroup.procs /sys/fs/cgroup/pids/kubepods*/*/cgroup.procs \
    /sys/fs/cgroup/pids/kubepods*/*/*/cgroup.procs /sys/fs/cgroup/pids/kubepods*/*/*/*/cgroup.procs 2>/dev/null || true)
  for pid in $procs; do kill -KILL "$pid" 2>/dev/null || true; done
  pkill -KILL -f "containerd-shim.*-address $SOCK" 2>/dev/null || true
  pkill -KILL -f "runsc.*--root=$RUN/" 2>/dev/null || true
  pkill -KILL -f "runsc-(sandbox|gofer).*$RUN/" 2>/dev/null || true
}

unmount_all() {
  local target
  for target in $(findmnt -rn -o TARGET | grep -E "^($STATE|$RUN|/run/netns/cni-|/var/run/netns/cni-)" | sort -r); do
    umount -l "$target" 2>/dev/null || true
  done
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

# ---------------------------------------------------------------- commands

cmd_up() {
  local began=$SECONDS
  [[ $EUID -eq 0 ]] || die "cluster up needs root (network namespaces, mounts, cgroups)" 3
  prepare_binaries
  if [[ -f $KUBECONFIG_ADMIN ]] && healthy; then
    say "already running (KUBECONFIG=$KUBECONFIG_ADMIN)"
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
  say "up in $((SECONDS - began))s: $(kubectl_admin get node "$NODE_NAME" --no-headers | awk '{print $1, $2, $5}')"
  say "KUBECONFIG=$KUBECONFIG_ADMIN"
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
  up) cmd_up ;;
  down) cmd_down "${2:-}" ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) echo "usage: podlab-cluster.sh up|down [--purge]|status|env" >&2; exit 2 ;;
esac
