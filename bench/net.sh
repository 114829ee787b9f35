#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Networking against Podman 4.3.1 (slirp4netns, rootlessport) and pasta,
# same user and image, in one run, the configurations alternating round by
# round (ROUNDS, default 3; medians):
#  - TCP throughput with iperf3 (5 s, bounded): container -> host loopback,
#    and host -> container through a published port;
#  - `run --rm IMG true` with each tool's default network;
#  - the RSS of what a detached container with one published port adds on
#    the host: podtool's monitor + podtool-net (two threads)
#    against conmon + slirp4netns + rootlessport (+ child) + the pause
#    process.
# Only 127.0.0.1 and the containers' own addresses are used.
#   bench/net.sh [ROUNDS]
set -euo pipefail
rounds=${1:-3}
. "$(dirname "$0")/common.sh"
for t in podman iperf3 pasta; do
  command -v $t >/dev/null || { echo "$t is not installed (apt-get install podman iperf3 passt)" >&2; exit 1; }
done
bench_cleanup () {
  for n in ptn-srv ptn-rss; do podman rm -f -t 0 $n >/dev/null 2>&1 || true; done
  if [ -n "${hostsrv:-}" ]; then kill "$hostsrv" 2>/dev/null || true; fi
}
bench_store
for n in ptn-srv ptn-rss; do podman rm -f -t 0 $n >/dev/null 2>&1 || true; done
sh "$top/bench/make-iperf-image.sh" "$store/iperf.tar"
"${pt[@]}" import -q "$store/iperf.tar" ptiperf >/dev/null 2>&1 || "${pt[@]}" import "$store/iperf.tar" ptiperf >/dev/null
podman import -q "$store/iperf.tar" localhost/ptiperf >/dev/null
"${pt[@]}" load -q -i "$archive"
podman load -q -i "$archive" >/dev/null

