#!/usr/bin/env bash
# The Pod Sandboxing lab as a workshop team would script it without podlab: kubectl + bash, one step after
# the other, the commands of labs/pod-sandboxing/*.md with the assertions of scenarios/pod-sandboxing/*.ts.
# It is the baseline `npm run bench` compares `podlab run pod-sandboxing` against, so it does the same
# steps and checks, in the same order, and nothing more.
#
#   KUBECONFIG=... bash bench/baseline/pod-sandboxing.sh
#
# Needs kubectl and envsubst on PATH. Prints one line per step; exits 1 when a check fails (0 when every
# check passes or is skipped), and always deletes its namespace, waiting until it is gone.
set -euo pipefail
cd "$(dirname "$0")/../.."

M=manifests/pod-sandboxing
LABEL=app.kubernetes.io/part-of=pod-sandboxing
NS=bench-pod-sandboxing-$(date +%s)-$RANDOM
export NS

ok() { echo "ok - $1${2:+ # $2}"; }
skip() { echo "ok - $1 # SKIP $2"; }
fail() { echo "not ok - $1: $2" >&2; exit 1; }
export LAB_IMAGE=${LAB_IMAGE:-127.0.0.1:5000/podlab-lab:1.0}
apply() { envsubst < "$M/$1" | kubectl apply -n "$NS" -f - >/dev/null; }
podip() { kubectl get pod -n "$NS" "$1" -o jsonpath='{.status.podIP}'; }
field() { kubectl get pod -n "$NS" "$1" -o jsonpath="$2"; }
# Kubernetes quantity -> bytes (memory) or cores (cpu)
quantity() {
  awk -v q="$1" 'BEGIN {
    if (q == "") { print 0; exit }
    match(q, /^[0-9.]+/); n = substr(q, 1, RLENGTH); u = substr(q, RLENGTH + 1)
    f["m"] = 0.001; f["k"] = 1e3; f["M"] = 1e6; f["G"] = 1e9; f["Ki"] = 1024; f["Mi"] = 1048576; f["Gi"] = 1073741824
    printf "%.3f\n", n * (u == "" ? 1 : f[u])
  }'
}
median() { sort -n | sed -n 3p; }

