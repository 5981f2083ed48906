"""Issue 17, finding 13 (the access log): a credential sent in a query string is never written.

An API token sent as `?token=fct_...` was logged as is. Every access-log line the app writes
(`python -m facilitator.serve` under eventlet or gevent, and gunicorn through
`gunicorn_conf.logger_class`) now hides the value of any query parameter whose name looks like a
credential, and any `fct_...` token wherever it appears, besides the join codes and link keys it
already hid. The last tests run the real server and read what it wrote.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from types import SimpleNamespace

import pytest

from facilitator.logsafe import redact
from tests.e2e.conftest import ROOT, SCRUBBED, free_port, run_flask, stop, wait_until_serving

API_TOKEN = "fct_Qx7aZ-9k_SECRETSECRETSECRETSECRETSECRET1"


@pytest.mark.parametrize("query,hidden", [
    (f"token={API_TOKEN}", "token=[hidden]"),
    (f"access_token={API_TOKEN}", "access_token=[hidden]"),
    ("api_key=Qxsecret1", "api_key=[hidden]"),
    ("apikey=Qxsecret1", "apikey=[hidden]"),
    ("key=Qxsecret1", "key=[hidden]"),
    ("password=Qxsecret1", "password=[hidden]"),
    ("passwd=Qxsecret1", "passwd=[hidden]"),
    ("secret=Qxsecret1", "secret=[hidden]"),
    ("client_secret=Qxsecret1", "client_secret=[hidden]"),
    ("setup_code=Qxsecret1", "setup_code=[hidden]"),
    ("auth=Qxsecret1", "auth=[hidden]"),
    ("Authorization=Bearer%20Qxsecret1", "Authorization=[hidden]"),
    ("session=Qxsecret1", "session=[hidden]"),
    ("sid=Qxsecret1", "sid=[hidden]"),
    ("signature=Qxsecret1", "signature=[hidden]"),
    ("TOKEN=Qxsecret1", "TOKEN=[hidden]"),
    ("%74oken=Qxsecret1", "%74oken=[hidden]"),
    ("to%6Ben=Qxsecret1", "to%6Ben=[hidden]"),
    ("x=1&token=Qxsecret1&y=2", "x=1&token=[hidden]&y=2"),
    ("x=1;token=Qxsecret1", "x=1;token=[hidden]"),
    ("x=1&token[]=Qxsecret1", "x=1&token[]=[hidden]"),
    (f"q={API_TOKEN}", "q=fct_[hidden]"),
])
def test_a_credential_in_the_query_string_is_hidden(query, hidden):
    line = f'127.0.0.1 - - [01/Jan/2030 10:00:00] "GET /api/v1/meetings?{query} HTTP/1.1" 200 12 0.01\n'
    out = redact(line)
    assert "Qxsecret1" not in out and "SECRETSECRET" not in out
    assert f'"GET /api/v1/meetings?{hidden} HTTP/1.1" 200 12 0.01\n' in out


@pytest.mark.parametrize("text", [
    f"/api/v1/meetings/{API_TOKEN}", f"Referer: https://x.example/?t={API_TOKEN}", f"fct%5F{API_TOKEN[4:]}",
])
def test_an_api_token_anywhere_in_a_line_is_hidden(text):
    assert "SECRETSECRET" not in redact(text)


def test_ordinary_parameters_are_kept():
    line = '"GET /meetings/?archived=1&next=/meetings/3&page=2&EIO=4&transport=polling&t=Pq1x HTTP/1.1" 200'
    assert redact(line) == line


def test_gunicorn_hides_credentials_in_every_part_of_a_line():
    """The request line, query, path, referer and the redirect target all pass through redact."""
    from gunicorn.config import Config

    from facilitator.logsafe import GunicornLogger

    query = f"token={API_TOKEN}&x=1"
    req = SimpleNamespace(method="GET", path="/join", query=query, version=(1, 1), uri=f"/join?{query}",
                          headers=[("REFERER", f"http://h/account?api_key={API_TOKEN}")])
    resp = SimpleNamespace(status="302 FOUND", sent=10, response_length=10,
                           headers=[("Location", "/j/ABCD2345")])
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/join?{query}", "PATH_INFO": "/join", "QUERY_STRING": query,
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
               "HTTP_REFERER": f"http://h/account?api_key={API_TOKEN}"}
    atoms = GunicornLogger(Config()).atoms(resp, req, environ, timedelta(seconds=0.1))
    line = Config().access_log_format % atoms
    assert "SECRETSECRET" not in line and "SECRETSECRET" not in str(atoms)
    assert "ABCD2345" not in str(atoms)
    assert atoms["q"] == "token=[hidden]&x=1" and atoms["f"] == "http://h/account?api_key=[hidden]"


@pytest.mark.parametrize("async_mode", ["eventlet", "gevent"])
def test_the_server_writes_no_credential_to_its_access_log(tmp_path, async_mode):
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update({"HOST": "127.0.0.1", "PORT": str(free_port()), "FACILITATOR_INSTANCE": str(tmp_path / "instance"),
                "DATABASE_URL": f"sqlite:///{tmp_path}/log.sqlite3", "SECRET_KEY": "log-test-secret",
                "PYTHONUNBUFFERED": "1", "ACCESS_LOG": "1", "FACILITATOR_ASYNC": async_mode})
    run_flask(env, "db", "upgrade")
    url = f"http://127.0.0.1:{env['PORT']}"
    out, err = tmp_path / "server.out", tmp_path / "server.err"
    with open(out, "wb") as fo, open(err, "wb") as fe:
        server = subprocess.Popen([sys.executable, "-m", "facilitator.serve"], cwd=ROOT, env=env,
                                  stdout=fo, stderr=fe, stdin=subprocess.DEVNULL)
    try:
        wait_until_serving(server, url + "/privacy", err)
        for path in (f"/api/v1/meetings?token={API_TOKEN}&marker=Pq1", "/privacy?password=Qxsecret1&marker=Pq2",
                     "/after?api_key=Qxsecret1&marker=Pq3"):
            try:
                urllib.request.urlopen(url + path, timeout=10).read()
            except urllib.error.HTTPError as exc:
                assert exc.code == 401, path  # the API wants the token in its header
        # The server writes an access line after the response has gone: wait for the last one
        # before stopping it, or a busy machine stops it first.
        deadline = time.monotonic() + 15
        while "&marker=Pq3" not in err.read_text(errors="replace") + out.read_text(errors="replace"):
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
    finally:
        stop(server)
    log = out.read_text(errors="replace") + err.read_text(errors="replace")
    for marker in ("Pq1", "Pq2", "Pq3"):
        assert f"&marker={marker}" in log, log  # the lines were written...
    assert "SECRETSECRET" not in log and "Qxsecret1" not in log, log  # ...without the credentials
    assert "token=[hidden]" in log and "password=[hidden]" in log and "api_key=[hidden]" in log
