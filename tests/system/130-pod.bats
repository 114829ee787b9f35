#!/usr/bin/env bats
# Pods: containers that share their infra's network, IPC and UTS
# namespaces; ports published once, on the pod; started, stopped and
# removed together; the state true after kill -9. Traffic goes only to
# 127.0.0.1 and the pod's own localhost.

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
  pt_cleanup "$BATS_TEST_TMPDIR"
}

@test "a pod of two containers: one wgets the other on localhost, one host name, one IPC namespace, the pod's port published once" {
  local port
  port=$(free_port)
  run_podtool pod create --name web -p "$port:80" --label team=blue
  [[ "$output" =~ ^[0-9a-f]{64}$ ]]
  local pod=$output
  pt run -d --pod web --name srv $IMAGE sh -c 'echo served-in-pod > /www; httpd -f -p 80 -h /'
  run_podtool run --rm --pod web $IMAGE sh -c 'for i in $(seq 50); do wget -q -O - http://localhost/www && break; sleep 0.1; done'
  assert_output "served-in-pod"
  run_podtool run --rm --pod web $IMAGE hostname
  assert_output "web"
  # One network, IPC and UTS namespace for all; a PID namespace each.
  local a b
  local ns='for n in net ipc uts; do readlink /proc/self/ns/$n; done'
  a=$(pt exec srv sh -c "$ns")
  b=$(pt run --rm --pod web $IMAGE sh -c "$ns")
  [ "$(printf '%s\n' "$a" | wc -l)" -eq 3 ]
  [ "$a" = "$b" ]
  [ "$(pt exec srv readlink /proc/self/ns/pid)" != "$(pt run --rm --pod web $IMAGE readlink /proc/self/ns/pid)" ]
  # Reached from the host through the pod's one published port.
  run http_get "$port" /www
  assert_output "served-in-pod"
  run_podtool pod ps --format '{{.Name}} {{.Status}} {{.NumberOfContainers}}'
  assert_output "web Running 2"
  run_podtool pod ps --format json
  python3 -c 'import json,sys; j=json.load(sys.stdin)[0]; assert j["Name"]=="web" and j["Status"]=="Running" and len(j["Containers"])==2 and j["Labels"]=={"team":"blue"} and j["InfraId"] in [c["Id"] for c in j["Containers"]], j' <<<"$output"
  run_podtool pod inspect --format '{{.Name}} {{.State}} {{.Hostname}} {{.Labels.team}} {{.NumContainers}}' web
  assert_output "web Running web blue 2"
  run_podtool pod inspect web
  python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["SharedNamespaces"]==["ipc","net","uts"], j; assert j["CreateInfra"] and len(j["InfraContainerID"])==64, j' <<<"$output"
  run_podtool ps --pod --format '{{.Names}} {{.PodName}}'
  assert_output_contains "srv web"
  [ "$(pt ps --pod --format '{{.Pod}}' --filter name=srv)" = "$pod" ]
  run_podtool ps -a --filter pod=web --filter name=srv --format '{{.Names}}'
  assert_output "srv"
  [ "$(pt ps -a -q --filter pod="${pod:0:12}" | wc -l)" -eq 2 ]
  run_podtool pod exists web
  run_podtool 1 pod exists nosuchpod
}

@test "pod stop stops the last started first and the infra last; start brings back the infra, then the others; rm -f leaves nothing" {
  local port
  port=$(free_port)
  pt pod create --name p1 -p "$port:8080" >/dev/null
  pt run -d --pod p1 --name first $IMAGE httpd -f -p 8080 -h /etc >/dev/null
  pt run -d --pod p1 --name second $IMAGE sleep 1000 >/dev/null
  run_podtool pod stop -t 1 p1
  run_podtool ps -a --format '{{.Names}} {{.State}}'
  assert_output_contains "first exited"
  assert_output_contains "second exited"
  assert_output_contains "-infra exited"
  # The second was stopped before the first, the infra after both.
  local t1 t2 ti
  t1=$(pt inspect --format '{{.State.FinishedAt}}' first)
  t2=$(pt inspect --format '{{.State.FinishedAt}}' second)
  ti=$(pt inspect --format '{{.State.FinishedAt}}' "$(pt pod inspect --format '{{.InfraContainerID}}' p1)")
  [[ "$t2" < "$t1" || "$t2" == "$t1" ]] && [[ "$t1" < "$ti" || "$t1" == "$ti" ]]
  run_podtool pod ps --format '{{.Status}}'
  assert_output "Exited"
  run_podtool pod start p1
  run http_get "$port" /hostname
  assert_output "p1"
  run_podtool pod ps --format '{{.Status}}'
  assert_output "Running"
  run_podtool 125 pod rm p1
  assert_output "Error: pod p1 has running containers: stop them first or use -f (--force)"
  run_podtool pod rm -f -t 0 p1
  run_podtool ps -a -q
  assert_output ""
  run_podtool pod ps -q
  assert_output ""
  # No helper, no port, no state left behind.
  run http_get "$port" /hostname
  [ "$status" -ne 0 ]
  ! pgrep -u "$(id -u)" -f "podtool-net.*$PT_RUNROOT" >/dev/null
  [ -z "$(ls "$PT_ROOT/pods" 2>/dev/null)" ]
}

