# The loopback image registry (Debian's docker-registry binary, not its service): the lab image is pushed into
# it and every node pull of LAB_IMAGE goes through it, as an AKS node pulls from ACR.
# shellcheck shell=bash

REGISTRY_ADDR=127.0.0.1:5000
# Not `latest`, so that IfNotPresent is the policy Kubernetes would default to, as for ACR's podlab-lab:1.0.
LAB_IMAGE_REF=$REGISTRY_ADDR/podlab-lab:1.0

start_registry() {
  mkdir -p "$STATE/registry"
  cat > "$STATE/registry.yml" <<EOF
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $STATE/registry}
  delete: {enabled: false}
http: {addr: $REGISTRY_ADDR}
EOF
  start registry docker-registry serve "$STATE/registry.yml"
  wait_until 30 registry "$LOGS/registry.log" curl -sf "http://$REGISTRY_ADDR/v2/"
  push_lab_image
}

push_lab_image() { # the lab image's OCI archive into the registry, unless it already holds that manifest
  local tar=$LAB_IMAGE_TAR digest have
  digest=$(tar -xOf "$tar" ./index.json | jq -r '.manifests[0].digest')
  have=$(curl -sfI -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$REGISTRY_ADDR/v2/podlab-lab/manifests/${LAB_IMAGE_REF##*:}" | tr -d '\r' \
    | awk 'tolower($1) == "docker-content-digest:" {print $2}' || true) # 404 before the first push
  [[ $have == "$digest" ]] && return
  # A local archive into our own loopback registry: no signature policy applies (--insecure-policy).
  skopeo --insecure-policy copy -q --dest-tls-verify=false "oci-archive:$tar:latest" "docker://$LAB_IMAGE_REF" >/dev/null
  say "pushed $LAB_IMAGE_REF ($digest)"
}
