#!/usr/bin/env bats
# Kubernetes YAML: kube generate of containers and pods, kube play of Pods,
# Deployments, ConfigMaps and PersistentVolumeClaims, kube down; both ways
# cross-checked with a real implementation, Podman's kube play and kube
# generate, as the same user. Traffic goes only to 127.0.0.1.

load helpers

setup () {
  skip_if_root
  skip_if_no_userns
  [ -c /dev/net/tun ] || skip "/dev/net/tun is missing: a pod's network (slirp4netns) needs it"
  pt_new_store "$BATS_TEST_TMPDIR"
}

teardown () {
  pt pod rm -a -f >/dev/null 2>&1 || true
  pt rm -a -f >/dev/null 2>&1 || true
  if [ -n "${PM_ROOT:-}" ]; then
    pm pod rm -a -f >/dev/null 2>&1 || true
    pm unshare rm -rf "$PM_ROOT" "$PM_RUNROOT" >/dev/null 2>&1 || true
  fi
  pt_cleanup "$BATS_TEST_TMPDIR"
}

# Podman with a store of this test's own, configured as bench/setup-podman.sh does.
pm_setup () {
  command -v podman >/dev/null || skip "podman is not installed (apt-get install podman)"
  command -v catatonit >/dev/null || skip "catatonit (Podman's pod pause binary) is not installed"
  PM_ROOT=$BATS_TEST_TMPDIR/pm-root PM_RUNROOT=$BATS_TEST_TMPDIR/pm-run
  export CONTAINERS_CONF=$BATS_TEST_TMPDIR/containers.conf
  printf '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' > "$CONTAINERS_CONF"
  pm load -q -i "$(pt_image_dir)/busybox-docker.tar" >/dev/null
}
pm () {
  podman --root "$PM_ROOT" --runroot "$PM_RUNROOT" --storage-driver vfs "$@"
}

# A YAML file read by PyYAML, an independent reader: FIELD (a Python
# expression over the first document d) printed.
yaml_field () {
  python3 -c 'import sys, yaml; d = list(yaml.safe_load_all(open(sys.argv[1])))[0]; print(eval(sys.argv[2]))' "$1" "$2"
}

