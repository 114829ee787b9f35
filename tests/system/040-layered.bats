#!/usr/bin/env bats
# The reference images made by Podman (../shared/images) must look inside
# exactly as ../shared/images/README.md says.

load helpers

setup_file () {
  [ "$(id -u)" != 0 ] || return 0
  [ -f "$SHARED_IMAGES/README.md" ] || return 0
  export PT_ROOT=$BATS_FILE_TMPDIR/root PT_RUNROOT=$BATS_FILE_TMPDIR/run
  pt load -q -i "$SHARED_IMAGES/busybox-docker.tar"
  pt load -q -i "$SHARED_IMAGES/layered-docker.tar"
  # The OCI archive under its own root: the same image from the other format.
  "$PODTOOL" --root "$BATS_FILE_TMPDIR/oci-root" --runroot "$BATS_FILE_TMPDIR/oci-run" load -q -i "$SHARED_IMAGES/layered-oci.tar"
}

setup () {
  skip_if_root
  skip_if_no_userns
  need_shared_images
  [ -n "$(subid_range)" ] || skip "user $(id -un) has no range in /etc/subuid: owners cannot match"
  PT_ROOT=$BATS_FILE_TMPDIR/root
  PT_RUNROOT=$BATS_FILE_TMPDIR/run
}

# Drop the parts README.md says not to compare: dates, link counts, sizes of dirs.
listing () {
  awk '{ if ($1 ~ /^d/) $5 = "-"; $2 = "-"; $6 = $7 = $8 = ""; print }' | tr -s ' '
}

teardown_file () {
  pt_cleanup "$BATS_FILE_TMPDIR"
}

@test "busybox: id, pwd, the root listing, /bin" {
  run_podtool run --rm localhost/busybox sh -c 'id; pwd; ls /bin | wc -l; ls -ln /bin/busybox /bin/sh /bin/ls'
  assert_equal "${lines[0]}" "uid=0(root) gid=0(root) groups=0(root)"
  assert_equal "${lines[1]}" "/"
  assert_equal "${lines[2]}" "269"
  assert_equal "$(printf '%s\n' "${lines[@]:3}" | listing)" "$(printf '%s\n' \
    '-rwxr-xr-x - 0 0 1982256 /bin/busybox' \
    'lrwxrwxrwx - 0 0 7 /bin/ls -> busybox' \
    'lrwxrwxrwx - 0 0 7 /bin/sh -> busybox')"
}

@test "busybox: the default command is /bin/sh and exits 0 without a tty" {
  run_podtool run --rm localhost/busybox
  assert_output ""
}

@test "busybox: env as Podman sets it (container=podtool)" {
  run_podtool run --rm busybox env
  local sorted
  sorted=$(printf '%s\n' "${lines[@]}" | sed 's/^HOSTNAME=[0-9a-f]\{12\}$/HOSTNAME=<id>/' | sort)
  assert_equal "$sorted" "$(printf '%s\n' HOME=/root 'HOSTNAME=<id>' \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=xterm container=podtool)"
}

@test "layered: entrypoint, cmd, user and groups from the image" {
  run_podtool run --rm localhost/layered
  assert_output $'entrypoint args: id\nuid=1000(app) gid=1000(app) groups=1000(app),2000(extra)'
  run_podtool run --rm localhost/layered cat /home/app/hello.txt
  assert_output $'entrypoint args: cat /home/app/hello.txt\nhello from the build context'
  run_podtool run --rm --user 0 --entrypoint id localhost/layered
  assert_output "uid=0(root) gid=0(root) groups=0(root)"
}

@test "layered: workdir and environment" {
  run_podtool run --rm --entrypoint /bin/sh localhost/layered -c 'pwd; echo "$APP_MODE|$GREETING|$HOME"; env | sort'
  assert_equal "${lines[0]}" "/home/app"
  assert_equal "${lines[1]}" "test|hello world|/home/app"
  assert_equal "$(printf '%s\n' "${lines[@]:2}" | sed 's/^HOSTNAME=[0-9a-f]\{12\}$/HOSTNAME=<id>/')" \
    "$(printf '%s\n' APP_MODE=test 'GREETING=hello world' HOME=/home/app 'HOSTNAME=<id>' \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin PWD=/home/app SHLVL=1 \
      TERM=xterm container=podtool)"
}

