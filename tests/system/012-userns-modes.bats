#!/usr/bin/env bats
# --userns=keep-id: the user is itself in the container, its files in bind
# mounts are the user's on the host, the image's files keep their owners.

load helpers

setup () {
  pt_test_setup
}

teardown () {
  pt_test_teardown
}

@test "keep-id: the user's uid, gid, name and HOME inside; a file it writes in a bind mount is the user's" {
  [ -n "$(subid_range)" ] || skip "the user has no subordinate ids (/etc/subuid)"
  local me=$(id -u) mygid=$(id -g) name=$(id -un)
  mkdir -p "$BATS_TEST_TMPDIR/share"
  run_podtool run --rm --userns keep-id -v "$BATS_TEST_TMPDIR/share:/share" $IMAGE sh -c \
    'id -u; id -g; id -un; echo "$HOME"; echo made > /share/f; stat -c "%u %g" /etc/passwd /home/app/owned.txt'
  assert_output "$me"$'\n'"$mygid"$'\n'"$name"$'\n'"$(getent passwd "$me" | cut -d: -f6)"$'\n'"0 0"$'\n'"1000 1000"
  [ "$(stat -c %u "$BATS_TEST_TMPDIR/share/f")" = "$me" ]
  # The map: the user as itself, the subordinate ids around it.
  run_podtool run --rm --userns keep-id $IMAGE cat /proc/self/uid_map
  [[ "$output" == *" $me "*" $me "*"1"* ]]
  # exec runs as the user too; -u root still works.
  run_podtool run -d --name k --userns keep-id $IMAGE sleep 100
  run_podtool exec k id -u
  assert_output "$me"
  run_podtool exec -u 0 k id -u
  assert_output "0"
  run_podtool inspect --format '{{.HostConfig.UsernsMode}}' k
  assert_output "keep-id"
}

@test "keep-id:uid=N,gid=N puts the user at N; bad modes are refused clearly" {
  [ -n "$(subid_range)" ] || skip "the user has no subordinate ids (/etc/subuid)"
  run_podtool run --rm --userns keep-id:uid=2000,gid=2000 $IMAGE sh -c 'id -u; id -g; stat -c %u /bin/busybox'
  assert_output $'2000\n2000\n0'
  run_podtool run --rm --userns host $IMAGE id -u
  assert_output "0"
  run_podtool 125 run --rm --userns ns:/proc/self/ns/user $IMAGE true
  assert_output_contains "not supported by podtool"
  run_podtool 125 run --rm --userns auto:size=x $IMAGE true
  assert_output_contains "must be a positive number"
  run_podtool 125 run --rm --userns auto:uidmapping=0:0:1 $IMAGE true
  assert_output_contains "unknown option"
  run_podtool 125 run --rm --userns auto:size=1,at=5 $IMAGE true
  assert_output_contains "at= is podtool's own"
  run_podtool 125 run --rm --userns keep-id:uid=x $IMAGE true
  assert_output_contains "uid must be a number"
  run_podtool 125 run --rm --userns sideways $IMAGE true
  assert_output_contains "invalid --userns"
}

@test "--uidmap/--gidmap: container ids onto the user's mapping; the image's owners follow; bad maps named" {
  [ -n "$(subid_range)" ] || skip "the user has no subordinate ids (/etc/subuid)"
  local first
  first=$(subid_range | cut -d' ' -f1)
  run_podtool run --rm --uidmap 0:1:1000 --uidmap 1000:0:1 --gidmap 0:1:1000 --gidmap 1000:0:1 $IMAGE \
    sh -c 'head -1 /proc/self/uid_map | tr -s " "; stat -c "%u %g" /bin/busybox /home/app/owned.txt'
  assert_output " 0 $first 1000"$'\n'"0 0"$'\n'"1000 1000"
  # Without --gidmap the uid map is used for both.
  run_podtool run --rm --uidmap 0:1:1000 --uidmap 1000:0:1 $IMAGE sh -c 'head -1 /proc/self/gid_map | tr -s " "'
  assert_output " 0 $first 1000"
  # A map without the user: the image's owners must all be in it.
  run_podtool run --rm --uidmap 0:1:2000 $IMAGE stat -c "%u %g" /home/app/owned.txt
  assert_output "1000 1000"
  run_podtool 125 run --rm --uidmap 0:1:500 $IMAGE true
  assert_output_contains "owned.txt\` belongs to uid 1000, which the container's --userns does not map"
  run_podtool 125 run --rm --uidmap 0:1 $IMAGE true
  assert_output_contains "CONTAINER:INTERMEDIATE:SIZE"
  run_podtool 125 run --rm --uidmap 0:0:1 --uidmap 1:1:9999999 $IMAGE true
  assert_output_contains "beyond your"
  run_podtool 125 run --rm --userns keep-id --uidmap 0:0:1 $IMAGE true
  assert_output_contains "conflicts"
}

