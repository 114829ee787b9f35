#!/usr/bin/env bats
# Named and anonymous volumes: the volume verbs, -v/--mount, copy-up, who
# removes what, and mount targets that an image's symlinks cannot redirect.

load helpers

setup () {
  pt_test_setup
}

teardown () {
  pt_test_teardown
}

@test "volume create, ls, inspect, exists, rm; names and options are checked" {
  run_podtool volume create --label team=red --opt o=size=1m mine
  assert_output "mine"
  run_podtool volume create
  local anon=$output
  [[ "$anon" =~ ^[0-9a-f]{64}$ ]]
  run_podtool volume ls --format '{{.Name}} {{.Driver}}'
  assert_output "$anon local"$'\n'"mine local"
  run_podtool volume ls -q --filter label=team=red
  assert_output "mine"
  run_podtool volume ls --noheading --filter name=^mi
  assert_output "local       mine"
  run_podtool volume inspect mine
  python3 -c 'import json,sys; v=json.loads(sys.argv[1])[0]; assert v["Name"]=="mine" and v["Driver"]=="local" and v["Labels"]=={"team":"red"} and v["Options"]=={"o":"size=1m"} and v["Mountpoint"].endswith("/volumes/mine/_data") and v["Scope"]=="local", v' "$output"
  run_podtool volume inspect --format '{{.Name}}' --all
  [ "${#lines[@]}" -eq 2 ]
  run_podtool volume exists mine
  run_podtool 1 volume exists nosuch
  run_podtool volume mount mine
  assert_output "$PT_ROOT/volumes/mine/_data"
  run_podtool volume unmount mine
  assert_output "mine"
  run_podtool 125 volume create mine
  assert_output "Error: volume with name mine already exists: volume already exists"
  run_podtool volume create --ignore mine
  assert_output "mine"
  run_podtool 125 volume create 'bad/name'
  assert_output_contains "invalid volume name"
  run_podtool 125 volume create --opt colour=blue other
  assert_output_contains "invalid volume option"
  run_podtool 125 volume create --opt type=nfs --opt device=host:/x other
  assert_output_contains "mounts only tmpfs volumes"
  # type=tmpfs: a tmpfs of its own, with o='s options, at each start.
  run_podtool volume create --opt type=tmpfs --opt device=tmpfs --opt o=size=2m tv
  run_podtool run --rm -v tv:/t $IMAGE sh -c 'df -k /t | tail -1 | tr -s " " | cut -d" " -f2; grep " /t " /proc/mounts | cut -d" " -f3'
  assert_output $'2048\ntmpfs'
  run_podtool volume rm tv
  run_podtool 125 volume create --driver nfs other
  assert_output_contains "only the local driver"
  run_podtool 125 volume inspect nosuch
  assert_output 'Error: no volume with name "nosuch" found: no such volume'
  run_podtool 1 volume rm nosuch
  run_podtool volume rm mine "$anon"
  assert_output "mine"$'\n'"$anon"
  run_podtool volume ls -q
  assert_output ""
  run_podtool 1 volume exists mine
}

@test "-v NAME:/path: made at first use, a copy of the image's files, kept across containers and rm" {
  run_podtool run --rm -v etcvol:/etc $IMAGE sh -c 'cat /etc/passwd | head -1; echo mine > /etc/mine'
  assert_output_contains "root:x:0:0"
  run_podtool volume inspect --format '{{.NeedsCopyUp}}' etcvol
  assert_output "false"
  # A second container sees the first one's files; the copy is not made again.
  run_podtool run --name second -v etcvol:/data:ro $IMAGE sh -c 'cat /data/mine; touch /data/x 2>&1 || true'
  assert_output_contains "mine"
  assert_output_contains "Read-only file system"
  run_podtool inspect --format '{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}} {{.RW}}{{end}}' second
  assert_output "volume etcvol /data false"
  run_podtool ps -a -q --filter volume=etcvol
  assert_output "$(pt inspect --format '{{.Id}}' second | cut -c1-12)"
  # rm (even -v) keeps a named volume.
  run_podtool rm -v second
  run_podtool volume exists etcvol
  # nocopy: an empty volume stays empty; --mount type=volume is the same.
  run_podtool run --rm -v empty:/etc:nocopy $IMAGE ls -A /etc
  assert_output ""
  run_podtool run --rm --mount type=volume,src=empty2,dst=/etc,volume-nocopy $IMAGE ls -A /etc
  assert_output ""
  run_podtool run --rm --mount type=volume,source=copied,target=/etc $IMAGE test -f /etc/passwd
  # Owners and modes come with the copy; the volume's root takes the image directory's.
  run_podtool run --rm -v tmpvol:/tmp $IMAGE stat -c '%a %u' /tmp
  assert_output "1777 0"
}

