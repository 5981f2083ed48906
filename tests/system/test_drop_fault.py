"""Drop alerts with the real server and real clients in their own processes: a client frozen with
SIGSTOP (a silent drop: only the ping timeout notices) and one killed with SIGKILL both alert the
facilitator within 15 seconds, with the contact plan; a deliberate leave gives no alert; coming back
clears it; a page reload (the transport closes, the same person is back at once) gives no alert."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from ..e2e.conftest import ROOT, SCRUBBED, free_port, run_flask, stop, wait_until_serving
from .test_restart import call, connect, csrf_session

pytestmark = pytest.mark.system
BOUND = 15.0
GRACE = 4.0  # DROP_ALERT_GRACE_SECONDS, the default

CHILD = r"""
import sys, time, socketio
url, token, leave = sys.argv[1], sys.argv[2], sys.argv[3] == "leave"
c = socketio.Client(reconnection=False)
c.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
if leave:
    assert c.call("me.leave", {}, timeout=10)["ok"]
    c.disconnect()
    print("left", flush=True)
    sys.exit(0)
print("ready", flush=True)
while True:
    time.sleep(0.2)
"""


def child(tmp_path, url, token, mode="stay") -> subprocess.Popen:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    proc = subprocess.Popen([sys.executable, str(script), url, token, mode], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() in ("ready", "left")
    return proc


def wait_for(received, pred, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for e in list(received):
            if pred(e):
                return e
        time.sleep(0.05)
    return None


def is_alert(pid, open_=True):
    return lambda e: (e["type"], e["op"]) == ("drop_alert", "upsert") and e["data"]["participant_id"] == pid \
        and e["data"]["open"] is open_


def test_silent_and_abrupt_drops_alert_within_the_bound_and_a_leave_does_not(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update({"HOST": "127.0.0.1", "PORT": str(free_port()), "FACILITATOR_INSTANCE": str(tmp_path),
                "DATABASE_URL": f"sqlite:///{tmp_path}/fault.sqlite3", "SECRET_KEY": "fault-test-secret",
                "PYTHONUNBUFFERED": "1", "DROP_ALERT_GRACE_SECONDS": str(GRACE)})
    run_flask(env, "db", "upgrade")
    run_flask(env, "create-facilitator", "fac@example.org", "Fran", "--password", "correct horse battery")
    api_token = run_flask(env, "create-api-token", "fac@example.org", "fault test").stdout.strip()
    url = f"http://127.0.0.1:{env['PORT']}"
    err = tmp_path / "server.err"
    with open(err, "wb") as fh:
        server = subprocess.Popen([sys.executable, "-m", "facilitator.serve"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=fh, stdin=subprocess.DEVNULL)
    procs: list[subprocess.Popen] = []
    try:
        wait_until_serving(server, url + "/", err)
        headers = {"Authorization": f"Bearer {api_token}"}
        meeting = requests.post(url + "/api/v1/meetings", json={"title": "Fault group"}, headers=headers,
                                timeout=10).json()
        assert requests.post(url + f"/api/v1/meetings/{meeting['id']}/state", json={"state": "live"},
                             headers=headers, timeout=10).status_code == 200
        tokens, ids = {}, {}
        for name in ("Ann", "Bo", "Cat", "Dee"):
            s, csrf = csrf_session(url + f"/j/{meeting['join_code']}")
            r = s.post(url + f"/j/{meeting['join_code']}", json={"display_name": name},
                       headers={"X-CSRFToken": csrf}, timeout=10)
            assert r.status_code == 201, r.text
            tokens[name], ids[name] = r.json()["token"], r.json()["participant_id"]
            c, _ = connect(url, {"token": tokens[name]})
            snap = call(c, "sync")["snapshot"]
            assert call(c, "rules.ack", {"version": snap["rules"]["version"]})["ok"]
            if name == "Ann":
                assert call(c, "contact.give", {"given": "07700 900111, text first"})["ok"]
            if name == "Dee":  # stays connected from here: her reload comes below
                dee = c
                continue
            # Note: the server may see even a client's own disconnect() as "transport close" (Engine.IO
            # handles the socket closing before the queued DISCONNECT packet), so this may raise an
            # alert; the participant's own process connecting below resolves it.
            c.disconnect()

        fac_http, csrf = csrf_session(url + "/login")
        fac_http.post(url + "/login", data={"email": "fac@example.org", "password": "correct horse battery",
                                            "csrf_token": csrf}, timeout=10)
        fac, received = connect(url, {"meeting_id": meeting["id"]}, http_session=fac_http)
        assert call(fac, "contact_plan.set", {"participant_id": ids["Bo"], "plan": "Call Bo within 5 minutes"})["ok"]

        ann = child(tmp_path, url, tokens["Ann"])
        bo = child(tmp_path, url, tokens["Bo"])
        cat = child(tmp_path, url, tokens["Cat"])
        procs += [ann, bo, cat]
        time.sleep(1)
        assert call(fac, "sync")["snapshot"]["private"]["drop_alerts"] == []  # everyone is connected
        cat.kill()  # Cat's connected process goes; her own leave follows below
        cat.wait(timeout=10)
        assert wait_for(received, is_alert(ids["Cat"]), BOUND) is not None
        received.clear()

        # Silent drop: Ann's process freezes; only the server's ping timeout can notice.
        frozen_at = time.monotonic()
        ann.send_signal(signal.SIGSTOP)
        alert = wait_for(received, is_alert(ids["Ann"]), BOUND + 5)
        assert alert is not None, "no alert for a silent drop"
        took = time.monotonic() - frozen_at
        assert took <= BOUND, f"silent drop noticed after {took:.1f}s"
        # Engine.IO closes the timed-out transport itself, so this version reports "transport close".
        assert alert["data"]["reason"] in ("ping timeout", "transport close")
        print(f"silent drop alerted after {took:.1f}s ({alert['data']['reason']})")
        private = call(fac, "sync")["snapshot"]["private"]
        plans = {c["participant_id"]: c for c in private["contact_plans"]}
        assert {a["participant_id"] for a in private["drop_alerts"]} == {ids["Ann"], ids["Cat"]}
        assert plans[ids["Ann"]]["given"] == "07700 900111, text first"

        # Abrupt close: Bo's process is killed.
        killed_at = time.monotonic()
        bo.send_signal(signal.SIGKILL)
        alert = wait_for(received, is_alert(ids["Bo"]), BOUND + 5)
        assert alert is not None and time.monotonic() - killed_at <= BOUND
        assert alert["data"]["reason"] in ("transport close", "transport error")
        assert plans[ids["Bo"]]["plan"] == "Call Bo within 5 minutes"

        # A deliberate leave, then the process ends: no alert.
        cat = child(tmp_path, url, tokens["Cat"], "leave")  # connects (clearing her alert), leaves, exits
        procs.append(cat)
        cat.wait(timeout=10)
        assert wait_for(received, is_alert(ids["Cat"], open_=False), 10) is not None
        time.sleep(2)
        assert wait_for(received, is_alert(ids["Cat"]), 0.1) is None
        open_now = {a["participant_id"] for a in call(fac, "sync")["snapshot"]["private"]["drop_alerts"]}
        assert open_now == {ids["Ann"], ids["Bo"]}

        # A page reload: Dee's transport closes without a goodbye and she is back at once. Engine.IO
        # reports that as "transport close" too, but it is no drop: nothing is raised, even well
        # after the grace period.
        received.clear()
        dee.eio.disconnect(abort=True)
        dee, _ = connect(url, {"token": tokens["Dee"]})
        assert wait_for(received, is_alert(ids["Dee"]), GRACE + 4) is None
        assert ids["Dee"] not in {a["participant_id"] for a in call(fac, "sync")["snapshot"]["private"]["drop_alerts"]}
        dee.disconnect()

        # Ann comes back: her alert clears itself.
        again, _ = connect(url, {"token": tokens["Ann"]})
        assert wait_for(received, is_alert(ids["Ann"], open_=False), 10) is not None
        assert [a["participant_id"] for a in call(fac, "sync")["snapshot"]["private"]["drop_alerts"]] == [ids["Bo"]]
        again.disconnect()
        fac.disconnect()
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGCONT)
                p.kill()
                p.wait(timeout=10)
        stop(server)
