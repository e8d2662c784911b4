# Cluster profiles: `default` (the RuntimeClass gvisor) or `aks` (AKS's shape, gVisor behind it). A profile is
# a few API objects and node labels, so switching one on a running cluster re-applies them in seconds.
# shellcheck shell=bash

PROFILE_FILE=$STATE/profile
PROFILES_KNOWN=(default aks)
# The node labels AKS puts on a Pod Sandboxing pool. Sources: the reserved system labels of
# https://learn.microsoft.com/azure/aks/use-labels (kubernetes.azure.com/agentpool, /mode, /os-sku, /role and
# the unprefixed agentpool); the Kata label is named by AKS's own node-provisioning design
# (github.com/Azure/karpenter-provider-azure, designs/0006-requirements-and-labels.md) with the value "true"
# users report; Microsoft's docs are silent on it. The pool is `kata` as in labs/pod-sandboxing/01-setup.md.
AKS_NODE_LABELS=(
  kubernetes.azure.com/kata-vm-isolation=true
  kubernetes.azure.com/os-sku=AzureLinux
  kubernetes.azure.com/agentpool=kata
  agentpool=kata
  kubernetes.azure.com/mode=user
  kubernetes.azure.com/role=agent
)

current_profile() { [[ -s $PROFILE_FILE ]] && cat "$PROFILE_FILE" || echo default; }

check_profile() { # the --profile value, or exit 2
  local p
  for p in "${PROFILES_KNOWN[@]}"; do [[ $1 == "$p" ]] && return; done
  die "unknown profile '$1' (known: ${PROFILES_KNOWN[*]})" 2
}

apply_profile() { # apply_profile PROFILE: the RuntimeClasses and node labels of PROFILE, and remember it
  local profile=$1 label
  if [[ $profile == aks ]]; then
    kubectl_admin delete runtimeclass gvisor --ignore-not-found >/dev/null
    kubectl_admin apply -f - >/dev/null <<EOF
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: kata-vm-isolation
  # podlab.dev/backed-by says what really runs the pods: the profile table of the same name (harness/src/profiles)
  labels: {app.kubernetes.io/part-of: podlab-cluster, podlab.dev/backed-by: gvisor}
# AKS's handler. Here containerd's runtime "kata" is gVisor (cluster/runtime/render-containerd-config.sh).
# https://learn.microsoft.com/azure/aks/considerations-pod-sandboxing, "Runtime class memory overhead": the
# default kata-vm-isolation class's overhead is 600Mi (the 512Mi default pod VM plus ~88Mi of host components),
# and a custom class uses handler kata. The docs name no CPU overhead, so none is set.
handler: kata
overhead:
  podFixed: {memory: 600Mi}
# Microsoft's docs do not show the class's scheduling; users report this selector on AKS's class.
scheduling:
  nodeSelector: {kubernetes.azure.com/kata-vm-isolation: "true"}
EOF
    kubectl_admin label node "$NODE_NAME" --overwrite "${AKS_NODE_LABELS[@]}" >/dev/null
  else
    kubectl_admin delete runtimeclass kata-vm-isolation --ignore-not-found >/dev/null
    for label in "${AKS_NODE_LABELS[@]}"; do kubectl_admin label node "$NODE_NAME" "${label%%=*}-" >/dev/null 2>&1 || true; done
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
  fi
  echo "$profile" > "$PROFILE_FILE"
}