cleanup() {
  trap - EXIT INT TERM
  kubectl delete namespace "$NS" --ignore-not-found --wait=true --timeout=150s >/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- setup: cluster-ready ------------------------------------------------------------------------------
# The lab's local text starts the embedded cluster (`podlab cluster up`: on a running one, a health check).
if [[ ${KUBECONFIG:-} == "${PODLAB_STATE_DIR:-/var/lib/podlab/cluster}/admin.kubeconfig" ]]; then
  bash cluster/podlab-cluster.sh up >/dev/null 2>&1 || fail cluster-ready "podlab cluster up failed"
fi
if [[ -z ${RUNTIME_CLASS:-} ]]; then
  RUNTIME_CLASS=$(kubectl get runtimeclass -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' \
    | grep -E '^(kata-vm-isolation|kata-mshv-vm-isolation|kata.*|gvisor)$' | head -1 || true)
fi
export RUNTIME_CLASS
[[ -n $RUNTIME_CLASS ]] || fail cluster-ready "no sandbox RuntimeClass (kata-*, gvisor)"
selector=$(kubectl get runtimeclass "$RUNTIME_CLASS" -o go-template='{{if .scheduling}}{{range $k, $v := .scheduling.nodeSelector}}{{$k}}={{$v}},{{end}}{{end}}')
# Ready and schedulable (a missing spec.unschedulable prints as an empty field, hence the tabs)
ready_nodes=$(kubectl get nodes ${selector:+-l "${selector%,}"} \
  -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.spec.unschedulable}{"\t"}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' \
  | awk -F'\t' '$2 != "true" && $3 == "True"' | wc -l)
((ready_nodes > 0)) || fail cluster-ready "no Ready node for $RUNTIME_CLASS"
ok cluster-ready "$RUNTIME_CLASS"

kubectl create namespace "$NS" >/dev/null
kubectl label namespace "$NS" podlab-bench=baseline >/dev/null
# Pods are refused until the namespace's default ServiceAccount exists.
for _ in $(seq 150); do kubectl get serviceaccount default -n "$NS" >/dev/null 2>&1 && break; sleep 0.2; done

# --- deploy: deploy-pods -------------------------------------------------------------------------------
apply pods.yaml
kubectl wait -n "$NS" --for=condition=Ready pod/sandboxed pod/normal --timeout=180s >/dev/null
for pod in sandboxed normal; do
  spec=$(field $pod '{.spec.containers[0].image} {.spec.containers[0].command[*]} {.spec.containers[0].args[*]}')
  [[ ${spec% } == "$LAB_IMAGE sleep 3600" ]] || fail deploy-pods "$pod: image and command are $spec"
done
[[ $(field sandboxed '{.spec.runtimeClassName}') == "$RUNTIME_CLASS" ]] || fail deploy-pods "sandboxed does not use $RUNTIME_CLASS"
[[ -z $(field normal '{.spec.runtimeClassName}') ]] || fail deploy-pods "normal has a runtimeClassName"
ok deploy-pods

# --- deploy: runtimeclass-scheduling --------------------------------------------------------------------
kubectl get runtimeclass "$RUNTIME_CLASS" -o jsonpath='{.scheduling}{"\n"}' >/dev/null
kubectl get pod -n "$NS" sandboxed -o jsonpath='{.spec.nodeSelector}{"\n"}{.spec.nodeName}{"\n"}' >/dev/null
node=$(field sandboxed '{.spec.nodeName}')
labels=$(kubectl get node "$node" -o go-template='{{range $k, $v := .metadata.labels}}{{$k}}={{$v}},{{end}}')
for kv in ${selector//,/ }; do
  [[ ",$labels" == *",$kv,"* ]] || fail runtimeclass-scheduling "node $node lacks the RuntimeClass's label $kv"
done
ok runtimeclass-scheduling "${selector:-no nodeSelector: any node matches}"

# --- kernel-isolation: compare-kernels -----------------------------------------------------------------
node_kernel() { kubectl get node "$(field "$1" '{.spec.nodeName}')" -o jsonpath='{.status.nodeInfo.kernelVersion}'; }
normal_node=$(node_kernel normal)
normal_kernel=$(kubectl exec -n "$NS" normal -- uname -r)
sandboxed_node=$(node_kernel sandboxed)
sandboxed_kernel=$(kubectl exec -n "$NS" sandboxed -- uname -r)
[[ $normal_kernel == "$normal_node" ]] || fail compare-kernels "normal pod kernel $normal_kernel, node $normal_node"
[[ $sandboxed_kernel != "$sandboxed_node" ]] || fail compare-kernels "sandboxed pod reports the node's kernel $sandboxed_node"
ok compare-kernels "normal $normal_kernel = node, sandboxed $sandboxed_kernel"

# --- network: ping-pods, isolate-sandboxed -------------------------------------------------------------
apply sandboxed-peer.yaml
kubectl wait -n "$NS" --for=condition=Ready pod/sandboxed-peer --timeout=120s >/dev/null
for route in sandboxed:normal normal:sandboxed sandboxed:sandboxed-peer; do
  from=${route%%:*} to=${route#*:}
  kubectl exec -n "$NS" "$from" -- ping -c 3 -W 2 "$(podip "$to")" >/dev/null || fail ping-pods "no answer $from -> $to"
done
ok ping-pods

kubectl apply -n "$NS" -f $M/isolate-sandboxed.yaml >/dev/null
kubectl get networkpolicy -n "$NS" isolate-sandboxed >/dev/null
if kubectl exec -n "$NS" normal -- ping -c 2 -W 2 "$(podip sandboxed)" >/dev/null 2>&1; then
  skip isolate-sandboxed "cluster does not enforce NetworkPolicy: the ping still got through"
else
  ok isolate-sandboxed
fi

# --- resources: guest-resources ------------------------------------------------------------------------
apply limited.yaml
kubectl wait -n "$NS" --for=condition=Ready pod/limited --timeout=120s >/dev/null
nproc=$(kubectl exec -n "$NS" limited -- nproc)
mem_kib=$(kubectl exec -n "$NS" limited -- cat /proc/meminfo | awk '/^MemTotal:/ {print $2}')
kubectl exec -n "$NS" limited -- sh -c 'for f in memory/memory.limit_in_bytes cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us memory.max cpu.max; do [ -r /sys/fs/cgroup/$f ] && echo "$f $(cat /sys/fs/cgroup/$f)"; done; true' >/dev/null
cpu_limit=$(quantity "$(field limited '{.spec.containers[0].resources.limits.cpu}')")
mem_limit=$(quantity "$(field limited '{.spec.containers[0].resources.limits.memory}')")
mem_overhead=$(quantity "$(field limited '{.spec.overhead.memory}')")
node_cpus=$(kubectl get node "$(field limited '{.spec.nodeName}')" -o jsonpath='{.status.capacity.cpu}')
[[ $mem_limit != 0.000 ]] || fail guest-resources "pod limited has no memory limit"
case $RUNTIME_CLASS in
  kata*)
    awk -v n="$nproc" -v c="$cpu_limit" -v m="$mem_kib" -v l="$mem_limit" -v o="$mem_overhead" 'BEGIN {
      want = int(c); if (want < c) want++
      exit !(n == want && m * 1024 >= 0.6 * l && m * 1024 <= l + o + 64 * 1048576) }' \
      || fail guest-resources "nproc $nproc, MemTotal $mem_kib kB do not follow the Kata rule"
    ;;
  *)
    awk -v n="$nproc" -v nc="$node_cpus" -v m="$mem_kib" -v l="$mem_limit" -v o="$mem_overhead" 'BEGIN {
      want = int((l + o) / 1048576 + 0.5); got = int(m / 1024 + 0.5); d = got - want; if (d < 0) d = -d
      tol = want * 0.05; if (tol < 8) tol = 8
      exit !(d <= tol && n == nc) }' \
      || fail guest-resources "nproc $nproc (node $node_cpus), MemTotal $mem_kib kB vs limit+overhead $mem_limit+$mem_overhead"
    ;;