@test "pod errors: ports and host names belong to the pod, names are unique, the infra goes only with its pod; run --pod new:NAME makes one" {
  pt pod create --name p >/dev/null
  run_podtool 125 pod create --name p
  assert_output_contains "name \"p\" is in use"
  run_podtool 125 run --rm --pod p -p 8080:80 $IMAGE true
  assert_output_contains "published or exposed ports must be defined when the pod is created"
  run_podtool 125 run --rm --pod p --network none $IMAGE true
  assert_output_contains "network cannot be configured when it is shared with a pod"
  run_podtool 125 run --rm --pod p --hostname other $IMAGE true
  assert_output_contains "cannot set hostname when joining the pod UTS namespace"
  run_podtool 125 run --rm --pod nosuchpod $IMAGE true
  assert_output "Error: no pod with name or ID nosuchpod found: no such pod"
  # As Podman: every name is looked up first, and one that is no pod is
  # the error, nothing done (rm exits 1 then).
  run_podtool 125 pod start p nosuchpod
  assert_output "Error: no pod with name or ID nosuchpod found: no such pod"
  [ "$(pt pod inspect --format '{{.State}}' p)" != Running ]
  run_podtool 1 pod rm p nosuchpod
  assert_output "Error: no pod with name or ID nosuchpod found: no such pod"
  pt pod exists p
  run_podtool 125 pod create --share cgroup
  assert_output_contains "invalid --share \`cgroup\`"
  run_podtool 125 pod create --infra=false -p 8080:80
  assert_output_contains "need --infra"
  local infra
  infra=$(pt pod inspect --format '{{.InfraContainerID}}' p)
  run_podtool 125 rm -f "$infra"
  assert_output_contains "is the infra container of pod"
  # rm -a and container prune pass the infra by; the pod stays whole.
  pt create --pod p --name member $IMAGE true >/dev/null
  run_podtool rm -a -f
  run_podtool ps -a -q --no-trunc
  assert_output "$infra"
  run_podtool container prune -f
  run_podtool ps -a -q --no-trunc
  assert_output "$infra"
  run_podtool run --rm --pod new:fresh $IMAGE hostname
  assert_output "fresh"
  run_podtool pod exists fresh
  # A pod without infra: its containers share nothing.
  pt pod create --name bare --infra=false >/dev/null
  run_podtool pod inspect --format '{{.CreateInfra}} {{.NumContainers}}' bare
  assert_output "false 0"
  run_podtool run --rm --pod bare $IMAGE hostname
  [ "$output" != "bare" ]
  # The infra of fresh runs on (as Podman's does) after its member ended.
  run_podtool 125 pod rm fresh
  run_podtool pod rm -f fresh
  run_podtool pod rm bare p
  run_podtool 1 pod rm p
  assert_output_contains "no pod with name or ID p found"
  run_podtool pod rm -i p
  assert_output ""
}

