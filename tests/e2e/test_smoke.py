"""The real server answers: the home page renders in Chromium, the interface documents are JSON."""
from __future__ import annotations

import json
import urllib.request

import pytest

pytestmark = pytest.mark.e2e


def test_server_starts_cleanly(live_server):
    """Start-up writes no traceback (e.g. eventlet monkey-patching too late)."""
    assert live_server.process.poll() is None
    assert "Traceback" not in live_server.startup_log, live_server.startup_log


def test_home_page_renders_in_chromium(new_context):
    page = new_context().new_page()
    response = page.goto("/")
    assert response is not None and response.status == 200
    heading = page.locator("h1").first
    assert heading.is_visible()
    assert heading.inner_text().strip() != ""


@pytest.mark.parametrize("path, key", [
    ("/api/openapi.json", "openapi"),
    ("/api/asyncapi.json", "asyncapi"),
])
def test_interface_documents_are_json(live_server, path, key):
    with urllib.request.urlopen(live_server.url(path), timeout=10) as resp:
        assert resp.status == 200
        assert resp.headers.get_content_type() == "application/json"
        document = json.loads(resp.read())
    assert key in document
    assert document.get("info", {}).get("title")


def test_facilitator_account_from_the_cli_can_sign_in(new_context, live_server):
    page = new_context().new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(live_server.email)
    page.get_by_label("Password").fill(live_server.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url
