#!/usr/bin/env bats
# podtool run: namespaces, root filesystem, image config and overrides.

load helpers

setup_file () {
  [ "$(id -u)" != 0 ] || return 0
  pt_new_store "$BATS_FILE_TMPDIR"
}

setup () {
  skip_if_root
  skip_if_no_userns
  PT_ROOT=$BATS_FILE_TMPDIR/root
  PT_RUNROOT=$BATS_FILE_TMPDIR/run
}

teardown_file () {
  pt_cleanup "$BATS_FILE_TMPDIR"
}

@test "the command is PID 1 of its own PID namespace" {
  run_podtool run --rm $IMAGE sh -c 'echo $$'
  assert_output "1"
}

@test "uid_map: 0 is the user, 1..N the subordinate range" {
  local range start count
  range=$(subid_range)
  [ -n "$range" ] || skip "user $(id -un) has no range in /etc/subuid"
  read -r start count <<<"$range"
  run_podtool run --rm $IMAGE cat /proc/self/uid_map
  [[ "${lines[0]}" =~ ^\ +0\ +$(id -u)\ +1$ ]]
  [[ "${lines[1]}" =~ ^\ +1\ +$start\ +$count$ ]]
  [ "${#lines[@]}" -eq 2 ]
}

@test "host processes are invisible" {
  sleep 30 &
  local host_pid=$!
  run_podtool run --rm $IMAGE sh -c 'ls /proc | grep "^[0-9]*$" | sort -n | tr "\n" " "; echo; ps -o pid,comm'
  kill $host_pid
  # Only the container's own processes: sh (1), ls/grep/... and ps.
  [[ "${lines[0]}" =~ ^1\  ]]
  assert_output_not_contains " $host_pid "
  [ "$(printf '%s\n' "${lines[@]:1}" | grep -c sleep)" -eq 0 ]
}

@test "the hostname is the short id, or --hostname; /etc/hostname and /etc/hosts agree" {
  run_podtool run --rm $IMAGE sh -c 'hostname; cat /etc/hostname'
  [[ "${lines[0]}" =~ ^[0-9a-f]{12}$ ]]
  assert_equal "${lines[1]}" "${lines[0]}"
  run_podtool run --rm --hostname box1 $IMAGE sh -c 'hostname; grep box1 /etc/hosts; echo $HOSTNAME'
  assert_equal "${lines[0]}" "box1"
  assert_output_contains "10.0.2.100	box1"
  assert_equal "${lines[2]}" "box1"
}

@test "the container's exit code is podtool's" {
  run_podtool 42 run --rm $IMAGE sh -c 'exit 42'
  run_podtool 0 run --rm $IMAGE true
  run_podtool 1 run --rm $IMAGE false
}

@test "a container killed by a signal exits 128+signal" {
  pt run --rm $IMAGE sleep 100 3>&- &
  local runner=$!
  local pid
  pid=$(pt_wait_container_pid)
  [ -n "$pid" ]
  kill -9 "$pid"
  local rc=0
  wait $runner || rc=$?
  assert_equal "$rc" "137"
}

@test "stdout and stderr stay apart" {
  run pt run --rm $IMAGE sh -c 'echo out; echo err >&2'
  [ "$status" -eq 0 ]
  local out
  out=$(pt run --rm $IMAGE sh -c 'echo out; echo err >&2' 2>/dev/null)
  assert_equal "$out" "out"
  out=$(pt run --rm $IMAGE sh -c 'echo out; echo err >&2' 2>&1 >/dev/null)
  assert_equal "$out" "err"
}

@test "a lot of output arrives whole" {
  run pt run --rm $IMAGE sh -c 'seq 1 100000'
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 100000 ]
  assert_equal "${lines[99999]}" "100000"
  assert_equal "$(printf '%s\n' "${lines[@]}" | md5sum)" "$(seq 1 100000 | md5sum)"
}