@test "layered: /data after whiteouts, opaque dir, links, owners and modes" {
  run_podtool run --rm --entrypoint /bin/sh localhost/layered -c 'ls -ln /data'
  assert_equal "$(printf '%s\n' "${lines[@]:1}" | listing)" "$(printf '%s\n' \
    'lrwxrwxrwx - 0 0 19 abs-link -> /data/keep/file.txt' \
    '-rw-r--r-- - 0 0 15 hard-a.txt' \
    '-rw-r--r-- - 0 0 15 hard-b.txt' \
    'drwxr-xr-x - 0 0 - keep' \
    '-rw-r--r-- - 65534 65534 14 nobody.txt' \
    'drwxr-xr-x - 0 0 - opaque' \
    'lrwxrwxrwx - 0 0 13 rel-link -> keep/file.txt' \
    '-rw------- - 0 0 10 root-0600.txt')"
}

@test "layered: the opaque directory hides what lay below it" {
  run_podtool run --rm --entrypoint /bin/sh localhost/layered -c 'ls -lna /data/opaque; cat /data/opaque/new.txt'
  assert_equal "$(printf '%s\n' "${lines[@]:1:3}" | listing)" "$(printf '%s\n' \
    'drwxr-xr-x - 0 0 - .' 'drwxr-xr-x - 0 0 - ..' '-rw-r--r-- - 0 0 4 new.txt')"
  assert_equal "${lines[4]}" "new"
  run_podtool 1 run --rm --entrypoint /bin/ls localhost/layered /data/delete-me.txt /data/gone-dir /data/opaque/old1.txt /data/opaque/sub
  assert_equal "$(echo "$output" | grep -c 'No such file or directory')" "4"
}

@test "layered: home of user 1000, setuid tool, hard links share an inode" {
  run_podtool run --rm --entrypoint /bin/sh localhost/layered -c '
    ls -lna /home/app | tail -n +4; ls -ln /opt/app/bin | tail -n +2
    cat /data/rel-link /data/abs-link /data/hard-b.txt
    stat -c "%h %i" /data/hard-a.txt /data/hard-b.txt | sort -u | wc -l
    stat -c "%h" /data/hard-a.txt'
  assert_equal "$(printf '%s\n' "${lines[@]:0:5}" | listing)" "$(printf '%s\n' \
    '-rw-r--r-- - 1000 1000 29 hello.txt' \
    '-rw-r--r-- - 1000 1000 14 mine.txt' \
    '-rw------- - 1000 1000 7 secret.txt' \
    '-rwxr-xr-x - 1000 1000 47 entry.sh' \
    '-rwsr-xr-x - 0 0 13 suid-tool')"
  assert_equal "${lines[5]}" "keep me"
  assert_equal "${lines[6]}" "keep me"
  assert_equal "${lines[7]}" "linked content"
  assert_equal "${lines[8]}" "1"
  assert_equal "${lines[9]}" "2"
}

@test "layered: permissions as uid 1000" {
  run_podtool run --rm --entrypoint /bin/sh localhost/layered -c '
    cat /home/app/secret.txt
    cat /data/root-0600.txt 2>&1; echo "rc=$?"
    touch /home/app/w && echo ok
    touch /data/x 2>&1; echo "rc=$?"
    /opt/app/bin/suid-tool'
  assert_equal "${lines[0]}" "secret"
  assert_equal "${lines[1]}" "cat: can't open '/data/root-0600.txt': Permission denied"
  assert_equal "${lines[2]}" "rc=1"
  assert_equal "${lines[3]}" "ok"
  assert_equal "${lines[4]}" "touch: /data/x: Permission denied"
  assert_equal "${lines[5]}" "rc=1"
  assert_equal "${lines[6]}" "uid=1000(app) gid=1000(app) groups=1000(app),2000(extra)"
}

@test "layered: /etc/passwd and /etc/group from the image" {
  run_podtool run --rm --entrypoint /bin/cat localhost/layered /etc/passwd /etc/group
  assert_output "root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
app:x:1000:1000:app user:/home/app:/bin/sh
root:x:0:
daemon:x:1:
nogroup:x:65534:
app:x:1000:
extra:x:2000:app"
}

@test "layered: the root directory listing" {
  run_podtool run --rm --entrypoint /bin/ls localhost/layered -ln /
  assert_equal "$(printf '%s\n' "${lines[@]:1}" | awk '{print $1, $3, $4, $9}')" "$(printf '%s\n' \
    'drwxr-xr-x 0 0 bin' 'drwxr-xr-x 0 0 data' 'drwxr-xr-x 0 0 dev' 'drwxr-xr-x 0 0 etc' \
    'drwxr-xr-x 0 0 home' 'drwxr-xr-x 0 0 opt' 'dr-xr-xr-x 65534 65534 proc' \
    'drwx------ 0 0 root' 'drwxr-xr-x 0 0 run' 'dr-xr-xr-x 65534 65534 sys' 'drwxrwxrwt 0 0 tmp')"
}

