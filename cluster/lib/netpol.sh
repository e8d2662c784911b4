# The NetworkPolicy engine: kube-router's firewall controller (iptables + ipset), built into podlab-k8s
# (cluster/k8s/netpol.go), as a host process beside the bridge CNI; the bridge and kube-proxy do the rest.
# shellcheck shell=bash

start_netpol() {
  # The admin kubeconfig, as a cluster add-on's ServiceAccount would have cluster-wide read of pods,
  # namespaces, nodes and NetworkPolicies; no health or metrics listener (it would bind every interface).
  start kube-router "$K8S_BIN/podlab-k8s" kube-router \
    --kubeconfig="$KUBECONFIG_ADMIN" --hostname-override="$NODE_NAME" \
    --run-firewall=true --run-router=false --run-service-proxy=false \
    --health-port=0 --metrics-port=0 --v=1
  wait_until 60 kube-router "$LOGS/kube-router.log" iptables -S KUBE-ROUTER-FORWARD
}

# Stopping kube-router leaves its chains and ipsets (its own --cleanup-config panics on v2.1.0): remove them.
teardown_netpol() {
  local chain set
  for chain in $(iptables-save -t filter 2>/dev/null | sed -n 's/^:\(KUBE-ROUTER-[A-Z]*\|KUBE-POD-FW-[^ ]*\|KUBE-NWPLCY-[^ ]*\) .*/\1/p'); do
    iptables -F "$chain" 2>/dev/null || true
  done
  # The jumps into them (from INPUT, FORWARD, OUTPUT), as iptables-save quotes them.
  iptables-save -t filter 2>/dev/null | grep -E '^-A (INPUT|FORWARD|OUTPUT) .*-j KUBE-ROUTER-' | sed 's/^-A/-D/' \
    | while read -r rule; do eval "iptables $rule" 2>/dev/null || true; done
  for chain in $(iptables-save -t filter 2>/dev/null | sed -n 's/^:\(KUBE-ROUTER-[A-Z]*\|KUBE-POD-FW-[^ ]*\|KUBE-NWPLCY-[^ ]*\) .*/\1/p'); do
    iptables -X "$chain" 2>/dev/null || true
  done
  for set in $(ipset list -n 2>/dev/null | grep -E '^(KUBE-SRC-|KUBE-DST-|kube-router-)'); do
    ipset destroy "$set" 2>/dev/null || true
  done
}
