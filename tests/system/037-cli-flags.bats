#!/usr/bin/env bats
# Flags Podman scripts use, end to end (the table and its errors: 001-help).

load helpers

setup () {
  pt_test_setup
}

teardown () {
  pt_test_teardown
}

@test "rm -t 0 --all --force --ignore: the usual clean-up line, on none and on several" {
  run_podtool rm -t 0 --all --force --ignore
  assert_output ""
  run_podtool run -d --name a $IMAGE sleep 100
  run_podtool create --name b $IMAGE true
  run_podtool rm -t 0 --all --force --ignore
  [ "${#lines[@]}" -eq 2 ]
  run_podtool ps -a -q
  assert_output ""
  # A missing one: exit 1 and its error, but not with --ignore.
  run_podtool 1 rm nosuch
  assert_output_contains 'no container with name or ID "nosuch" found'
  run_podtool rm --ignore nosuch
  assert_output ""
}

@test "rm -t N stops a running container first; --depend takes the ones on its network; --cidfile and --latest" {
  run_podtool run -d --name web $IMAGE sh -c 'trap "exit 3" TERM; while :; do sleep 0.1; done'
  run_podtool run -d --name side --network container:web $IMAGE sleep 100
  run_podtool 2 rm web
  run_podtool rm -f -t 5 --depend web
  [ "${#lines[@]}" -eq 2 ]
  assert_output_contains "$(pt inspect --format '{{.Id}}' side)"
  assert_output_contains "web"
  run_podtool ps -a -q
  assert_output ""
  run_podtool create --cidfile "$BATS_TEST_TMPDIR/cid" $IMAGE true
  local id=$output
  [ "$(cat "$BATS_TEST_TMPDIR/cid")" = "$id" ]
  # The file is taken: a second create with it is refused before anything is made.
  run_podtool 125 create --cidfile "$BATS_TEST_TMPDIR/cid" $IMAGE true
  assert_output_contains "container id file exists"
  [ "$(pt ps -a -q | wc -l)" -eq 1 ]
  run_podtool rm --cidfile "$BATS_TEST_TMPDIR/cid"
  assert_output "$id"
  [ ! -e "$BATS_TEST_TMPDIR/cid" ]
  run_podtool create --name first $IMAGE true
  run_podtool create --name second $IMAGE true
  run_podtool rm -l
  run_podtool ps -a --format '{{.Names}}'
  assert_output "first"
}

@test "stop, kill, restart, pause with --latest, --cidfile and --ignore; start --all" {
  run_podtool run -d --cidfile "$BATS_TEST_TMPDIR/cid" --name one $IMAGE sleep 100
  run_podtool run -d --name two $IMAGE sleep 100
  run_podtool stop -t 0 --latest
  assert_output "$(pt inspect --format '{{.Id}}' two)"
  run_podtool stop -t 0 --cidfile "$BATS_TEST_TMPDIR/cid"
  run_podtool ps -q
  assert_output ""
  run_podtool stop --ignore nosuch
  assert_output ""
  run_podtool 125 stop nosuch
  assert_output_contains 'no container with name or ID "nosuch" found'
  run_podtool start --all
  [ "${#lines[@]}" -eq 2 ]
  [ "$(pt ps -q | wc -l)" -eq 2 ]
  run_podtool kill --latest
  run_podtool restart --running --all
  [ "$(pt ps -q | wc -l)" -eq 1 ]
  run_podtool 125 kill
  assert_output 'Error: "podtool kill" requires at least 1 arg(s), only received 0'
}

@test "ps --last, --latest, --noheading; images --noheading; port -a; logs of several containers" {
  run_podtool run --name p1 $IMAGE echo one
  run_podtool run --name p2 $IMAGE echo two
  run_podtool run -d --name p3 -p 127.0.0.1::80 $IMAGE sleep 100
  run_podtool ps --last 2 --format '{{.Names}}'
  assert_output $'p3\np2'
  run_podtool ps -l --noheading --format '{{.Names}}'
  assert_output "p3"
  run_podtool ps -a --noheading
  [ "${#lines[@]}" -eq 3 ]
  run_podtool images --noheading
  assert_output_not_contains "REPOSITORY"
  run_podtool port -a
  assert_output_contains "$(pt inspect --format '{{.Id}}' p3)"$'\t'"80/tcp -> 127.0.0.1:"
  run_podtool logs p1 p2
  assert_output $'p1 one\np2 two'
  run_podtool logs --names p1
  assert_output "p1 one"
  run_podtool logs --latest
  assert_output ""
}

@test "run --replace, --tz, --env-host, --unsetenv, --label-file, --pull and --log-driver" {
  run_podtool run -d --name r $IMAGE sleep 100
  local old
  old=$(pt inspect --format '{{.Id}}' r)
  run_podtool run --replace --name r $IMAGE echo again
  assert_output "again"
  [ "$(pt inspect --format '{{.Id}}' r)" != "$old" ]
  run_podtool run --rm --tz UTC $IMAGE sh -c 'echo $TZ'
  assert_output "UTC"
  run_podtool 125 run --rm --tz Nowhere/Special $IMAGE true
  assert_output_contains "unknown time zone Nowhere/Special"
  run env PT_HOST_VAR=from-host "$PODTOOL" --root "$PT_ROOT" --runroot "$PT_RUNROOT" run --rm --env-host $IMAGE sh -c 'echo $PT_HOST_VAR'
  assert_output "from-host"
  run_podtool run --rm --unsetenv TERM $IMAGE sh -c 'echo "[${TERM-unset}]"'
  assert_output "[unset]"
  run_podtool run --rm --unsetenv-all -e ONLY=1 $IMAGE /bin/env
  assert_output_contains "ONLY=1"
  assert_output_not_contains "PATH="
  assert_output_not_contains "container=podtool"
  printf 'a=1\n# no\nb=two\n' > "$BATS_TEST_TMPDIR/labels"
  run_podtool create --name l --label-file "$BATS_TEST_TMPDIR/labels" $IMAGE true
  run_podtool inspect --format '{{.Config.Labels.b}}' l
  assert_output "two"
  run_podtool run --rm --pull missing --log-driver k8s-file $IMAGE true
  run_podtool run --rm --pull=never $IMAGE true
  # A local name has no registry to pull from: the store's image.
  run_podtool run --rm --pull always $IMAGE true
  run_podtool 125 run --rm --pull sometimes $IMAGE true
  assert_output_contains 'invalid pull policy "sometimes"'
  run_podtool 125 run --rm --log-driver journald $IMAGE true
  assert_output_contains "not supported by podtool"
  run_podtool run --rm --rm=false --name kept $IMAGE true
  run_podtool container exists kept
}

