"""Polls and signals in Chromium: a rating poll launched, answered by two people, shared, and
seen as a chart by both; "need a break" and the private support signal reach the console."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .console_nav import console_tab
from .room_nav import room_tab
from .test_accessibility import serious
from .test_floor import enter
from .test_join_flow import live_console

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def test_rating_poll_published_to_everyone(new_context, live_server):
    fac, code = live_console(new_context, live_server, "Poll group")
    pia = enter(new_context(viewport={"width": 360, "height": 740}, is_mobile=True), code, "Pia")
    quinn = enter(new_context(), code, "Quinn")

    console_tab(fac, "Polls")
    fac.locator("#polls-admin summary").click()
    fac.locator("#polls-admin").get_by_label("Question").fill("How useful was today?")
    fac.locator("#polls-admin").get_by_label("Kind").select_option("rating")
    fac.get_by_role("button", name="Launch now").click()

    # Voters are told before voting that the poll is anonymous.
    for page in (pia, quinn):
        expect(page.locator(".poll-card.open")).to_contain_text("How useful was today?")
        expect(page.locator(".poll-card.open")).to_contain_text("Anonymous: nobody, not even the facilitators")
    assert serious(pia) == [], "participant with a poll open"
    pia.locator(".rating-point", has_text="4").click()
    pia.get_by_role("button", name="Send my answer").click()
    expect(pia.locator(".poll-card")).to_contain_text("Your answer is in.")
    expect(pia.locator(".poll-card")).to_contain_text("Results will be shown when the facilitator shares them.")
    quinn.locator(".rating-point", has_text="2").click()
    quinn.get_by_role("button", name="Send my answer").click()
    expect(quinn.locator(".poll-card")).to_contain_text("Your answer is in.")

    # The facilitator sees the results at once; participants only after sharing.
    admin = fac.locator("#poll-admin-list .poll-admin").first
    expect(admin).to_contain_text("2 answers")
    expect(admin).to_contain_text("Average: 3.0 out of 5")
    expect(pia.locator(".results-table")).to_have_count(0)
    admin.get_by_role("button", name="Share results").click()
    for page in (pia, quinn):
        room_tab(page, "Polls")
        expect(page.locator(".poll-card .results-table")).to_be_visible()
        expect(page.locator(".poll-card")).to_contain_text("Average: 3.0 out of 5")
        expect(page.locator(".poll-card .results-table tr", has_text="4")).to_contain_text("1 of 2 voters (50%)")

    assert serious(pia) == [], "participant seeing shared results"
    assert serious(fac) == [], "console with a poll"

    # A second voter's details are never shown for an anonymous poll.
    expect(admin).not_to_contain_text("Who answered what")
    SHOTS.mkdir(exist_ok=True)
    pia.screenshot(path=str(SHOTS / "participant-poll.png"), full_page=True)


def test_need_a_break_and_private_support(new_context, live_server):
    fac, code = live_console(new_context, live_server, "Signals group")
    rae = enter(new_context(), code, "Rae")
    sol = enter(new_context(), code, "Sol")

    room_tab(rae, "People")
    rae.get_by_role("button", name="I need a break").click()
    expect(rae.get_by_role("button", name="I need a break")).to_have_attribute("aria-pressed", "true")
    expect(fac.locator("#break-count")).to_have_text("1")
    expect(fac.locator("#signal-list")).to_contain_text("Rae")

    sol.get_by_role("button", name="I need support").click()
    expect(sol.locator("#support-state")).to_contain_text("Sent")
    alert = fac.locator("#support-list .support-alert")
    expect(alert).to_contain_text("Sol needs support")
    assert serious(fac) == [], "console with a support request"
    # Nobody else can tell: Rae's page shows nothing of it.
    expect(rae.locator("body")).not_to_contain_text("Sol needs support")
    alert.get_by_role("button", name="Acknowledge").click()
    expect(sol.locator("#support-state")).to_contain_text("A facilitator has seen your request")
    expect(fac.locator("#support-list .support-alert")).to_have_count(0)

    # The facilitator clears Rae's signal; her toggle turns off.
    console_tab(fac, "People")
    fac.locator("#signal-list li", has_text="Rae").get_by_role("button", name="Clear").click()
    expect(rae.get_by_role("button", name="I need a break")).to_have_attribute("aria-pressed", "false")
    expect(fac.locator("#break-count")).to_have_text("0")

    # Reactions show briefly to everyone with counts.
    rae.get_by_role("button", name="Clap").click()
    expect(sol.locator("#reaction-burst")).to_contain_text("1")


def test_voting_in_one_poll_keeps_another_half_filled_and_change_my_answer_moves_focus(new_context, live_server):
    """Review of issue 18, finding 8: sending an answer redrew every poll form on the page, wiping
    what the person had started in another; "Change my answer" left focus on a removed button."""
    from .test_room_layout import call, demo, phone_joins
    fac, code = demo(new_context, live_server)
    page = phone_joins(new_context, code)  # the check-in waits in the now card
    evenings = call(fac, "poll.create", {"kind": "multiple", "question": "Which evenings suit you?",
                                         "options": ["Monday", "Tuesday"], "launch": True,
                                         "anonymous": False, "allow_change": True})["poll"]
    word = call(fac, "poll.create", {"kind": "text", "question": "One word for today?", "launch": True})["poll"]
    panel = room_tab(page, "Polls")
    evenings_card = panel.locator(f".poll-card[data-poll-id='{evenings['id']}']")
    word_card = panel.locator(f".poll-card[data-poll-id='{word['id']}']")
    word_card.get_by_label("Your answer").fill("Hopeful")  # started, not sent

    evenings_card.get_by_label("Monday").check()
    evenings_card.get_by_role("button", name="Send my answer").click()
    expect(evenings_card).to_contain_text("Your answer is in.")
    expect(word_card.get_by_label("Your answer")).to_have_value("Hopeful")

    # Change my answer: the keyboard lands in the new form, on its first choice.
    evenings_card.get_by_role("button", name="Change my answer").click()
    expect(evenings_card.get_by_label("Monday")).to_be_focused()
    evenings_card.get_by_label("Tuesday").check()
    evenings_card.get_by_role("button", name="Send my answer").click()
    expect(evenings_card).to_contain_text("Your answer is in.")
    expect(word_card.get_by_label("Your answer")).to_have_value("Hopeful")
