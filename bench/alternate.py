#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Times two commands run alternately (A, B, A, B, ...), so that both see
the same machine, and prints each one's median, min and max, and the ratio
of the medians A/B.

    alternate.py RUNS LABEL TARGET NAME_A CMD_A NAME_B CMD_B

CMD_A and CMD_B are shell words (shlex); TARGET is printed beside the ratio
("-" for none). Any failed run stops it with the command's error."""
import shlex
import statistics
import subprocess
import sys
import time


def main():
    runs, label, target = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    cmds = {sys.argv[4]: shlex.split(sys.argv[5]), sys.argv[6]: shlex.split(sys.argv[7])}
    times = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            t = time.perf_counter()
            r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            times[name].append((time.perf_counter() - t) * 1000)
            if r.returncode != 0:
                sys.exit(f"{label}: {name} failed: {r.stderr.decode().strip()}")
    med = {name: statistics.median(v) for name, v in times.items()}
    for name, v in times.items():
        print(f"{label} {name:8s} median {med[name]:7.1f} ms   min {min(v):7.1f}   "
              f"max {max(v):7.1f}   ({len(v)} runs)")
    a, b = list(cmds)
    goal = "" if target == "-" else f"  (target <= {target})"
    print(f"{label} ratio {a}/{b} = {med[a] / med[b]:.3f}{goal}")


if __name__ == "__main__":
    main()
