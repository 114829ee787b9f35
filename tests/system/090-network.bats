#!/usr/bin/env bats
# Networking: slirp4netns (tap0, podtool-net), none, host, published ports,
# resolv.conf and hosts. Traffic goes only to 127.0.0.1 and the container's
# own addresses.

load helpers

setup () {
  skip_if_root
  skip_if_no_userns
  [ -c /dev/net/tun ] || skip "/dev/net/tun is missing: slirp4netns networking needs it"
  pt_new_store "$BATS_TEST_TMPDIR"
}

teardown () {
  pt rm -a -f >/dev/null 2>&1 || true
  pt_cleanup "$BATS_TEST_TMPDIR"
}

serve_dir () {
  mkdir -p "$BATS_TEST_TMPDIR/www"
  echo "$1" > "$BATS_TEST_TMPDIR/www/index.html"
}

@test "the default network: tap0 10.0.2.100/24, MTU 65520, routed through 10.0.2.2, DNS at 10.0.2.3" {
  run_podtool run --rm $IMAGE sh -c 'ip -o -4 addr show tap0; cat /sys/class/net/tap0/mtu; ip route; cat /etc/resolv.conf'
  assert_output_contains "inet 10.0.2.100/24"
  assert_output_contains $'\n65520\n'
  assert_output_contains "default via 10.0.2.2 dev tap0"
  assert_output_contains "nameserver 10.0.2.3"
  run_podtool run --rm --network slirp4netns:mtu=1500,cidr=10.5.0.0/24,enable_ipv6=true $IMAGE \
    sh -c 'ip -o addr show tap0; cat /sys/class/net/tap0/mtu; ip route; cat /etc/resolv.conf'
  assert_output_contains "inet 10.5.0.100/24"
  assert_output_contains "inet6 fd00::100/64"
  assert_output_contains $'\n1500\n'
  assert_output_contains "default via 10.5.0.2"
  assert_output_contains "nameserver 10.5.0.3"
  assert_output_contains "nameserver fd00::3"
  run_podtool inspect --format '{{.HostConfig.NetworkMode}}' "$(pt ps -aq | head -1)" || true
}

@test "--network none has only lo and no route; host sees the host's links" {
  run_podtool run --rm --network none $IMAGE sh -c 'ls /sys/class/net; ip route | wc -l'
  assert_output $'lo\n0'
  run_podtool run --rm --network host $IMAGE ls /sys/class/net
  assert_equal "$output" "$(ls /sys/class/net)"
  run_podtool run --rm --network host $IMAGE cat /etc/resolv.conf
  assert_equal "$output" "$(grep -E '^(nameserver|search|options)' /etc/resolv.conf)"
  run_podtool run -d --name h --network host $IMAGE sleep 100
  run_podtool exec h ls /sys/class/net
  assert_equal "$output" "$(ls /sys/class/net)"
  run_podtool inspect --format '{{.HostConfig.NetworkMode}}' h
  assert_output "host"
}

@test "a published port serves the container's httpd to the host; port, ps and inspect show it" {
  serve_dir "hello from the container"
  local port
  port=$(free_port)
  run_podtool run -d --name web -p "$port:80" -v "$BATS_TEST_TMPDIR/www:/www:ro" $IMAGE httpd -f -p 80 -h /www
  run http_get "$port"
  assert_output "hello from the container"
  run_podtool port web
  assert_output "80/tcp -> 0.0.0.0:$port"
  run_podtool port web 80
  assert_output "0.0.0.0:$port"
  run_podtool 125 port web 81
  run_podtool ps --format '{{.Ports}}'
  assert_output "0.0.0.0:$port->80/tcp"
  run_podtool inspect --format '{{json .NetworkSettings.Ports}} {{json .HostConfig.PortBindings}}' web
  assert_output "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"$port\"}]} {\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"$port\"}]}"
  # exec joins the same network namespace.
  run_podtool exec web ip -o -4 addr show tap0
  assert_output_contains "10.0.2.100/24"
}

