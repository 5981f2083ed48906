"""End-to-end fixtures: the real server process (`python -m facilitator.serve`, eventlet by
default) on its own SQLite file, and Debian's Chromium driven by Playwright.

Playwright's own browser download is never used: the browser is /usr/bin/chromium.
When a test here fails, the server's stderr is attached to its report.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ..helpers import needs_service

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_SECONDS = 40
# Variables from the developer's shell that would change what the server does under test.
SCRUBBED = ("DATABASE_URL", "SOCKETIO_MESSAGE_QUEUE", "ALLOWED_ORIGINS", "SIGNUP_ENABLED",
            "FACILITATOR_ASYNC", "SESSION_COOKIE_SECURE", "FLASK_APP", "FLASK_DEBUG")


@dataclass
class LiveServer:
    """A running server and the facilitator account made for it."""

    base_url: str
    email: str
    password: str
    name: str
    instance: Path
    env: dict
    process: subprocess.Popen
    stderr_path: Path
    stdout_path: Path
    startup_log: str = ""
    extra: dict = field(default_factory=dict)

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""

    def flask(self, *args: str) -> subprocess.CompletedProcess:
        """Run a `flask --app facilitator ...` command against this server's database."""
        return run_flask(self.env, *args)


_current: LiveServer | None = None


def run_flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "facilitator", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    if result.returncode != 0:
        pytest.fail(f"`flask {' '.join(args[:1])}` failed ({result.returncode}):\n"
                    f"{result.stdout}\n{result.stderr}", pytrace=False)
    return result


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(proc: subprocess.Popen, url: str, stderr_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    last_error = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server exited with {proc.returncode} before serving:\n"
                        f"{stderr_path.read_text(errors='replace')}", pytrace=False)
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                resp.read()
                return
        except urllib.error.HTTPError:
            return  # it answered, even if not with 200; the tests judge the status
        except OSError as exc:
            last_error = exc
            time.sleep(0.2)
    pytest.fail(f"the server did not answer {url} within {STARTUP_SECONDS}s ({last_error}):\n"
                f"{stderr_path.read_text(errors='replace')}", pytrace=False)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@contextmanager
def server_with_meeting(instance: Path, title: str, **env_extra: str):
    """A server process of its own (`python -m facilitator.serve`, SQLite in `instance`) with a
    facilitator and one live meeting made through the REST API; yields (base url, meeting)."""
    import requests

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update({"HOST": "127.0.0.1", "PORT": str(port), "FACILITATOR_INSTANCE": str(instance),
                "DATABASE_URL": f"sqlite:///{instance / 'server.sqlite3'}", "SECRET_KEY": f"{title}-test-secret",
                "PYTHONUNBUFFERED": "1", **env_extra})
    run_flask(env, "db", "upgrade")
    run_flask(env, "create-facilitator", "fac@example.org", "Fran", "--password", "correct horse battery")
    token = run_flask(env, "create-api-token", "fac@example.org", title).stdout.strip()
    err = instance / "server.err"
    with open(err, "wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "facilitator.serve"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=fh, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(proc, url + "/", err)
        headers = {"Authorization": f"Bearer {token}"}
        meeting = requests.post(url + "/api/v1/meetings", json={"title": title}, headers=headers, timeout=10).json()
        assert requests.post(url + f"/api/v1/meetings/{meeting['id']}/state", json={"state": "live"},
                             headers=headers, timeout=10).status_code == 200
        yield url, meeting
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real server on a free port, with migrations applied and one facilitator account."""
    global _current
    instance = tmp_path_factory.mktemp("live-instance")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update({
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "FACILITATOR_INSTANCE": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'e2e.sqlite3'}",
        "SECRET_KEY": "e2e-fixed-secret-key-not-for-production",
        "PYTHONUNBUFFERED": "1",
    })
    run_flask(env, "db", "upgrade")

    stdout_path, stderr_path = instance / "server.out", instance / "server.err"
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "facilitator.serve"], cwd=ROOT, env=env,
                                stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    server = LiveServer(
        base_url=f"http://127.0.0.1:{port}", email="fac@example.org",
        password="correct horse battery", name="Fran", instance=instance, env=env,
        process=proc, stderr_path=stderr_path, stdout_path=stdout_path,
    )
    try:
        wait_until_serving(proc, server.url("/"), stderr_path)
        server.startup_log = server.stderr()
        server.flask("create-facilitator", server.email, server.name, "--password", server.password)
        _current = server
        yield server
    finally:
        _current = None
        died = proc.poll() is not None
        stop(proc)
        if died:
            sys.stderr.write(f"\nThe live server died during the tests (exit {proc.returncode}):\n"
                             f"{server.stderr()}\n")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, for the whole session."""
    needs_service("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """Make fresh browser contexts (separate cookies and storage: separate people).

    `new_context()` gives a context whose relative URLs resolve against the live server;
    every context made in a test is closed at its end.
    """
    made = []

    def make(**options):
        options.setdefault("base_url", live_server.base_url)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and _current is not None:
        tail = _current.stderr()[-8000:]
        report.sections.append(("live server stderr (last 8000 characters)", tail or "(empty)"))
