#!/usr/bin/env bats
# Cgroups: a container gets one of its own where a cgroup v2 subtree is
# delegated to the user (the VM that .ci/run boots); elsewhere (this dev box
# has hybrid cgroups) everything that needs one fails with a clear error and
# the rest works as before. Each test checks whichever of the two this
# machine is, and says which.

load helpers

setup () {
  skip_if_root
  skip_if_no_userns
  MODE=$(pt_cgroup_mode)
  echo "# cgroup mode: $MODE" >&3
  pt_new_store "$BATS_TEST_TMPDIR"
}

teardown () {
  pt rm -a -f >/dev/null 2>&1 || true
  pt_cleanup "$BATS_TEST_TMPDIR"
}

# kill -9 of a container's monitor and of the container, as a crash would;
# returns once the kernel has reaped the container.
kill_monitor_and_container () {
  local pid mon i
  pid=$(pt inspect --format '{{.State.Pid}}' "$1")
  mon=$(awk '{print $4}' "/proc/$pid/stat")
  kill -9 "$mon" "$pid"
  for i in $(seq 50); do
    [ -e "/proc/$pid" ] || return 0
    sleep 0.1
  done
  return 1
}

# How far the container's counter got: one log line every tenth of a second.
counter () {
  pt logs "$1" | wc -l
}

@test "a container's own cgroup: it sees it as /, podtool removes it after the exit" {
  run_podtool run -d --name c $IMAGE sleep 100
  local id=$output
  run_podtool exec c grep '^0::' /proc/self/cgroup
  assert_output "0::/"
  if [ "$MODE" = none ]; then
    run_podtool inspect --format '{{.State.CgroupPath}}|{{.HostConfig.PidsLimit}}' c
    assert_output "|0"
    return 0
  fi
  local cg
  cg=$(pt_cgroup_of c)
  [[ "$cg" == */podtool-$id ]]
  grep -qx "$(pt inspect --format '{{.State.Pid}}' c)" "$cg/cgroup.procs"
  # Podman's default pids limit, and the container's read-only view of it.
  run_podtool exec c cat /sys/fs/cgroup/pids.max
  assert_output "2048"
  run_podtool 1 exec c sh -c 'echo 1 > /sys/fs/cgroup/pids.max'
  assert_output_contains "Read-only file system"
  run_podtool inspect --format '{{.HostConfig.PidsLimit}}' c
  assert_output "2048"
  run_podtool stop -t 0 c
  [ ! -e "$cg" ]
}

@test "pause freezes every process of the container, unpause thaws them" {
  run_podtool run -d --name p $IMAGE \
    sh -c 'i=0; while :; do i=$((i+1)); echo $i; sleep 0.1; done'
  local id=$output
  if [ "$MODE" = none ]; then
    run_podtool 125 pause p
    assert_output_contains "pausing needs the container in a cgroup of its own, and it has none:"
    assert_output_contains "cgroup"
    run_podtool 125 unpause p
    assert_output "Error: \"$id\" is not paused, can't unpause: container state improper"
    return 0
  fi
  run_podtool pause p
  assert_output "p"
  grep -qx "frozen 1" "$(pt_cgroup_of p)/cgroup.events"
  local before after
  before=$(counter p)
  sleep 1
  after=$(counter p)
  assert_equal "$after" "$before"
  run_podtool ps -a --format '{{.Names}} {{.Status}}'
  assert_output "p Paused"
  run_podtool inspect --format '{{.State.Status}} {{.State.Running}} {{.State.Paused}}' p
  assert_output "paused true true"
  # What Podman refuses on a paused container.
  run_podtool 125 pause p
  assert_output "Error: \"$id\" is not running, can't pause: container state improper"
  run_podtool 125 exec p true
  assert_output_contains "can only create exec sessions on running containers"
  run_podtool 125 stop p
  assert_output_contains "is in state paused: container state improper"
  run_podtool unpause p
  assert_output "p"
  sleep 1
  after=$(counter p)
  [ "$after" -gt "$before" ]
  run_podtool inspect --format '{{.State.Status}} {{.State.Paused}}' p
  assert_output "running false"
}