esac
ok guest-resources "nproc $nproc, MemTotal $((mem_kib / 1024)) MiB"

# --- noisy-neighbour: noisy-neighbour, oom-killed ------------------------------------------------------
samples() { # N stress-ng runs in one exec, as the lab's text takes them
  local ops
  ops=$(kubectl exec -n "$NS" victim -- sh -c "for i in \$(seq $1); do stress-ng --cpu 1 --timeout 2s --metrics-brief 2>&1; done" | awk '$4 == "cpu" {print $9}')
  [[ $(wc -l <<<"$ops") == "$1" ]] || fail noisy-neighbour "cannot read stress-ng metrics"
  echo "$ops"
}
apply victim.yaml
kubectl wait -n "$NS" --for=condition=Ready pod/victim --timeout=120s >/dev/null
quiet=$(samples 5)
baseline=$(median <<<"$quiet" | awk '{printf "%d\n", $1 + 0.5}')
kubectl annotate pod victim -n "$NS" pod-sandboxing/baseline-bogo-ops="$baseline" \
  pod-sandboxing/baseline-samples="[$(paste -sd, <<<"$quiet")]" >/dev/null
apply noisy.yaml
kubectl wait -n "$NS" --for=condition=Ready pod/noisy --timeout=120s >/dev/null
during=$(samples 5 | median)
awk -v d="$during" -v b="$baseline" 'BEGIN { exit !(d >= 0.5 * b) }' \
  || fail noisy-neighbour "median $during bogo ops/s under noise, below half the quiet $baseline"
