"""The foundation, as people meet it: a facilitator creates a session, two participants join
from separate browsers, accept the ground rules and appear live on the roster; a reload keeps
a participant's identity; a rule change asks everyone to accept again."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .console_nav import console_tab
from .room_nav import room_tab

pytestmark = pytest.mark.e2e


def sign_in(page, server):
    page.goto("/login")
    page.get_by_label("Email").fill(server.email)
    page.get_by_label("Password").fill(server.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your sessions")).to_be_visible()


def create_session(page, title, tags=""):
    page.get_by_role("link", name="New session").click()
    page.get_by_label("Title").fill(title)
    if tags:
        page.get_by_label("Group tags").fill(tags)
    page.get_by_role("button", name="Create session").click()
    expect(page.get_by_role("heading", name="Edit session")).to_be_visible()
    page.get_by_role("link", name="Go to the live console").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def live_console(new_context, server, title, width=680, height=740):
    """A facilitator's console at the size it is used (half a laptop screen, beside the video call)
    with a new session started now; returns the page and the join code."""
    fac = new_context(viewport={"width": width, "height": height}).new_page()
    sign_in(fac, server)
    create_session(fac, title)
    fac.get_by_role("button", name="Start now").click()
    return fac, fac.locator("#join-code").inner_text()


def join(context, code, name, tag=None):
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Session code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Your name in this session").fill(name)
    if tag:
        page.get_by_label("Your group").select_option(tag)
    page.get_by_role("button", name="Continue to the ground rules").click()
    expect(page.get_by_role("heading", name="Ground rules")).to_be_visible()
    return page


def roster_row(console, name):
    console_tab(console, "People")
    return console.locator("#people tr", has=console.get_by_role("rowheader", name=re.compile(name)))


def test_two_participants_join_accept_rules_reload_and_reaccept(new_context, live_server):
    fac = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(fac, live_server)
    create_session(fac, "Wednesday MDT", tags="Nursing, Medicine")
    fac.get_by_role("button", name="Open the lobby").click()
    expect(fac.locator("#state-badge")).to_have_text("Lobby open")
    code = fac.locator("#join-code").inner_text()

    # Two participants, separate browsers, one on a phone-sized screen.
    alex = join(new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True),
                code, "Alex", tag="Nursing")
    blake = join(new_context(), code, "Blake")

    # Before accepting, each is on the facilitator's roster as reading the rules, and sees no one.
    expect(roster_row(fac, "Alex")).to_contain_text("Reading the rules")
    expect(alex.locator("#view-room")).to_be_hidden()

    for page in (alex, blake):
        page.get_by_role("button", name="I accept these ground rules").click()
        expect(page.locator("#view-room")).to_be_visible()
    expect(roster_row(fac, "Alex")).to_contain_text("Accepted")
    expect(roster_row(fac, "Alex")).to_contain_text("Connected")
    expect(roster_row(fac, "Alex")).to_contain_text("Nursing")
    expect(roster_row(fac, "Blake")).to_contain_text("Accepted")
    expect(fac.locator("#people tr")).to_have_count(2)
    # Participants see each other by name, and their own mic starts muted.
    expect(alex.locator("#roster")).to_contain_text("Blake")
    room_tab(alex, "People")
    expect(alex.get_by_role("button", name=re.compile("Microphone"))).to_have_attribute("aria-pressed", "false")

    # A participant sets their mic on; the facilitator sees it live.
    alex.get_by_role("button", name=re.compile("Microphone")).click()
    expect(roster_row(fac, "Alex")).to_contain_text("Mic on")

    # Reload: the same participant (no duplicate row), still inside, mic status kept.
    alex.reload()
    expect(alex.locator("#view-room")).to_be_visible()
    expect(alex.locator("#room-you")).to_have_text("You are Alex")
    room_tab(alex, "People")
    expect(alex.get_by_role("button", name=re.compile("Microphone"))).to_have_attribute("aria-pressed", "true")
    expect(fac.locator("#people tr")).to_have_count(2)
    expect(roster_row(fac, "Alex")).to_contain_text("Connected")

    # The facilitator changes a rule mid-session: both are asked again, with the change marked, over
    # the room (they stay in it; only first-time joiners read the rules at the gate).
    console_tab(fac, "Rules")
    fac.get_by_role("button", name="Edit ground rules").click()
    fac.locator("#rules-fields li").first.locator("textarea").fill("Cameras on if you can, please.")
    fac.get_by_role("button", name="Save and ask everyone to accept").click()
    for page in (alex, blake):
        expect(page.locator("#view-room")).to_be_visible()
        expect(page.locator("#rules-change")).to_be_visible()
        expect(page.locator("#change-rules .rule.changed")).to_have_count(1)
    expect(roster_row(fac, "Blake")).to_contain_text("Needs to accept the new rules")

    blake.get_by_role("button", name="I accept the changed rules").click()
    expect(blake.locator("#rules-change")).to_be_hidden()
    expect(blake.locator("#view-room")).to_be_visible()
    expect(roster_row(fac, "Blake")).to_contain_text("Accepted")
    expect(roster_row(fac, "Alex")).to_contain_text("Needs to accept the new rules")


def test_deliberate_leave_shows_after_page_and_left_state(new_context, live_server):
    fac = new_context().new_page()
    sign_in(fac, live_server)
    create_session(fac, "Friday support group")
    fac.get_by_role("button", name="Start now").click()
    expect(fac.locator("#state-badge")).to_have_text("Live")
    code = fac.locator("#join-code").inner_text()
    sam = join(new_context(), code, "Sam")
    sam.get_by_role("button", name="I accept these ground rules").click()
    expect(roster_row(fac, "Sam")).to_contain_text("Connected")

    sam.once("dialog", lambda d: d.accept())
    sam.get_by_role("button", name="Leave the session").click()
    expect(sam.get_by_role("heading", name="Thank you for joining")).to_be_visible()
    expect(roster_row(fac, "Sam")).to_contain_text("Left")


def test_a_closed_tab_is_reconnecting_not_left(new_context, live_server):
    fac = new_context().new_page()
    sign_in(fac, live_server)
    create_session(fac, "Drop test")
    fac.get_by_role("button", name="Start now").click()
    code = fac.locator("#join-code").inner_text()
    context = new_context()
    kim = join(context, code, "Kim")
    kim.get_by_role("button", name="I accept these ground rules").click()
    expect(roster_row(fac, "Kim")).to_contain_text("Connected")
    kim.close()  # no Leave button: the connection just goes
    expect(roster_row(fac, "Kim")).to_contain_text("Reconnecting")
    # Coming back with the same browser storage is the same person again.
    back = context.new_page()
    back.goto(f"/j/{code.replace('-', '')}")
    expect(back.get_by_text("Welcome back")).to_be_visible()
    back.get_by_role("link", name="Continue").click()
    expect(back.locator("#view-room")).to_be_visible()
    expect(roster_row(fac, "Kim")).to_contain_text("Connected")
    expect(fac.locator("#people tr")).to_have_count(1)