@test "image Env, then --env-file, then -e, in that order" {
  printf '# comment\nFROM_FILE=file\nBOTH=file\n\nPASSED\n' > "$BATS_TEST_TMPDIR/env"
  export PASSED=from-host
  run_podtool run --rm --env-file "$BATS_TEST_TMPDIR/env" -e BOTH=cli -e NEW=1 \
    $IMAGE sh -c 'echo $PT_IMAGE $FROM_FILE $BOTH $NEW $PASSED; echo $PATH; echo $HOME; echo $TERM'
  assert_equal "${lines[0]}" "ptbusybox file cli 1 from-host"
  assert_equal "${lines[1]}" "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  assert_equal "${lines[2]}" "/root"
  assert_equal "${lines[3]}" "xterm"
  run_podtool 125 run --rm -e =bad $IMAGE true
  run_podtool 125 run --rm --env-file "$BATS_TEST_TMPDIR/nonexistent" $IMAGE true
  assert_output_contains "nonexistent"
}

@test "-w sets the working directory; a missing one is an error" {
  run_podtool run --rm -w /tmp $IMAGE pwd
  assert_output "/tmp"
  run_podtool 126 run --rm -w /nonexistent $IMAGE pwd
  assert_output_contains 'workdir "/nonexistent" does not exist'
  run_podtool 125 run --rm -w relative $IMAGE pwd
}

@test "-u takes a name, a uid, name:group and uid:gid from the image's files" {
  run_podtool run --rm -u app $IMAGE id
  assert_output "uid=1000(app) gid=1000(app) groups=1000(app),2000(extra)"
  run_podtool run --rm -u 1000 $IMAGE sh -c 'id; echo $HOME'
  assert_equal "${lines[0]}" "uid=1000(app) gid=1000(app) groups=1000(app),2000(extra)"
  assert_equal "${lines[1]}" "/home/app"
  run_podtool run --rm -u app:extra $IMAGE id
  assert_output "uid=1000(app) gid=2000(extra) groups=2000(extra)"
  run_podtool run --rm -u 4242:4343 $IMAGE id -u
  assert_output "4242"
  run_podtool 126 run --rm -u nosuchuser $IMAGE id
  assert_output_contains "unable to find user nosuchuser"
}

@test "--entrypoint replaces the image's entrypoint and drops its Cmd" {
  run_podtool run --rm --entrypoint echo $IMAGE hello world
  assert_output "hello world"
  run_podtool run --rm --entrypoint '["/bin/echo","-n","x"]' $IMAGE
  assert_output "x"
  run_podtool run --rm --entrypoint /bin/hostname --hostname e1 $IMAGE
  assert_output "e1"
}

@test "a file owned by uid 1000 in the image is 1000 inside" {
  [ -n "$(subid_range)" ] || skip "user $(id -un) has no range in /etc/subuid"
  run_podtool run --rm $IMAGE stat -c '%u:%g %a %n' /home/app/owned.txt /etc/passwd /bin/busybox
  assert_equal "${lines[0]}" "1000:1000 644 /home/app/owned.txt"
  assert_equal "${lines[1]}" "0:0 644 /etc/passwd"
  assert_equal "${lines[2]}" "0:0 755 /bin/busybox"
  run_podtool run --rm -u app $IMAGE sh -c 'echo more >> /home/app/owned.txt && cat /home/app/owned.txt'
  assert_output $'owned by 1000\nmore'
}

@test "writes go to the container's layer, never to the image" {
  run_podtool run --rm $IMAGE sh -c 'echo changed > /etc/passwd; rm /bin/ls; touch /newfile'
  run_podtool run --rm $IMAGE sh -c 'head -1 /etc/passwd; ls /bin/ls; ls /newfile 2>&1; true'
  assert_equal "${lines[0]}" "root:x:0:0:root:/root:/bin/sh"
  assert_equal "${lines[1]}" "/bin/ls"
  assert_output_contains "No such file"
}