@test "pause -a, then rm -f of a paused container kills it and removes its cgroup" {
  run_podtool run -d --name one $IMAGE sleep 100
  run_podtool run -d --name two $IMAGE sleep 100
  if [ "$MODE" = none ]; then
    run_podtool 125 pause -a
    assert_output_contains "has none"
    return 0
  fi
  local cg
  cg=$(pt_cgroup_of one)
  run_podtool pause -a
  [ "${#lines[@]}" -eq 2 ]
  run pt ps -a --format '{{.Names}} {{.State}}'
  output=$(sort <<< "$output")
  assert_output $'one paused\ntwo paused'
  run_podtool rm -f one
  [ ! -e "$cg" ]
  run_podtool unpause -a
  run_podtool ps --format '{{.Names}} {{.State}}'
  assert_output "two running"
}

@test "--memory: the kernel's OOM killer ends it, exit 137, inspect says OOMKilled" {
  if [ "$MODE" = none ]; then
    run_podtool 125 run -m 32m $IMAGE true
    assert_output_contains "Error: --memory needs a cgroup of the container's own, and "
    run_podtool ps -a -q
    assert_output ""
    return 0
  fi
  run_podtool run --rm -m 32m $IMAGE cat /sys/fs/cgroup/memory.max
  assert_output "33554432"
  run_podtool 137 run --name hog -m 32m --memory-swap 32m $IMAGE \
    dd if=/dev/zero of=/dev/null bs=100M count=1
  run_podtool inspect --format '{{.State.OOMKilled}} {{.State.ExitCode}} {{.HostConfig.Memory}}' hog
  assert_output "true 137 33554432"
  # Within the limit: no OOM.
  run_podtool run --name fine -m 64m $IMAGE dd if=/dev/zero of=/dev/null bs=8M count=1
  run_podtool inspect --format '{{.State.OOMKilled}} {{.State.ExitCode}}' fine
  assert_output "false 0"
}

@test "--pids-limit, --cpus and --cpu-shares are written to the cgroup and enforced" {
  if [ "$MODE" = none ]; then
    run_podtool 125 run --pids-limit 10 $IMAGE true
    assert_output_contains "Error: --pids-limit needs a cgroup of the container's own"
    run_podtool 125 create --cpus 0.5 $IMAGE true
    assert_output_contains "Error: --cpus needs a cgroup of the container's own"
    return 0
  fi
  run_podtool run --rm --pids-limit 10 --cpus 0.5 --cpu-shares 512 $IMAGE \
    cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/cpu.weight
  assert_output $'10\n50000 100000\n20'
  # busybox sh gives up with status 2 when a fork fails.
  run_podtool 2 run --rm --pids-limit 10 $IMAGE \
    sh -c 'for i in $(seq 20); do sleep 3 & done; wait'
  assert_output_contains "can't fork: Resource temporarily unavailable"
  run_podtool run --rm --pids-limit -1 $IMAGE cat /sys/fs/cgroup/pids.max
  assert_output "max"
}

