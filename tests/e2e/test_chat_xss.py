"""Chat and names are text, never markup: in Chromium, display names, chat messages (main,
private, room, broadcast) and room names holding script and HTML payloads render verbatim
in every place they appear (chat, roster, breakout room, console) and run nothing."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .console_nav import console_tab
from .room_nav import room_tab
from .test_join_flow import create_session, join, sign_in

pytestmark = pytest.mark.e2e

IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = "<script>window.__xss=1</script>"
SVG = '"><svg onload=window.__xss=1>'
BOLD = "<b>bold</b> & <i>x</i> &amp;"
PAYLOADS = (IMG, SCRIPT, SVG, BOLD)


def enter(context, code, name):
    page = join(context, code, name)
    page.get_by_role("button", name="I accept these ground rules").click()
    expect(page.locator("#view-room")).to_be_visible()
    return page


def guard(page):
    """Fail on any dialog a payload could open; the flag is checked at the end."""
    def on_dialog(dialog):
        if dialog.type != "confirm":  # the console's own confirmations
            raise AssertionError(f"a payload opened a {dialog.type}: {dialog.message}")
        dialog.accept()
    page.on("dialog", on_dialog)


def verbatim(area, text):
    """The text is shown exactly, as text (an element whose whole text it is)."""
    expect(area.get_by_text(text, exact=True).first).to_be_visible()


def send(page, form, text):
    box = page.locator(f"{form} textarea")
    box.fill(text)
    box.press("Enter")
    expect(box).to_have_value("")


def nothing_ran(page):
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    # No element was made from a payload: no stray img, script or svg where text goes.
    assert page.evaluate("""() => [...document.querySelectorAll(
        '.chat-messages img, .chat-messages script, .chat-messages svg, .chat-messages b,'
        + ' #roster img, #roster script, #people img, #people script, #bo-rooms img, #bo-rooms script,'
        + ' #people-strip img, #people-strip script, #queue img, #queue script,'
        + ' #breakout-members img, #breakout-members script, #breakout-h *')].length""") == 0


def test_payloads_in_names_and_messages_render_as_text_everywhere(new_context, live_server):
    fac = new_context(viewport={"width": 1280, "height": 1000}).new_page()
    guard(fac)
    sign_in(fac, live_server)
    create_session(fac, "Safe rendering")
    fac.get_by_role("button", name="Start now").click()
    code = fac.locator("#join-code").inner_text()
    img = enter(new_context(viewport={"width": 360, "height": 740}, is_mobile=True), code, IMG)
    scr = enter(new_context(), code, SCRIPT)
    pages = (fac, img, scr)
    for page in (img, scr):
        guard(page)

    # Names: on each participant's roster and on the console's people table.
    for page in (img, scr):
        room_tab(page, "People")
        verbatim(page.locator("#roster"), IMG + " (you)" if page is img else IMG)
        verbatim(page.locator("#roster"), SCRIPT + " (you)" if page is scr else SCRIPT)
        room_tab(page, "Chat")
    verbatim(fac.locator("#people-strip"), IMG)
    verbatim(fac.locator("#people-strip"), SCRIPT)
    console_tab(fac, "People")
    verbatim(fac.locator("#people"), IMG)
    verbatim(fac.locator("#people"), SCRIPT)

    # Main chat: every payload, from both, shown as typed with the sender's name (few enough
    # messages each to stay under the rate limit of 5 per 10 seconds per person).
    send(img, "#main-chat-form", IMG)
    send(img, "#main-chat-form", SVG)
    send(scr, "#main-chat-form", SCRIPT)
    send(scr, "#main-chat-form", BOLD)
    console_tab(fac, "Chat")
    for page, area in ((img, "#main-chat-list"), (scr, "#main-chat-list"), (fac, "#cmain-list")):
        for payload in PAYLOADS:
            verbatim(page.locator(area), payload)
        verbatim(page.locator(area).locator(".msg-author"), IMG)
        verbatim(page.locator(area).locator(".msg-author"), SCRIPT)

    # Private line: the participant's message and the facilitator's reply.
    send(img, "#direct-chat-form", SVG)
    fac.get_by_role("tab", name=re.compile("Private")).click()
    verbatim(fac.locator("#cdirect-list"), SVG)
    expect(fac.locator("#cdirect-who option", has_text=IMG)).to_have_count(1)
    send(fac, "#cdirect-form", IMG)
    verbatim(img.locator("#direct-chat-list"), IMG)

    # Breakout rooms named with payloads; room chat and a broadcast with payloads.
    panel = console_tab(fac, "Breakouts").locator("#breakouts")
    panel.get_by_label("Named rooms").check()
    panel.get_by_label("Room names, one per line").fill(f"{IMG}\n{SCRIPT}")
    panel.get_by_role("button", name="Prepare the rooms").click()
    expect(panel.locator("#bo-rooms .bo-room")).to_have_count(2)
    verbatim(panel.locator("#bo-rooms"), IMG)
    fac.get_by_label(f"Room for {IMG}").select_option(label=IMG)
    fac.get_by_role("button", name=f"Move {IMG}", exact=True).click()
    fac.get_by_label(f"Room for {SCRIPT}").select_option(label=IMG)
    fac.get_by_role("button", name=f"Move {SCRIPT}", exact=True).click()
    expect(panel.locator("#bo-rooms .bo-member")).to_have_count(2)
    panel.get_by_role("button", name="Open the rooms").click()
    for page in (img, scr):
        expect(page.locator("#breakout-h")).to_have_text(IMG)
        verbatim(page.locator("#breakout-members"), IMG + " (you)" if page is img else IMG)
        verbatim(page.locator("#breakout-members"), SCRIPT + " (you)" if page is scr else SCRIPT)
    send(scr, "#room-chat-form", SCRIPT)
    send(img, "#room-chat-form", BOLD)
    fac.get_by_label("Message to every room").fill(SVG)
    fac.get_by_role("button", name="Send to all rooms").click()
    for page in (img, scr):
        for payload in (SCRIPT, BOLD, SVG):
            verbatim(page.locator("#room-chat-list"), payload)
    fac.get_by_role("button", name=re.compile(r"^Read chat: ")).first.click()
    for payload in (SCRIPT, BOLD, SVG):
        verbatim(fac.locator("#croom-list"), payload)
    expect(fac.locator("#croom-which option", has_text=IMG)).to_have_count(1)

    fac.wait_for_timeout(500)  # let any (wrongly) injected handler fire before looking
    for page in pages:
        nothing_ran(page)