# iperf3's JSON to Gbit/s received, or "failed" (its error on stderr).
gbits () { python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
    print("%.2f" % (d["end"]["sum_received"]["bits_per_second"] / 1e9))
except Exception as e:
    print("failed: %s" % (d.get("error", e) if "d" in dir() else e), file=sys.stderr)
    print("nan")'; }
median () { python3 -c 'import math,statistics,sys; v=[float(x) for x in sys.argv[1:] if not math.isnan(float(x))]; print("%.2f" % statistics.median(v) if v else "failed")' "$@"; }
declare -A res

# A host iperf3 server on 127.0.0.1 for container -> host.
iperf3 -s -B 127.0.0.1 -p 5301 >"$store/hostsrv.log" 2>&1 &
hostsrv=$!
sleep 0.5
c2h () { # NAME CMD...
  local name=$1; shift
  res[$name]+="$("$@" iperf3 -c 10.0.2.2 -p 5301 -t 5 -J | gbits) "
}
# host -> container through a published port: a server in the container.
h2c () { # NAME PORT START-CMD STOP-CMD
  local name=$1 port=$2 start=$3 stop=$4
  eval "$start" >/dev/null
  local i
  for i in $(seq 50); do [ "$name" = "h2c pasta" ] && { sleep 1; break; }
    timeout 5 iperf3 -c 127.0.0.1 -p "$port" -n 1K >/dev/null 2>&1 && break; sleep 0.2; done
  res[$name]+="$(timeout 30 iperf3 -c 127.0.0.1 -p "$port" -t 5 -J | gbits) "
  eval "$stop" >/dev/null 2>&1 || true
}
lo=$(iperf3 -c 127.0.0.1 -p 5301 -t 5 -J | gbits)
for r in $(seq "$rounds"); do
  c2h "c2h podtool" "${pt[@]}" run --rm --network slirp4netns:allow_host_loopback=true localhost/ptiperf
  c2h "c2h podman-slirp4netns" podman run --rm --network slirp4netns:allow_host_loopback=true,mtu=65520 localhost/ptiperf
  # pasta: -T maps the namespace's 127.0.0.1:5301 to the host's.
  res["c2h pasta(-T)"]+="$(pasta --config-net -T 5301 -- iperf3 -c 127.0.0.1 -p 5301 -t 5 -J | gbits) "
  h2c "h2c podtool" 5302 "${pt[*]} run -d --name ptn-srv -p 127.0.0.1:5302:5201 localhost/ptiperf iperf3 -s" "${pt[*]} rm -f ptn-srv"
  h2c "h2c podtool-slirp-handler" 5303 "${pt[*]} run -d --name ptn-srv --network slirp4netns:port_handler=slirp4netns -p 127.0.0.1:5303:5201 localhost/ptiperf iperf3 -s" "${pt[*]} rm -f ptn-srv"
  h2c "h2c podman-rootlessport" 5304 "podman run -d --name ptn-srv -p 127.0.0.1:5304:5201 localhost/ptiperf iperf3 -s" "podman rm -f -t 0 ptn-srv"
  h2c "h2c podman-slirp4netns-handler" 5305 "podman run -d --name ptn-srv --network slirp4netns:port_handler=slirp4netns,mtu=65520 -p 127.0.0.1:5305:5201 localhost/ptiperf iperf3 -s" "podman rm -f -t 0 ptn-srv"
  # One test, then pasta and its server end (a probe would use it up).
  pasta --config-net -t 5306:5201 -- iperf3 -s -1 >/dev/null 2>&1 &
  pasta_pid=$!
  h2c "h2c pasta" 5306 "true" "wait $pasta_pid"
done
printf '%-34s %8s\n' "TCP throughput, Gbit/s (median)" ""
printf '%-34s %8s\n' "host loopback (iperf3 alone)" "$lo"
for k in "c2h podtool" "c2h podman-slirp4netns" "c2h pasta(-T)" "h2c podtool" "h2c podtool-slirp-handler" \
  "h2c podman-rootlessport" "h2c podman-slirp4netns-handler" "h2c pasta"; do
  printf '%-34s %8s   (%s)\n' "$k" "$(median ${res[$k]})" "${res[$k]% }"
done

python3 "$top/bench/alternate.py" 20 "run --rm, default network" 0.15 \
  podtool "${pt[*]} run --rm $image true" podman "podman run --rm $image true"

# RSS of the helpers of one detached container with one published port.
"${pt[@]}" run -d --name ptn-rss -p 127.0.0.1:5310:80 "$image" sleep 1000 >/dev/null
podman run -d --name ptn-rss -p 127.0.0.1:5311:80 "$image" sleep 1000 >/dev/null
sleep 1
rss () { awk '/^VmRSS/ {s+=$2} END {print s+0}' "$@" 2>/dev/null; }
tree_rss () { # root pids...: they and their descendants, from /proc
  local all=() p
  local queue=("$@")
  while [ ${#queue[@]} -gt 0 ]; do
    p=${queue[0]}; queue=("${queue[@]:1}")
    all+=("$p")
    for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do queue+=("$c"); done
  done
  local files=()
  for p in "${all[@]}"; do files+=("/proc/$p/status"); done
  rss "${files[@]}"
}
ptc=$(sed -n 's/.*"pid": \([0-9]*\).*/\1/p' "$store"/run/containers/*/state.json | head -1)
ptmon=$(awk '{print $4}' /proc/"$ptc"/stat)
pt_total=$(( $(tree_rss "$ptmon") - $(tree_rss "$ptc") ))
pmc=$(podman inspect --format '{{.State.Pid}}' ptn-rss)
pmmon=$(awk '{print $4}' /proc/"$pmc"/stat)
helpers=$(pgrep -u "$(id -u)" -f 'slirp4netns|rootlessport|podman pause|catatonit' || true)
pm_total=$(( $(tree_rss "$pmmon") - $(tree_rss "$pmc") + $(rss $(for p in $helpers; do echo /proc/$p/status; done) /dev/null) ))
echo "RSS beside the container, one published port: podtool $pt_total kB (monitor + podtool-net), podman $pm_total kB (conmon + slirp4netns + rootlessport + pause); ratio $(python3 -c "print('%.3f' % ($pt_total/$pm_total))") (target 0.25)"