@test "--pod-id-file, --latest, --replace and stop --ignore, as Podman's scripts use them" {
  local f=$BATS_TEST_TMPDIR/pod.id id
  run_podtool pod create --name idf --pod-id-file "$f"
  id=$output
  assert_equal "$(cat "$f")" "$id"
  [ "$(wc -l < "$f")" -eq 0 ]
  pt run -d --pod idf --name inidf $IMAGE sleep 1000 >/dev/null
  run_podtool pod stop -t 0 --pod-id-file "$f"
  assert_output "$id"
  run_podtool pod start --pod-id-file "$f"
  assert_output "$id"
  pt pod create --name later >/dev/null
  run_podtool pod stop -t 0 -l
  assert_output "$(pt pod inspect --format '{{.ID}}' later)"
  run_podtool pod stop -i nosuchpod
  assert_output ""
  # pod ps --filter, as Podman's scripts ask for a pod.
  run_podtool pod ps -q --no-trunc --filter name=^idf$
  assert_output "$id"
  run_podtool pod ps -q --filter name=nosuch
  assert_output ""
  run_podtool pod ps --format '{{.Name}}' --filter status=running --filter status=degraded
  assert_output "idf"
  run_podtool pod ps --format '{{.Name}}' --filter ctr-names=inidf
  assert_output "idf"
  run_podtool pod ps --format '{{.Name}}' --filter ctr-number=1 --filter id=${id:0:5}
  assert_output ""
  run_podtool pod ps --format '{{.Name}}' -l
  assert_output "later"
  run_podtool pod ps --noheading --filter name=later
  [ "${#lines[@]}" -eq 1 ]
  run_podtool 125 pod ps --filter color=red
  assert_output_contains "invalid filter \`color=red\`"
  run_podtool 125 pod ps --filter status=happy
  assert_output_contains "a pod's status is created, running"
  run_podtool 125 pod ps --filter 'name=('
  assert_output_contains "not a regular expression"
  run_podtool 125 pod stop --all --latest
  assert_output_contains "cannot be used together"
  run_podtool pod create --name named-infra --infra-name my-infra
  run_podtool pod inspect --format '{{.InfraContainerID}}' named-infra
  assert_equal "$(pt inspect --format '{{.Name}}' my-infra)" my-infra
  assert_equal "$(pt inspect --format '{{.Id}}' my-infra)" "$output"
  run_podtool 125 pod create --name another --infra-name my-infra
  assert_output_contains "my-infra"
  run_podtool 1 pod exists another
  # --replace: the old pod and its containers go, a new one of the name comes.
  run_podtool pod create --replace --name idf
  [ "$output" != "$id" ]
  run_podtool 125 inspect inidf
  # rm --pod-id-file takes the file with the pod.
  pt pod create --name gone --pod-id-file "$f" >/dev/null
  run_podtool pod rm --pod-id-file "$f"
  [ ! -e "$f" ]
  run_podtool 125 pod rm --pod-id-file "$f"
  assert_output_contains "reading pod ID file"
}

@test "kill -9 of a pod's infra: its state is true at once, the others cannot start without it, pod rm -f clears it" {
  pt pod create --name k >/dev/null
  pt run -d --pod k --name member $IMAGE sleep 1000 >/dev/null
  local infra pid
  infra=$(pt pod inspect --format '{{.InfraContainerID}}' k)
  pid=$(pt inspect --format '{{.State.Pid}}' "$infra")
  kill -9 "$pid"
  for i in $(seq 50); do
    [ "$(pt inspect --format '{{.State.Status}}' "$infra")" = exited ] && break
    sleep 0.1
  done
  run_podtool inspect --format '{{.State.Status}}' "$infra"
  assert_output "exited"
  run_podtool pod ps --format '{{.Status}}'
  assert_output "Degraded"
  run_podtool pod kill k
  run_podtool pod ps --format '{{.Status}}'
  for i in $(seq 50); do
    [ "$(pt pod ps --format '{{.Status}}')" = Exited ] && break
    sleep 0.1
  done
  run_podtool pod ps --format '{{.Status}}'
  assert_output "Exited"
  # pod start: the infra again first, so the member has a network to join.
  run_podtool pod start k
  run_podtool exec member hostname
  assert_output "k"
  run_podtool pod rm -f k
  run_podtool ps -a -q
  assert_output ""
}

@test "--share pid: the pause is PID 1 of all, each sees the others; pod logs names each line's container; the infra takes the network options as given" {
  pt pod create --name pp --share pid,net,ipc,uts --network=slirp4netns --dns 10.0.2.3 >/dev/null
  pt run -d --pod pp --name a $IMAGE sh -c 'echo from-a; sleep 300' >/dev/null
  run_podtool run --rm --pod pp --name b $IMAGE sh -c 'echo from-b; ps -o pid,comm'
  assert_output_contains "    1 podtool-pause"
  assert_output_contains "sleep"
  run_podtool inspect --format '{{.HostConfig.PidMode}} {{.HostConfig.IpcMode}}' a
  local infra
  infra=$(pt pod inspect --format '{{.InfraContainerID}}' pp)
  assert_output "container:$infra container:$infra"
  pt create --pod pp --name c $IMAGE echo from-c >/dev/null
  pt start -a c >/dev/null
  run_podtool pod logs pp
  assert_output_contains "a from-a"
  assert_output_contains "c from-c"
  run_podtool pod logs -c c pp
  assert_output "from-c"
  run_podtool 125 pod logs -c nosuch pp
  assert_output_contains "no such container"
  run_podtool exec a cat /etc/resolv.conf
  assert_output_contains "nameserver 10.0.2.3"
  # pod top: one table of every running container's processes, the infra's too.
  run_podtool pod top pp pid comm
  [[ "${lines[0]}" =~ ^PID\ +COMMAND$ ]] || { echo "$output" >&2; false; }
  assert_output_contains "podtool-pause"
  assert_output_contains "sleep"
  run_podtool pod rm -f pp
  run_podtool 125 pod top pp
  assert_output_contains "no pod with name or ID pp found"
}
