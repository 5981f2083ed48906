"""Logs never hold what people said or who they are: a real server process (access log on) runs a
session whose names, chat, poll answers, contact details, contact plans and summaries hold canary
strings, including refused and malformed requests carrying them, a dropped connection and report
downloads; then its stdout, stderr and every non-database file it wrote are searched for the
canaries and for the secrets (participant tokens, the API token, the password, the join code and the
observer and co-facilitator link keys, which the access log must not show)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
import requests

from ..e2e.conftest import ROOT, SCRUBBED, free_port, run_flask, stop, wait_until_serving
from .test_restart import call, connect, csrf_session

pytestmark = pytest.mark.system

NAMES = ["Qxname-Ann-4417", "Qxname-Bo-5528"]
CANARIES = NAMES + ["Qxchat-main-7301", "Qxchat-direct-7302", "Qxgiven-0770-7303", "Qxplan-call-7304",
                    "Qxpoll-answer-7305", "Qxheard-7306", "Qxbad-7307", "Qxroom-7308"]
PASSWORD = "Qxpassword horse battery"


def test_no_name_message_contact_or_secret_reaches_the_logs(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update({"HOST": "127.0.0.1", "PORT": str(free_port()), "FACILITATOR_INSTANCE": str(tmp_path / "instance"),
                "DATABASE_URL": f"sqlite:///{tmp_path}/logs.sqlite3", "SECRET_KEY": "log-test-secret",
                "PYTHONUNBUFFERED": "1", "ACCESS_LOG": "1", "DROP_ALERT_GRACE_SECONDS": "1"})
    run_flask(env, "db", "upgrade")
    run_flask(env, "create-facilitator", "fac@example.org", "Fran", "--password", PASSWORD)
    api_token = run_flask(env, "create-api-token", "fac@example.org", "log test").stdout.strip()
    url = f"http://127.0.0.1:{env['PORT']}"
    out, err = tmp_path / "server.out", tmp_path / "server.err"
    with open(out, "wb") as fo, open(err, "wb") as fe:
        server = subprocess.Popen([sys.executable, "-m", "facilitator.serve"], cwd=ROOT, env=env,
                                  stdout=fo, stderr=fe, stdin=subprocess.DEVNULL)
    secrets = [api_token, PASSWORD]
    try:
        wait_until_serving(server, url + "/", err)
        headers = {"Authorization": f"Bearer {api_token}"}
        meeting = requests.post(url + "/api/v1/meetings", json={"title": "Log group"}, headers=headers,
                                timeout=10).json()
        mid = meeting["id"]
        observer_key = meeting["links"]["observe"].rsplit("/", 1)[1]
        invitation = requests.get(url + f"/api/v1/meetings/{mid}/invitation", headers=headers, timeout=10).json()
        cofac_key = invitation["cofacilitate"].rsplit("/", 1)[1]
        secrets += [meeting["join_code"], observer_key, cofac_key]
        for path in (f"/j/{meeting['join_code']}", f"/r/{meeting['join_code']}", f"/observe/{observer_key}",
                     f"/meetings/cofacilitate/{cofac_key}", f"/after?code={meeting['join_code']}",
                     f"/privacy?code={meeting['join_code']}"):
            assert requests.get(url + path, timeout=10, allow_redirects=False).status_code in (200, 302), path
        assert requests.post(url + f"/api/v1/meetings/{mid}/state", json={"state": "live"}, headers=headers,
                             timeout=10).status_code == 200
        people = []
        for name in NAMES:
            s, csrf = csrf_session(url + f"/j/{meeting['join_code']}")
            r = s.post(url + f"/j/{meeting['join_code']}", json={"display_name": name},
                       headers={"X-CSRFToken": csrf}, timeout=10)
            assert r.status_code == 201, r.text
            token, pid = r.json()["token"], r.json()["participant_id"]
            secrets.append(token)
            c, _ = connect(url, {"token": token})
            assert call(c, "rules.ack", {"version": call(c, "sync")["snapshot"]["rules"]["version"]})["ok"]
            people.append((c, pid))
        (ann, ann_id), (bo, bo_id) = people
        # a refused join carries a canary too (name too long)
        s, csrf = csrf_session(url + f"/j/{meeting['join_code']}")
        assert s.post(url + f"/j/{meeting['join_code']}", json={"display_name": "Qxbad-7307" * 10},
                      headers={"X-CSRFToken": csrf}, timeout=10).status_code == 422

        fac_http, csrf = csrf_session(url + "/login")
        fac_http.post(url + "/login", data={"email": "fac@example.org", "password": PASSWORD, "csrf_token": csrf},
                      timeout=10)
        fac, _ = connect(url, {"meeting_id": mid}, http_session=fac_http)
        assert call(ann, "contact.give", {"given": "Qxgiven-0770-7303"})["ok"]
        assert call(fac, "contact_plan.set", {"participant_id": ann_id, "plan": "Qxplan-call-7304"})["ok"]
        assert call(ann, "chat.send", {"channel": "main", "text": "Qxchat-main-7301"})["ok"]
        assert call(bo, "chat.send", {"channel": "direct", "text": "Qxchat-direct-7302"})["ok"]
        poll = call(fac, "poll.create", {"kind": "text", "question": "One word?", "launch": True})["poll"]
        assert call(bo, "poll.vote", {"poll_id": poll["id"], "text": "Qxpoll-answer-7305"})["ok"]
        assert call(fac, "heard.post", {"text": "Qxheard-7306"})["ok"]
        rnd = call(fac, "breakout.create", {"names": ["Qxroom-7308"], "duration_seconds": 300})
        assert rnd["ok"]
        # refused and malformed requests with canaries in them
        assert call(ann, "chat.send", {"channel": "main", "text": ["Qxbad-7307"]})["ok"] is False
        assert call(ann, "contact_plan.set", {"participant_id": bo_id, "plan": "Qxbad-7307"})["ok"] is False
        assert call(ann, "no.such.event", {"text": "Qxbad-7307"})["ok"] is False
        assert call(bo, "chat.send", {"channel": "main", "text": "Qxbad-7307" * 200})["ok"] is False
        assert requests.get(url + f"/api/v1/meetings/{mid}/report.md", headers=headers, timeout=10).status_code == 200
        assert requests.patch(url + f"/api/v1/meetings/{mid}", json={"report_chat": True, "title": "Qxbad-7307" * 20},
                              headers=headers, timeout=10).status_code == 422
        # a deliberate leave, and a connection that just goes away
        assert call(bo, "me.leave")["ok"]
        bo.disconnect()
        ann.eio.disconnect(abort=True)
        report = fac_http.get(url + f"/meetings/{mid}/report.json", timeout=10)
        assert report.status_code == 200 and "Qxchat-main-7301" not in report.text  # chat is off in reports
        assert "Qxname-Ann-4417" in report.text  # the report itself is where names belong
        fac.disconnect()
    finally:
        stop(server)

    logs = {"stdout": out.read_text(errors="replace"), "stderr": err.read_text(errors="replace")}
    for path in (tmp_path / "instance").rglob("*"):
        if path.is_file() and ".sqlite3" not in path.name:
            logs[str(path)] = path.read_text(errors="replace")
    assert f"/api/v1/meetings/{mid}/report.md" in logs["stderr"] + logs["stdout"], "the access log was not captured"
    assert "GET /observe/[hidden]" in logs["stderr"]
    for where, text in logs.items():
        for canary in CANARIES + secrets:
            assert canary not in text, f"{canary[:12]}… found in {where}"