@test "stop frees a published port, start binds it again; a clash is one line before the container starts" {
  serve_dir "again"
  local port
  port=$(free_port)
  run_podtool run -d --name web -p "127.0.0.1:$port:80" -v "$BATS_TEST_TMPDIR/www:/www:ro" $IMAGE httpd -f -p 80 -h /www
  run http_get "$port"
  assert_output "again"
  run_podtool 125 run --rm -p "127.0.0.1:$port:80" $IMAGE true
  assert_output "Error: rootlessport listen tcp 127.0.0.1:$port: bind: Address already in use"
  run_podtool stop -t 1 web
  python3 -c "import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', $port))"
  run_podtool start web
  run http_get "$port"
  assert_output "again"
  # A port taken by someone else between create and start: the start fails, in one line.
  run_podtool stop -t 1 web
  python3 -c "import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', $port)); s.listen(); time.sleep(4)" &
  wait_listening "$port"
  run_podtool 125 start web
  assert_output_contains "$port"
  [ "${#lines[@]}" -eq 1 ]
  wait
}

@test "port_handler=slirp4netns forwards through the slirp stack: the container sees the gateway" {
  serve_dir "through slirp"
  local port
  port=$(free_port)
  run_podtool run -d --name web -p "$port:80" --network slirp4netns:port_handler=slirp4netns \
    -v "$BATS_TEST_TMPDIR/www:/www:ro" $IMAGE httpd -f -vv -p 80 -h /www
  run http_get "$port"
  assert_output "through slirp"
  run_podtool logs web
  assert_output_contains "10.0.2.2"
}

@test "a port below net.ipv4.ip_unprivileged_port_start is refused, naming the sysctl" {
  local low
  low=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)
  [ "$low" -gt 1 ] || skip "this machine lets users bind every port (ip_unprivileged_port_start = $low)"
  run_podtool 125 run --rm -p "$((low - 1)):80" $IMAGE true
  assert_output_contains "net.ipv4.ip_unprivileged_port_start"
}