@test "exists, history, untag, load from stdin, exec --env-file and --latest" {
  run "$PODTOOL" --root "$PT_ROOT" --runroot "$PT_RUNROOT" container exists nosuch
  [ "$status" -eq 1 ]
  run "$PODTOOL" --root "$PT_ROOT" --runroot "$PT_RUNROOT" image exists $IMAGE
  [ "$status" -eq 0 ]
  run "$PODTOOL" --root "$PT_ROOT" --runroot "$PT_RUNROOT" image exists nosuch:tag
  [ "$status" -eq 1 ]
  run_podtool history $IMAGE
  assert_output_contains "CREATED BY"
  run_podtool history --format '{{.ID}}' $IMAGE
  assert_output_contains "$(pt images --format '{{.ID}}' | head -1)"
  run_podtool tag $IMAGE extra:one
  run_podtool untag $IMAGE localhost/extra:one
  run_podtool images --format '{{.Repository}}:{{.Tag}}'
  assert_output_not_contains "extra:one"
  local img
  img=$(pt_image_dir)
  run_podtool rmi -a -f
  run pt load < "$img/busybox-docker.tar"
  [ "$status" -eq 0 ]
  assert_output_contains "Loaded image"
  run_podtool run -d --name e $IMAGE sleep 100
  printf 'FROM_FILE=yes\n' > "$BATS_TEST_TMPDIR/env"
  run_podtool exec --env-file "$BATS_TEST_TMPDIR/env" --latest sh -c 'echo $FROM_FILE'
  assert_output "yes"
  run_podtool rmi --ignore nosuch:tag
}

@test "a container whose process is a zombie is not Up: exited, code unknown until its monitor records it" {
  run_podtool run -d --name z $IMAGE sleep 100
  local pid mon i
  pid=$(pt inspect --format '{{.State.Pid}}' z)
  mon=$(awk '{print $4}' /proc/$pid/stat)
  # The monitor, stopped, cannot reap: the killed process stays a zombie.
  kill -STOP "$mon"
  kill -9 "$pid"
  for i in $(seq 50); do
    [ "$(awk '{print $3}' /proc/$pid/stat 2>/dev/null)" = Z ] && break
    sleep 0.1
  done
  [ "$(awk '{print $3}' /proc/$pid/stat)" = Z ]
  run_podtool ps -a --format '{{.Names}} {{.Status}}'
  assert_output "z Exited (unknown)"
  run_podtool ps -q
  assert_output ""
  run_podtool inspect --format '{{.State.Status}} {{.State.Running}}' z
  assert_output "exited false"
  kill -CONT "$mon"
  run_podtool wait z
  assert_output "137"
}


@test "run --umask, --ulimit, --oom-score-adj, --sysctl, --shm-size, --annotation" {
  run_podtool run --rm --umask 0077 $IMAGE sh -c 'umask; touch /tmp/f; stat -c %a /tmp/f'
  assert_output $'0077\n600'
  run_podtool 125 run --rm --umask 0999 $IMAGE true
  assert_output_contains "invalid umask"
  run_podtool run --rm --ulimit nofile=100:200 $IMAGE sh -c 'ulimit -n; ulimit -Hn'
  assert_output $'100\n200'
  local hard
  hard=$(ulimit -Hn)
  if [ "$hard" != unlimited ]; then
    run_podtool 125 run --rm --ulimit "nofile=10:$((hard + 1))" $IMAGE true
    assert_output_contains "cannot be raised above the user's ($hard)"
  fi
  run_podtool 125 run --rm --ulimit bogus=1 $IMAGE true
  assert_output_contains "invalid --ulimit"
  run_podtool run --rm --oom-score-adj 500 $IMAGE cat /proc/self/oom_score_adj
  assert_output "500"
  if [ "$(cat /proc/self/oom_score_adj)" -ge 0 ]; then
    run_podtool 125 run --rm --oom-score-adj -500 $IMAGE true
    assert_output_contains "cannot lower its OOM score"
  fi
  run_podtool run --rm --sysctl net.ipv4.ip_forward=1 --sysctl kernel.shmmax=123456 $IMAGE \
    cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax
  assert_output $'1\n123456'
  run_podtool 125 run --rm --sysctl kernel.hostname=x $IMAGE true
  assert_output_contains 'sysctl "kernel.hostname" is not allowed'
  run_podtool 125 run --rm --network host --sysctl net.ipv4.ip_forward=1 $IMAGE true
  assert_output_contains "not allowed"
  run_podtool run --rm --shm-size 1m $IMAGE sh -c "df -k /dev/shm | tail -1"
  [[ "$output" =~ ^shm\ +1024\  ]]
  run_podtool create --name ann --annotation team=blue --annotation x=y=z $IMAGE true
  run_podtool inspect --format '{{.Config.Annotations.team}} {{.Config.Annotations.x}}' ann
  assert_output "blue y=z"
}