@test "layered from the OCI archive is the same image" {
  local P=("$PODTOOL" --root "$BATS_FILE_TMPDIR/oci-root" --runroot "$BATS_FILE_TMPDIR/oci-run")
  run "${P[@]}" images --no-trunc
  assert_output_contains "3b3b57611127a939dba88a861e07832a96c8f9b4f1dfeed9805e1a0800fc4f08"
  run "${P[@]}" run --rm --entrypoint /bin/sh layered -c 'ls -ln /data /home/app /opt/app/bin | md5sum; id'
  local oci=$output
  run_podtool run --rm --entrypoint /bin/sh layered -c 'ls -ln /data /home/app /opt/app/bin | md5sum; id'
  assert_equal "$oci" "$output"
}

@test "layered with the plain-copy root (--storage-driver vfs) looks the same as with overlay" {
  local script='ls -ln /data /data/opaque /home/app /opt/app/bin; stat -c "%h %s" /data/hard-a.txt /data/hard-b.txt
    ls /data/delete-me.txt /data/gone-dir /data/opaque/old1.txt 2>&1; id; cat /data/rel-link'
  run_podtool run --rm --entrypoint /bin/sh localhost/layered -c "$script"
  local overlay
  overlay=$(printf '%s\n' "${lines[@]}" | listing)
  run_podtool --storage-driver vfs run --rm --entrypoint /bin/sh localhost/layered -c "$script; head -1 /proc/self/mountinfo"
  assert_output_contains "/upper / rw"
  assert_output_not_contains "overlay"
  assert_equal "$(printf '%s\n' "${lines[@]}" | sed '$d' | listing)" "$overlay"
  assert_output_contains $'2 15\n2 15'
}

@test "container diff of a plain-copy root (vfs, --userns auto) says what overlay's does" {
  local script='rm /data/hard-a.txt; rm -rf /data/opaque; mkdir /data/opaque; echo n > /data/opaque/n.txt
    mkdir -p /added/d; touch /added/d/f; chmod 0700 /home/app; chown 1:1 /opt/app/bin; ln -s x /data/lnk'
  pt run --name dov -u 0 --entrypoint /bin/sh localhost/layered -c "$script"
  run_podtool container diff dov
  local want=$output
  assert_output_contains "D /data/hard-a.txt"
  assert_output_contains "C /home/app"
  assert_output_contains "A /added/d/f"
  # The directory made again over the image's is opaque: what it had is gone.
  assert_output_contains $'C /data/opaque\nA /data/opaque/n.txt\nD /data/opaque/new.txt\nC /home'
  assert_output_not_contains "old1.txt"
  pt --storage-driver vfs run --name dvfs -u 0 --entrypoint /bin/sh localhost/layered -c "$script"
  run_podtool container diff dvfs
  assert_equal "$output" "$want"
  pt run --name dauto --userns auto -u 0 --entrypoint /bin/sh localhost/layered -c "$script"
  run_podtool container diff dauto
  assert_equal "$output" "$want"
  # auto without size= is sized for the image's owners (nobody's 65534 here).
  run_podtool inspect --format '{{.HostConfig.UsernsMode}}' dauto
  assert_output_contains "auto:size=65535,at="
  # Untouched, the copy of layers with whiteouts, opaque dirs and hard links is no change.
  pt --storage-driver vfs run --name dnone --entrypoint /bin/true localhost/layered
  run_podtool container diff dnone
  assert_output ""
  pt run --name donone --entrypoint /bin/true localhost/layered
  run_podtool container diff donone
  assert_output ""
  pt rm -f dov dvfs dauto dnone donone
}

@test "on the host the files belong to the mapped ids" {
  local start count
  read -r start count <<<"$(subid_range)"
  local layer="" d
  for d in "$PT_ROOT"/layers/*/; do
    if [ -e "$d/home/app/mine.txt" ]; then layer=$d; fi
  done
  [ -n "$layer" ]
  assert_equal "$(stat -c %u "$layer/home/app/mine.txt")" "$((start + 999))"
  assert_equal "$(stat -c %u "$layer/data/nobody.txt")" "$((start + 65533))"
  assert_equal "$(stat -c %u "$layer/data/root-0600.txt")" "$(id -u)"
}