@test "port ranges, -p CTRPORT, UDP, and -P with the image's ExposedPorts" {
  command -v gcc >/dev/null || skip "gcc is needed to build the UDP echo server"
  mkdir -p "$BATS_TEST_TMPDIR/bin"
  gcc -static -O2 -o "$BATS_TEST_TMPDIR/bin/udp-echo" "$PODTOOL_SRCDIR/tests/helpers/udp-echo.c"
  local p1 p2
  p1=$(free_port)
  p2=$((p1 + 1))
  run_podtool create --name r -p "$p1-$p2:80-81" -p 90 -p "127.0.0.1::9000/udp" $IMAGE true
  run_podtool port r
  [ "${#lines[@]}" -eq 4 ]
  assert_output_contains "80/tcp -> 0.0.0.0:$p1"
  assert_output_contains "81/tcp -> 0.0.0.0:$p2"
  [[ "$output" =~ 90/tcp\ -\>\ 0.0.0.0:[0-9]+ ]]
  [[ "$output" =~ 9000/udp\ -\>\ 127.0.0.1:[0-9]+ ]]
  pt rm r >/dev/null
  # UDP through a published port.
  local u
  u=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  run_podtool run -d --name udp -p "127.0.0.1:$u:9000/udp" -v "$BATS_TEST_TMPDIR/bin:/b:ro" $IMAGE /b/udp-echo 9000
  run python3 - "$u" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
for i in range(20):
    s.sendto(b"ping", ("127.0.0.1", int(sys.argv[1])))
    try:
        print(s.recvfrom(100)[0].decode())
        sys.exit(0)
    except socket.timeout:
        pass
sys.exit(1)
PY
  assert_output "echo: ping"
  # -P: an image that exposes 8080/tcp.
  local a=$BATS_TEST_TMPDIR/exp
  mkdir -p "$a"
  tar -C "$a" -xf "$(pt_image_dir)/busybox-docker.tar"
  EXPOSED='{"8080/tcp":{}}' sh "$PODTOOL_SRCDIR/tests/helpers/make-docker-archive.sh" "$BATS_TEST_TMPDIR/exp.tar" \
    localhost/exposing:latest "$a"/*[0-9a-f].tar
  run_podtool load -i "$BATS_TEST_TMPDIR/exp.tar"
  serve_dir "published by -P"
  run_podtool run -d --name all -P --expose 7000 -v "$BATS_TEST_TMPDIR/www:/www:ro" localhost/exposing httpd -f -p 8080 -h /www
  run_podtool port all 8080
  [[ "$output" =~ ^0.0.0.0:([0-9]+)$ ]]
  local hp=${BASH_REMATCH[1]}
  run_podtool port all 7000
  [[ "$output" =~ ^0.0.0.0:[0-9]+$ ]]
  run http_get "$hp"
  assert_output "published by -P"
}

@test "the host's loopback is reached only with allow_host_loopback=true, as 10.0.2.2 and host.containers.internal" {
  serve_dir "from the host"
  local port
  port=$(free_port)
  python3 -m http.server "$port" --bind 127.0.0.1 --directory "$BATS_TEST_TMPDIR/www" >/dev/null 2>&1 3>&- &
  local srv=$!
  wait_listening "$port"
  # (busybox wget -T crashes on a refused connection: no -T here.)
  run pt run --rm --network slirp4netns:allow_host_loopback=true $IMAGE \
    sh -c "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://10.0.2.2:$port/ && break; sleep 0.3; done; grep host.containers.internal /etc/hosts"
  local ok=$output
  run pt run --rm $IMAGE sh -c "wget -q -O - http://10.0.2.2:$port/ || echo unreachable; grep -c host.containers.internal /etc/hosts"
  local refused=$output
  kill $srv
  output=$ok
  assert_output_contains "from the host"
  assert_output_contains $'10.0.2.2\thost.containers.internal'
  output=$refused
  assert_output_contains "unreachable"
  assert_output_not_contains "from the host"
}

@test "outbound_addr=IP|IFACE is where the container's connections come from on the host" {
  local port
  port=$(free_port)
  # A server that answers each connection with the address it came from.
  python3 -c "
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $port)); s.listen()
while True:
    c, a = s.accept(); c.recv(4096)
    c.sendall(b'HTTP/1.0 200 OK\\r\\n\\r\\nfrom ' + a[0].encode() + b'\\n'); c.close()
" 3>&- &
  local srv=$!
  wait_listening "$port"
  local get="for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://10.0.2.2:$port/ && break; sleep 0.3; done"
  run pt run --rm --network slirp4netns:allow_host_loopback=true,outbound_addr=127.0.0.2 $IMAGE sh -c "$get"
  local by_addr=$output
  run pt run --rm --network slirp4netns:allow_host_loopback=true,outbound_addr=lo $IMAGE sh -c "$get"
  local by_iface=$output
  kill $srv
  output=$by_addr
  assert_output "from 127.0.0.2"
  output=$by_iface
  assert_output "from 127.0.0.1"
  run_podtool 125 run --rm --network slirp4netns:outbound_addr=nosuch0 $IMAGE true
  assert_output "Error: slirp4netns option outbound_addr=nosuch0: neither an IPv4 address nor an interface of this host with one"
  run_podtool 125 run --rm --network slirp4netns:outbound_addr6=10.0.0.1 $IMAGE true
  assert_output_contains "neither an IPv6 address"
}

@test "--add-host, --dns, --dns-search, --dns-option and --no-hosts land in the files" {
  run_podtool run --rm --name named --hostname hn --add-host db:10.1.2.3 --add-host gw:host-gateway \
    --dns 10.0.2.3 --dns-search example.com --dns-option ndots:2 $IMAGE sh -c 'cat /etc/hosts /etc/resolv.conf'
  assert_output_contains $'10.1.2.3\tdb'
  assert_output_contains $'10.0.2.2\tgw'
  assert_output_contains $'10.0.2.100\thn named'
  assert_output_contains "search example.com"
  assert_output_contains "nameserver 10.0.2.3"
  assert_output_contains "options ndots:2"
  run_podtool 1 run --rm --no-hosts $IMAGE cat /etc/hosts
  assert_output_contains "No such file or directory"
  run_podtool 125 run --rm --add-host 'bad name:1.2.3.4' $IMAGE true
}

@test "kill -9 of the monitor leaves no network helper and no bound port behind" {
  local port
  port=$(free_port)
  run_podtool run -d --name k -p "127.0.0.1:$port:80" $IMAGE sleep 100
  local mon helper
  mon=$(sed -n 's/.*"monitor_pid": \([0-9]*\).*/\1/p' "$PT_RUNROOT"/containers/*/state.json)
  helper=$(pgrep -P "$mon" -f podtool-net)
  [ -n "$helper" ]
  kill -9 "$mon"
  local i
  for i in $(seq 50); do
    kill -0 "$helper" 2>/dev/null || break
    sleep 0.1
  done
  ! kill -0 "$helper" 2>/dev/null
  python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', $port)); s.listen()"
}

