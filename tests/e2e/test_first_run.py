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


@pytest.mark.parametrize("scheme,width", [("light", 1280), ("dark", 360)])
def test_demo_console_at_a_glance(new_context, live_server, scheme, width):
    page = new_context(color_scheme=scheme, viewport={"width": width, "height": 900}).new_page()
    sign_in(page, live_server)
    page.get_by_role("button", name="Try a demo session").click()
    expect(page.get_by_role("heading", name="Demo: Thursday support group")).to_be_visible()
    # The now column: the speaker, the three hands, everyone present, the balance, what runs;
    # Jo's support request in the attention band.
    expect(page.locator("#speaker-name")).to_have_text("Robin has the floor")
    expect(page.locator("#queue .queue-item")).to_have_count(3)
    expect(page.locator("#queue .queue-item").first).to_contain_text("Pat")
    expect(page.locator("#people-strip .pchip")).to_have_count(6)
    expect(page.locator("#strip-summary")).to_contain_text("5 connected · 1 reconnecting")
    expect(page.locator("#people-strip .pchip", has_text="Kit")).to_contain_text("Reconnecting")
    expect(page.locator("#not-yet li")).to_have_text(["Jo", "Kit (reconnecting)"])  # Kit's connection dropped
    expect(page.locator("#g-agenda")).to_contain_text("Sleep and evenings")
    expect(page.locator("#g-agenda")).to_contain_text("left")
    expect(page.locator("#attention-band")).to_contain_text("Jo needs support")
    assert serious(page) == []
    # A running fact is a link to its tab: the open poll's opens Polls.
    page.locator("#glance-tiles a", has_text="Poll").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#tab-polls")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#poll-admin-list .poll-admin")).to_have_count(1)
    # Single-key shortcuts: ? opens their list, A moves the agenda on (the tile follows), even
    # with the Agenda tab not shown.
    page.locator("body").press("?")
    expect(page.locator("#shortcuts")).to_have_attribute("open", "")
    expect(page.locator("#shortcuts")).to_contain_text("Start the next agenda item")
    page.locator("body").press("a")
    expect(page.locator("#g-agenda")).to_contain_text("Screen break")
    # Acting on the band changes it: answering Jo's support request leaves nothing in it.
    page.get_by_role("button", name="Acknowledge").first.click()
    expect(page.locator("#attention-band")).to_be_hidden()