@test "--cpu-period/--cpu-quota, --cpuset-cpus/--cpuset-mems, --memory-reservation, --blkio-weight reach the cgroup" {
  local all=(--cpu-period 50000 --cpu-quota 25000 --cpuset-cpus 0 --cpuset-mems 0
    --memory-reservation 16m --blkio-weight 500)
  if [ "$MODE" = none ]; then
    run_podtool 125 create "${all[@]}" $IMAGE true
    assert_output_contains "Error: --cpu-period needs a cgroup of the container's own"
    return 0
  fi
  run_podtool run --rm --cpu-period 50000 --cpu-quota 25000 --memory-reservation 16m $IMAGE \
    sh -c 'cd /sys/fs/cgroup; cat cpu.max memory.low'
  assert_output $'25000 50000\n16777216'
  # cpuset and io are not always handed down (systemd's Delegate= leaves cpuset out by
  # default): where they are, the values are there; where not, the error names the controller.
  local flag file want
  for flag in "--cpuset-cpus 0:cpuset.cpus:0" "--cpuset-mems 0:cpuset.mems:0" "--blkio-weight 500:io.weight:default 4950"; do
    IFS=: read -r flag file want <<< "$flag"
    run pt run --rm $flag $IMAGE cat /sys/fs/cgroup/$file
    if [ "$status" -eq 0 ]; then
      assert_output "$want"
    else
      [ "$status" -eq 125 ]
      assert_output_contains "needs the ${file%%.*} controller, which the delegated cgroup"
    fi
  done
  run_podtool create --name lim "${all[@]}" $IMAGE true
  run_podtool inspect --format '{{.HostConfig.CpuPeriod}} {{.HostConfig.CpuQuota}} {{.HostConfig.CpusetCpus}} {{.HostConfig.CpusetMems}} {{.HostConfig.MemoryReservation}} {{.HostConfig.BlkioWeight}}' lim
  assert_output "50000 25000 0 0 16777216 500"
  # A period alone keeps the quota unlimited.
  run_podtool run --rm --cpu-period 20000 $IMAGE cat /sys/fs/cgroup/cpu.max
  assert_output "max 20000"
}

@test "pause and unpause --filter and --cidfile: the running containers that match" {
  run_podtool run -d --name red1 --label colour=red $IMAGE sleep 100
  run_podtool run -d --name blue1 --label colour=blue --cidfile "$BATS_TEST_TMPDIR/blue.cid" $IMAGE sleep 100
  if [ "$MODE" = none ]; then
    run_podtool 125 pause --filter label=colour=red
    assert_output_contains "has none"
    return 0
  fi
  run_podtool pause --filter label=colour=red
  assert_output "$(pt inspect --format '{{.Id}}' red1)"
  run pt ps -a --format '{{.Names}} {{.State}}' --sort names
  assert_output $'blue1 running\nred1 paused'
  run_podtool pause --cidfile "$BATS_TEST_TMPDIR/blue.cid"
  run_podtool unpause --filter name=^red
  run pt ps -a --format '{{.Names}} {{.State}}' --sort names
  assert_output $'blue1 paused\nred1 running'
  run_podtool unpause -a
}

@test "update: new limits in the running container's cgroup at once, and kept for the next start" {
  run_podtool run -d --name up $IMAGE sleep 100
  if [ "$MODE" = none ]; then
    run_podtool 125 update --memory 64m up
    assert_output_contains "runs without a cgroup of its own"
    run_podtool create --name later $IMAGE true
    run_podtool 125 update --memory 64m later
    assert_output_contains "--memory needs a cgroup of the container's own"
    return 0
  fi
  run_podtool update --memory 64m --cpus 0.5 --pids-limit 50 up
  assert_output "$(pt inspect --format '{{.Id}}' up)"
  run_podtool exec up cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/pids.max
  assert_output $'67108864\n50000 100000\n50'
  # One CPU bound replaces the other kind.
  run_podtool update --cpu-period 20000 --cpu-quota 10000 up
  run_podtool exec up cat /sys/fs/cgroup/cpu.max
  assert_output "10000 20000"
  run_podtool inspect --format '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.CpuQuota}} {{.HostConfig.PidsLimit}}' up
  assert_output "67108864 0 10000 50"
  run_podtool restart -t 0 up
  run_podtool exec up cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max
  assert_output $'67108864\n10000 20000'
}

