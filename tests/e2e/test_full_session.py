"""A whole session in Chromium, run the way a facilitator runs one: a session from a template,
three people join (one on a 360 px phone), rules, the check-in go-round, hands and the queue, a
poll, chat, an agenda break, breakout rooms with a timer, the end, and the report. axe checks every
main state on the way. `make screenshots` runs this test with SCREENSHOTS set, and the README's
pictures are the ones it takes."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .console_nav import console_tab
from .test_accessibility import serious
from .test_agenda import add_item
from .test_breakouts import prepare, send
from .test_join_flow import create_session, join, sign_in

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("SCREENSHOTS") or ROOT / "test-results" / "full-session")


def snap(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_a_whole_session_from_template_to_report(new_context, live_server):
    problems: dict[str, list[str]] = {}
    ana = None

    def audit(name, page, shot=None):
        """axe (and, on the phone, reflow) for this state; `shot` also keeps its picture."""
        if shot:
            snap(page, shot)
        problems[name] = serious(page)
        if page is ana:  # at 360 px nothing may need sideways scrolling (WCAG reflow)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                problems[name].append(f"page is {width} px wide at a 360 px viewport")

    # The console beside the video call: half of a 1366x768 laptop.
    fac = new_context(viewport={"width": 680, "height": 740}).new_page()
    fac.on("dialog", lambda d: d.accept())  # "End the session for everyone?" and the like
    sign_in(fac, live_server)

    # Last month's group, saved as a template with its agenda: this month starts in one click.
    create_session(fac, "Thursday group, setup")
    add_item(fac, "Check-in", "checkin", 5)
    add_item(fac, "Screen break", "break", 1)
    add_item(fac, "Sharing", "discussion", 20)
    fac.get_by_role("link", name="Edit details").click()
    fac.get_by_label("Template name").fill("Thursday group")
    fac.get_by_role("button", name="Save as template").click()
    fac.goto("/meetings/")
    fac.get_by_role("button", name="New session from “Thursday group”").click()
    fac.get_by_role("link", name="Go to the live console").click()
    expect(fac.locator("#agenda-list > li")).to_have_count(3)
    fac.get_by_role("button", name="Open the lobby").click()
    code = fac.locator("#join-code").inner_text()

    # Three people join; Ana on a phone. Each reads and accepts the ground rules.
    phone = new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    ana = join(phone, code, "Ana")
    audit("rules gate (phone)", ana, "participant-rules")
    pages = {"Ana": ana, "Ben": join(new_context(), code, "Ben"), "Cy": join(new_context(), code, "Cy")}
    for page in pages.values():
        page.get_by_role("button", name="I accept these ground rules").click()
        expect(page.locator("#view-room")).to_be_visible()
    ben, cy = pages["Ben"], pages["Cy"]

    def everyone_sees(selector):
        for page in pages.values():
            expect(page.locator(selector)).to_be_visible()
    audit("lobby (phone)", ana)
    expect(fac.locator("#strip-summary")).to_contain_text("3 connected")
    fac.get_by_role("button", name="Start the session").click()

    # The agenda's check-in runs as a go-round: Ana, then Ben passes on to Cy.
    fac.get_by_role("button", name="Start the agenda").click()
    for page in pages.values():
        expect(page.locator("#agenda-room-title")).to_have_text("Check-in")
    fac.get_by_role("button", name="Start a go-round for the check-in").click()
    expect(ana.locator("#you-have-floor")).to_be_visible()
    audit("live, speaking (phone)", ana, "participant-speaking")
    fac.get_by_role("button", name="Next in round").click()
    expect(ben.locator("#you-have-floor")).to_be_visible()
    fac.get_by_role("button", name="Stop the round").click()
    expect(ben.locator("#you-have-floor")).to_be_hidden()

    # Hands: Cy, who has not spoken, is named on the console; Cy and Ben raise, the queue calls.
    expect(fac.locator("#not-yet")).to_have_text("Cy")
    cy.get_by_role("button", name="New point").click()
    ben.get_by_role("button", name="New point").click()
    expect(fac.locator("#queue li")).to_have_count(2)
    fac.get_by_role("button", name="Call next").click()
    expect(cy.locator("#you-have-floor")).to_be_visible()
    expect(ana.locator("#speaker-line")).to_have_text("Cy has the floor.")
    expect(fac.locator("#speaker-name")).to_have_text("Cy has the floor")
    expect(fac.locator("#not-yet-count")).to_have_text("(0)")
    snap(fac, "console")
    fac.get_by_role("button", name="End turn").click()
    expect(cy.locator("#you-have-floor")).to_be_hidden()

    # A poll: Ana and Ben answer; the facilitator shares the results with everyone.
    console_tab(fac, "Polls")
    polls = fac.get_by_role("region", name="Polls")
    polls.locator("summary", has_text="New poll").click()
    polls.get_by_label("Question").fill("How useful is this session so far?")
    polls.get_by_label("Kind").select_option("rating")
    polls.get_by_role("button", name="Launch now").click()
    expect(ana.locator(".poll-card.open")).to_contain_text("How useful is this session so far?")
    # On the phone the open poll is on the first screen, not below the agenda.
    assert ana.locator(".poll-card.open").bounding_box()["y"] < 740
    audit("poll open (phone)", ana, "participant-poll")
    for page, point in ((ana, "4"), (ben, "5")):
        page.locator(".rating-point", has_text=point).click()
        page.get_by_role("button", name="Send my answer").click()
        expect(page.locator(".poll-card")).to_contain_text("Your answer is in.")
    admin = fac.locator("#poll-admin-list .poll-admin").first
    expect(admin).to_contain_text("2 answers")
    admin.get_by_role("button", name="Share results").click()
    expect(cy.locator(".poll-card")).to_contain_text("Average: 4.5 out of 5")

    # Chat in the main room.
    send(ana, "#main-chat-form", "Thank you, this helps")
    expect(ben.locator("#main-chat-list")).to_contain_text("Thank you, this helps")

    # The agenda's break: everyone gets the break screen, and is brought back to the next item.
    console_tab(fac, "Agenda")
    fac.get_by_role("button", name="Next item").click()
    everyone_sees("#break-screen")
    audit("break (phone)", ana, "participant-break")
    fac.get_by_role("button", name="Next item").click()
    for page in pages.values():
        expect(page.locator("#break-screen")).to_be_hidden()
        expect(page.locator("#agenda-room-title")).to_have_text("Sharing")

    # Breakout rooms with a timer: two rooms, placed at random, then brought back early.
    prepare(fac, rooms=2, minutes=5, seconds=0, warn=60)
    fac.locator("#breakouts").get_by_role("button", name="Randomly").click()
    expect(fac.locator("#bo-rooms .bo-member")).to_have_count(3)
    fac.get_by_role("button", name="Open the rooms").click()
    for page in pages.values():
        expect(page.locator("#breakout")).to_be_visible()
        expect(page.locator("#breakout-clock")).to_have_text(re.compile(r"^(4:[0-5]\d|5:00)$"))
    expect(ana.locator("#agenda")).to_be_hidden()  # in a room, the room comes first
    audit("breakout room (phone)", ana, "participant-breakout")
    audit("console with rooms open", fac)
    fac.get_by_role("button", name="Close all rooms now").click()
    for page in pages.values():
        expect(page.locator("#breakout")).to_be_hidden()
        expect(page.locator("#floor")).to_be_visible()

    # The end: everyone sees the ended view with what to do next.
    fac.get_by_role("button", name="End the session").click()
    everyone_sees("#view-ended")
    audit("ended (phone)", ana, "participant-ended")

    # The report: attendance, turns, the poll and the minutes, on the page and in Markdown.
    fac.get_by_role("link", name="Session report").click()
    expect(fac.get_by_role("heading", name="Attendance")).to_be_visible()
    for name in ("Ana", "Ben", "Cy"):
        expect(fac.locator("main")).to_contain_text(name)
    audit("report", fac, "report")
    with fac.expect_download() as info:
        fac.get_by_role("link", name="Report (Markdown)").click()
    text = open(info.value.path(), encoding="utf-8").read()
    assert "How useful is this session so far?" in text
    assert "Thank you, this helps" not in text  # chat stays out unless switched on for the meeting
    for item in ("Check-in", "Screen break", "Sharing"):
        assert item in text

    assert problems == {name: [] for name in problems}
