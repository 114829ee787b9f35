#!/usr/bin/env bats
# Podman-made `layered` (040) has an equivalent built here from nothing but
# busybox-static and python3 (tests/helpers/make-layered-image.py), so a
# fresh clone checks whiteouts, opaque directories, hard links, setuid and
# owners through a real image even without ../shared.

load helpers

IMG=localhost/ptlayered

setup_file () {
  local dir
  dir=$(pt_image_dir)
  [ -f "$dir/layered-docker.tar" ] ||
    python3 "$PODTOOL_SRCDIR/tests/helpers/make-layered-image.py" "$dir/busybox-rootfs.tar" "$dir/layered-docker.tar"
}

setup () {
  skip_if_root
  skip_if_no_userns
  [ -n "$(subid_range)" ] || skip "user $(id -un) has no range in /etc/subuid: owners cannot match"
  PT_ROOT=$BATS_FILE_TMPDIR/root
  PT_RUNROOT=$BATS_FILE_TMPDIR/run
  export PT_ROOT PT_RUNROOT
  pt image exists $IMG || pt load -q -i "$(pt_image_dir)/layered-docker.tar"
}

teardown_file () {
  pt_cleanup "$BATS_FILE_TMPDIR"
}

listing () {
  awk '{ if ($1 ~ /^d/) $5 = "-"; $2 = "-"; $6 = $7 = $8 = ""; print }' | tr -s ' '
}

@test "own layered: entrypoint, cmd, user, groups, workdir and environment from the image" {
  run_podtool run --rm $IMG
  assert_output $'entrypoint args: id\nuid=1000(app) gid=1000(app) groups=1000(app),2000(extra)'
  run_podtool run --rm $IMG cat /home/app/hello.txt
  assert_output $'entrypoint args: cat /home/app/hello.txt\nhello from the build context'
  run_podtool run --rm --entrypoint /bin/sh $IMG -c 'pwd; echo "$APP_MODE|$GREETING|$HOME"'
  assert_output $'/home/app\ntest|hello world|/home/app'
  run_podtool inspect --format '{{index .Config.Labels "com.example.podtool.multi"}}' $IMG
  assert_output "a b c"
}

@test "own layered: /data after whiteouts, the opaque dir, links, owners and modes" {
  run_podtool run --rm --entrypoint /bin/sh $IMG -c 'ls -ln /data'
  assert_equal "$(printf '%s\n' "${lines[@]:1}" | listing)" "$(printf '%s\n' \
    'lrwxrwxrwx - 0 0 19 abs-link -> /data/keep/file.txt' \
    '-rw-r--r-- - 0 0 15 hard-a.txt' \
    '-rw-r--r-- - 0 0 15 hard-b.txt' \
    'drwxr-xr-x - 0 0 - keep' \
    '-rw-r--r-- - 65534 65534 14 nobody.txt' \
    'drwxr-xr-x - 0 0 - opaque' \
    'lrwxrwxrwx - 0 0 13 rel-link -> keep/file.txt' \
    '-rw------- - 0 0 10 root-0600.txt')"
  run_podtool run --rm --entrypoint /bin/sh $IMG -c 'ls -A /data/opaque; cat /data/opaque/new.txt'
  assert_output $'new.txt\nnew'
  run_podtool 1 run --rm --entrypoint /bin/ls $IMG /data/delete-me.txt /data/gone-dir /data/opaque/old1.txt /data/opaque/sub
  assert_equal "$(echo "$output" | grep -c 'No such file or directory')" "4"
}

@test "own layered: the user's home, the setuid tool, a hard link shares an inode, permissions as 1000" {
  run_podtool run --rm --entrypoint /bin/sh $IMG -c '
    ls -ln /home/app | tail -n +2; ls -ln /opt/app/bin | tail -n +2
    cat /data/rel-link /data/abs-link /data/hard-b.txt
    stat -c "%h %i" /data/hard-a.txt /data/hard-b.txt | sort -u | wc -l'
  assert_equal "$(printf '%s\n' "${lines[@]:0:6}" | listing)" "$(printf '%s\n' \
    '-rw-r--r-- - 1000 1000 29 hello.txt' \
    '-rw-r--r-- - 1000 1000 14 mine.txt' \
    '-rw-r--r-- - 1000 1000 14 owned.txt' \
    '-rw------- - 1000 1000 7 secret.txt' \
    '-rwxr-xr-x - 1000 1000 47 entry.sh' \
    '-rwsr-xr-x - 0 0 13 suid-tool')"
  assert_equal "${lines[6]}" "keep me"
  assert_equal "${lines[7]}" "keep me"
  assert_equal "${lines[8]}" "linked content"
  assert_equal "${lines[9]}" "1"
  run_podtool run --rm --entrypoint /bin/sh $IMG -c '
    cat /home/app/secret.txt; cat /data/root-0600.txt 2>&1; touch /home/app/w && echo ok
    touch /data/x 2>&1; /opt/app/bin/suid-tool'
  assert_output "secret
cat: can't open '/data/root-0600.txt': Permission denied
ok
touch: /data/x: Permission denied
uid=1000(app) gid=1000(app) groups=1000(app),2000(extra)"
}

@test "own layered: the plain-copy root (vfs) is the same; -P publishes its exposed port; history" {
  local a b
  a=$(pt run --rm --entrypoint /bin/sh $IMG -c 'ls -lnR /data /home /opt' | listing | sort)
  b=$(pt --storage-driver vfs run --rm --entrypoint /bin/sh $IMG -c 'ls -lnR /data /home /opt' | listing | sort)
  [ -n "$a" ] && [ "$a" = "$b" ]
  run_podtool create -P --name exp $IMG
  run_podtool port exp 8080
  [[ "$output" =~ ^0\.0\.0\.0:[0-9]+$ ]]
  run_podtool rm exp
  run_podtool history --format '{{.CreatedBy}}' $IMG
  assert_output $'layer 4\nlayer 3\nlayer 2\nlayer 1\nlayer 0'
}

@test "a parent directory a layer does not list is made 0755, whatever the user's umask" {
  local d=$BATS_TEST_TMPDIR
  python3 "$PODTOOL_SRCDIR/tests/helpers/craft-layer.py" "$d/l.tar" "f:deep/er/file.txt:x"
  sh "$PODTOOL_SRCDIR/tests/helpers/make-docker-archive.sh" "$d/img.tar" localhost/implicit:latest \
    "$(pt_image_dir)/busybox-rootfs.tar" "$d/l.tar"
  (umask 000 && pt load -q -i "$d/img.tar")
  run_podtool run --rm localhost/implicit stat -c '%a %u' /deep /deep/er /deep/er/file.txt
  assert_output $'755 0\n755 0\n644 0'
}
