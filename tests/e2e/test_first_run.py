"""A newcomer's first minutes, in Chromium: set up the first account with the code the server
printed, try the demo session, and read the console's "at a glance" row (by eye and by keyboard)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from .conftest import ROOT, SCRUBBED, free_port, run_flask, stop, wait_until_serving
from .test_accessibility import serious
from .test_join_flow import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def fresh_server(tmp_path):
    """A second real server with an empty database: no account yet."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update({"HOST": "127.0.0.1", "PORT": str(port), "FACILITATOR_INSTANCE": str(tmp_path),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'first.sqlite3'}", "SECRET_KEY": "first-run-test-key",
                "PYTHONUNBUFFERED": "1"})
    run_flask(env, "db", "upgrade")
    out, err = tmp_path / "server.out", tmp_path / "server.err"
    with open(out, "wb") as o, open(err, "wb") as e:
        proc = subprocess.Popen([sys.executable, "-m", "facilitator.serve"], cwd=ROOT, env=env,
                                stdout=o, stderr=e, stdin=subprocess.DEVNULL)
    try:
        wait_until_serving(proc, f"http://127.0.0.1:{port}/", err)
        yield f"http://127.0.0.1:{port}", tmp_path, out
    finally:
        stop(proc)


def test_first_account_from_the_printed_code(browser, fresh_server):
    base, instance, out = fresh_server
    code = (instance / "setup-code").read_text().strip()
    assert f"/setup and enter the set-up code {code}" in out.read_text()
    context = browser.new_context(base_url=base, viewport={"width": 360, "height": 800})
    try:
        page = context.new_page()
        page.goto("/")
        page.get_by_role("link", name="Create the first one").click()
        assert serious(page) == []
        page.get_by_label("Set-up code").fill("WRONGCODE999")
        page.get_by_label("Your email").fill("first@example.org")
        page.get_by_label("Name shown to your groups").fill("Fran")
        page.get_by_label("Password").fill("a long enough password")
        page.get_by_role("button", name="Create account").click()
        expect(page.get_by_text("That is not the set-up code this server printed.")).to_be_visible()
        assert serious(page) == []
        page.get_by_label("Set-up code").fill(code)
        page.get_by_label("Password").fill("a long enough password")
        page.get_by_role("button", name="Create account").click()
        expect(page.get_by_role("heading", name="Your account is ready")).to_be_visible()
        assert serious(page) == []
        assert not (instance / "setup-code").exists()
        assert page.request.get(base + "/setup").status == 404
    finally:
        context.close()


GLANCE = {
    "#g-here": ("5 connected", "1 reconnecting"),
    "#g-floor": ("Robin", "speaking"),
    "#g-hands": ("3", "next: Pat (process point)"),
    "#g-notyet": ("2", "Jo, Kit"),
    "#g-running": ("Agenda: Sleep and evenings", "left · and 1 more"),
    "#g-attention": ("1 person needs you", "1 support request · 1 need a break · 1 ask to slow down"),
}


@pytest.mark.parametrize("scheme,width", [("light", 1280), ("dark", 360)])
def test_demo_console_at_a_glance(new_context, live_server, scheme, width):
    page = new_context(color_scheme=scheme, viewport={"width": width, "height": 900}).new_page()
    sign_in(page, live_server)
    page.get_by_role("button", name="Try a demo session").click()
    expect(page.get_by_role("heading", name="Demo: Thursday support group")).to_be_visible()
    for selector, (value, note) in GLANCE.items():
        expect(page.locator(f"{selector} [data-v]")).to_have_text(value)
        expect(page.locator(f"{selector} [data-n]")).to_contain_text(note)
    assert page.locator("#g-attention").get_attribute("data-tone") == "alert"
    assert page.locator("#g-here").get_attribute("data-tone") == "warn"
    assert page.locator("#g-running").get_attribute("href") == "#agenda-h"
    assert serious(page) == []
    # The row is a list of links: keyboard users reach each panel from it.
    page.locator("#g-hands").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#queue-h'")
    expect(page.locator("#queue .queue-item")).to_have_count(3)
    # Single-key shortcuts: ? opens their list, A moves the agenda on (the row follows).
    page.locator("body").press("?")
    expect(page.locator("#shortcuts")).to_have_attribute("open", "")
    expect(page.locator("#shortcuts")).to_contain_text("Start the next agenda item")
    page.locator("body").press("a")
    expect(page.locator("#g-running [data-v]")).to_have_text("Agenda: Screen break")
    # Acting on a panel changes the row: answering Jo's support request leaves only signals.
    page.get_by_role("button", name="Acknowledge").first.click()
    expect(page.locator("#g-attention [data-v]")).to_have_text("2 signals")
    assert page.locator("#g-attention").get_attribute("data-tone") == "warn"