# The lab's "Try it": the same noisy pod without its limits, sampled, then the limited one back.
kubectl delete pod -n "$NS" noisy >/dev/null
sed '/limits:/d' "$M/noisy.yaml" | envsubst | kubectl apply -n "$NS" -f - >/dev/null
kubectl wait -n "$NS" --for=condition=Ready pod/noisy --timeout=120s >/dev/null
samples 3 >/dev/null
kubectl delete pod -n "$NS" noisy >/dev/null
apply noisy.yaml
kubectl wait -n "$NS" --for=condition=Ready pod/noisy --timeout=120s >/dev/null
ok noisy-neighbour "quiet $baseline, under noise $during bogo ops/s"

apply oom.yaml
ended() { field oom '{.status.containerStatuses[0].state.terminated.reason}'; }
for _ in $(seq 45); do [[ -n $(ended) ]] && break; sleep 2; done
kubectl get pod -n "$NS" oom -o jsonpath='{.status.phase} {.status.containerStatuses[0].state.terminated.reason}{"\n"}' >/dev/null
kubectl logs -n "$NS" oom | grep -i 'oom' >/dev/null || true
reason=$(ended)
[[ $reason == OOMKilled ]] || fail oom-killed "container ended $reason, not OOMKilled"
ok oom-killed

# --- limitations: host-network, privileged-guest -------------------------------------------------------
# Running, or refused by the runtime: either way it has decided.
refused() {
  local status
  status=$(field "$1" '{.status.phase} {.status.containerStatuses[0].state.waiting.reason}')
  [[ $status == Failed* || $status =~ (CreateContainerError|RunContainerError|CrashLoopBackOff) ]]
}
apply host-network.yaml
if kubectl wait -n "$NS" --for=condition=Ready pod/host-network --timeout=60s >/dev/null 2>&1; then
  interfaces=$(kubectl exec -n "$NS" host-network -- cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' ' | grep -vx lo || true)
  [[ -z $interfaces ]] || fail host-network "the sandboxed pod sees host interfaces: $interfaces"
  ok host-network "running, no host interface"
else
  refused host-network || fail host-network "pod neither running nor refused"
  ok host-network "refused by the runtime"
fi

apply privileged.yaml
if kubectl wait -n "$NS" --for=condition=Ready pod/privileged --timeout=120s >/dev/null 2>&1; then
  apply node-view.yaml
  kubectl wait -n "$NS" --for=condition=Ready pod/node-view --timeout=120s >/dev/null
  node_devices=$(kubectl exec -n "$NS" node-view -- cat /proc/partitions | awk 'NR > 2 && NF == 4 {print $4}')
  kubectl exec -n "$NS" privileged -- sh -c 'cat /proc/partitions 2>/dev/null; ls /dev' >/dev/null
  readable=$(kubectl exec -n "$NS" privileged -- sh -c 'for d in /dev/vd? /dev/sd? /dev/nvme?n? /dev/pmem?; do [ -e "$d" ] && head -c 1 "$d" >/dev/null && echo "${d#/dev/}"; done; true')
  kubectl exec -n "$NS" privileged -- grep CapEff /proc/self/status >/dev/null
  for d in $readable; do
    ! grep -qx "$d" <<<"$node_devices" || fail privileged-guest "the node's device $d is readable"
  done
  ok privileged-guest "no host block device readable"
else
  refused privileged || fail privileged-guest "pod neither running nor refused"
  ok privileged-guest "refused by the runtime"
fi

# --- cleanup: clean-up ---------------------------------------------------------------------------------
kubectl delete pods -n "$NS" -l "$LABEL" --wait=true --timeout=180s >/dev/null
kubectl delete networkpolicy -n "$NS" isolate-sandboxed --ignore-not-found >/dev/null
[[ -z $(kubectl get pods -n "$NS" -l "$LABEL" -o name) ]] || fail clean-up "lab pods left"
ok clean-up

trap - EXIT
kubectl delete namespace "$NS" --wait=true --timeout=150s >/dev/null
ok teardown "namespace $NS deleted"
