"""The production entry point holds more connections than the usual open-files soft limit allows.

gunicorn is started the way a shell with the common default would start it (soft limit 1024);
1,500 clients connect and stay connected; the worker holds them all and still answers a new
request. Without facilitator.startup.raise_open_files the worker runs out of file descriptors
at about a thousand connections."""
from __future__ import annotations

import os
import resource
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from ..e2e.conftest import ROOT, SCRUBBED, free_port, run_flask, stop, wait_until_serving
from .cluster import GUNICORN, Worker

pytestmark = pytest.mark.system

HELD = 1500


def test_a_worker_holds_more_connections_than_the_default_soft_limit(tmp_path):
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard != resource.RLIM_INFINITY:
        assert hard >= 2 * HELD + 400, "this test needs a hard open-files limit of at least 3400"
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update({"HOST": "127.0.0.1", "PORT": str(free_port()), "FACILITATOR_INSTANCE": str(tmp_path),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'files.sqlite3'}", "SECRET_KEY": "open-files-test",
                "PYTHONUNBUFFERED": "1", "MAX_CONNECTIONS": "5000"})
    run_flask(env, "db", "upgrade")
    err = tmp_path / "gunicorn.err"

    def default_soft_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))

    with open(err, "wb") as fh:
        proc = subprocess.Popen([GUNICORN, "-c", "python:facilitator.gunicorn_conf", "facilitator.wsgi:app"],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=fh, stdin=subprocess.DEVNULL,
                                preexec_fn=default_soft_limit)
    url = f"http://127.0.0.1:{env['PORT']}"
    clients: list[socket.socket] = []
    try:
        wait_until_serving(proc, url + "/", err)
        worker = Worker(env, tmp_path)
        worker.proc = proc
        pid = worker.worker_pid()
        limits = Path(f"/proc/{pid}/limits").read_text()
        soft = int(next(line for line in limits.splitlines() if line.startswith("Max open files")).split()[3])
        assert soft >= 5000, limits

        for _ in range(HELD):  # each sends half a request, so the worker keeps it open waiting
            s = socket.create_connection(("127.0.0.1", int(env["PORT"])), timeout=10)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            clients.append(s)

        def held_sockets() -> int:
            fds = Path(f"/proc/{pid}/fd")
            count = 0
            for fd in fds.iterdir():
                try:
                    count += os.readlink(fd).startswith("socket:")
                except OSError:
                    continue
            return count

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and held_sockets() < HELD:
            time.sleep(0.2)
        assert held_sockets() >= HELD
        assert requests.get(url + "/", timeout=10).status_code == 200  # and it still serves
        assert proc.poll() is None and "Too many open files" not in err.read_text(errors="replace")
    finally:
        for s in clients:
            s.close()
        stop(proc)
