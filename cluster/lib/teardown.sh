# Pod leftovers on teardown: pod processes, shims and sandboxes, and their mounts.
# shellcheck shell=bash

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

# A registry or kube-router whose pid file is gone (a `down` by scripts from before they existed removes /run/podlab
# without stopping them): found by what they run, this cluster's registry config or kube-router with its kubeconfig.
reap_orphans() {
  local p cmd
  for p in /proc/[0-9]*; do
    cmd=$({ tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null) || continue
    if [[ $cmd == "docker-registry serve $STATE/registry.yml "* || $cmd == */podlab/netpol-*/kube-router\ --kubeconfig=$KUBECONFIG_ADMIN* || $cmd == */podlab-k8s\ kube-router\ --kubeconfig=$KUBECONFIG_ADMIN* ]]; then
      kill -TERM "${p#/proc/}" 2>/dev/null || true
    fi
  done
}