@test "--passwd: a passwd line for a numeric --user the image lacks; --passwd-entry's template; --passwd=false" {
  run_podtool run --rm -u 1234:1234 $IMAGE sh -c 'grep ^1234: /etc/passwd; whoami'
  assert_output $'1234:*:1234:1234:container user:/:/bin/sh\n1234'
  # A user the image has keeps its own line, alone.
  run_podtool run --rm -u 1000 $IMAGE sh -c 'grep -c ":1000:" /etc/passwd'
  assert_output "1"
  run_podtool 1 run --rm -u 1234 --passwd=false $IMAGE grep -q ^1234: /etc/passwd
  run_podtool run --rm -u 4321:0 --passwd-entry '$USERNAME:x:$UID:$GID:made by $NAME:/work:/bin/false' $IMAGE grep ^4321: /etc/passwd
  assert_output "4321:x:4321:0:made by container user:/work:/bin/false"
  [ -n "$(subid_range)" ] || skip "the user has no subordinate ids (/etc/subuid)"
  run_podtool run --rm --userns keep-id --passwd-entry '$USERNAME:*:$UID:$GID::/home/elsewhere:/bin/sh' $IMAGE sh -c 'echo "$HOME"; id -un'
  assert_output "/home/elsewhere"$'\n'"$(id -un)"
}

@test "--subuidname/--subgidname: your own entry is the default mapping; another user's is refused" {
  run_podtool run --rm --subuidname "$(id -un)" --subgidname "$(id -u)" $IMAGE id -u
  assert_output "0"
  run_podtool 125 run --rm --subuidname root $IMAGE true
  assert_output_contains "only your own subordinate ids"
}

@test "cp into a keep-id container, stopped or running, gives the owners it sees: root's" {
  [ -n "$(subid_range)" ] || skip "the user has no subordinate ids (/etc/subuid)"
  echo data > "$BATS_TEST_TMPDIR/f"
  run_podtool create --name kc --userns keep-id $IMAGE stat -c '%u %g' /tmp/f
  run_podtool cp "$BATS_TEST_TMPDIR/f" kc:/tmp/f
  run_podtool start -a kc
  assert_output "0 0"
  run_podtool run -d --name kr --userns keep-id $IMAGE sleep 100
  run_podtool cp "$BATS_TEST_TMPDIR/f" kr:/tmp/f
  run_podtool exec kr stat -c '%u %g' /tmp/f
  assert_output "0 0"
}

@test "commit and export of a keep-id container keep the owners it sees" {
  [ -n "$(subid_range)" ] || skip "the user has no subordinate ids (/etc/subuid)"
  run_podtool run --name ke --userns keep-id $IMAGE sh -c 'touch /tmp/mine'
  run_podtool export -o "$BATS_TEST_TMPDIR/ke.tar" ke
  run tar tvf "$BATS_TEST_TMPDIR/ke.tar" --numeric-owner bin/busybox tmp/mine
  [[ "${lines[0]}" == *" 0/0 "* ]]
  [[ "${lines[1]}" == *" $(id -u)/$(id -g) "* ]]
  run_podtool commit -q ke fromkeep
  run_podtool run --rm fromkeep stat -c '%u %n' /bin/busybox /tmp/mine
  assert_output "0 /bin/busybox"$'\n'"$(id -u) /tmp/mine"
}

@test "top of a keep-id container names its users through its own map" {
  [ -n "$(subid_range)" ] || skip "the user has no subordinate ids (/etc/subuid)"
  run_podtool run -d --name kt --userns keep-id $IMAGE sleep 100
  run_podtool top kt user huser args
  [ "$(awk 'NR == 2 { print $1, $2 }' <<< "$output")" = "$(id -un) $(id -un)" ]
}

