"""A small cluster for fault tests: gunicorn workers (the production entry point) sharing one
PostgreSQL database and a Redis channel of their own, one live meeting, and helpers to put
people and a facilitator on chosen workers."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

from ..e2e.conftest import ROOT, SCRUBBED, free_port, run_flask, stop, wait_until_serving
from .test_restart import call, connect, csrf_session

PASSWORD = "correct horse battery"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


class Worker:
    """One gunicorn process (master + one eventlet worker) on its own port."""

    def __init__(self, env: dict, tmp_path: Path):
        self.env, self.tmp_path, self.proc, self.runs = env, tmp_path, None, 0
        self.url = f"http://127.0.0.1:{env['PORT']}"

    def start(self) -> None:
        self.runs += 1
        err = self.tmp_path / f"gunicorn-{self.env['PORT']}-{self.runs}.err"
        with open(err, "wb") as fh:
            self.proc = subprocess.Popen([GUNICORN, "-c", "python:facilitator.gunicorn_conf", "facilitator.wsgi:app"],
                                         cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=fh,
                                         stdin=subprocess.DEVNULL)
        self.err = err
        wait_until_serving(self.proc, self.url + "/", err)

    def worker_pid(self) -> int:
        """The pid of the process serving requests (gunicorn's one worker, a child of the master)."""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
            if children:
                return int(children[0])
            time.sleep(0.1)
        raise AssertionError("gunicorn has no worker")

    def kill_worker(self) -> int:
        """SIGKILL the serving process: no clean shutdown, nothing more written. The master
        notices and boots a fresh worker on the same port, as it would in production."""
        pid = self.worker_pid()
        os.kill(pid, signal.SIGKILL)
        return pid

    def wait_serving(self) -> None:
        wait_until_serving(self.proc, self.url + "/", self.err)

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)


class Cluster:
    """`n` workers on one scratch database (and one Redis channel when n > 1), a facilitator
    account and one live meeting."""

    def __init__(self, database_url: str, tmp_path: Path, n: int = 2, *, worker_database_url: str | None = None,
                 env: dict | None = None):
        self.tmp_path = tmp_path
        self.channel = f"facilitator-test-{uuid.uuid4().hex[:8]}"
        base = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
        base.update({"HOST": "127.0.0.1", "FACILITATOR_INSTANCE": str(tmp_path), "DATABASE_URL": database_url,
                     "SECRET_KEY": "cluster-test-secret", "PYTHONUNBUFFERED": "1"})
        if n > 1:
            base.update({"FACILITATOR_WORKERS": str(n), "SOCKETIO_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0",
                         "SOCKETIO_CHANNEL": self.channel})
        base.update(env or {})
        self.base = base
        run_flask(base, "db", "upgrade")
        run_flask(base, "create-facilitator", "fac@example.org", "Fran", "--password", PASSWORD)
        self.api_token = run_flask(base, "create-api-token", "fac@example.org", "cluster").stdout.strip()
        self.workers: list[Worker] = []
        for _ in range(n):
            env = dict(base, PORT=str(free_port()), DATABASE_URL=worker_database_url or database_url)
            worker = Worker(env, tmp_path)
            worker.start()
            self.workers.append(worker)
        self.clients: list = []
        self.meeting: dict = {}
        self.fac_http: requests.Session | None = None

    def api(self, method: str, path: str, worker: int = 0, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.api_token}"}
        return requests.request(method, self.workers[worker].url + path, headers=headers, timeout=10, **kwargs)

    def open_meeting(self, title: str) -> dict:
        self.meeting = self.api("POST", "/api/v1/meetings", json={"title": title}).json()
        r = self.api("POST", f"/api/v1/meetings/{self.meeting['id']}/state", json={"state": "live"})
        assert r.status_code == 200, r.text
        return self.meeting

    def join(self, name: str, worker: int) -> str:
        """A participant joins through `worker`; returns their token."""
        url = self.workers[worker].url + f"/j/{self.meeting['join_code']}"
        s, csrf = csrf_session(url)
        r = s.post(url, json={"display_name": name}, headers={"X-CSRFToken": csrf}, timeout=10)
        assert r.status_code == 201, r.text
        return r.json()["token"]

    def participant(self, token: str, worker: int, *, enter: bool = False):
        """Connect a participant to `worker` (accepting the rules first when `enter`); returns
        the client, the list its events arrive in, and its snapshot after `sync`."""
        client, received = connect(self.workers[worker].url, {"token": token})
        self.clients.append(client)
        snap = call(client, "sync")["snapshot"]
        if enter:
            assert call(client, "rules.ack", {"version": snap["rules"]["version"]})["ok"]
            snap = call(client, "sync")["snapshot"]  # inside now: the connection joins the meeting's rooms
        return client, received, snap

    def facilitator(self, worker: int):
        url = self.workers[worker].url
        if self.fac_http is None:
            self.fac_http, csrf = csrf_session(url + "/login")
            self.fac_http.post(url + "/login", data={"email": "fac@example.org", "password": PASSWORD,
                                                     "csrf_token": csrf}, timeout=10)
        client, received = connect(url, {"meeting_id": self.meeting["id"]}, http_session=self.fac_http)
        self.clients.append(client)
        return client, received

    def participant_ids(self) -> dict[str, int]:
        """Display name -> participant id, from the facilitator's view over the REST API."""
        r = self.api("GET", f"/api/v1/meetings/{self.meeting['id']}/participants")
        assert r.status_code == 200, r.text
        return {p["name"]: p["id"] for p in r.json()}

    def close(self) -> None:
        for client in self.clients:
            try:
                client.disconnect()
            except Exception:
                pass
        for worker in self.workers:
            worker.stop()


def wait_for(pred, timeout: float = 15, step: float = 0.1) -> bool:
    """Poll `pred()` until it is true or `timeout` seconds pass; returns its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(step)
    return bool(pred())


def in_order(received: list, stream: str) -> list[int]:
    """The seq numbers a client got on one stream, which must be strictly increasing."""
    seqs = [e["seq"] for e in received if e["stream"] == stream]
    assert seqs == sorted(set(seqs)), seqs
    return seqs
