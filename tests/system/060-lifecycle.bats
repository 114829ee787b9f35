#!/usr/bin/env bats
# Containers under their monitor: detach, logs, exec, stop, kill, wait,
# inspect, create/start, rename.

load helpers

setup () {
  pt_test_setup
}

teardown () {
  pt_test_teardown
}

@test "run -d prints the full id; the container runs on after podtool exits" {
  run_podtool run -d --name bg $IMAGE sleep 100
  [[ "$output" =~ ^[0-9a-f]{64}$ ]]
  local id=$output
  run_podtool ps
  [ "${#lines[@]}" -eq 2 ]
  [[ "${lines[1]}" =~ ^${id:0:12}\ .*\ Up\ .*\ bg$ ]]
  run_podtool inspect bg
  assert_output_contains '"Running": true'
  assert_output_contains "\"Id\": \"$id\""
  run_podtool kill bg
  assert_output "bg"
  run_podtool wait bg
  assert_output "137"
}

@test "logs: stdout and stderr apart, --tail, -t, --since" {
  run_podtool run --name talk $IMAGE sh -c 'echo one; echo two >&2; echo three; printf partial'
  local out err
  out=$(pt logs talk 2>/dev/null)
  err=$(pt logs talk 2>&1 >/dev/null)
  assert_equal "$out" $'one\nthree\npartial'
  assert_equal "$err" "two"
  run_podtool logs -t talk
  [[ "${lines[0]}" =~ ^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+\+00:00\ one$ ]]
  run_podtool logs --since 2099-01-01T00:00:00Z talk
  assert_output ""
  run_podtool logs --until 1h talk
  assert_output ""
  # The log itself is in k8s-file format (stdout and stderr may interleave).
  local log
  log=$(ls "$PT_ROOT"/containers/*/ctr.log | head -1)
  grep -Eq '^[0-9T:.+-]+ stdout F one$' "$log"
  grep -Eq '^[0-9T:.+-]+ stderr F two$' "$log"
  grep -Eq '^[0-9T:.+-]+ stdout P partial$' "$log"
  run_podtool run --name tail $IMAGE sh -c 'seq 1 5; printf six'
  run_podtool logs --tail 2 tail
  assert_output $'5\nsix'
  run_podtool logs --tail 0 tail
  assert_output ""
}

@test "logs keep every line of a lot of output, and -f follows to the end" {
  run_podtool run -d --name loud $IMAGE sh -c 'sleep 0.5; seq 1 150000; echo done'
  run pt logs -f loud
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 150001 ]
  assert_equal "${lines[150000]}" "done"
  assert_equal "$(printf '%s\n' "${lines[@]:0:150000}" | md5sum)" "$(seq 1 150000 | md5sum)"
}

@test "exec runs in the container with its exit code, user, env and workdir" {
  run_podtool run -d --name host $IMAGE sleep 100
  run_podtool exec host sh -c 'echo $$; hostname; cat /proc/1/cmdline | tr "\0" " "'
  [[ "${lines[0]}" =~ ^[0-9]+$ ]] && [ "${lines[0]}" -gt 1 ]
  [[ "${lines[1]}" =~ ^[0-9a-f]{12}$ ]]
  assert_equal "${lines[2]}" "sleep 100 "
  run_podtool 7 exec host sh -c 'exit 7'
  run_podtool 127 exec host nosuchcommand
  assert_output_contains "nosuchcommand"
  run_podtool 126 exec host /etc/passwd
  run_podtool exec -u app -e X=1 -w /tmp host sh -c 'id; echo $X; pwd'
  assert_equal "${lines[0]}" "uid=1000(app) gid=1000(app) groups=1000(app),2000(extra)"
  assert_equal "${lines[1]}" "1"
  assert_equal "${lines[2]}" "/tmp"
  run_podtool exec host grep -E '^(CapEff|Seccomp):' /proc/self/status
  assert_equal "${lines[0]}" $'CapEff:\t00000000800405fb'
  assert_equal "${lines[1]}" $'Seccomp:\t2'
  run_podtool stop -t 1 host
  run_podtool 125 exec host true
  assert_output_contains "can only create exec sessions on running containers"
}

@test "stop: SIGTERM first; a process that ignores it is killed after -t with 137" {
  run_podtool run -d --name polite $IMAGE sh -c 'trap "exit 3" TERM; while true; do sleep 0.1; done'
  run_podtool stop polite
  assert_output "polite"
  run_podtool wait polite
  assert_output "3"
  run_podtool run -d --name stubborn $IMAGE sh -c 'trap "" TERM; while true; do sleep 0.1; done'
  local t0=$SECONDS
  run_podtool stop -t 2 stubborn
  local took=$((SECONDS - t0))
  [ "$took" -ge 1 ] && [ "$took" -le 6 ]
  run_podtool wait stubborn
  assert_output "137"
  run_podtool ps -a
  assert_output_contains "Exited (137)"
  # Stopping what is not running is fine, as in Podman.
  run_podtool stop stubborn
}

@test "kill sends the signal asked for; killing what is not running is an error" {
  run_podtool run -d --name k $IMAGE sh -c 'trap "exit 10" USR1; while true; do sleep 0.1; done'
  run_podtool kill -s USR1 k
  run_podtool wait k
  assert_output "10"
  run_podtool 125 kill k
  assert_output_contains "can only kill running containers"
  run_podtool 125 kill -s NOSUCHSIG k
}

@test "create, then start -a; start again after it exited" {
  run_podtool create --name later $IMAGE sh -c 'echo started; exit 4'
  [[ "$output" =~ ^[0-9a-f]{64}$ ]]
  run_podtool ps -a
  assert_output_contains "Created"
  run_podtool 4 start -a later
  assert_output "started"
  run_podtool start later
  assert_output "later"
  run_podtool wait later
  assert_output "4"
  run_podtool logs later
  assert_output $'started\nstarted'
}

@test "run -d --rm: the monitor removes the container when it exits" {
  run_podtool run -d --rm --name gone $IMAGE sh -c 'sleep 0.3'
  local i
  for i in $(seq 50); do
    run pt ps -a -q
    [ -z "$output" ] && break
    sleep 0.1
  done
  assert_output ""
  [ -z "$(ls "$PT_ROOT/containers")" ]
}

@test "rename, and inspect of containers and images" {
  run_podtool run --name before $IMAGE true
  run_podtool rename before after
  run_podtool ps -a
  assert_output_contains " after"
  assert_output_not_contains " before"
  run_podtool run --name other $IMAGE true
  run_podtool 125 rename after other
  assert_output_contains "already in use"
  run_podtool inspect after
  assert_output_contains '"Name": "after"'
  assert_output_contains '"ExitCode": 0'
  assert_output_contains '"ImageName": "localhost/ptbusybox:latest"'
  run_podtool inspect ptbusybox
  assert_output_contains '"RepoTags": ['
  run_podtool 125 inspect nothing-of-that-name
  assert_output_contains 'no such object: "nothing-of-that-name"'
}

@test "a killed monitor and container: ps, inspect, wait and rm tell the truth" {
  run_podtool run -d --name victim $IMAGE sleep 100
  local id=$output
  local state=$PT_RUNROOT/containers/$id/state.json
  local pid mon
  pid=$(sed -n 's/.*"pid": \([0-9]*\).*/\1/p' "$state")
  mon=$(sed -n 's/.*"monitor_pid": \([0-9]*\).*/\1/p' "$state")
  kill -9 "$mon"
  # Its PR_SET_PDEATHSIG may have killed it already.
  kill -9 "$pid" 2>/dev/null || true
  local i
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  run_podtool ps
  [ "${#lines[@]}" -eq 1 ]
  run_podtool ps -a
  assert_output_contains "Exited (unknown)"
  run_podtool inspect victim
  assert_output_contains '"Running": false'
  assert_output_contains '"ExitCodeKnown": false'
  run timeout 10 "$PODTOOL" --root "$PT_ROOT" --runroot "$PT_RUNROOT" wait victim
  [ "$status" -eq 0 ]
  assert_equal "${lines[0]}" "-1"
  run_podtool rm victim
  run_podtool ps -a -q
  assert_output ""
}

@test "rm -f kills a running container; rm without -f refuses it" {
  run_podtool run -d --name busy $IMAGE sleep 100
  run_podtool 2 rm busy
  assert_output_contains "cannot remove container"
  run_podtool rm -f busy
  run_podtool ps -a -q
  assert_output ""
}

@test "ten concurrent run -d and rm -f leave a consistent store" {
  local i pids=()
  for i in $(seq 10); do
    pt run -d --name "c$i" $IMAGE sleep 100 >/dev/null 3>&- & pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
  run_podtool ps -q
  [ "${#lines[@]}" -eq 10 ]
  pids=()
  for i in $(seq 10); do
    pt rm -f "c$i" >/dev/null 3>&- & pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
  run_podtool ps -a -q
  assert_output ""
  [ -z "$(ls "$PT_ROOT/containers")" ]
}

@test "-i sends our input to the container; without -i it reads nothing" {
  run bash -c "printf 'a\nb\n' | $(printf '%q ' "$PODTOOL" --root "$PT_ROOT" --runroot "$PT_RUNROOT") run --rm -i $IMAGE wc -l"
  [ "$status" -eq 0 ]
  assert_output "2"
  run bash -c "echo ignored | $(printf '%q ' "$PODTOOL" --root "$PT_ROOT" --runroot "$PT_RUNROOT") run --rm $IMAGE cat"
  [ "$status" -eq 0 ]
  assert_output ""
}

@test "-t gives the container a terminal of its own devpts" {
  run_podtool run --rm -t -u app $IMAGE sh -c 'tty; stat -c "%u %t" $(tty)'
  assert_equal "${lines[0]}" $'/dev/pts/0\r'
  [[ "${lines[1]}" =~ ^0\ 88 ]]
}

@test "attach relays a detached container's output and takes input with -i" {
  run_podtool run -d -i --name talker $IMAGE sh -c 'read x; echo "got $x"; exit 5'
  run bash -c "echo hello | $(printf '%q ' "$PODTOOL" --root "$PT_ROOT" --runroot "$PT_RUNROOT") attach talker"
  [ "$status" -eq 5 ]
  assert_output "got hello"
  run_podtool 125 attach talker
  assert_output_contains "only attach to running containers"
}

@test "run -it in a terminal: an interactive shell, its size, its exit code" {
  in_terminal 90 25 "stty size; tty; exit 3" run -it --rm $IMAGE sh
  [[ "$SCREEN" == *"25 90"* ]]
  [[ "$SCREEN" == *"/dev/pts/0"* ]]
  assert_equal "$EXITED" "3"
}

@test "ps --filter and --format json" {
  run_podtool run --name done1 $IMAGE true
  run_podtool run -d --name live1 $IMAGE sleep 100
  run_podtool ps --filter status=exited
  [ "${#lines[@]}" -eq 2 ]
  assert_output_contains " done1"
  run_podtool ps -a --filter name=^live -q
  [ "${#lines[@]}" -eq 1 ]
  run_podtool ps -a --filter status=running --filter status=exited -q
  [ "${#lines[@]}" -eq 2 ]
  run_podtool 125 ps --filter color=blue
  assert_output_contains "unsupported filter"
  run_podtool ps -a --format json
  command -v python3 >/dev/null || skip "python3 is needed to read the JSON"
  run python3 -c '
import json, sys
ps = {c["Names"][0]: c for c in json.load(sys.stdin)}
assert ps["live1"]["State"] == "running" and ps["live1"]["Pid"] > 0, ps["live1"]
assert ps["done1"]["State"] == "exited" and ps["done1"]["Exited"] and ps["done1"]["ExitCode"] == 0
assert ps["live1"]["Command"] == ["sleep", "100"]
print("ok")' <<<"$output"
  assert_output "ok"
}

@test "restart, container prune, system reset" {
  run_podtool run -d --name r1 $IMAGE sh -c 'echo started; sleep 100'
  run_podtool restart -t 1 r1
  assert_output "r1"
  run_podtool ps -a --format '{{.Names}} {{.State}}'
  assert_output "r1 running"
  run_podtool logs r1
  assert_output $'started\nstarted'
  run_podtool run --name p1 $IMAGE true
  run_podtool container prune -f
  [ "${#lines[@]}" -eq 1 ]
  run_podtool container ls -a --format json
  assert_output_contains '"r1"'
  assert_output_not_contains '"p1"'
  run_podtool system reset -f
  run_podtool ps -a -q
  assert_output ""
  run_podtool images -q
  assert_output ""
  [ -z "$(ls -A "$PT_ROOT/layers")" ]
}

@test "--log-opt max-size bounds the log" {
  run_podtool run --name big --log-opt max-size=10k $IMAGE sh -c 'seq 1 20000'
  local log
  log=$(ls "$PT_ROOT"/containers/*/ctr.log)
  [ "$(stat -c %s "$log")" -le 10240 ]
  run_podtool logs --tail 1 big
  assert_output "20000"
  run_podtool 125 run --log-opt max-size=lots $IMAGE true
  assert_output_contains "invalid --log-opt"
}

@test "system migrate keeps containers working; image and container groups reach the verbs" {
  run_podtool run --name m1 $IMAGE sh -c 'echo kept'
  run_podtool system migrate
  run_podtool logs m1
  assert_output "kept"
  run_podtool container inspect m1
  assert_output_contains '"Name": "m1"'
  run_podtool run -d --name m2 $IMAGE sleep 100
  run_podtool container top m2 pid comm
  assert_equal "${lines[1]}" "1    sleep"
  run_podtool container port m2
  assert_output ""
  run_podtool container stop -t 0 m2
  run_podtool container rm m2
  run_podtool image ls -q
  [ "${#lines[@]}" -eq 1 ]
  run_podtool container rm m1
  run_podtool image rm ptbusybox
  assert_output_contains "Untagged: localhost/ptbusybox:latest"
  run_podtool 125 image frob
  assert_output_contains "unrecognized command"
  run_podtool --log-level debug images -q
  assert_output ""
  run_podtool 125 --log-level loud images
  assert_output_contains "invalid log level"
}

@test "--format templates for ps, images and inspect, as scripts use them" {
  run_podtool run -d --name tpl --hostname tplhost -e GREETING=hi $IMAGE sleep 100
  local id=$output
  run_podtool ps --format '{{.ID}} {{.Names}} {{.State}}'
  assert_output "${id:0:12} tpl running"
  run_podtool ps --no-trunc --format '{{.ID}}'
  assert_output "$id"
  run_podtool ps --format 'table {{.ID}}\t{{.Names}}\t{{.Status}}'
  [[ "${lines[0]}" =~ ^CONTAINER\ ID\ +NAMES\ +STATUS$ ]]
  [[ "${lines[1]}" =~ ^${id:0:12}\ +tpl\ +Up\  ]]
  run_podtool inspect --format '{{.State.Running}} {{.State.Pid}} {{.Config.Hostname}}' tpl
  [[ "$output" =~ ^true\ [0-9]+\ tplhost$ ]]
  run_podtool 125 inspect --format '{{range .Config.Env}}{{if eq}}{{end}}{{end}}' tpl
  assert_output_contains '`eq` is not supported'
  run_podtool inspect --format '{{range .Config.Env}}[{{.}}]{{end}}' tpl
  assert_output_contains "[GREETING=hi]"
  run_podtool inspect --format '{{json .Config.Env}}' tpl
  assert_output_contains '"GREETING=hi"'
  run_podtool images --format '{{.Repository}}:{{.Tag}}'
  assert_output "localhost/ptbusybox:latest"
  run_podtool images --format 'table {{.ID}}\t{{.Repository}}'
  [[ "${lines[0]}" =~ ^IMAGE\ ID\ +REPOSITORY$ ]]
  run_podtool 125 ps --format '{{.ID | upper}}'
  assert_output_contains '`|`'
  run_podtool stop -t 0 tpl
  run_podtool inspect --format '{{.State.ExitCode}} {{.State.OOMKilled}}' tpl
  assert_output "137 false"
}

@test "top lists the container's processes as it numbers them; port lists nothing" {
  run_podtool run -d --name tops $IMAGE sh -c 'sleep 100 & sleep 200'
  local i
  for i in $(seq 20); do
    run pt top tops
    # Until sh has forked `sleep 100` and become `sleep 200` itself.
    [ "${#lines[@]}" -ge 3 ] && [[ "${lines[1]}" == *" sleep 200" ]] && break
    sleep 0.1
  done
  # sh runs `sleep 100` in the background and becomes `sleep 200` (pid 1).
  [[ "${lines[0]}" =~ ^USER\ +PID\ +PPID ]]
  [ "${#lines[@]}" -eq 3 ]
  assert_output_contains "sleep 100"
  assert_output_contains "sleep 200"
  [[ "${lines[1]}" =~ ^root\ +1\ +0\ +[0-9.]+\ +[0-9.]+(ms|s)\ +\?\ +0s\ +sleep\ 200$ ]]
  run_podtool port tops
  assert_output ""
  run_podtool 125 port tops 80/tcp
  run_podtool stop -t 0 tops
  run_podtool 125 top tops
  assert_output_contains "running containers"
}

@test "exec -t gives the command a terminal; exec -it in a terminal is interactive" {
  run_podtool run -d --name shellhost $IMAGE sleep 100
  run pt exec -t shellhost sh -c 'tty; exit 4'
  [ "$status" -eq 4 ]
  [[ "${lines[0]}" =~ ^/dev/pts/[0-9]+ ]]
  in_terminal 70 22 "stty size; exit 6" exec -it shellhost sh
  [[ "$SCREEN" == *"22 70"* ]]
  assert_equal "$EXITED" "6"
}

@test "stop -a, attach --no-stdin, images -a, inspect --type" {
  run_podtool run -d --name a1 $IMAGE sleep 100
  # Long enough for attach to come first, even in the slow (emulated) VM.
  run_podtool run -d -i --name a2 $IMAGE sh -c 'sleep 3; echo out; exit 2'
  run bash -c "echo ignored | $(printf '%q ' "$PODTOOL" --root "$PT_ROOT" --runroot "$PT_RUNROOT") attach --no-stdin a2"
  [ "$status" -eq 2 ]
  assert_output "out"
  run_podtool stop -a -t 1
  run_podtool ps -q
  assert_output ""
  run_podtool images -a -q
  [ "${#lines[@]}" -eq 1 ]
  run_podtool inspect --type container a1
  assert_output_contains '"Name": "a1"'
  run_podtool 125 inspect --type container ptbusybox
  run_podtool inspect --type image ptbusybox
  assert_output_contains '"RepoTags"'
  run_podtool 125 inspect --type volume a1
}

@test "top takes Podman's descriptors: names, AIX codes, comma lists" {
  run_podtool run -d --name desc $IMAGE sleep 100
  pt exec -u app desc sleep 50 >/dev/null 2>&1 3>&- &
  local i
  for i in $(seq 30); do
    run pt top desc pid
    [ "${#lines[@]}" -ge 3 ] && break
    sleep 0.1
  done
  run_podtool top desc pid,user group huser comm seccomp
  [[ "${lines[0]}" =~ ^PID\ +USER\ +GROUP\ +HUSER\ +COMMAND\ +SECCOMP$ ]]
  [[ "${lines[1]}" =~ ^1\ +root\ +root\ +$(id -un)\ +sleep\ +filter$ ]]
  # app (uid 1000 in the image) is a subordinate uid on the host.
  [[ "${lines[2]}" =~ ^[0-9]+\ +app\ +app\ +[0-9a-z]+\ +sleep\ +filter$ ]]
  [[ ! "${lines[2]}" =~ \ $(id -un)\  ]]
  run_podtool top desc %p %U capeff
  assert_equal "${lines[0]}" "PID  USER  EFFECTIVE CAPS"
  assert_output_contains "CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,SETGID,SETUID,SETPCAP,NET_BIND_SERVICE,SYS_CHROOT,SETFCAP"
  run_podtool 125 top desc pid bogus
  assert_output "Error: unknown descriptor \`bogus\`: see \`man podtool-top\` for the descriptors"
  pt rm -f desc >/dev/null
  wait
}

@test "kill -a and restart -a take every container; rm goes on past a missing one" {
  run_podtool run -d --name ka $IMAGE sleep 100
  run_podtool run -d --name kb $IMAGE sleep 100
  run_podtool run --name kc $IMAGE true
  run_podtool kill -a
  [ "${#lines[@]}" -eq 2 ]
  run_podtool wait ka kb
  assert_output $'137\n137'
  run_podtool restart -a
  [ "${#lines[@]}" -eq 3 ]
  run_podtool wait kc # restarted too: its `true` ends at once, but not before ps
  run_podtool ps --format '{{.Names}}'
  output=$(sort <<< "$output")
  assert_output $'ka\nkb'
  run_podtool 1 rm -f ka nosuch kb
  assert_output_contains "Error: no container with name or ID \"nosuch\" found: no such container"
  run_podtool ps -a --format '{{.Names}}'
  assert_output "kc"
}

@test "--stop-signal and --stop-timeout: stop uses the container's own" {
  run_podtool run -d --name st --stop-signal USR1 --stop-timeout 1 $IMAGE sleep 100
  run_podtool inspect --format '{{.Config.StopSignal}} {{.Config.StopTimeout}}' st
  assert_output "10 1"
  # pid 1 has no handler for USR1: it is ignored, and SIGKILL comes after 1 s.
  local start=$SECONDS
  run_podtool stop st
  [ $((SECONDS - start)) -lt 5 ]
  run_podtool inspect --format '{{.State.ExitCode}}' st
  assert_output "137"
  run_podtool 125 run --stop-signal NOPE $IMAGE true
  assert_output "Error: invalid --stop-signal \`NOPE\`"
}

@test "--init: PID 1 passes signals on, so stop is quick; exit codes and errors as without it" {
  run_podtool run --rm --init $IMAGE sh -c 'echo $$; cat /proc/1/comm'
  assert_output $'2\npodtool-init'
  run_podtool 7 run --rm --init $IMAGE sh -c 'exit 7'
  run_podtool 127 run --rm --init $IMAGE nosuch
  assert_output "Error: executable file \`nosuch\` not found in \$PATH"
  run_podtool run -d --name in1 --init $IMAGE sleep 100
  local start=$SECONDS
  run_podtool stop -t 20 in1
  [ $((SECONDS - start)) -lt 10 ]
  run_podtool inspect --format '{{.State.ExitCode}} {{.HostConfig.Init}}' in1
  assert_output "143 true"
  in_terminal 80 24 'echo pid=$$; exit 3' run -it --rm --init $IMAGE sh
  [[ "$SCREEN" == *"pid=2"* ]]
  assert_equal "$EXITED" "3"
}

@test "cp: into and out of containers, running or not, docker cp's rules, never through a symlink" {
  local h=$BATS_TEST_TMPDIR/h
  mkdir -p "$h/src/sub" "$h/into"
  echo hello > "$h/src/a"
  echo deep > "$h/src/sub/b"
  ln -s a "$h/src/link"
  run_podtool run -d --name cpc $IMAGE sleep 100
  run_podtool cp "$h/src" cpc:/tmp/
  run_podtool exec cpc sh -c 'cat /tmp/src/a /tmp/src/sub/b; readlink /tmp/src/link; stat -c %U /tmp/src/a'
  assert_output $'hello\ndeep\na\nroot'
  run_podtool cp "$h/src/a" cpc:/etc/renamed
  run_podtool exec cpc cat /etc/renamed
  assert_output "hello"
  # Out: a directory, its contents (DIR/.), a file into a directory.
  run_podtool exec cpc sh -c 'mkdir -p /data/x && echo in-ctr > /data/x/f && ln -s /etc/passwd /data/x/escape'
  run_podtool cp cpc:/data/x "$h/out"
  assert_equal "$(cat "$h/out/f")" "in-ctr"
  assert_equal "$(readlink "$h/out/escape")" "/etc/passwd"
  assert_equal "$(stat -c %u "$h/out/f")" "$(id -u)"
  run_podtool cp cpc:/data/x/. "$h/into"
  assert_equal "$(ls "$h/into")" $'escape\nf'
  # A symlink already on the host is never written through.
  mkdir "$h/trap"
  echo precious > "$h/precious"
  ln -s "$h/precious" "$h/trap/f"
  run_podtool 125 cp cpc:/data/x/. "$h/trap"
  assert_output_contains "create \`f\`"
  assert_equal "$(cat "$h/precious")" "precious"
  run_podtool 125 cp cpc:/nonexistent "$h/x"
  assert_output "Error: \`/nonexistent\`: No such file or directory"
  run_podtool 125 cp "$h/src" "$h/elsewhere"
  assert_output "Error: one of the two paths must name a container (CONTAINER:PATH), and only one"
  # Stopped, or never started: its root is mounted for the copy alone.
  run_podtool stop -t 0 cpc
  run_podtool cp cpc:/data/x/f "$h/after-stop"
  assert_equal "$(cat "$h/after-stop")" "in-ctr"
  run_podtool create --name cpn $IMAGE cat /copied
  run_podtool cp "$h/src/a" cpn:/copied
  run_podtool start -a cpn
  assert_output "hello"
}

@test "logs give back binary output exactly, a last line without its newline too" {
  run_podtool run --name bin $IMAGE sh -c 'printf "a\000b\377\nlast\001"; printf "err" >&2'
  pt logs bin >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
  printf 'a\000b\377\nlast\001' >"$BATS_TEST_TMPDIR/want"
  cmp "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want"
  assert_equal "$(od -c <"$BATS_TEST_TMPDIR/err")" "$(printf err | od -c)"
  pt logs --tail 2 bin >"$BATS_TEST_TMPDIR/tail" 2>/dev/null # the last two: "last\001", "err"
  printf 'last\001' | cmp - "$BATS_TEST_TMPDIR/tail"
}

@test "--format with a field the item does not have is an error, as in Podman" {
  run_podtool run --name f1 $IMAGE true
  run_podtool 125 ps -a --format '{{.Bogus}}'
  assert_output_contains "can't evaluate field Bogus"
  run_podtool 125 inspect --format '{{.State.Bogus}}' f1
  assert_output_contains "can't evaluate field Bogus"
  run_podtool 125 images --format '{{.Nope}}'
  run_podtool inspect --format '{{.Config.Labels.nolabel}}' f1
  assert_output "<no value>"
}
