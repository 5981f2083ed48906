"""The floor in Chromium: typed hands in the right order, calling next, "you have the floor",
and the balance chart on the facilitator's console changing as people speak."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .console_nav import console_tab
from .test_join_flow import create_session, join, live_console, sign_in

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def enter(context, code, name, tag=None):
    page = join(context, code, name, tag)
    page.get_by_role("button", name="I accept these ground rules").click()
    expect(page.locator("#view-room")).to_be_visible()
    return page


def balance_row(console, name):
    console_tab(console, "Balance")
    return console.locator("#balance-rows tr", has=console.get_by_role("rowheader", name=re.compile(name)))


def test_hands_order_floor_and_balance_chart(new_context, live_server):
    fac = new_context(viewport={"width": 1280, "height": 1000}).new_page()
    sign_in(fac, live_server)
    create_session(fac, "Floor group", tags="Nursing, Medicine")
    fac.get_by_role("button", name="Start now").click()
    code = fac.locator("#join-code").inner_text()
    ana = enter(new_context(viewport={"width": 360, "height": 740}, is_mobile=True), code, "Ana", "Nursing")
    ben = enter(new_context(), code, "Ben", "Medicine")
    cy = enter(new_context(), code, "Cy", "Medicine")

    # Nobody has spoken: everyone is on the not-yet-spoken list and there is no index yet.
    expect(fac.locator("#not-yet li")).to_have_count(3)
    expect(fac.locator("#balance-index")).to_have_text("—")

    # Ana raises a new point, the facilitator gives her the floor.
    ana.get_by_role("button", name="New point").click()
    expect(ana.locator("#my-hand-text")).to_contain_text("1st in the queue")
    expect(fac.locator("#queue li")).to_have_count(1)
    fac.get_by_role("button", name="Call next").click()
    expect(ana.locator("#you-have-floor")).to_be_visible()
    expect(ben.locator("#speaker-line")).to_have_text("Ana has the floor.")

    # While Ana speaks, Ben raises a new point and Cy a direct reply: the reply goes first.
    ben.get_by_role("button", name="New point").click()
    expect(ben.locator("#my-hand-text")).to_contain_text("1st in the queue")
    cy.get_by_role("button", name="Reply to the speaker").click()
    expect(cy.locator("#my-hand-text")).to_contain_text("1st in the queue (direct reply)")
    expect(ben.locator("#my-hand-text")).to_contain_text("2nd in the queue")
    expect(fac.locator("#queue li")).to_have_count(2)
    expect(fac.locator("#queue li").nth(0)).to_contain_text("Cy")
    expect(fac.locator("#queue li").nth(0)).to_contain_text("Direct reply")
    expect(fac.locator("#queue li").nth(1)).to_contain_text("Ben")

    # Ana's bar grows while she speaks (the chart runs on the clock, not only on events).
    expect(balance_row(fac, "Ana")).to_contain_text("0:0")
    fac.wait_for_timeout(2200)
    expect(balance_row(fac, "Ana").locator(".bar-label")).not_to_have_text("0:00")

    # Calling next ends Ana's turn and gives Cy the floor; Cy's hand is lowered.
    fac.get_by_role("button", name="Call next").click()
    expect(cy.locator("#you-have-floor")).to_be_visible()
    expect(ana.locator("#you-have-floor")).to_be_hidden()
    expect(cy.locator("#raise-box")).to_be_hidden()
    expect(fac.locator("#queue li")).to_have_count(1)
    expect(ben.locator("#my-hand-text")).to_contain_text("1st in the queue")

    # The chart: Ana has one turn and the most time; Ben is the only one not yet spoken.
    expect(balance_row(fac, "Ana").locator("td").nth(2)).to_have_text("1")
    expect(fac.locator("#balance-rows tr").first).to_contain_text("Ana")
    expect(fac.locator("#not-yet li")).to_have_count(1)
    expect(fac.locator("#not-yet")).to_contain_text("Ben")
    expect(fac.locator("#balance-index")).to_have_text(re.compile(r"^0\.\d\d$"))

    # Quieter voices first is a choice shown to everyone.
    console_tab(fac, "Balance")
    fac.get_by_label("Quieter voices first").check()
    expect(ben.locator("#queue-line")).to_contain_text("quieter voices first")

    # Ben lowers his own hand with the keyboard shortcut.
    ben.locator("body").press("Alt+Shift+H")
    expect(ben.locator("#raise-kinds")).to_be_visible()
    expect(fac.locator("#queue li")).to_have_count(0)

    SHOTS.mkdir(exist_ok=True)
    fac.screenshot(path=str(SHOTS / "console-balance.png"), full_page=True)


def test_go_round_with_a_pass(new_context, live_server):
    fac, code = live_console(new_context, live_server, "Check-in round")
    dee = enter(new_context(), code, "Dee")
    eli = enter(new_context(), code, "Eli")
    expect(fac.locator("#round-people input")).to_have_count(2)

    console_tab(fac, "Go-round")
    fac.get_by_label("Seconds each").fill("30")
    fac.get_by_role("button", name="Start the round").click()
    expect(dee.locator("#you-have-floor")).to_be_visible()
    expect(dee.locator("#my-clock-note")).to_have_text("left in your turn")
    expect(eli.locator("#round-line")).to_contain_text("Next: you")

    # Dee uses her right to pass; Eli has the floor and the pass is recorded, not counted as a turn.
    dee.get_by_role("button", name="Pass").click()
    expect(eli.locator("#you-have-floor")).to_be_visible()
    expect(fac.locator("#round-text")).to_contain_text("Passed: 1")
    fac.get_by_role("button", name="Next in round").click()
    expect(fac.locator("#round-box")).to_be_hidden()
    expect(fac.locator("#speaker-name")).to_have_text("Nobody has the floor.")
    expect(fac.locator("#not-yet")).to_contain_text("Dee")
    expect(balance_row(fac, "Eli").locator("td").nth(2)).to_have_text("1")