@test "only lo, and it is up" {
  run_podtool run --rm $IMAGE sh -c 'ls /sys/class/net; cat /sys/class/net/lo/operstate; ip -o link show lo'
  assert_equal "${lines[0]}" "lo"
  assert_output_contains "LOOPBACK,UP"
}

@test "/dev holds only the standard nodes; /dev/pts, shm and mqueue are mounted" {
  run_podtool run --rm $IMAGE sh -c 'ls /dev | tr "\n" " "; echo; grep -E " /dev/(pts|shm|mqueue) " /proc/self/mountinfo | wc -l; echo hi > /dev/null; head -c 4 /dev/zero | wc -c'
  assert_equal "${lines[0]}" "fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero "
  assert_equal "${lines[1]}" "3"
  assert_equal "${lines[2]}" "4"
}

@test "/sys is read-only and /proc's sensitive parts are masked or read-only" {
  run_podtool run --rm $IMAGE sh -c '
    touch /sys/x 2>/dev/null && echo sys-writable
    (echo 1 > /proc/sys/kernel/shmmax) 2>/dev/null && echo procsys-writable
    wc -c < /proc/keys; ls /proc/acpi 2>/dev/null | wc -l
    grep " /proc/sys " /proc/self/mountinfo | grep -c " ro,"
    grep " /proc/keys " /proc/self/mountinfo | wc -l'
  assert_output_not_contains "writable"
  assert_equal "${lines[0]}" "0"
  assert_equal "${lines[1]}" "0"
  assert_equal "${lines[2]}" "1"
  assert_equal "${lines[3]}" "1"
}

@test "root keeps only Podman's default capabilities; another user has none" {
  run_podtool run --rm $IMAGE grep -E '^Cap(Prm|Eff|Bnd)' /proc/self/status
  assert_equal "${lines[0]}" $'CapPrm:\t00000000800405fb'
  assert_equal "${lines[1]}" $'CapEff:\t00000000800405fb'
  assert_equal "${lines[2]}" $'CapBnd:\t00000000800405fb'
  run_podtool run --rm -u app $IMAGE grep -E '^Cap(Prm|Eff)' /proc/self/status
  assert_equal "${lines[0]}" $'CapPrm:\t0000000000000000'
  assert_equal "${lines[1]}" $'CapEff:\t0000000000000000'
}

@test "seccomp refuses mount, unshare and new namespaces" {
  run_podtool run --rm $IMAGE sh -c '
    grep "^Seccomp:" /proc/self/status
    mkdir /m; mount -t tmpfs tmpfs /m 2>&1 || echo mount-refused
    unshare -U true 2>&1 || echo unshare-refused'
  assert_equal "${lines[0]}" $'Seccomp:\t2'
  assert_output_contains "mount-refused"
  assert_output_contains "unshare-refused"
}

@test "the root directory of the image is / and cwd defaults to it" {
  run_podtool run --rm $IMAGE sh -c 'pwd; ls /'
  assert_equal "${lines[0]}" "/"
  assert_output_contains "home"
}