@test "anonymous volumes: -v /path and the image's Volumes; --rm and rm -v remove them, rm alone keeps them" {
  run_podtool run --name a1 -v /scratch $IMAGE sh -c 'echo kept > /scratch/f'
  local vol
  vol=$(pt inspect --format '{{range .Mounts}}{{.Name}}{{end}}' a1)
  [[ "$vol" =~ ^[0-9a-f]{64}$ ]]
  run_podtool volume inspect --format '{{.Anonymous}}' "$vol"
  assert_output "true"
  run_podtool rm a1
  run_podtool volume exists "$vol"
  run_podtool volume rm "$vol"
  run_podtool run --name a2 -v /scratch $IMAGE true
  vol=$(pt inspect --format '{{range .Mounts}}{{.Name}}{{end}}' a2)
  run_podtool rm -v a2
  run_podtool 1 volume exists "$vol"
  run_podtool run --rm -v /scratch $IMAGE true
  run_podtool volume ls -q
  assert_output ""
  # The image's config Volumes become anonymous volumes, with a copy-up.
  run_podtool run --name withvol $IMAGE sh -c 'mkdir -p /data && echo from-image > /data/seed'
  run_podtool commit -q --change 'VOLUME /data' withvol volimage
  run_podtool rm withvol
  run_podtool run --rm volimage sh -c 'cat /data/seed; grep " /data " /proc/mounts | cut -d" " -f2'
  assert_output $'from-image\n/data'
  run_podtool volume ls -q
  assert_output ""
  # commit --include-volumes keeps a container's volume mounts as the image's.
  run_podtool create --name cv -v named:/keep -v /anon2 $IMAGE true
  run_podtool commit -q --include-volumes cv withvols
  run_podtool image inspect --format '{{json .Config.Volumes}}' withvols
  assert_output_contains '"/anon2":{}'
  assert_output_contains '"/keep":{}'
}

@test "volume rm of a volume in use names the container; -f removes the container too; prune" {
  run_podtool run -d --name user -v busy:/d $IMAGE sleep 100
  local id
  id=$(pt inspect --format '{{.Id}}' user)
  run_podtool 2 volume rm busy
  assert_output "Error: volume busy is being used by the following container(s): $id: volume is being used"
  run_podtool volume create idle
  run_podtool volume prune -f
  assert_output "idle"
  run_podtool volume exists busy
  run_podtool volume rm -f busy
  assert_output "busy"
  run_podtool 1 container exists user
  run_podtool volume create left
  run_podtool system prune -f --volumes
  run_podtool 1 volume exists left
}

