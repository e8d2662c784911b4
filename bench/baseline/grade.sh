#!/usr/bin/env bash
# Grading a room the way a workshop team would script it without podlab: kubectl + bash + jq, one namespace
# after the other. It is the baseline `npm run bench` puts beside `podlab grade pod-sandboxing`.
#
#   KUBECONFIG=... bash bench/baseline/grade.sh <label selector>
#
# Per namespace it makes one `kubectl get` (pods and NetworkPolicies together) and execs only where pods
# run, so it is a lower bound on what a script with podlab's checks costs: it reads what the checks read
# but judges less (no hints, no partial answers). Prints "namespace done/total" per namespace.
set -euo pipefail
selector=${1:?usage: grade.sh <label selector>}
node_kernel=$(kubectl get nodes -o jsonpath='{.items[0].status.nodeInfo.kernelVersion}')
sandbox=$(kubectl get runtimeclass -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' | grep -E '^(kata.*|gvisor)$' | head -1 || true)

for ns in $(kubectl get namespaces -l "$selector" -o jsonpath='{.items[*].metadata.name}'); do
  objects=$(kubectl get pods,networkpolicies -n "$ns" -o json)
  phase() { jq -r --arg p "$1" '[.items[] | select(.kind == "Pod" and .metadata.name == $p)][0].status.phase // ""' <<<"$objects"; }
  running() { [[ $(phase "$1") == Running ]]; }
  done=1 # cluster-ready: the RuntimeClass and node were read above
  [[ -n $sandbox ]] || done=0
  if running sandboxed && running normal; then
    ((done += 1))
    [[ $(kubectl exec -n "$ns" normal -- uname -r) == "$node_kernel" && $(kubectl exec -n "$ns" sandboxed -- uname -r) != "$node_kernel" ]] && ((done += 1))
    if running sandboxed-peer; then
      ip=$(jq -r '.items[] | select(.metadata.name == "normal") | .status.podIP' <<<"$objects")
      kubectl exec -n "$ns" sandboxed-peer -- ping -c 1 -W 2 "$ip" >/dev/null 2>&1 && ((done += 1))
    fi
  fi
  [[ $(jq '[.items[] | select(.kind == "NetworkPolicy" and .metadata.name == "isolate-sandboxed")] | length' <<<"$objects") == 1 ]] && ((done += 1))
  running limited && [[ -n $(kubectl exec -n "$ns" limited -- nproc) ]] && ((done += 1))
  running victim && running noisy && ((done += 1))
  [[ $(jq -r '.items[] | select(.metadata.name == "oom") | .status.containerStatuses[0].state.terminated.reason // ""' <<<"$objects") == OOMKilled ]] && ((done += 1))
  [[ -n $(phase host-network) ]] && ((done += 1))
  [[ -n $(phase privileged) ]] && ((done += 1))
  [[ $(jq '[.items[] | select(.kind == "Pod" and .metadata.labels["app.kubernetes.io/part-of"] == "pod-sandboxing")] | length' <<<"$objects") == 0 ]] && ((done += 1))
  echo "$ns $done/11"
done
