"""Summarise a py-spy raw (collapsed stacks) profile: the functions with the most samples,
counted once per stack (inclusive) and at the top of the stack (self).

    python -m bench.hotspots bench/results/profile-app-eventlet-1w.txt [N] [filter]
"""
from __future__ import annotations

import sys
from collections import Counter


def main() -> None:
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    only = sys.argv[3] if len(sys.argv) > 3 else ""
    inclusive, own, total = Counter(), Counter(), 0
    for line in open(path):
        stack, _, n = line.rstrip().rpartition(" ")
        n = int(n)
        total += n
        frames = stack.split(";")
        for f in set(frames):
            if only in f:
                inclusive[f] += n
        own[frames[-1]] += n
    print(f"{total} samples\n-- inclusive")
    for f, n in inclusive.most_common(top):
        print(f"{100 * n / total:5.1f}%  {f}")
    print("-- self")
    for f, n in own.most_common(top):
        print(f"{100 * n / total:5.1f}%  {f}")


if __name__ == "__main__":
    main()