@test "a network helper that dies leaves the container running, and it still stops and starts" {
  local port
  port=$(free_port)
  run_podtool run -d --name h -p "127.0.0.1:$port:80" $IMAGE sleep 100
  local mon helper i
  mon=$(sed -n 's/.*"monitor_pid": \([0-9]*\).*/\1/p' "$PT_RUNROOT"/containers/*/state.json)
  helper=$(pgrep -P "$mon" -f podtool-net)
  kill -9 "$helper"
  # Reaped by the monitor: no zombie stays beside the container.
  for i in $(seq 50); do
    [ "$(ps -o stat= --ppid "$mon" | grep -c Z)" = 0 ] && ! kill -0 "$helper" 2>/dev/null && break
    sleep 0.1
  done
  [ "$(ps -o stat= --ppid "$mon" | grep -c Z)" = 0 ]
  ! kill -0 "$helper" 2>/dev/null
  run_podtool inspect --format '{{.State.Status}}' h
  assert_output "running"
  run_podtool stop -t 0 h
  run_podtool start h
  run_podtool exec h ip -o -4 addr show tap0
  assert_output_contains "10.0.2.100/24"
  [ -n "$(pgrep -f podtool-net)" ]
}

@test "the network helper holds nothing: no capability, no new privileges, seccomp, not dumpable, one thread per job" {
  local port
  port=$(free_port)
  run_podtool run -d --name s -p "127.0.0.1:$port:80" $IMAGE sleep 100
  local mon helper t
  mon=$(sed -n 's/.*"monitor_pid": \([0-9]*\).*/\1/p' "$PT_RUNROOT"/containers/*/state.json)
  helper=$(pgrep -P "$mon" -f podtool-net)
  [ -n "$helper" ]
  # The stack and the port handler's socket maker are its two threads.
  [ "$(awk '/^Threads:/ {print $2}' /proc/$helper/status)" = 2 ]
  for t in /proc/$helper/task/*; do
    run grep -E '^(CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' $t/status
    assert_output_contains "CapPrm:	0000000000000000"
    assert_output_contains "CapEff:	0000000000000000"
    assert_output_contains "CapBnd:	0000000000000000"
    assert_output_contains "NoNewPrivs:	1"
    assert_output_contains "Seccomp:	2"
  done
  # Not dumpable: the user (and so the container's root) cannot read its
  # memory, its fds or its root (a tmpfs with only the host's /etc).
  ! cat /proc/$helper/environ >/dev/null 2>&1
  ! ls /proc/$helper/fd/ >/dev/null 2>&1
}

@test "--network container:web shares web's addresses and ports" {
  serve_dir "shared"
  local port
  port=$(free_port)
  run_podtool run -d --name web -p "$port:80" $IMAGE sleep 100
  run_podtool run -d --name side --network container:web -v "$BATS_TEST_TMPDIR/www:/www:ro" $IMAGE httpd -f -p 80 -h /www
  run http_get "$port"
  assert_output "shared"
  run_podtool exec side ip -o -4 addr show tap0
  assert_output_contains "10.0.2.100/24"
  run_podtool exec web wget -q -O - http://127.0.0.1:80/
  assert_output "shared"
  run_podtool inspect --format '{{.HostConfig.NetworkMode}}' side
  assert_output "container:$(pt inspect --format '{{.Id}}' web)"
  run_podtool 125 run --rm --network container:web -p 9999:80 $IMAGE true
  assert_output_contains "cannot set port bindings"
  # A stopped web is started first, as Podman starts a container's dependencies.
  run_podtool stop -t 0 web
  run_podtool run --rm --network container:web $IMAGE true
  run_podtool inspect --format '{{.State.Status}}' web
  assert_output "running"
  run_podtool 125 run --rm --network container:nosuch $IMAGE true
}

@test "--network ns:PATH joins a network namespace of the user's, and refuses the host's" {
  run_podtool run -d --name web $IMAGE sleep 100
  local pid
  pid=$(pt inspect --format '{{.State.Pid}}' web)
  run_podtool run --rm --network "ns:/proc/$pid/ns/net" $IMAGE ip -o -4 addr show tap0
  assert_output_contains "10.0.2.100/24"
  # One made in `podtool unshare`: only its lo. (unshare -n execs sleep
  # in the same process, so the pid the shell wrote is the holder's.)
  pt unshare sh -c "echo \$\$ > $BATS_TEST_TMPDIR/holder; exec unshare -n sleep 100" 3>&- &
  local ns="" i
  for i in $(seq 50); do
    ns=$(cat "$BATS_TEST_TMPDIR/holder" 2>/dev/null || true)
    [ -n "$ns" ] && [ "$(readlink /proc/$ns/exe 2>/dev/null)" = "$(command -v sleep)" ] && break
    sleep 0.1
  done
  [ "$(readlink /proc/$ns/ns/net)" != "$(readlink /proc/self/ns/net)" ]
  run_podtool run --rm --network "ns:/proc/$ns/ns/net" $IMAGE ip -o link
  assert_output_contains "lo:"
  assert_output_not_contains "tap0"
  run_podtool run -d --name joined --network "ns:/proc/$ns/ns/net" $IMAGE sleep 100
  run_podtool inspect --format '{{.HostConfig.NetworkMode}}' joined
  assert_output "ns:/proc/$ns/ns/net"
  kill "$ns"
  run_podtool 125 run --rm --network ns:/proc/self/ns/net $IMAGE true
  assert_output_contains "belongs to the host's user namespace"
  run_podtool 125 run --rm --network ns:/etc/hostname $IMAGE true
  assert_output "Error: /etc/hostname is not a network namespace"
  run_podtool 125 run --rm --network ns:/nonexistent $IMAGE true
  assert_output_contains "/nonexistent"
  run_podtool 125 run --rm --network ns:relative $IMAGE true
  assert_output_contains "absolute path"
}

@test "enable_ipv6: fd00::100/64 at once, routed through fd00::2, which answers; ICMP sockets open to the container's root (Podman's ping_group_range)" {
  run_podtool run --rm --cap-add NET_RAW --network slirp4netns:enable_ipv6=true $IMAGE \
    sh -c 'ip -6 addr show tap0; ip -6 route; ping -6 -c1 -W5 fd00::2'
  assert_output_contains "inet6 fd00::100/64 scope global"
  assert_output_not_contains "tentative"
  assert_output_contains "default via fd00::2 dev tap0"
  assert_output_contains "1 packets received"
  run_podtool run --rm $IMAGE ip -6 route
  assert_output_not_contains "fd00::2"
  # Podman's default sysctl: unprivileged ICMP sockets for the container's root.
  run_podtool run --rm $IMAGE cat /proc/sys/net/ipv4/ping_group_range
  assert_output $'0\t0'
  run_podtool run --rm --network none $IMAGE cat /proc/sys/net/ipv4/ping_group_range
  assert_output $'0\t0'
}

@test "DNS at 10.0.2.3 answers from the host's resolver, a loopback one too (a name of its hosts file)" {
  python3 -c 'import dnslib' 2>/dev/null || skip "python3-dnslib is missing (apt-get install python3-dnslib)"
  grep -q '^\(root\|0\):' /etc/subuid 2>/dev/null && skip "root has subordinate ids: no single-id user to test with"
  # The host here: a user and network namespace of our own (so port 53 is
  # ours on its 127.0.0.1), whose /etc/resolv.conf names a resolver there
  # that knows the names of its hosts file. podtool runs in it as a user
  # without subordinate ids; its net helper reads that resolv.conf.
  local d=$BATS_TEST_TMPDIR
  printf '10.9.8.7\tpt-named.test\n' > "$d/hosts"
  printf 'nameserver 127.0.0.1\n' > "$d/resolv.conf"
  local img
  img=$(pt_image_dir)
  run unshare -Urnm sh -c '
    d=$1 podtool=$2 img=$3 helper=$4
    ip link set lo up && mount --bind "$d/resolv.conf" /etc/resolv.conf || exit 99
    python3 "$helper" 127.0.0.1 "$d/hosts" "$d/ready" &
    for i in $(seq 50); do [ -f "$d/ready" ] && break; sleep 0.1; done
    p="$podtool --root $d/r2 --runroot $d/run2"
    $p load -q -i "$img/busybox-docker.tar" >/dev/null 2>&1
    $p run --rm '"$IMAGE"' sh -c "nslookup pt-named.test 10.0.2.3; nslookup pt-missing.test 10.0.2.3"
    kill $!' sh "$d" "$PODTOOL" "$img" "$PODTOOL_SRCDIR/tests/helpers/dns-server.py"
  echo "$output"
  assert_output_contains "Address: 10.9.8.7"
  assert_output_contains "NXDOMAIN"
  rm -rf "$d/r2" "$d/run2"
}