@test "exec joins the container's cgroup: its limits hold and pause freezes it" {
  run_podtool run -d --name e $IMAGE sleep 100
  run_podtool exec e grep '^0::' /proc/self/cgroup
  assert_output "0::/"
  if [ "$MODE" = none ]; then
    return 0
  fi
  pt exec e sleep 100 >/dev/null 2>&1 3>&- &
  local i n=0
  for i in $(seq 50); do
    n=$(wc -l < "$(pt_cgroup_of e)/cgroup.procs")
    [ "$n" -ge 2 ] && break
    sleep 0.1
  done
  [ "$n" -ge 2 ]
  pt rm -f e
  wait
}

@test "--cgroups=disabled: no cgroup, and what needs one says why" {
  run_podtool 125 run --cgroups=disabled -m 64m $IMAGE true
  assert_output "Error: --memory cannot be used with --cgroups=disabled"
  run_podtool 125 run --cgroups=sometimes $IMAGE true
  assert_output "Error: invalid --cgroups \`sometimes\`: enabled or disabled"
  run_podtool run -d --name d --cgroups=disabled $IMAGE sleep 100
  local id=$output
  run_podtool inspect --format '{{.State.CgroupPath}}|{{.HostConfig.Cgroups}}' d
  assert_output "|disabled"
  run_podtool 125 pause d
  assert_output_contains "$id: pausing needs the container in a cgroup of its own, and it has none"
}

@test "limits that make no sense are refused before anything is stored" {
  run_podtool 125 run -m 1k $IMAGE true
  assert_output "Error: invalid --memory \`1k\`: a size of at least 6m"
  run_podtool 125 run --memory-swap 64m $IMAGE true
  assert_output "Error: --memory-swap needs --memory"
  run_podtool 125 run -m 64m --memory-swap 32m $IMAGE true
  assert_output_contains "--memory-swap must be at least --memory"
  run_podtool 125 run --cpus 0 $IMAGE true
  assert_output_contains "Error: invalid --cpus \`0\`: the range is 0.01 to"
  run_podtool 125 run --cpu-shares 1 $IMAGE true
  assert_output "Error: invalid --cpu-shares \`1\`: 2 to 262144"
  run_podtool 125 run --pids-limit many $IMAGE true
  assert_output "Error: invalid --pids-limit \`many\`: a number, -1 for unlimited"
  run_podtool ps -a -q
  assert_output ""
  run_podtool 125 run --cpus 1 --cpu-quota 2000 $IMAGE true
  assert_output_contains "--cpus conflicts with --cpu-period and --cpu-quota"
  run_podtool 125 run --cpu-period 10 $IMAGE true
  assert_output_contains "invalid --cpu-period \`10\`"
  run_podtool 125 run --cpuset-cpus 0-9999 $IMAGE true
  assert_output_contains "CPU 9999 is not there"
  run_podtool 125 run --cpuset-mems 'a,b' $IMAGE true
  assert_output_contains "invalid --cpuset-mems"
  run_podtool 125 run --blkio-weight 5 $IMAGE true
  assert_output_contains "invalid --blkio-weight \`5\`: 10 to 1000"
  run_podtool 125 run -m 32m --memory-reservation 64m $IMAGE true
  assert_output_contains "--memory-reservation must not be more than --memory"
}

@test "a killed monitor leaves no cgroup behind once the container is removed or restarted" {
  run_podtool run -d --name k $IMAGE sleep 100
  if [ "$MODE" = none ]; then
    run_podtool 125 run --cgroup-parent /nowhere $IMAGE true
    assert_output_contains "Error: --cgroup-parent needs a cgroup of the container's own, and "
    return 0
  fi
  local cg
  cg=$(pt_cgroup_of k)
  kill_monitor_and_container k
  run_podtool ps -a --format '{{.Names}} {{.Status}}'
  assert_output "k Exited (unknown)"
  [ -d "$cg" ]
  run_podtool start k
  run_podtool exec k grep '^0::' /proc/self/cgroup
  assert_output "0::/"
  [ "$(pt_cgroup_of k)" = "$cg" ]
  run_podtool rm -f k
  [ ! -e "$cg" ]
}

