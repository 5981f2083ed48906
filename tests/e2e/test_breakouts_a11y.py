"""axe-core in Chromium on the breakout and chat states: a participant in a breakout room (with
chat, the warning, a help request) at phone width, a participant choosing a room, the main chat
with messages, and the console with a draft round, a running round (help flagged) and each chat
tab; light and dark. No serious or critical violations."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_accessibility import serious
from .console_nav import console_tab
from .test_join_flow import create_session, join, sign_in

pytestmark = pytest.mark.e2e


def enter(context, code, name, tag=None):
    page = join(context, code, name, tag)
    page.get_by_role("button", name="I accept these ground rules").click()
    expect(page.locator("#view-room")).to_be_visible()
    return page


def send(page, form, text):
    box = page.locator(f"{form} textarea")
    box.fill(text)
    box.press("Enter")
    expect(box).to_have_value("")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_breakout_and_chat_states_have_no_serious_violations(new_context, live_server, scheme):
    problems: dict[str, list[str]] = {}

    def check(name, page):
        problems[name] = serious(page)

    fac = new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900}).new_page()
    sign_in(fac, live_server)
    create_session(fac, f"Accessible rooms {scheme}", tags="Nursing, Medicine")
    fac.get_by_role("button", name="Start now").click()
    code = fac.locator("#join-code").inner_text()
    phone = {"color_scheme": scheme, "viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
    ari = enter(new_context(**phone), code, "Ari", "Medicine")
    bo = enter(new_context(**phone), code, "Bo", "Nursing")
    expect(fac.locator("#people tr")).to_have_count(2)

    # Main chat with messages, and a private exchange.
    send(ari, "#main-chat-form", "Hello everyone")
    send(bo, "#main-chat-form", "Hi Ari")
    send(ari, "#direct-chat-form", "A private question")
    expect(fac.locator("#cmain-list .msg")).to_have_count(2)
    check("room, main chat with messages", ari)
    console_tab(fac, "Chat")
    check("console, main chat", fac)
    fac.get_by_role("tab", name="Private").click()
    send(fac, "#cdirect-form", "A private answer")
    expect(ari.locator("#direct-chat-list .msg")).to_have_count(2)
    check("console, private chat", fac)
    fac.get_by_role("tab", name="Facilitators").click()
    send(fac, "#cback-form", "Note for co-facilitators")
    check("console, back-channel", fac)
    fac.locator("#chat-muted-box summary").click()
    check("console, mute list", fac)

    # A draft round: create form, then the preview with its selects.
    panel = console_tab(fac, "Breakouts").locator("#breakouts")
    check("console, breakout create form", fac)
    panel.get_by_label("Number of rooms").fill("2")
    panel.get_by_label("Minutes", exact=True).fill("5")
    panel.get_by_label("Let participants choose their room").check()
    panel.get_by_role("button", name="Prepare the rooms").click()
    expect(panel.locator("#bo-rooms .bo-room")).to_have_count(2)
    check("console, draft round, nobody placed", fac)
    fac.get_by_label("Room for Ari").select_option(label="Room 1")
    fac.get_by_role("button", name="Move Ari", exact=True).click()
    expect(panel.locator("#bo-rooms .bo-member")).to_have_count(1)
    check("console, draft round with a person placed", fac)

    # Open: Ari is in Room 1; Bo is in the main room, choosing.
    panel.get_by_role("button", name="Open the rooms").click()
    expect(ari.locator("#breakout")).to_be_visible()
    expect(bo.locator("#breakout-lobby")).to_be_visible()
    check("room, choosing a breakout room", bo)
    bo.get_by_role("button", name="Join Room 1").click()
    expect(bo.locator("#breakout-h")).to_have_text("Room 1")
    send(ari, "#room-chat-form", "Shall we start?")
    send(bo, "#room-chat-form", "Yes")
    check("room, in a breakout room with chat", ari)
    ari.get_by_role("button", name="Ask for help").click()
    expect(fac.locator("#bo-help-alert")).to_be_visible()
    check("room, breakout room asking for help", ari)
    check("console, round running with help asked", fac)
    fac.get_by_role("button", name="Visit Room 1").click()
    expect(ari.locator("#breakout-staff")).to_be_visible()
    check("console, visiting a room (room chat tab)", fac)
    check("room, facilitator visiting", bo)

    # The warning: shorten until the end is 10 s to 2 min away, with the 2-minute warning due.
    console_tab(fac, "Breakouts")
    fac.get_by_role("button", name="−1 min").click()
    fac.get_by_role("button", name="−1 min").click()
    fac.get_by_role("button", name="−1 min").click()
    expect(ari.locator("#breakout-warning")).to_be_visible(timeout=10_000)
    check("room, breakout room warned", ari)

    fac.once("dialog", lambda d: d.accept())
    fac.get_by_role("button", name="Close all rooms now").click()
    expect(ari.locator("#breakout-back")).to_be_visible()
    check("room, back in the main room", ari)
    fac.locator("#bo-history summary").click()
    check("console, after the round", fac)

    failing = {k: v for k, v in problems.items() if v}
    assert len(problems) >= 17
    assert not failing, failing
