"""A participant's page closes abruptly: the facilitator's console shows the drop alert with the contact
details the participant gave on joining and the facilitators' own plan, within the 15 s bound; a
reload does not; coming back clears it; then the session report and the after-session page."""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from .console_nav import console_tab
from .test_join_flow import create_session, sign_in

pytestmark = pytest.mark.e2e
BOUND_MS = 15_000


def test_a_closed_page_alerts_the_console_with_the_contact_plan(new_context, live_server):
    fac = new_context(viewport={"width": 1280, "height": 1000}).new_page()
    sign_in(fac, live_server)
    create_session(fac, "Drop alert group")
    fac.get_by_role("button", name="Start now").click()
    console_tab(fac, "Safety")
    fac.get_by_label("Ask participants how to reach them when they join").check()
    code = fac.locator("#join-code").inner_text().replace("-", "")

    context = new_context()
    kim = context.new_page()
    kim.goto(f"/j/{code}")
    kim.get_by_label("Your name in this session").fill("Kim")
    kim.get_by_label("How can the facilitators reach you if your connection drops?").fill("07700 900123, text first")
    kim.get_by_role("button", name="Continue to the ground rules").click()
    kim.get_by_role("button", name="I accept these ground rules").click()
    expect(kim.locator("#view-room")).to_be_visible()

    fac.locator("#plan-person").select_option(label="Kim")
    fac.get_by_label("How to reach them, and what was agreed").fill("Call within 5 minutes; if no answer, text")
    fac.get_by_role("button", name="Save plan").click()
    expect(fac.locator("#plan-list")).to_contain_text("Call within 5 minutes")
    expect(fac.locator("#attention-band")).to_be_hidden()

    # A reload is not a drop: nothing appears, even after the grace period.
    kim.reload()
    expect(kim.locator("#view-room")).to_be_visible()
    time.sleep(6)
    expect(fac.locator("#drop-list li")).to_have_count(0)

    closed_at = time.monotonic()
    kim.close(run_before_unload=False)  # the tab just goes: no Leave
    alert = fac.locator("#drop-list li.drop-alert", has_text="Kim's connection dropped")
    expect(alert).to_be_visible(timeout=BOUND_MS)
    assert time.monotonic() - closed_at <= BOUND_MS / 1000
    expect(alert).to_contain_text("They gave: 07700 900123, text first")
    expect(alert).to_contain_text("Plan: Call within 5 minutes; if no answer, text")
    expect(fac.get_by_role("button", name="Acknowledge: you are reaching Kim")).to_be_visible()

    # Kim comes back in the same browser: the alert clears itself.
    back = context.new_page()
    back.goto(f"/r/{code}")
    expect(back.locator("#view-room")).to_be_visible()
    expect(fac.locator("#drop-list li")).to_have_count(0)
    expect(fac.locator("#attention-band")).to_be_hidden()

    # She leaves on purpose: the after-session page, and still no alert.
    back.once("dialog", lambda d: d.accept())
    back.get_by_role("button", name="Leave the session").click()
    expect(back.get_by_role("heading", name="Thank you for joining Drop alert group")).to_be_visible()
    expect(back.get_by_text("take a short break")).to_be_visible()
    time.sleep(6)
    expect(fac.locator("#drop-list li")).to_have_count(0)

    # The session report lists her stretches: the reload did not split them, the drop did.
    fac.get_by_role("link", name="Session report").click()
    expect(fac.get_by_role("heading", name="Session report: Drop alert group")).to_be_visible()
    row = fac.locator("#attendance-h ~ div tr", has=fac.get_by_role("rowheader", name="Kim"))
    expect(row).to_contain_text("left")
    expect(row.locator("td").last).to_have_text("2")