@test "run --timeout kills the container when its time is up; --pidfile and --conmon-pidfile" {
  local t0=$SECONDS
  run_podtool 137 run --rm --timeout 1 $IMAGE sleep 30
  [ $((SECONDS - t0)) -lt 10 ]
  cd "$BATS_TEST_TMPDIR"
  run_podtool run -d --name pf --pidfile pid --conmon-pidfile "$BATS_TEST_TMPDIR/cpid" $IMAGE sleep 100
  [ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$(pt inspect --format '{{.State.Pid}}' pf)" ]
  [ "$(cat "$BATS_TEST_TMPDIR/cpid")" = "$(awk '{print $4}' /proc/$(cat "$BATS_TEST_TMPDIR/pid")/stat)" ]
  run_podtool restart -t 0 pf
  [ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$(pt inspect --format '{{.State.Pid}}' pf)" ]
}

@test "run --restart: on-failure:N retries N times, always restarts until stop, kill is no stop; --rm conflicts" {
  run_podtool run -d --name f --restart on-failure:2 $IMAGE sh -c 'echo run; exit 3'
  local i
  for i in $(seq 100); do
    [ "$(pt inspect --format '{{.RestartCount}} {{.State.Status}}' f)" = "2 exited" ] && break
    sleep 0.1
  done
  run_podtool inspect --format '{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}' f
  assert_output "2 exited 3 on-failure 2"
  sleep 0.5
  run_podtool logs f
  assert_output $'run\nrun\nrun'
  run_podtool run -d --name k --restart always $IMAGE sleep 100
  run_podtool kill k
  for i in $(seq 50); do
    [ "$(pt inspect --format '{{.RestartCount}} {{.State.Status}}' k)" = "1 running" ] && break
    sleep 0.1
  done
  run_podtool inspect --format '{{.RestartCount}} {{.State.Status}}' k
  assert_output "1 running"
  run_podtool stop -t 0 k
  sleep 0.5
  run_podtool inspect --format '{{.State.Status}}' k
  assert_output "exited"
  run_podtool events --stream=false --filter container=k --format '{{.Status}}'
  assert_output_contains "restart"
  run_podtool 125 run --rm --restart always $IMAGE true
  assert_output_contains "the --rm option conflicts with --restart"
  run_podtool 125 run --restart sometimes $IMAGE true
  assert_output_contains 'invalid restart policy "sometimes"'
}

@test "ps --filter before, since, until, network and restart-policy" {
  run_podtool create --name one $IMAGE true
  run_podtool create --name two --network none --restart always $IMAGE true
  run_podtool create --name three $IMAGE true
  run_podtool ps -a --filter before=three --format '{{.Names}}'
  assert_output $'two\none'
  run_podtool ps -a --filter since=one --filter before=three --format '{{.Names}}'
  assert_output "two"
  run_podtool ps -a --filter network=none --format '{{.Names}}'
  assert_output "two"
  run_podtool ps -a --filter restart-policy=always --format '{{.Names}}'
  assert_output "two"
  run_podtool ps -a --filter until=1h --format '{{.Names}}'
  assert_output ""
  # pod=: the containers of a pod (by name or id); none of a pod that is not there.
  run_podtool ps -a --filter pod=x --format '{{.Names}}'
  assert_output ""
  run_podtool 125 ps --filter before=nosuch
  assert_output_contains 'no container with name or ID "nosuch" found'
}

@test "import --change, --message, --os, --arch: the config says what they said" {
  local rootfs
  rootfs=$(pt_image_dir)/busybox-rootfs.tar
  run_podtool import -q --change 'CMD ["echo", "from cmd"]' --change "ENV A=1 B='two words'" \
    --change ENV=C=3 --change 'EXPOSE 8080 53/udp' --change 'LABEL team=blue' --change 'WORKDIR /tmp' \
    --change 'USER 1000' --change 'VOLUME /data' --change 'STOPSIGNAL SIGINT' --message "made here" \
    --arch arm64 "$rootfs" changed
  run_podtool run --rm changed
  assert_output "from cmd"
  run_podtool run --rm changed sh -c 'echo "$A|$B|$C|$(pwd)|$(id -u)"'
  assert_output "1|two words|3|/tmp|1000"
  run_podtool image inspect --format '{{.Architecture}} {{.Config.StopSignal}} {{.Labels.team}}' changed
  assert_output "arm64 SIGINT blue"
  run_podtool image inspect --format '{{json .Config.ExposedPorts}} {{json .Config.Volumes}}' changed
  assert_output_contains '"8080/tcp":{}'
  assert_output_contains '"53/udp":{}'
  assert_output_contains '{"/data":{}}'
  run_podtool history --format '{{.Comment}}' changed
  assert_output "made here"
  run_podtool import -q --change 'ENTRYPOINT echo shell form' "$rootfs" shellform
  run_podtool run --rm shellform
  assert_output "shell form"
  run_podtool 125 import --change 'RUN rm -rf /' "$rootfs" bad
  assert_output_contains 'invalid change "RUN rm -rf /"'
  run_podtool 125 import --change 'EXPOSE http' "$rootfs" bad
  assert_output_contains "is no port"
  run_podtool images --format '{{.Repository}}'
  assert_output_not_contains "bad"
}

@test "system df counts images and containers, what is in use and what is not" {
  run_podtool system df --format '{{.Type}} {{.Total}} {{.Active}}'
  assert_output $'Images 1 0\nContainers 0 0\nLocal Volumes 0 0'
  run_podtool run --name w $IMAGE sh -c 'dd if=/dev/zero of=/big bs=1k count=500 2>/dev/null'
  run_podtool run -d --name up $IMAGE sleep 100
  run_podtool system df --format json
  python3 -c '
import json, sys
rows = {r["Type"]: r for r in json.loads(sys.argv[1])}
assert rows["Images"]["Active"] == 1 and rows["Images"]["RawReclaimable"] == 0, rows
c = rows["Containers"]
assert c["Total"] == 2 and c["Active"] == 1, c
assert c["RawSize"] >= 512000 and c["RawReclaimable"] >= 512000, c
' "$output"
  run_podtool system df
  assert_output_contains "TYPE           TOTAL       ACTIVE      SIZE        RECLAIMABLE"
}

@test "--read-only-tmpfs: with --read-only, /tmp is a tmpfs unless it is false" {
  run_podtool run --rm --read-only $IMAGE sh -c 'touch /tmp/x && echo writable'
  assert_output "writable"
  run_podtool run --rm --read-only --read-only-tmpfs=false $IMAGE sh -c 'touch /tmp/x 2>&1; echo rc=$?'
  assert_output_contains "Read-only file system"
  assert_output_contains "rc=1"
}

@test "exec --detach runs the command on in the background and prints a session ID" {
  run_podtool run -d --name d $IMAGE sleep 100
  run_podtool exec -d d sh -c 'sleep 0.5; echo done > /tmp/mark'
  [[ "$output" =~ ^[0-9a-f]{64}$ ]]
  local i
  for i in $(seq 50); do
    run pt exec d cat /tmp/mark
    [ "$output" = "done" ] && break
    sleep 0.1
  done
  assert_output "done"
  run_podtool 125 exec -d -t d true
  assert_output_contains "--detach with --tty"
}

@test "container, image and system prune --filter until and label" {
  run_podtool create --name old --label keep=yes $IMAGE true
  local old=$output
  run_podtool create --name other $IMAGE true
  local other=$output
  run_podtool container prune -f --filter label=keep=yes --filter until=0s
  assert_output "$old"
  run_podtool container prune -f --filter until=1h
  assert_output ""
  run_podtool container prune -f --filter label!=keep
  assert_output "$other"
  run_podtool import -q --change 'LABEL tier=db' "$(pt_image_dir)/busybox-rootfs.tar" labelled
  run_podtool untag labelled
  run_podtool import -q "$(pt_image_dir)/busybox-rootfs.tar" plain
  run_podtool untag plain
  run_podtool image prune -f --filter label=tier=db
  [ "${#lines[@]}" -eq 1 ]
  run_podtool images -q --noheading
  [ "${#lines[@]}" -eq 2 ]
  run_podtool system prune -f --filter until=0s
  run_podtool images -q --noheading
  [ "${#lines[@]}" -eq 1 ]
  run_podtool 125 image prune -f --filter bogus=1
  assert_output_contains 'invalid filter "bogus=1"'
}

@test "export: the container's merged root as a tar that import takes back; diff: A, C, D" {
  run_podtool run --name c $IMAGE sh -c 'echo new > /newfile; rm /etc/group; mkdir -p /home/app/d; echo x > /home/app/d/y; chown 1000:1000 /newfile'
  run_podtool diff c
  assert_output $'C /etc\nD /etc/group\nC /home\nC /home/app\nA /home/app/d\nA /home/app/d/y\nA /newfile'
  run_podtool container diff --format json c
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["deleted"]==["/etc/group"] and "/newfile" in d["added"], d' "$output"
  run_podtool export -o "$BATS_TEST_TMPDIR/c.tar" c
  run tar tvf "$BATS_TEST_TMPDIR/c.tar"
  assert_output_contains "newfile"
  assert_output_not_contains "etc/group"
  run_podtool import -q "$BATS_TEST_TMPDIR/c.tar" round
  run_podtool 1 run --rm round sh -c 'cat /newfile; stat -c %u:%g /newfile /home/app/owned.txt; ls /etc/group 2>&1'
  assert_output $'new\n1000:1000\n1000:1000\nls: /etc/group: No such file or directory'
  run_podtool 125 diff nosuch
  assert_output_contains "nosuch: no container of that name or ID"
  # Looking for a user in /etc/passwd (a numeric -u the image names) changes nothing.
  run_podtool run --name untouched -u 0 $IMAGE true
  run_podtool diff untouched
  assert_output ""
}

@test "commit: the container's changes as one more layer, its settings as the config; --change, --iidfile, history" {
  run_podtool run --name c -e MINE=1 -w /tmp $IMAGE sh -c 'echo new > /newfile; rm /etc/group; mkdir -p /data; echo kept > /data/f'
  run_podtool commit -q --change 'CMD ["cat", "/newfile"]' -m "my change" -a me --iidfile "$BATS_TEST_TMPDIR/iid" c committed
  local id=$output
  [ "$(cat "$BATS_TEST_TMPDIR/iid")" = "sha256:$id" ]
  run_podtool run --rm committed
  assert_output "new"
  run_podtool 1 run --rm committed sh -c 'cat /data/f; echo "$MINE|$(pwd)"; ls /etc/group 2>&1'
  assert_output $'kept\n1|/tmp\nls: /etc/group: No such file or directory'
  run_podtool history --format '{{.CreatedBy}}|{{.Comment}}' committed
  assert_equal "${lines[0]}" "podtool commit|my change"
  run_podtool image inspect --format '{{.Author}} {{len .RootFS.Layers}}' committed
  assert_output "me 2"
  run_podtool save -o "$BATS_TEST_TMPDIR/s.tar" committed
  run_podtool rmi committed
  run_podtool load -q -i "$BATS_TEST_TMPDIR/s.tar"
  run_podtool run --rm committed
  assert_output "new"
  run_podtool events --stream=false --filter event=commit --format '{{.Name}}'
  assert_output "committed"
}

@test "stop --filter and rm --filter act on the containers ps --filter shows" {
  run_podtool run -d --name web-1 --label app=web $IMAGE sleep 100
  run_podtool run -d --name web-2 --label app=web $IMAGE sleep 100
  run_podtool run -d --name db $IMAGE sleep 100
  run_podtool stop -t 0 --filter name=web
  [ "${#lines[@]}" -eq 2 ]
  run_podtool ps --format '{{.Names}}'
  assert_output "db"
  run_podtool rm --filter label=app=web
  [ "${#lines[@]}" -eq 2 ]
  run_podtool ps -a --format '{{.Names}}'
  assert_output "db"
  run_podtool 125 stop --filter name=db db
  assert_output_contains "cannot be used together"
  run_podtool 125 stop --filter bogus=1
  assert_output_contains "unsupported filter"
}

@test "start --filter starts the stopped containers that match" {
  run_podtool create --name s1 --label grp=a $IMAGE sleep 100
  run_podtool create --name s2 --label grp=b $IMAGE sleep 100
  run_podtool start --filter label=grp=a
  [ "${#lines[@]}" -eq 1 ]
  run_podtool ps --format '{{.Names}}'
  assert_output "s1"
}

@test "commit leaves out the /etc/hosts, /etc/hostname and /etc/resolv.conf podtool wrote at create" {
  run_podtool run --name c $IMAGE sh -c 'echo mine > /mine'
  run_podtool commit -q c withfiles
  run_podtool save -o "$BATS_TEST_TMPDIR/s.tar" withfiles
  python3 - "$BATS_TEST_TMPDIR/s.tar" <<'PY'
import io, json, sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    manifest = json.load(t.extractfile("manifest.json"))
    last = manifest[0]["Layers"][-1]
    with tarfile.open(fileobj=io.BytesIO(t.extractfile(last).read())) as layer:
        names = layer.getnames()
assert "mine" in names, names
for own in ("etc/hosts", "etc/hostname", "etc/resolv.conf"):
    assert own not in names, (own, names)
PY
}

@test "export and commit --squash leave out podtool's own /etc files; --squash makes one layer of the whole root" {
  run_podtool run --name c $IMAGE sh -c 'echo mine > /mine; rm /etc/group'
  run_podtool export -o "$BATS_TEST_TMPDIR/c.tar" c
  run tar tf "$BATS_TEST_TMPDIR/c.tar"
  assert_output_contains "mine"
  assert_output_not_contains "etc/hosts"
  assert_output_not_contains "etc/resolv.conf"
  run_podtool commit -q --squash c flat
  run_podtool image inspect --format '{{len .RootFS.Layers}}' flat
  assert_output "1"
  run_podtool history -q flat
  [ "${#lines[@]}" -eq 1 ]
  run_podtool 1 run --rm flat sh -c 'cat /mine; ls /bin/sh >/dev/null && echo has-sh; ls /etc/group'
  assert_output $'mine\nhas-sh\nls: /etc/group: No such file or directory'
  # It stands alone: saved, loaded into an empty store, it runs.
  run_podtool save -o "$BATS_TEST_TMPDIR/flat.tar" flat
  local other=("$PODTOOL" --root "$BATS_TEST_TMPDIR/r2" --runroot "$BATS_TEST_TMPDIR/rr2")
  run "${other[@]}" load -q -i "$BATS_TEST_TMPDIR/flat.tar"
  [ "$status" -eq 0 ]
  run "${other[@]}" run --rm flat cat /mine
  assert_output "mine"
}

@test "ps --size, --ns, --sort; system df -v" {
  run_podtool run -d --name big $IMAGE sh -c 'dd if=/dev/zero of=/big bs=1024 count=300 2>/dev/null; sleep 100'
  run_podtool run --name small $IMAGE true
  local i
  for i in $(seq 50); do pt exec big test -s /big && [ "$(pt exec big stat -c %s /big)" = 307200 ] && break; sleep 0.1; done
  run_podtool ps -a --size --sort size --format '{{.Names}} {{.Size}}'
  [[ "${lines[0]}" =~ ^small\ [0-9.]+\ [kM]?B\ \(virtual\ [0-9.]+\ MB\)$ ]]
  [[ "${lines[1]}" =~ ^big\ 30[0-9](\.[0-9]+)?\ kB\ \(virtual ]]
  run_podtool ps -a --size --format json
  python3 -c 'import json,sys; d={c["Names"][0]: c["Size"] for c in json.loads(sys.argv[1])}; assert d["big"]["rwSize"] >= 307200 and d["big"]["rootFsSize"] > d["big"]["rwSize"], d' "$output"
  run_podtool ps -a --sort names --format '{{.Names}}'
  assert_output $'big\nsmall'
  run_podtool 125 ps --sort age
  assert_output_contains "invalid option for --sort"
  run_podtool ps --ns --noheading
  local pid
  pid=$(pt inspect --format '{{.State.Pid}}' big)
  local net
  net=$(readlink /proc/$pid/ns/net | tr -dc 0-9)
  [[ "$output" == *"big"*"$pid"*"$net"* ]]
  run_podtool ps --ns --format '{{.Namespaces.User}}'
  assert_output "$(readlink /proc/$pid/ns/user | tr -dc 0-9)"
  run_podtool system df -v
  assert_output_contains "Images space usage:"
  assert_output_contains "Containers space usage:"
  assert_output_contains "Local Volumes space usage:"
  [[ "$output" =~ $(pt inspect --format '{{.Id}}' big | cut -c1-12)\ .*\ 30[0-9](\.[0-9]+)?\ kB\ .*running\ +big ]]
  run_podtool 125 system df -v --format json
  assert_output_contains "cannot combine"
  run_podtool rm -f -t 0 big
}

@test "--latest reaches the last created container in attach, inspect, port, top, stats, wait; --tmpdir" {
  run_podtool run -d --name first $IMAGE sleep 100
  run_podtool run -d --name last -p 127.0.0.1::80 $IMAGE sleep 100
  run_podtool inspect -l --format '{{.Name}}'
  assert_output "last"
  run_podtool port -l
  assert_output_contains "80/tcp -> 127.0.0.1:"
  run_podtool top -l pid,args
  assert_output_contains "sleep 100"
  # stats needs a cgroup (the VM's tests have one): here its error names the latest.
  run pt stats -l --no-stream --format '{{.Name}}'
  if [ "$status" -eq 0 ]; then
    assert_output "last"
  else
    assert_output_contains "$(pt inspect --format '{{.Id}}' last) has none"
  fi
  run_podtool kill -l
  run_podtool wait -l --condition stopped
  assert_output "137"
  run_podtool 125 wait --condition running first
  assert_output_contains "--condition running: not supported by podtool"
  run_podtool --tmpdir "$BATS_TEST_TMPDIR" ps -q
}

@test "hostile inputs: a garbled events log, a bad --label-file, a missing --env-file: one error, the store still works" {
  run_podtool create --name ok $IMAGE true
  printf '{not json\n\x00\x01garbage\n{"Status":"x"}\n' >> "$PT_RUNROOT/events.log"
  run_podtool create --name ok2 $IMAGE true
  run_podtool events --stream=false --filter type=container --format '{{.Status}} {{.Name}}'
  assert_output $'create ok\ncreate ok2'
  printf '=nokey\n' > "$BATS_TEST_TMPDIR/labels"
  run_podtool 125 create --label-file "$BATS_TEST_TMPDIR/labels" $IMAGE true
  assert_output_contains "invalid label \`=nokey\`"
  [ "${#lines[@]}" -eq 1 ]
  run_podtool 125 run --rm --env-file "$BATS_TEST_TMPDIR/none" $IMAGE true
  assert_output_contains "$BATS_TEST_TMPDIR/none"
  [ "${#lines[@]}" -eq 1 ]
  run_podtool ps -a --format '{{.Names}}'
  assert_output $'ok2\nok'
}

@test "--preserve-fds N: run (attached and -d) and exec pass our fds 3..N+2, and nothing more" {
  echo from-three > "$BATS_TEST_TMPDIR/three"
  run_podtool run --rm --preserve-fds 2 $IMAGE sh -c 'cat <&3; echo to-four >&4; ls /proc/self/fd | sort -n | tr "\n" " "' \
    3<"$BATS_TEST_TMPDIR/three" 4>"$BATS_TEST_TMPDIR/four"
  # 0-2, the two passed, and ls's own directory.
  assert_output $'from-three\n0 1 2 3 4 5 '
  [ "$(cat "$BATS_TEST_TMPDIR/four")" = "to-four" ]
  # Without the flag none of ours gets in.
  run_podtool run --rm $IMAGE sh -c 'ls /proc/self/fd | sort -n | tr "\n" " "' 3<"$BATS_TEST_TMPDIR/three"
  assert_output "0 1 2 3 "
  run_podtool run -d --name keep --preserve-fds 1 $IMAGE sh -c 'echo detached >&3; sleep 100' \
    3>"$BATS_TEST_TMPDIR/detached"
  local i
  for i in $(seq 50); do [ -s "$BATS_TEST_TMPDIR/detached" ] && break; sleep 0.1; done
  [ "$(cat "$BATS_TEST_TMPDIR/detached")" = "detached" ]
  run_podtool exec --preserve-fds 1 keep sh -c 'cat <&3' 3<"$BATS_TEST_TMPDIR/three"
  assert_output "from-three"
  # The monitor's own children (the network helper) do not hold them.
  local mon
  mon=$(pt inspect --format '{{.State.ConmonPid}}' keep)
  local p
  for p in $(pgrep -P "$mon"); do
    ! ls -l /proc/$p/fd 2>/dev/null | grep -q "$BATS_TEST_TMPDIR/detached" || [ "$p" = "$(pt inspect --format '{{.State.Pid}}' keep)" ]
  done
  run_podtool 125 run --rm --preserve-fds 3 $IMAGE true 3</dev/null 4</dev/null
  assert_output "Error: file descriptor 5 is not available - the preserve-fds option requires that file descriptors must be passed"
  run_podtool 125 exec --preserve-fds x keep true
  assert_output_contains '"x"'
  run_podtool 125 create --preserve-fds 1 $IMAGE true 3</dev/null
  assert_output_contains "only podtool run"
  run_podtool rm -f -t 0 keep
}

@test "--rmi: the image goes with the container, unless another container uses it" {
  run_podtool tag $IMAGE doomed
  run_podtool run --rmi doomed echo ran
  assert_output "ran"
  run_podtool 1 image exists doomed
  run_podtool ps -a -q
  assert_output ""
  # An image with one name, which a container uses: it stays, with a warning.
  run_podtool run --name base $IMAGE true
  run_podtool commit -q base solo
  run_podtool rm base
  run_podtool create --name user solo true
  run pt run --rmi solo echo ran-again
  [ "$status" -eq 0 ]
  assert_output_contains "ran-again"
  assert_output_contains "Failed to remove image"
  run_podtool image exists solo
  run_podtool 125 run --rmi --rm=false $IMAGE true
  assert_output "Error: the --rmi option does not work without --rm"
  run_podtool 125 create --rmi $IMAGE true
  assert_output_contains "only podtool run"
}

@test "--requires: the containers it needs start first, each time; rm of a needed one needs --depend" {
  run_podtool create --name db $IMAGE sleep 100
  run_podtool create --name cache $IMAGE sleep 100
  run_podtool create --name app --requires db,cache $IMAGE sleep 100
  run_podtool inspect --format '{{.State.Status}}' db
  assert_output "created"
  run_podtool start app
  run_podtool ps --format '{{.Names}}' --sort names
  assert_output $'app\ncache\ndb'
  run_podtool stop -t 0 db cache app
  run_podtool restart app
  run_podtool ps --format '{{.Names}}' --sort names
  assert_output $'app\ncache\ndb'
  # A container joining another's network gets it started too.
  run_podtool create --name host-of-net $IMAGE sleep 100
  run_podtool run --rm --network container:host-of-net $IMAGE true
  run_podtool inspect --format '{{.State.Status}}' host-of-net
  assert_output "running"
  run_podtool 125 rm -f db
  assert_output_contains "has dependent containers which must be removed before it: $(pt inspect --format '{{.Id}}' app)"
  run_podtool rm -f -t 0 --depend db
  assert_output_contains "db"
  run_podtool 1 container exists app
  run_podtool 125 create --requires nosuch $IMAGE true
  assert_output_contains 'no container with name or ID "nosuch"'
  run_podtool rm -f -t 0 -a
}

@test "update refuses what it cannot change, before anything changes" {
  run_podtool create --name u $IMAGE true
  run_podtool 125 update u
  assert_output "Error: no limit to change: give at least one flag"
  run_podtool 125 update --cpu-rt-runtime 10 u
  assert_output_contains "--cpu-rt-runtime: not supported by podtool"
  run_podtool 125 update --cpu-period 10 u
  assert_output_contains "invalid --cpu-period"
  run_podtool 125 update --memory 1k u
  assert_output_contains "invalid --memory"
  run_podtool 125 update --memory 64m nosuch
  assert_output_contains "nosuch"
  run_podtool inspect --format '{{.HostConfig.Memory}}' u
  assert_output "0"
}

@test "healthchecks: healthcheck run, the monitor's interval, ps status and filter, inspect, events, the image's" {
  run_podtool run -d --name h --health-cmd 'test -e /ok || { echo not yet; exit 1; }' \
    --health-retries 2 --health-interval disable $IMAGE sleep 100
  run_podtool inspect --format '{{.State.Health.Status}} {{index .Config.Healthcheck.Test 0}} {{.Config.Healthcheck.Retries}}' h
  assert_output "starting CMD-SHELL 2"
  run_podtool 1 healthcheck run h
  assert_output "starting"
  run_podtool 1 healthcheck run h
  assert_output "unhealthy"
  run_podtool inspect --format '{{.State.Health.FailingStreak}} {{json .State.Health.Log}}' h
  [[ "$output" == "2 "*'"ExitCode":1'*'"Output":"not yet\n"'* ]]
  run_podtool ps --format '{{.Status}}'
  [[ "$output" == "Up "*" (unhealthy)" ]]
  run_podtool ps -q --filter health=unhealthy
  assert_output "$(pt inspect --format '{{.Id}}' h | cut -c1-12)"
  run_podtool exec h touch /ok
  run_podtool healthcheck run h
  assert_output ""
  run_podtool ps -q --filter health=unhealthy
  assert_output ""
  run_podtool events --stream=false --filter event=health_status --format '{{.Status}}'
  [ "${#lines[@]}" -eq 3 ]
  # A check that runs too long fails.
  run_podtool run -d --name slow --health-cmd 'sleep 10' --health-timeout 1s --health-retries 1 \
    --health-interval disable $IMAGE sleep 100
  run_podtool 1 healthcheck run slow
  assert_output "unhealthy"
  run_podtool inspect --format '{{json .State.Health.Log}}' slow
  assert_output_contains "exceeded timeout"
  # The monitor runs it at each interval.
  run_podtool run -d --name auto --health-cmd 'true' --health-interval 1s $IMAGE sleep 100
  local i
  for i in $(seq 40); do
    [ "$(pt inspect --format '{{.State.Health.Status}}' auto)" = healthy ] && break
    sleep 0.1
  done
  run_podtool inspect --format '{{.State.Health.Status}}' auto
  assert_output "healthy"
  # commit keeps it in the image; --no-healthcheck drops it.
  run_podtool commit -q h withcheck
  run_podtool create --name from-image withcheck true
  run_podtool inspect --format '{{index .Config.Healthcheck.Test 1}}' from-image
  assert_output_contains "test -e /ok"
  run_podtool create --name without --no-healthcheck withcheck true
  run_podtool inspect --format '{{index .Config.Healthcheck.Test 0}}' without
  assert_output "NONE"
  run_podtool 125 healthcheck run without
  assert_output_contains "has no defined healthcheck"
  run_podtool 125 healthcheck run from-image
  assert_output_contains "is not running"
  run_podtool 125 create --health-cmd '["BOGUS"]' $IMAGE true
  assert_output_contains "invalid --health-cmd"
  run_podtool 125 create --health-interval 10x $IMAGE true
  assert_output_contains "invalid --health-interval"
  run_podtool 125 ps --filter health=great
  assert_output_contains "invalid health filter"
  run_podtool rm -f -t 0 -a
}

@test "--systemd: an init command gets systemd's tmpfs and SIGRTMIN+3; false and always" {
  local show='mount | grep -E " /(run|run/lock|tmp|var/log/journal) type tmpfs" | cut -d" " -f3 | sort | tr "\n" " "; echo "$container"'
  run_podtool run --rm --systemd always $IMAGE sh -c "$show"
  assert_output "/run /run/lock /tmp /var/log/journal podtool"
  run_podtool run --rm $IMAGE sh -c "$show"
  assert_output "podtool"
  # The default (true) looks at the command: an init by its path, systemd by its name.
  run_podtool create --name sd --entrypoint /sbin/init $IMAGE
  run_podtool inspect --format '{{.Config.StopSignal}}' sd
  assert_output "$(( $(kill -l RTMIN) + 3 ))"
  run_podtool create --name nosd --systemd false --entrypoint /sbin/init $IMAGE
  run_podtool inspect --format '{{.Config.StopSignal}}' nosd
  assert_output "15"
  # A mount of the user's there wins; --stop-signal too.
  run_podtool run --rm --systemd always --tmpfs /tmp:size=1m --stop-signal USR1 $IMAGE sh -c 'df -k /tmp | tail -1 | tr -s " " | cut -d" " -f2'
  assert_output "1024"
  run_podtool 125 run --rm --systemd sometimes $IMAGE true
  assert_output_contains "invalid --systemd"
}

@test "--sdnotify: conmon sends READY=1 and the monitor's pid; container gets the socket; ignore neither" {
  local sock=$BATS_TEST_TMPDIR/notify.sock out=$BATS_TEST_TMPDIR/notified
  python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
open(sys.argv[2] + ".ready", "w").close()
data = s.recv(4096)
open(sys.argv[2], "wb").write(data)
' "$sock" "$out" &
  local i
  for i in $(seq 50); do [ -e "$out.ready" ] && break; sleep 0.1; done
  NOTIFY_SOCKET=$sock run_podtool run -d --name c1 --sdnotify conmon $IMAGE sleep 100
  wait
  grep -qx "READY=1" "$out"
  grep -qx "MAINPID=$(pt inspect --format '{{.State.ConmonPid}}' c1)" "$out"
  # container: the socket inside, NOTIFY_SOCKET naming it there.
  NOTIFY_SOCKET=$sock run_podtool run --rm $IMAGE sh -c 'test -S "$NOTIFY_SOCKET" && echo "$NOTIFY_SOCKET"'
  assert_output "/run/notify/notify.sock"
  NOTIFY_SOCKET=$sock run_podtool run --rm --sdnotify ignore $IMAGE sh -c 'echo "[$NOTIFY_SOCKET]"; ls /run/notify 2>&1 | head -1'
  assert_output_contains "[]"
  assert_output_contains "No such file or directory"
  run_podtool 125 run --rm --sdnotify always $IMAGE true
  assert_output_contains "invalid --sdnotify"
  run_podtool rm -f -t 0 c1
}

@test "--pid, --ipc, --uts host share the host's namespace; private is the default; joining another container's is refused" {
  run_podtool run --rm --pid host --ipc host --uts host $IMAGE sh -c \
    'for n in pid ipc uts; do readlink /proc/self/ns/$n; done; hostname'
  assert_output "$(for n in pid ipc uts; do readlink /proc/self/ns/$n; done; hostname)"
  # The host's processes of the user are there, this test's shell among them.
  run_podtool run --rm --pid host $IMAGE test -d /proc/$$
  run_podtool run --rm --pid private --ipc shareable --uts private $IMAGE sh -c \
    'for n in pid ipc uts; do readlink /proc/self/ns/$n; done'
  [[ "$output" != *"$(readlink /proc/self/ns/pid)"* ]]
  [[ "$output" != *"$(readlink /proc/self/ns/ipc)"* ]]
  run_podtool create --name ns --pid host --uts host $IMAGE sleep 100
  run_podtool inspect --format '{{.HostConfig.PidMode}} {{.HostConfig.IpcMode}} {{.HostConfig.UTSMode}}' ns
  assert_output "host private host"
  # exec joins what it has of its own only.
  run_podtool start ns
  run_podtool exec ns readlink /proc/self/ns/pid
  assert_output "$(readlink /proc/self/ns/pid)"
  run_podtool 125 run --rm --ipc container:ns $IMAGE true
  assert_output_contains "not supported by podtool yet"
  run_podtool 125 run --rm --pid bogus $IMAGE true
  assert_output_contains "invalid --pid \`bogus\`"
  run_podtool 125 run --rm --ipc host --sysctl kernel.shmmax=1000000 $IMAGE true
  assert_output_contains "is not allowed"
  run_podtool rm -f -t 0 ns
}

@test "init: a created container becomes initialized until it starts; a running one is an error" {
  run_podtool create --name i1 $IMAGE sleep 100
  run_podtool create --name i2 $IMAGE true
  run_podtool init i1
  assert_output "i1"
  run_podtool inspect --format '{{.State.Status}}' i1
  assert_output "initialized"
  run_podtool ps -a --filter status=initialized --format '{{.Names}} {{.Status}}'
  assert_output "i1 Initialized"
  run_podtool start i1
  run_podtool inspect --format '{{.State.Status}}' i1
  assert_output "running"
  run_podtool 125 init i1
  assert_output_contains "has already been created in runtime"
  run_podtool init -a
  run_podtool inspect --format '{{.State.Status}}' i2
  assert_output "initialized"
  run_podtool 125 init nosuch
  assert_output_contains "nosuch"
  run_podtool rm -f -t 0 -a
}

@test "start -a -i passes stdin; history --no-trunc; stats -a and --no-reset" {
  run_podtool create -i --name cat $IMAGE cat
  run bash -c "echo through-stdin | $PODTOOL --root $PT_ROOT --runroot $PT_RUNROOT start -a -i cat"
  [ "$status" -eq 0 ]
  assert_output "through-stdin"
  run_podtool history --no-trunc --format '{{.ID}}' $IMAGE
  [ "${#lines[0]}" -eq 64 ]
  run_podtool history --format '{{.ID}}' $IMAGE
  [ "${#lines[0]}" -eq 12 ]
  run_podtool run -d --name s1 $IMAGE sleep 100
  # -a takes stopped ones too, as a row of zeros; the running one needs a cgroup.
  run pt stats -a --no-stream --no-reset --format '{{.Name}} {{.MemUsage}}'
  if [ "$status" -eq 0 ]; then
    [[ "$output" == *s1* && "$output" == *"cat 0B"* ]]
  else
    assert_output_contains "has none"
  fi
  run_podtool stop -t 0 s1
  run_podtool stats -a --no-stream --format '{{.Name}}'
  assert_output $'cat\ns1'
  run_podtool stats --no-stream --format '{{.Name}}'
  assert_output ""
  run_podtool rm -f -t 0 -a
}

@test "restart and kill take --filter, --cidfile and --ignore" {
  run_podtool run -d --name r1 --label grp=a --cidfile "$BATS_TEST_TMPDIR/r1.cid" $IMAGE sleep 100
  run_podtool run -d --name r2 --label grp=b $IMAGE sleep 100
  local pid1
  pid1=$(pt inspect --format '{{.State.Pid}}' r1)
  run_podtool restart -t 0 --filter label=grp=a
  [ "$(pt inspect --format '{{.State.Pid}}' r1)" != "$pid1" ]
  run_podtool restart -t 0 --cidfile "$BATS_TEST_TMPDIR/r1.cid"
  run_podtool restart --ignore nosuch
  run_podtool kill --filter label=grp=b
  run_podtool wait r2
  assert_output "137"
  run_podtool kill --ignore nosuch
  run_podtool kill --cidfile "$BATS_TEST_TMPDIR/r1.cid"
  run_podtool rm -a -f
}