@test "volume export and import round-trip, owners kept; a hostile tar cannot write outside the volume" {
  run_podtool run --rm -v src:/v $IMAGE sh -c 'echo hello > /v/a; mkdir /v/d; echo deep > /v/d/b; chown 1000:1000 /v/d/b'
  run_podtool volume export -o "$BATS_TEST_TMPDIR/v.tar" src
  run tar tvf "$BATS_TEST_TMPDIR/v.tar"
  assert_output_contains "1000/1000"
  run_podtool volume create dst
  run_podtool volume import dst "$BATS_TEST_TMPDIR/v.tar"
  run_podtool run --rm -v dst:/v $IMAGE sh -c 'cat /v/a /v/d/b; stat -c %u /v/d/b'
  assert_output $'hello\ndeep\n1000'
  # From stdin too.
  run bash -c "$PODTOOL --root $PT_ROOT --runroot $PT_RUNROOT volume create fromstdin >/dev/null && $PODTOOL --root $PT_ROOT --runroot $PT_RUNROOT volume import fromstdin - < $BATS_TEST_TMPDIR/v.tar"
  [ "$status" -eq 0 ]
  # ../ and absolute names and links out: nothing lands outside.
  python3 - "$BATS_TEST_TMPDIR/evil.tar" "$BATS_TEST_TMPDIR" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    for name in ("../../escaped", sys.argv[2] + "/abs-escaped"):
        i = tarfile.TarInfo(name); data = b"x"; i.size = len(data); t.addfile(i, io.BytesIO(data))
    l = tarfile.TarInfo("link"); l.type = tarfile.SYMTYPE; l.linkname = sys.argv[2]; t.addfile(l)
    i = tarfile.TarInfo("link/through-link"); i.size = 1; t.addfile(i, io.BytesIO(b"y"))
PY
  run_podtool volume create evil
  run pt volume import evil "$BATS_TEST_TMPDIR/evil.tar"
  [ ! -e "$BATS_TEST_TMPDIR/abs-escaped" ] && [ ! -e "$BATS_TEST_TMPDIR/through-link" ]
  [ ! -e "$PT_ROOT/escaped" ] && [ ! -e "$PT_ROOT/volumes/escaped" ]
  run_podtool 125 volume import nosuch "$BATS_TEST_TMPDIR/v.tar"
  assert_output_contains "no such volume"
  run_podtool 125 volume import dst "$BATS_TEST_TMPDIR/none.tar"
  assert_output_contains "none.tar"
}

@test "a mount target that is a symlink in the image is resolved inside the container's root" {
  run_podtool run --name mk $IMAGE sh -c 'ln -s /etc /target; ln -s ../../../.. /up'
  run_podtool commit -q mk linky
  run_podtool rm mk
  # The copy-up reads the container's /etc, and writes land in the volume.
  run_podtool run --rm -v lvol:/target linky sh -c 'echo pwned > /target/pwned-by-volume; ls /etc/passwd'
  [ ! -e /etc/pwned-by-volume ]
  run_podtool run --rm -v lvol:/v $IMAGE sh -c 'cat /v/pwned-by-volume; test -f /v/passwd && echo copied'
  assert_output $'pwned\ncopied'
  # ../ through a link climbs no higher than the container's root.
  mkdir -p "$BATS_TEST_TMPDIR/host"
  run_podtool run --rm -v "$BATS_TEST_TMPDIR/host:/up/tmp/in" linky sh -c 'echo inside > /tmp/in/f'
  [ "$(cat "$BATS_TEST_TMPDIR/host/f")" = inside ]
  run_podtool run --rm -v lvol2:/up/tmp/vol linky sh -c 'echo x > /tmp/vol/y'
  run_podtool run --rm -v lvol2:/v $IMAGE cat /v/y
  assert_output "x"
}

@test "--volumes-from shares another container's volumes and binds (ro on demand); noexec, nosuid, nodev" {
  mkdir -p "$BATS_TEST_TMPDIR/host"
  run_podtool create --name src -v shared:/data -v "$BATS_TEST_TMPDIR/host:/hostdir" -v /anon $IMAGE true
  run_podtool run --rm --volumes-from src $IMAGE sh -c 'echo v > /data/f; echo h > /hostdir/g; echo a > /anon/x; echo ok'
  assert_output "ok"
  [ "$(cat "$BATS_TEST_TMPDIR/host/g")" = h ]
  run_podtool run --rm --volumes-from src:ro $IMAGE sh -c 'cat /data/f /anon/x; touch /data/n 2>&1 || true'
  assert_output_contains $'v\na'
  assert_output_contains "Read-only file system"
  # The anonymous volume stays with its own container.
  local anon
  anon=$(pt inspect --format '{{range .Mounts}}{{.Destination}}={{.Name}} {{end}}' src | tr ' ' '\n' | sed -n 's|^/anon=||p')
  [[ "$anon" =~ ^[0-9a-f]{64}$ ]]
  run_podtool volume exists "$anon"
  run_podtool 125 run --rm --volumes-from nosuch $IMAGE true
  assert_output_contains "nosuch"
  # Mount options: noexec keeps the copied busybox from running there.
  run_podtool run --rm -v ex:/x:noexec,nosuid,nodev $IMAGE sh -c 'cp /bin/busybox /x/bb; /x/bb true 2>&1; grep " /x " /proc/mounts'
  assert_output_contains "Permission denied"
  assert_output_contains "nosuid,nodev,noexec"
  run_podtool 125 run --rm -v ex:/x:O $IMAGE true
  assert_output_contains ":O is for host directories"
}

