"""A server process raises its own open-files limit to hold MAX_CONNECTIONS sockets
(facilitator.startup.raise_open_files), checked in fresh interpreters started with low limits."""
from __future__ import annotations

import resource
import subprocess
import sys

PROBE = ("import resource; from facilitator.startup import raise_open_files; "
         "print(*raise_open_files({n})); print(*resource.getrlimit(resource.RLIMIT_NOFILE))")


def run_with_limits(soft: int, hard: int, connections: int) -> subprocess.CompletedProcess:
    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))

    return subprocess.run([sys.executable, "-c", PROBE.format(n=connections)], preexec_fn=limit,
                          capture_output=True, text=True, timeout=60)


def _hard() -> int:
    return resource.getrlimit(resource.RLIMIT_NOFILE)[1]


def test_the_soft_limit_is_raised_to_what_the_connections_need():
    hard = _hard()
    if hard != resource.RLIM_INFINITY:
        assert hard >= 5200, "this test needs a hard limit of at least 5200 open files"
    out = run_with_limits(1024, hard, 5000)
    assert out.returncode == 0, out.stderr
    returned, in_force = out.stdout.splitlines()
    assert returned == in_force == f"5200 {hard}"
    assert "open-files limit" not in out.stderr


def test_a_limit_already_high_enough_is_left_alone():
    hard = _hard()
    out = run_with_limits(6000, hard, 1000)
    assert out.stdout.splitlines()[1] == f"6000 {hard}"


def test_a_hard_limit_too_low_is_used_in_full_and_said_at_start():
    out = run_with_limits(256, 1500, 5000)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[1] == "1500 1500"
    assert "open-files limit 1500 is below the 5200 this process needs for MAX_CONNECTIONS=5000" in out.stderr
