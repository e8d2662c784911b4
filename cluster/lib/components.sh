# Kubernetes components: the kubelet config, starting them in order with readiness waits, and health.
# shellcheck shell=bash

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
  start_registry
  start_control_plane
  start_node_components
}

start_control_plane() { # etcd, kube-apiserver, kube-controller-manager, kube-scheduler
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
}

start_node_components() { # containerd, kubelet, kube-proxy, then the Ready node, kube-router and the ServiceAccount
  bash "$repo/cluster/runtime/render-containerd-config.sh" "$STATE" "$GVISOR_BIN" >/dev/null
  start containerd containerd --config "$STATE/containerd/config.toml"
  wait_until 60 containerd "$LOGS/containerd.log" ctr -a "$SOCK" version
  bash "$repo/cluster/images/import-images.sh" "$SOCK" >/dev/null

  start_kubelet
  start kube-proxy "$K8S_BIN/podlab-k8s" kube-proxy \
    --kubeconfig="$STATE/kube-proxy.kubeconfig" --hostname-override="$NODE_NAME" \
    --proxy-mode=iptables --cluster-cidr="$POD_CIDR" \
    --conntrack-max-per-core=0 --healthz-bind-address=127.0.0.1:10256 \
    --metrics-bind-address=127.0.0.1:10249

  wait_until 120 kubelet "$LOGS/kubelet.log" kubelet_registered
  kubectl_admin wait --for=condition=Ready "node/$NODE_NAME" --timeout=180s >/dev/null \
    || die "node $NODE_NAME did not become Ready; see $LOGS/kubelet.log" 3
  start_netpol
  wait_until 60 "the default ServiceAccount" "$LOGS/kube-controller-manager.log" \
    kubectl_admin get serviceaccount default -n default
}

start_kubelet() {
  start kubelet "$K8S_BIN/podlab-k8s" kubelet \
    --config="$STATE/kubelet.yaml" --kubeconfig="$STATE/kubelet.kubeconfig" \
    --root-dir="$STATE/kubelet" --hostname-override="$NODE_NAME" --node-ip="$NODE_IP"
}

# The kubelet exits at once when containerd's CRI does not answer yet ("server is not initialized yet" while
# containerd recovers the sandboxes it had), though `ctr version` already does. A node's unit restarts it;
# so does this wait.
kubelet_registered() {
  alive kubelet || start_kubelet
  kubectl_admin get node "$NODE_NAME"
}

healthy() {
  local c
  for c in "${COMPONENTS[@]}"; do alive "$c" || return 1; done
  kubectl_admin get --raw /readyz >/dev/null 2>&1 || return 1
  [[ $(kubectl_admin get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == True ]]
}