@test "container cleanup does what a killed monitor could not: cgroup and --rm" {
  run_podtool run -d --rm --name gone $IMAGE sleep 100
  run_podtool run -d --name kept $IMAGE sleep 100
  local cg=""
  [ "$MODE" = delegated ] && cg=$(pt_cgroup_of gone)
  run_podtool 125 container cleanup gone
  assert_output_contains "is running or paused, refusing to clean up: container state improper"
  kill_monitor_and_container gone
  kill_monitor_and_container kept
  run pt ps -a --format '{{.Names}} {{.Status}}'
  output=$(sort <<< "$output")
  assert_output $'gone Exited (unknown)\nkept Exited (unknown)'
  run_podtool container cleanup -a
  [ "${#lines[@]}" -eq 2 ]
  run_podtool ps -a --format '{{.Names}}'
  assert_output "kept"
  [ -z "$cg" ] || [ ! -e "$cg" ]
  run_podtool container cleanup --rm kept
  run_podtool ps -a -q
  assert_output ""
}

@test "stats: memory, pids, CPU time from the container's cgroup" {
  if [ "$MODE" = none ]; then
    run_podtool run -d --name st $IMAGE sleep 100
    run_podtool 125 stats --no-stream st
    assert_output_contains "stats needs the container in a cgroup of its own, and "
    assert_output_contains "has none: "
    return 0
  fi
  run_podtool run -d --name st -m 64m $IMAGE sh -c 'sleep 100 & sleep 100'
  local i
  for i in $(seq 50); do
    [ "$(pt stats --no-stream --format '{{.PIDS}}' st)" = 2 ] && break
    sleep 0.1
  done
  run_podtool stats --no-stream --format '{{.Name}} {{.PIDS}} {{.MemUsage}}' st
  [[ "$output" =~ ^st\ 2\ [0-9.]+[kMG]?B\ /\ 67.11MB$ ]]
  run_podtool stats --no-stream
  [[ "${lines[0]}" =~ ^ID\ +NAME\ +CPU\ %\ +MEM\ USAGE\ /\ LIMIT\ +MEM\ %\ +NET\ IO\ +BLOCK\ IO\ +PIDS\ +CPU\ TIME\ +AVG\ CPU\ %$ ]]
  [[ "${lines[1]}" =~ ^[0-9a-f]{12}\ +st\  ]]
  run_podtool stats --no-stream --format json
  assert_output_contains '"MemLimit": 67108864'
  assert_output_contains '"PIDS": "2"'
  # A stream prints a table every interval.
  run timeout 3 "$PODTOOL" --root "$PT_ROOT" --runroot "$PT_RUNROOT" stats -i 1 --format '{{.Name}}' st
  [ "$(grep -c '^st$' <<< "$output")" -ge 2 ]
}