@test "nomap: root is the first subordinate id, the user is no one inside; its files, volumes, ports, exec and cp work" {
  [ -n "$(subid_range)" ] || skip "the user has no subordinate ids (/etc/subuid)"
  local first count port
  read -r first count < <(subid_range)
  run_podtool run --rm --userns nomap $IMAGE sh -c 'head -1 /proc/self/uid_map | tr -s " "; id -u; stat -c "%u %g" / /bin/busybox /home/app/owned.txt; touch /new && echo wrote'
  assert_output " 0 $first $count"$'\n'"0"$'\n'"0 0"$'\n'"0 0"$'\n'"1000 1000"$'\n'"wrote"
  # Seen from the host, the root's files are the first subordinate id's.
  run_podtool run -d --name nm --userns nomap -v nmvol:/data $IMAGE sleep 100
  run_podtool exec nm sh -c 'touch /data/f /made; stat -c "%u %g" /data /data/f'
  assert_output $'0 0\n0 0'
  [ "$(stat -c %u "$(pt volume inspect --format '{{.Mountpoint}}' nmvol)")" = "$first" ]
  echo hello > "$BATS_TEST_TMPDIR/in"
  run_podtool cp "$BATS_TEST_TMPDIR/in" nm:/in
  run_podtool exec nm stat -c '%u %s' /in
  assert_output "0 6"
  run_podtool cp nm:/in "$BATS_TEST_TMPDIR/out"
  [ "$(cat "$BATS_TEST_TMPDIR/out")" = hello ]
  run_podtool stop -t 1 nm
  # Stopped: cp, export and commit see the container's owners.
  run_podtool cp "$BATS_TEST_TMPDIR/in" nm:/in2
  pt export nm | tar -tvf - | grep -E ' (in2|made)$' > "$BATS_TEST_TMPDIR/listing"
  [ "$(awk '{print $2}' "$BATS_TEST_TMPDIR/listing" | sort -u)" = "0/0" ]
  run_podtool commit -q nm nomap-img
  run_podtool run --rm nomap-img stat -c '%u %n' /in /in2 /made
  assert_output $'0 /in\n0 /in2\n0 /made'
  # Its network: a published port reaches a server inside.
  port=$(free_port)
  run_podtool run -d --name nmweb --userns nomap -p "127.0.0.1:$port:80" $IMAGE \
    sh -c 'mkdir /www && echo served > /www/index.html && httpd -f -p 80 -h /www'
  run http_get "$port"
  assert_output "served"
  run_podtool rm -f nm nmweb
  run_podtool volume rm nmvol
}

@test "auto: each container a slice of its own (1024 ids, or size=N), disjoint from the others'; the image must fit" {
  [ -n "$(subid_range)" ] || skip "the user has no subordinate ids (/etc/subuid)"
  local first count
  read -r first count < <(subid_range)
  run_podtool run -d --name a1 --userns auto $IMAGE sleep 100
  run_podtool run -d --name a2 --userns auto:size=2000 $IMAGE sleep 100
  run_podtool create --name a3 --userns auto $IMAGE true
  run_podtool exec a1 sh -c 'tr -s " " < /proc/self/uid_map; tr -s " " < /proc/self/gid_map; stat -c "%u %g" /home/app/owned.txt'
  assert_output " 0 $first 1024"$'\n'" 0 $first 1024"$'\n'"1000 1000"
  run_podtool exec a2 sh -c 'tr -s " " < /proc/self/uid_map'
  assert_output " 0 $((first + 1024)) 2000"
  run_podtool start a3
  run_podtool inspect --format '{{.HostConfig.UsernsMode}}' a3
  assert_output "auto:size=1024,at=3025"
  # a1's slice is free again once it is gone; a new one takes it.
  run_podtool rm -f a1
  run_podtool run --rm --userns auto $IMAGE sh -c 'tr -s " " < /proc/self/uid_map'
  assert_output " 0 $first 1024"
  # Files of the image beyond the slice: named, nothing runs.
  run_podtool 125 run --rm --userns auto:size=500 $IMAGE true
  assert_output_contains "belongs to uid 1000, which the container's --userns does not map (auto:size= can be larger)"
  # More than there is: named.
  run_podtool 125 run --rm --userns auto:size=$count $IMAGE true
  assert_output_contains "no $count ids are free"
}

@test "--hostuser: the host's passwd line for a name or uid, unless the image has that uid; unknown users named" {
  local me=$(id -u) name=$(id -un)
  run_podtool run --rm --hostuser "$name" --hostuser 0 $IMAGE sh -c "grep -c '^root:' /etc/passwd; grep '^$name:' /etc/passwd"
  assert_output "1"$'\n'"$(getent passwd "$me" | sed 's/^\([^:]*\):[^:]*:/\1:x:/')"
  run_podtool 125 run --rm --hostuser no-such-user-here $IMAGE true
  assert_output "Error: --hostuser no-such-user-here: no such user on the host"
}