@test "kube generate of a container: image, args, env, workingDir, ports, capabilities, hostPath, PVC and tmpfs volumes, labels; -s adds a Service; -f refuses a file that is there" {
  python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml is not installed"
  mkdir -p "$BATS_TEST_TMPDIR/www"
  echo generated > "$BATS_TEST_TMPDIR/www/index.html"
  pt volume create data >/dev/null
  local port
  port=$(free_port)
  pt run -d --name web -p "$port:80" -e GREETING=hi -v "$BATS_TEST_TMPDIR/www:/www:ro" \
    -v data:/data --tmpfs /scratch --cap-add NET_ADMIN --cap-drop CHOWN -w /www -u 0:0 \
    --label tier=front $IMAGE httpd -f -p 80 -h /www >/dev/null
  local y=$BATS_TEST_TMPDIR/web.yaml
  run_podtool kube generate -f "$y" web
  head -4 "$y" | grep -q "^# Created with podtool-"
  [ "$(yaml_field "$y" 'd["kind"], d["apiVersion"], d["metadata"]["name"]')" = "('Pod', 'v1', 'web-pod')" ]
  local c='d["spec"]["containers"][0]'
  [ "$(yaml_field "$y" "$c[\"name\"], $c[\"image\"]")" = "('web', '$IMAGE')" ]
  [ "$(yaml_field "$y" "$c[\"args\"]")" = "['httpd', '-f', '-p', '80', '-h', '/www']" ]
  [ "$(yaml_field "$y" "$c[\"env\"]")" = "[{'name': 'GREETING', 'value': 'hi'}]" ]
  [ "$(yaml_field "$y" "$c[\"workingDir\"]")" = "/www" ]
  [ "$(yaml_field "$y" "$c[\"ports\"]")" = "[{'containerPort': 80, 'hostPort': $port}]" ]
  [ "$(yaml_field "$y" "$c[\"securityContext\"]")" = "{'capabilities': {'add': ['NET_ADMIN'], 'drop': ['CHOWN']}, 'runAsUser': 0, 'runAsGroup': 0}" ]
  [ "$(yaml_field "$y" 'd["metadata"]["labels"]')" = "{'app': 'web-pod', 'tier': 'front'}" ]
  yaml_field "$y" 'd["spec"]["volumes"]' > "$BATS_TEST_TMPDIR/vols"
  grep -q "'hostPath': {'path': '$BATS_TEST_TMPDIR/www', 'type': 'Directory'}" "$BATS_TEST_TMPDIR/vols"
  grep -q "'persistentVolumeClaim': {'claimName': 'data'}" "$BATS_TEST_TMPDIR/vols"
  grep -q "'emptyDir': {'medium': 'Memory'}" "$BATS_TEST_TMPDIR/vols"
  [ "$(yaml_field "$y" "sorted((m['mountPath'], m.get('readOnly', False)) for m in $c['volumeMounts'])")" = "[('/data', False), ('/scratch', False), ('/www', True)]" ]
  run_podtool 125 kube generate -f "$y" web
  assert_output_contains "the file exists"
  run_podtool kube generate -s web
  python3 -c 'import sys, yaml; docs = list(yaml.safe_load_all(sys.stdin)); s = docs[1]; assert s["kind"] == "Service" and s["spec"]["ports"][0]["port"] == 80 and s["spec"]["selector"] == {"app": "web-pod"}, s' <<<"$output"
  run_podtool 125 kube generate nosuch
  assert_output_contains "no such container"
}

@test "what podtool generates, real Podman plays; what Podman generates, podtool plays: the same page served" {
  pm_setup
  mkdir -p "$BATS_TEST_TMPDIR/www"
  echo cross-checked > "$BATS_TEST_TMPDIR/www/index.html"
  local port
  port=$(free_port)
  pt volume create shared >/dev/null
  pt run -d --name web -p "$port:80" -e GREETING=hi -v "$BATS_TEST_TMPDIR/www:/www:ro" -w /www \
    -v shared:/data $IMAGE httpd -f -p 80 -h /www >/dev/null
  pt kube generate web > "$BATS_TEST_TMPDIR/ours.yaml"
  pt rm -f web >/dev/null
  run pm kube play "$BATS_TEST_TMPDIR/ours.yaml"
  [ "$status" -eq 0 ] || { echo "podman kube play: $output" >&2; false; }
  run http_get "$port" /
  assert_output "cross-checked"
  run pm exec web-pod-web sh -c 'echo $GREETING; pwd'
  assert_output $'hi\n/www'
  # The named volume, a persistentVolumeClaim, is a volume of Podman's now.
  run pm volume exists shared
  [ "$status" -eq 0 ]
  run pm exec web-pod-web sh -c 'mount | grep -c " /data "'
  assert_output "1"
  pm kube generate web-pod > "$BATS_TEST_TMPDIR/theirs.yaml"
  pm kube down "$BATS_TEST_TMPDIR/ours.yaml" >/dev/null
  run_podtool kube play "$BATS_TEST_TMPDIR/theirs.yaml"
  assert_output_contains "Pod:"
  run http_get "$port" /
  assert_output "cross-checked"
  run_podtool exec web-pod-web-pod-web sh -c 'echo $GREETING; pwd'
  assert_output $'hi\n/www'
  run_podtool kube down "$BATS_TEST_TMPDIR/theirs.yaml"
  assert_output_contains "Pods removed:"
  run_podtool pod ps -q
  assert_output ""
}

@test "kube play: a Deployment with a ConfigMap (env, envFrom, a volume) and a PVC in one file; command and args as Kubernetes has them; --start=false; kube down" {
  cat > "$BATS_TEST_TMPDIR/app.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  MODE: production
  greeting.txt: hello from a configmap
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: appdata
spec:
  accessModes: [ReadWriteOnce]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 3
  template:
    metadata:
      labels:
        app: app
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: localhost/ptbusybox:latest
        command: ["sh", "-c"]
        args: ["echo mode=$MODE from=$FROM; cat /etc/settings/greeting.txt; echo; echo kept > /data/f; cat /data/f"]
        env:
        - name: MODE
          valueFrom:
            configMapKeyRef: {name: settings, key: MODE}
        envFrom:
        - configMapRef: {name: settings}
        volumeMounts:
        - {name: cfg, mountPath: /etc/settings}
        - {name: store, mountPath: /data}
        livenessProbe:
          exec: {command: ["true"]}
      volumes:
      - name: cfg
        configMap: {name: settings}
      - name: store
        persistentVolumeClaim: {claimName: appdata}
YAML
  run_podtool kube play "$BATS_TEST_TMPDIR/app.yaml"
  assert_output_contains "Deployment app: 3 replicas asked for, podtool makes one"
  assert_output_contains "spec.containers[main].livenessProbe is not honoured by podtool: ignored"
  assert_output_contains "Pod:"
  pt wait app-pod-main >/dev/null
  run_podtool logs app-pod-main
  assert_output "mode=production from=
hello from a configmap
kept"
  run_podtool volume exists appdata
  run_podtool pod inspect --format '{{.Name}} {{.Labels.app}}' app-pod
  assert_output "app-pod app"
  run_podtool kube down "$BATS_TEST_TMPDIR/app.yaml"
  assert_output_contains "Pods removed:"
  run_podtool 1 pod exists app-pod
  # The claim's volume outlives the pod, as Podman keeps it.
  run_podtool volume exists appdata
  # Without args the image's Cmd goes when command is given; --start=false makes, starts nothing.
  cat > "$BATS_TEST_TMPDIR/one.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: one}
spec:
  restartPolicy: Never
  containers:
  - {name: c, image: localhost/ptbusybox:latest, command: [echo, only-command]}
YAML
  run_podtool kube play --start=false -q "$BATS_TEST_TMPDIR/one.yaml"
  assert_output ""
  run_podtool ps -a --format '{{.Names}} {{.State}}' --filter name=one-c
  assert_output "one-c created"
  run_podtool 125 kube play "$BATS_TEST_TMPDIR/one.yaml"
  assert_output_contains "pod one exists already"
  run_podtool kube play --replace "$BATS_TEST_TMPDIR/one.yaml"
  pt wait one-c >/dev/null
  run_podtool logs one-c
  assert_output "only-command"
  # ConfigMaps from a file of their own; the one log driver there is.
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: outside}\ndata: {WHO: from-file}\n' > "$BATS_TEST_TMPDIR/cm.yaml"
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: uses}\nspec:\n  restartPolicy: Never\n  containers:\n  - {name: c, image: localhost/ptbusybox:latest, command: [sh, -c, "echo $WHO"], envFrom: [{configMapRef: {name: outside}}]}\n' > "$BATS_TEST_TMPDIR/uses.yaml"
  run_podtool 125 kube play --log-driver journald "$BATS_TEST_TMPDIR/uses.yaml"
  assert_output_contains "--log-driver journald: not supported by podtool"
  run_podtool 125 kube play "$BATS_TEST_TMPDIR/uses.yaml"
  assert_output_contains "envFrom: no ConfigMap outside"
  run_podtool kube play --log-driver k8s-file --configmap "$BATS_TEST_TMPDIR/cm.yaml" "$BATS_TEST_TMPDIR/uses.yaml"
  pt wait uses-c >/dev/null
  run_podtool logs uses-c
  assert_output "from-file"
}

@test "kube play refuses bad YAML, an unknown kind, a missing image or ConfigMap with one line naming it, and leaves nothing half made" {
  printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n' > "$BATS_TEST_TMPDIR/bad.yaml"
  run_podtool 125 kube play "$BATS_TEST_TMPDIR/bad.yaml"
  [[ "$output" =~ ^Error:\ .*bad.yaml:\ line\ [0-9]+: ]] || { echo "$output" >&2; false; }
  [ "${#lines[@]}" -eq 1 ]
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: localhost/ptbusybox:latest}]}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n' > "$BATS_TEST_TMPDIR/kind.yaml"
  run_podtool 125 kube play "$BATS_TEST_TMPDIR/kind.yaml"
  assert_output "Error: document at line 6: kind Secret is not one podtool plays (Pod, Deployment, PersistentVolumeClaim, ConfigMap, Service)"
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: nocont}\nspec: {}\n' > "$BATS_TEST_TMPDIR/empty.yaml"
  run_podtool 125 kube play "$BATS_TEST_TMPDIR/empty.yaml"
  assert_output_contains "spec.containers is missing or empty"
  # The second pod's image is missing: the first pod goes again.
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: good}\nspec: {containers: [{name: c, image: localhost/ptbusybox:latest, command: [sleep, "100"]}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec: {containers: [{name: c, image: localhost/nosuch:1, imagePullPolicy: Never}]}\n' > "$BATS_TEST_TMPDIR/half.yaml"
  run_podtool 125 kube play "$BATS_TEST_TMPDIR/half.yaml"
  assert_output_contains "nosuch"
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: cm}\nspec: {containers: [{name: c, image: localhost/ptbusybox:latest, envFrom: [{configMapRef: {name: absent}}]}]}\n' > "$BATS_TEST_TMPDIR/cm.yaml"
  run_podtool 125 kube play "$BATS_TEST_TMPDIR/cm.yaml"
  assert_output_contains "envFrom: no ConfigMap absent"
  run_podtool pod ps -q
  assert_output ""
  run_podtool ps -a -q
  assert_output ""
  run_podtool 125 kube play - <<<'*x'
  assert_output_contains "YAML aliases are not accepted"
}