@test "pod stats: a row for each container of the pod, infra first, in Podman's columns" {
  pt pod create --name sp >/dev/null
  if [ "$MODE" = none ]; then
    run_podtool run -d --pod sp --name inpod $IMAGE sleep 100
    run_podtool 125 pod stats --no-stream sp
    assert_output_contains "stats needs the container in a cgroup of its own"
    return 0
  fi
  run_podtool run -d --pod sp --name inpod -m 64m $IMAGE sh -c 'sleep 100 & sleep 100'
  local pod i
  pod=$(pt pod inspect --format '{{.ID}}' sp)
  for i in $(seq 50); do
    [ "$(pt stats --no-stream --format '{{.PIDS}}' inpod)" = 2 ] && break
    sleep 0.1
  done
  run_podtool pod stats --no-stream sp
  [[ "${lines[0]}" =~ ^POD\ +CID\ +NAME\ +CPU\ %\ +MEM\ USAGE/\ LIMIT\ +MEM\ %\ +NET\ IO\ +BLOCK\ IO\ +PIDS$ ]]
  [[ "${lines[1]}" =~ ^${pod:0:12}\ +[0-9a-f]{12}\ +${pod:0:12}-infra\  ]]
  [[ "${lines[2]}" =~ ^${pod:0:12}\ +[0-9a-f]{12}\ +inpod\  ]]
  [ "${#lines[@]}" -eq 3 ]
  run_podtool pod stats --no-stream --format '{{.Name}} {{.PIDS}} {{.MemUsage}}' sp
  assert_equal "${lines[1]%% *}" inpod
  [[ "${lines[1]}" =~ ^inpod\ 2\ [0-9.]+[kMG]?B\ /\ 67.11MB$ ]]
  run_podtool pod stats --no-stream --format json -l
  assert_output_contains "\"Pod\": \"${pod:0:12}\""
  assert_output_contains '"PIDS": "2"'
  pt pod rm -f sp >/dev/null
}

@test "info says where containers' cgroups go, or why they get none, and the id maps" {
  run_podtool info --format json
  local start
  start=$(subid_range | cut -d' ' -f1)
  [ -z "$start" ] || assert_output_contains "\"host_id\": $start"
  run_podtool info --format '{{.Host.CgroupParent}}|{{.Host.CgroupsUnavailable}}'
  if [ "$MODE" = none ]; then
    [[ "$output" =~ ^\|.+ ]]
  else
    [[ "$output" =~ ^/sys/fs/cgroup/.+/podtool\|$ ]]
    run_podtool info --format '{{json .Host.CgroupControllers}}'
    assert_output_contains '"memory"'
    assert_output_contains '"pids"'
  fi
  run_podtool run -d --name i1 $IMAGE sleep 100
  run_podtool info --format '{{.Store.ContainerStore.Number}} {{.Store.ContainerStore.Running}} {{.Store.ImageStore.Number}}'
  assert_output "1 1 1"
  run_podtool info
  assert_output_contains "graphRoot: $PT_ROOT"
}

@test "--cgroup-parent puts the container's cgroup under a delegated cgroup of the user's choosing" {
  if [ "$MODE" = none ]; then
    run_podtool 125 create --cgroup-parent /user.slice/mine $IMAGE true
    assert_output_contains "Error: --cgroup-parent needs a cgroup of the container's own, and "
    return 0
  fi
  local top parent
  top=$(dirname "$(pt info --format '{{.Host.CgroupParent}}')")
  parent=$top/pt-test-$$
  run_podtool run -d --name cp1 --cgroup-parent "$parent" $IMAGE sleep 100
  local id=$output
  assert_equal "$(pt_cgroup_of cp1)" "$parent/podtool-$id"
  run_podtool inspect --format '{{.HostConfig.CgroupParent}}' cp1
  assert_output "$parent"
  run_podtool rm -f cp1
  [ ! -e "$parent/podtool-$id" ]
  rmdir "$parent"
}

@test "kube generate writes -m and --cpus as resources.limits, and kube play of them sets the same limits" {
  if [ "$MODE" = none ]; then
    run_podtool 125 create -m 64m --cpus 0.5 $IMAGE true
    assert_output_contains "needs a cgroup of the container's own"
    return 0
  fi
  pt create --name lim -m 64m --cpus 0.5 $IMAGE sleep 100 >/dev/null
  run_podtool kube generate lim
  assert_output_contains "memory: \"67108864\""
  assert_output_contains "cpu: 500m"
  echo "$output" > "$BATS_TEST_TMPDIR/lim.yaml"
  pt rm -f lim >/dev/null
  run_podtool kube play --network none "$BATS_TEST_TMPDIR/lim.yaml"
  run_podtool exec lim-pod-lim cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max
  assert_output $'67108864\n50000 100000'
  pt pod rm -f lim-pod >/dev/null
}
