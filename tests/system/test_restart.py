"""Counts survive a crash: the real server on PostgreSQL is killed with SIGKILL mid-session and
started again; the queue, the open turn and every closed turn are still there, and clients that
reconnect are the same people."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest
import requests
import socketio

from ..e2e.conftest import ROOT, SCRUBBED, free_port, run_flask, stop, wait_until_serving

pytestmark = pytest.mark.system
PG_ADMIN = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


class Server:
    def __init__(self, env, tmp_path):
        self.env, self.tmp_path, self.proc, self.runs = env, tmp_path, None, 0
        self.url = f"http://127.0.0.1:{env['PORT']}"

    def start(self):
        self.runs += 1
        err = self.tmp_path / f"server{self.runs}.err"
        with open(err, "wb") as fh:
            self.proc = subprocess.Popen([sys.executable, "-m", "facilitator.serve"], cwd=ROOT, env=self.env,
                                         stdout=subprocess.DEVNULL, stderr=fh, stdin=subprocess.DEVNULL)
        wait_until_serving(self.proc, self.url + "/", err)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)


def csrf_session(url: str) -> tuple[requests.Session, str]:
    s = requests.Session()
    page = s.get(url, timeout=10)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    return s, token


def connect(url, auth, http_session=None) -> tuple[socketio.Client, list]:
    received: list = []
    client = socketio.Client(reconnection=False, http_session=http_session)
    client.on("event", received.append)
    client.connect(url, auth=auth, transports=["websocket"], wait_timeout=10)
    return client, received


def call(client, name, data=None):
    return client.call(name, data or {}, timeout=10)


def test_queue_and_turns_survive_sigkill_and_restart(pg_database, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update({"HOST": "127.0.0.1", "PORT": str(free_port()), "FACILITATOR_INSTANCE": str(tmp_path),
                "DATABASE_URL": pg_database, "SECRET_KEY": "restart-test-secret", "PYTHONUNBUFFERED": "1"})
    run_flask(env, "db", "upgrade")
    run_flask(env, "create-facilitator", "fac@example.org", "Fran", "--password", "correct horse battery")
    api_token = run_flask(env, "create-api-token", "fac@example.org", "restart test").stdout.strip()
    server = Server(env, tmp_path)
    server.start()
    try:
        headers = {"Authorization": f"Bearer {api_token}"}
        meeting = requests.post(server.url + "/api/v1/meetings", json={"title": "Crash group"},
                                headers=headers, timeout=10).json()
        assert requests.post(server.url + f"/api/v1/meetings/{meeting['id']}/state", json={"state": "live"},
                             headers=headers, timeout=10).status_code == 200

        tokens = {}
        for name in ("Ann", "Bo", "Cat"):
            s, csrf = csrf_session(server.url + f"/j/{meeting['join_code']}")
            r = s.post(server.url + f"/j/{meeting['join_code']}", json={"display_name": name},
                       headers={"X-CSRFToken": csrf}, timeout=10)
            assert r.status_code == 201, r.text
            tokens[name] = r.json()["token"]
        people = {}
        for name, token in tokens.items():
            c, _ = connect(server.url, {"token": token})
            snap = call(c, "sync")["snapshot"]
            assert call(c, "rules.ack", {"version": snap["rules"]["version"]})["ok"]
            people[name] = c

        fac_http, csrf = csrf_session(server.url + "/login")
        fac_http.post(server.url + "/login", data={"email": "fac@example.org", "password": "correct horse battery",
                                                   "csrf_token": csrf}, timeout=10)
        fac, _ = connect(server.url, {"meeting_id": meeting["id"]}, http_session=fac_http)

        # Ann speaks (a closed turn), then Bo has the floor (an open turn); Cat waits with a reply.
        assert call(people["Ann"], "hand.raise", {"kind": "new"})["ok"]
        assert call(fac, "floor.next")["ok"]
        time.sleep(1.2)
        assert call(people["Bo"], "hand.raise", {"kind": "new"})["ok"]
        assert call(fac, "floor.next")["ok"]
        assert call(people["Cat"], "hand.raise", {"kind": "reply"})["ok"]
        before = call(fac, "sync")["snapshot"]
        ids = {p["name"]: p["id"] for p in before["private"]["people"]}
        ann_before = next(r for r in before["private"]["balance"]["people"] if r["participant_id"] == ids["Ann"])
        assert ann_before["turns"] == 1 and ann_before["talk_seconds"] >= 1.0
        assert before["floor"]["speaker"]["name"] == "Bo"
        assert [h["name"] for h in before["private"]["queue"]["hands"]] == ["Cat"]

        server.kill()  # no clean shutdown, no chance to write anything more
        for c in [fac, *people.values()]:
            c.disconnect()
        server.start()

        # The same tokens connect as the same people; nothing was lost or duplicated.
        cat, _ = connect(server.url, {"token": tokens["Cat"]})
        cat_snap = call(cat, "sync")["snapshot"]
        assert cat_snap["me"]["id"] == ids["Cat"]
        assert cat_snap["hand"]["raised"] is True and cat_snap["hand"]["position"] == 1
        assert cat_snap["floor"]["speaker"]["name"] == "Bo"
        assert "private" not in cat_snap

        fac, _ = connect(server.url, {"meeting_id": meeting["id"]}, http_session=fac_http)
        after = call(fac, "sync")["snapshot"]
        assert after["private"]["balance"] == before["private"]["balance"]
        assert after["private"]["queue"] == before["private"]["queue"]
        assert after["floor"]["speaker"] == before["floor"]["speaker"]
        assert len(after["private"]["people"]) == 3
        # People whose connections died with the old process are no longer shown as connected.
        presence = {p["name"]: p["presence"] for p in after["private"]["people"]}
        assert presence["Ann"] == "reconnecting" and presence["Cat"] == "connected"

        # And the session goes on from where it was: the reply is called, Bo's turn is closed.
        assert call(fac, "floor.next")["ok"]
        final = call(fac, "sync")["snapshot"]
        bo = next(r for r in final["private"]["balance"]["people"] if r["participant_id"] == ids["Bo"])
        assert bo["turns"] == 1 and bo["talk_seconds"] > 0
        assert final["floor"]["speaker"]["name"] == "Cat"
        for c in (cat, fac):
            c.disconnect()
    finally:
        stop(server.proc)
