# Background processes: pid files, start/stop, the ports the components need, and readiness waits.
# shellcheck shell=bash

pid_of() { [[ -f $PIDS/$1 ]] && cat "$PIDS/$1" || true; }
alive() { local pid; pid=$(pid_of "$1"); [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; }

start() { # start NAME CMD...: a detached background process with a pid file and a log
  local name=$1; shift
  if alive "$name"; then return; fi
  mkdir -p "$PIDS" "$LOGS"
  # Descriptors 3-9 are closed: a lock or pipe its caller holds (flock(1) gives its command fd 3) must not
  # live on in a daemon, or the lock is never released.
  setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
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
PORTS=(5000:registry 2379:etcd 2380:etcd 6443:kube-apiserver 10257:kube-controller-manager 10259:kube-scheduler
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