@test ":O: an overlay over a host directory; the host's files are never written, the changes go at each start" {
  mkdir -p "$BATS_TEST_TMPDIR/low"
  echo orig > "$BATS_TEST_TMPDIR/low/a"
  run_podtool run --name ov -v "$BATS_TEST_TMPDIR/low:/ov:O" $IMAGE sh -c 'cat /ov/a; echo changed > /ov/a; echo new > /ov/b; rm /ov/a; ls /ov'
  assert_output $'orig\nb'
  [ "$(cat "$BATS_TEST_TMPDIR/low/a")" = orig ] && [ ! -e "$BATS_TEST_TMPDIR/low/b" ]
  run_podtool start -a ov
  assert_output $'orig\nb'
  mkdir -p "$BATS_TEST_TMPDIR/we,ird"
  run_podtool 125 run --rm -v "$BATS_TEST_TMPDIR/we,ird:/x:O" $IMAGE true
  assert_output_contains "may not hold"
}

@test ":U chowns what is mounted to the container's user, through the map" {
  [ -n "$(subid_range)" ] || skip "the user has no subordinate ids (/etc/subuid)"
  mkdir -p "$BATS_TEST_TMPDIR/u/d"
  touch "$BATS_TEST_TMPDIR/u/d/f"
  run_podtool run --rm -u 1000:1000 -v "$BATS_TEST_TMPDIR/u:/u:U" $IMAGE sh -c 'stat -c "%u %g" /u /u/d /u/d/f; touch /u/d/new && echo writable'
  assert_output $'1000 1000\n1000 1000\n1000 1000\nwritable'
  # On the host: the subordinate id container 1000 is.
  local first
  first=$(subid_range | cut -d' ' -f1)
  [ "$(stat -c %u "$BATS_TEST_TMPDIR/u/d/f")" = "$((first + 999))" ]
  run_podtool run --rm -u app -v vu:/data:U $IMAGE stat -c %U /data
  assert_output "app"
  pt unshare rm -rf "$BATS_TEST_TMPDIR/u"
}

@test "containers made at once with the same new volume get one volume, filled once" {
  local i pids=()
  for i in 1 2 3 4 5 6; do
    pt create --name par$i -v same:/etc $IMAGE true >/dev/null &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
  run_podtool volume ls -q
  assert_output "same"
  run_podtool ps -a -q --filter volume=same
  [ "${#lines[@]}" -eq 6 ]
  # Started at once, one of them copies; all see the image's files.
  pids=()
  for i in 1 2 3 4 5 6; do
    pt start par$i >/dev/null &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
  run_podtool run --rm -v same:/v $IMAGE sh -c 'test -f /v/passwd && grep -c "^root:" /v/passwd'
  assert_output "1"
}

@test "a garbled volume.json or healthcheck state: one clear error, the store and the other volumes still work" {
  run_podtool volume create good
  run_podtool volume create bad
  printf '{not json\x00' > "$PT_ROOT/volumes/bad/volume.json"
  run_podtool volume ls -q
  assert_output "good"
  run_podtool 125 volume inspect bad
  assert_output 'Error: no volume with name "bad" found: no such volume'
  [ "${#lines[@]}" -eq 1 ]
  run_podtool run --rm -v good:/g $IMAGE true
  # A healthcheck record that is not JSON starts again at "starting".
  run_podtool run -d --name h --health-cmd true --health-interval disable $IMAGE sleep 100
  printf 'garbage' > "$PT_ROOT/containers/$(pt inspect --format '{{.Id}}' h)/healthcheck.json"
  run_podtool inspect --format '{{.State.Health.Status}}' h
  assert_output "starting"
  run_podtool healthcheck run h
  run_podtool inspect --format '{{.State.Health.Status}}' h
  assert_output "healthy"
  run_podtool rm -f -t 0 h
}
