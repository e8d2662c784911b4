# Host networking: the node bridge, pod egress iptables chain, the CNI config, and their teardown.
# shellcheck shell=bash

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
  teardown_netpol
  while iptables -D FORWARD -s "$POD_CIDR" -j "$EGRESS_CHAIN" 2>/dev/null; do :; done
  iptables -F "$EGRESS_CHAIN" 2>/dev/null || true
  iptables -X "$EGRESS_CHAIN" 2>/dev/null || true
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '/^cni-/ {print $1}'); do ip netns delete "$ns" 2>/dev/null || true; done
  ip link del "$POD_BRIDGE" 2>/dev/null || true
  ip link del "$NODE_DEV" 2>/dev/null || true
  rm -rf "$STATE/cni/ipam"
}