@test "-v, --mount and --tmpfs: host directories and files, read-only, tmpfs with options" {
  local host=$BATS_TEST_TMPDIR/host
  mkdir -p "$host/dir"
  echo from-host > "$host/dir/f"
  echo motd > "$host/file"
  run_podtool run --rm -v "$host/dir:/data" -v "$host/file:/etc/motd:ro" \
    --mount "type=bind,source=$host/dir,destination=/again,ro" \
    --tmpfs /scratch:size=1m,mode=700 --mount type=tmpfs,dst=/t2,tmpfs-size=2m $IMAGE sh -c '
      cat /data/f /etc/motd
      echo from-container > /data/new
      (echo x > /etc/motd) 2>/dev/null || echo motd-ro
      (echo x > /again/f) 2>/dev/null || echo again-ro
      stat -c "%a %U" /scratch
      grep -E " /(scratch|t2) " /proc/mounts | cut -d" " -f2,4'
  assert_equal "$(head -5 <<< "$output")" "from-host
motd
motd-ro
again-ro
700 root"
  # The kernel's own options vary (6.1 adds inode64): check ours.
  [[ "${lines[5]}" =~ ^/scratch\ rw,nosuid,nodev,noexec,.*size=1024k,mode=700 ]]
  [[ "${lines[6]}" =~ ^/t2\ rw,nosuid,nodev,noexec,.*size=2048k ]]
  # What the container's root wrote belongs to the user on the host.
  assert_equal "$(cat "$host/dir/new")" "from-container"
  assert_equal "$(stat -c %u "$host/dir/new")" "$(id -u)"
  run_podtool create --name m -v "$host/dir:/d:ro" --tmpfs /s:size=1m $IMAGE true
  run_podtool inspect --format '{{json .Mounts}} {{json .HostConfig.Tmpfs}}' m
  assert_output "[{\"Type\":\"bind\",\"Source\":\"$host/dir\",\"Destination\":\"/d\",\"Driver\":\"\",\"Mode\":\"\",\"Options\":[\"rbind\"],\"RW\":false,\"Propagation\":\"rprivate\",\"Name\":\"\"}] {\"/s\":\"rw,size=1m\"}"
  run_podtool rm m
}

@test "bad mounts are refused, naming what is wrong, before anything is stored" {
  run_podtool 125 run -v my/volume:/data $IMAGE true
  assert_output_contains "is neither a host path"
  run_podtool 125 run -v /no/such/dir:/data $IMAGE true
  assert_output "Error: statfs /no/such/dir: No such file or directory"
  run_podtool 125 run -v /tmp:data $IMAGE true
  assert_output "Error: invalid container path \`data\` in volume \`/tmp:data\`: it must be absolute"
  run_podtool 125 run -v /tmp:/x -v /tmp:/x $IMAGE true
  assert_output "Error: /x: duplicate mount destination"
  run_podtool 125 run --mount type=image,src=v,dst=/d $IMAGE true
  assert_output "Error: invalid --mount type \`image\`: bind, volume or tmpfs"
  # Nothing is stored: no volume either.
  run_podtool 125 run -v vol1:/x -v /tmp:/x $IMAGE true
  run_podtool 1 volume exists vol1
  run_podtool 125 run --tmpfs /s:uid=0 $IMAGE true
  assert_output_contains "invalid tmpfs option \`uid=0\`"
  run_podtool ps -a -q
  assert_output ""
}

@test "--cap-add, --cap-drop and --read-only change what the container may do" {
  run_podtool run --rm --cap-add net_raw,CAP_SYS_TIME --cap-drop chown $IMAGE \
    sh -c 'grep CapEff /proc/self/status; chown 1:1 /tmp 2>&1 || true'
  assert_output_contains "CapEff:	00000000820425fa"
  assert_output_contains "Operation not permitted"
  run_podtool run --rm --cap-drop all $IMAGE grep -E '^Cap(Eff|Bnd)' /proc/self/status
  assert_output $'CapEff:\t0000000000000000\nCapBnd:\t0000000000000000'
  run_podtool 125 run --cap-add bogus $IMAGE true
  assert_output "Error: invalid --cap-add \`bogus\`: unknown capability"
  run_podtool run --rm --read-only $IMAGE sh -c \
    '(touch /x) 2>/dev/null || echo root-ro; touch /tmp/a /var/tmp/b /run/c && echo tmp-rw'
  assert_output $'root-ro\ntmp-rw'
  run_podtool create --name sec --cap-add NET_RAW --read-only $IMAGE true
  run_podtool inspect --format '{{json .HostConfig.CapAdd}} {{.HostConfig.ReadonlyRootfs}} {{len .EffectiveCaps}}' sec
  assert_output '["CAP_NET_RAW"] true 12'
  run_podtool rm sec
}
