"""Breakout rooms in Chromium, against the real server and its timed-jobs loop.

A facilitator opens two rooms for three participants with a short timer; each participant sees
their room, its members and its chat (a message in one room never shows in the other); the
deadline moves when the facilitator extends and shortens it; the warning arrives (shown and
announced); the server's job loop ends the round and everyone is back in the main room.
A second test runs a round by hand: help requests, visiting, broadcast, moving someone, late
joiners, closing early, and room chat still readable in the console afterwards.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .browser_state import apply_in_browser
from .console_nav import console_tab
from .test_join_flow import create_session, join, live_console, sign_in

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/breakout-shots")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def enter(context, code, name, tag=None):
    page = join(context, code, name, tag)
    page.get_by_role("button", name="I accept these ground rules").click()
    expect(page.locator("#view-room")).to_be_visible()
    return page


def room_card(fac, name):
    return fac.locator("#bo-rooms .bo-room", has=fac.get_by_role("heading", name=re.compile(f"^{re.escape(name)}")))


def prepare(fac, rooms=2, minutes=0, seconds=40, warn=20):
    panel = console_tab(fac, "Breakouts").locator("#breakouts")
    panel.get_by_label("Number of rooms").fill(str(rooms))
    panel.get_by_label("Minutes", exact=True).fill(str(minutes))
    panel.get_by_label("Seconds", exact=True).fill(str(seconds))
    panel.get_by_label("Warn every room this many seconds before the end").fill(str(warn))
    panel.get_by_role("button", name="Prepare the rooms").click()
    expect(panel.locator("#bo-round")).to_be_visible()
    expect(panel.locator("#bo-rooms .bo-room")).to_have_count(rooms)


def place(fac, person, room):
    """Put someone in a room with the keyboard-friendly select and its button."""
    console_tab(fac, "Breakouts")
    fac.get_by_label(f"Room for {person}").select_option(label=room)
    button = fac.get_by_role("button", name=f"Move {person}", exact=True)
    if button.is_enabled():  # disabled: they are in that room already
        button.click()
    expect(room_card(fac, room)).to_contain_text(person)


def clock_seconds(page, selector):
    text = page.locator(selector).inner_text()
    parts = [int(p) for p in text.split(":")]
    return parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) == 3 else 0)


def send(page, form, text):
    box = page.locator(f"{form} textarea")
    box.fill(text)
    box.press("Enter")
    expect(box).to_have_value("")


def test_two_rooms_three_people_timer_warning_and_return(new_context, live_server):
    fac = new_context(viewport={"width": 1280, "height": 1000}).new_page()
    sign_in(fac, live_server)
    create_session(fac, "Breakout group", tags="Nursing, Medicine")
    fac.get_by_role("button", name="Start now").click()
    code = fac.locator("#join-code").inner_text()
    ana = enter(new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True),
                code, "Ana", "Nursing")
    ben = enter(new_context(), code, "Ben", "Medicine")
    cy = enter(new_context(), code, "Cy", "Medicine")
    expect(fac.locator("#people tr")).to_have_count(3)

    # Prepare two rooms, 40 s with a warning 20 s before the end; assign, then adjust by hand.
    prepare(fac, rooms=2, seconds=40, warn=20)
    fac.locator("#breakouts").get_by_role("button", name="Balanced by group").click()
    expect(fac.locator("#bo-rooms .bo-member")).to_have_count(3)
    # Balanced: the two Medicine people are not together.
    for room in ("Room 1", "Room 2"):
        expect(room_card(fac, room).get_by_text("Medicine")).to_have_count(1)
    place(fac, "Ana", "Room 1")
    place(fac, "Ben", "Room 1")
    place(fac, "Cy", "Room 2")
    expect(room_card(fac, "Room 1").locator(".bo-member")).to_have_count(2)
    # Nobody has seen anything yet: it is a preview.
    expect(ana.locator("#breakout")).to_be_hidden()
    shot(fac, "console-draft")

    fac.get_by_role("button", name="Open the rooms").click()
    expect(fac.locator("#bo-running")).to_be_visible()

    # Each participant is in their room: its name, its members, a running clock.
    for page, room, mates, outsider in ((ana, "Room 1", ["Ana", "Ben"], "Cy"),
                                        (ben, "Room 1", ["Ana", "Ben"], "Cy"),
                                        (cy, "Room 2", ["Cy"], "Ana")):
        expect(page.locator("#breakout")).to_be_visible()
        expect(page.locator("#breakout-h")).to_have_text(room)
        for mate in mates:
            expect(page.locator("#breakout-members")).to_contain_text(mate)
        expect(page.locator("#breakout-members")).not_to_contain_text(outsider)
        expect(page.locator("#floor")).to_be_hidden()      # the main room's panels step aside
        expect(page.locator("#main-chat")).to_be_hidden()
        expect(page.locator("#announce-assertive")).to_contain_text(f"You are now in {room}")
    assert 0 < clock_seconds(ana, "#breakout-clock") <= 40

    # Room chat: Room 1 hears Ana, Room 2 does not; Cy's message stays in Room 2.
    send(ana, "#room-chat-form", "Hello room one")
    expect(ben.locator("#room-chat-list")).to_contain_text("Hello room one")
    expect(ben.locator("#room-chat-list .msg").last).to_contain_text("Ana")
    send(cy, "#room-chat-form", "Only room two here")
    expect(cy.locator("#room-chat-list")).to_contain_text("Only room two here")
    expect(ana.locator("#room-chat-list")).to_contain_text("Hello room one")
    expect(cy.locator("#room-chat-list")).not_to_contain_text("Hello room one")
    expect(ana.locator("#room-chat-list")).not_to_contain_text("Only room two here")
    expect(ben.locator("#room-chat-list")).not_to_contain_text("Only room two here")
    shot(ana, "participant-room-360")

    # The facilitator gives a minute more, then takes it back: everyone's clock follows.
    fac.get_by_role("button", name="+1 min").click()
    expect(ana.locator("#breakout-clock")).to_have_text(re.compile(r"^1:\d\d$"))
    fac.get_by_role("button", name="−1 min").click()
    expect(ana.locator("#breakout-clock")).to_have_text(re.compile(r"^0:\d\d$"))

    # The warning arrives in every room (shown, and announced), then time runs out.
    for page in (ana, ben, cy):
        expect(page.locator("#breakout-warning")).to_be_visible(timeout=35_000)
        expect(page.locator("#breakout-warning")).to_contain_text("wrap up")
    expect(cy.locator("#announce-assertive")).to_contain_text("Time to wrap up")
    expect(fac.locator("#bo-clock-note")).to_contain_text("warning sent", timeout=5_000)
    shot(ana, "participant-warning-360")

    for page in (ana, ben, cy):
        expect(page.locator("#breakout")).to_be_hidden(timeout=35_000)
        expect(page.locator("#breakout-back")).to_contain_text("Time is up")
        expect(page.locator("#floor")).to_be_visible()
        expect(page.locator("#main-chat")).to_be_visible()
        expect(page.locator("#breakout-lobby")).to_be_hidden()
    expect(ana.locator("#announce-assertive")).to_contain_text("back in the main room")
    shot(ana, "participant-back-360")

    # The console is ready for a new round, and the round is in the history with its chats.
    expect(fac.locator("#bo-create")).to_be_visible()
    expect(fac.locator("#bo-history")).to_be_visible()
    fac.locator("#bo-history summary").click()
    fac.get_by_role("button", name=re.compile("^Room 2 chat")).click()
    expect(fac.locator("#croom-list")).to_contain_text("Only room two here")
    expect(fac.locator("#croom-list")).not_to_contain_text("Hello room one")
    expect(fac.locator("#croom-closed")).to_be_visible()
    shot(fac, "console-after")


def test_running_round_help_visit_broadcast_move_late_joiner_and_close(new_context, live_server):
    fac, code = live_console(new_context, live_server, "Breakout running")
    dee = enter(new_context(), code, "Dee")
    eli = enter(new_context(viewport={"width": 360, "height": 740}, is_mobile=True), code, "Eli")
    expect(fac.locator("#people tr")).to_have_count(2)

    panel = console_tab(fac, "Breakouts").locator("#breakouts")
    panel.get_by_label("Named rooms").check()
    panel.get_by_label("Room names, one per line").fill("Garden\nLibrary")
    panel.get_by_label("Minutes", exact=True).fill("10")
    panel.get_by_role("button", name="Prepare the rooms").click()
    expect(panel.locator("#bo-rooms .bo-room")).to_have_count(2)
    # Opening with nobody placed is refused, clearly, and nothing opens.
    panel.get_by_role("button", name="Open the rooms").click()
    expect(panel.locator("#bo-error")).to_contain_text("Nobody is in a room yet")
    place(fac, "Dee", "Garden")
    place(fac, "Eli", "Library")
    panel.get_by_role("button", name="Open the rooms").click()
    expect(dee.locator("#breakout-h")).to_have_text("Garden")
    expect(eli.locator("#breakout-h")).to_have_text("Library")

    # Eli asks for help: the console flags the room; visiting shows the facilitator there.
    eli.get_by_role("button", name="Ask for help").click()
    expect(eli.locator("#breakout-help")).to_have_attribute("aria-pressed", "true")
    expect(room_card(fac, "Library")).to_contain_text("Asks for help")
    expect(fac.locator("#bo-help-alert")).to_contain_text("Library")
    expect(fac.locator("#announce-assertive")).to_contain_text("Library asks for help")
    expect(room_card(fac, "Garden")).not_to_contain_text("Asks for help")
    shot(fac, "console-help")
    fac.get_by_role("button", name="Visit Library").click()
    expect(eli.locator("#breakout-staff")).to_contain_text("Fran")
    expect(dee.locator("#breakout-staff")).to_be_hidden()
    expect(fac.locator("#ctab-rooms")).to_have_attribute("aria-selected", "true")
    send(fac, "#croom-form", "I am here, Eli")
    expect(eli.locator("#room-chat-list")).to_contain_text("I am here, Eli")
    expect(dee.locator("#room-chat-list")).not_to_contain_text("I am here, Eli")
    console_tab(fac, "Breakouts")
    fac.get_by_role("button", name="Clear help request: Library").click()
    expect(eli.locator("#breakout-help")).to_have_attribute("aria-pressed", "false")
    fac.get_by_role("button", name="Return to the main room").click()
    expect(eli.locator("#breakout-staff")).to_be_hidden()

    # A broadcast reaches every room's chat.
    fac.get_by_label("Message to every room").fill("Five minutes left, please")
    fac.get_by_role("button", name="Send to all rooms").click()
    for page in (dee, eli):
        expect(page.locator("#room-chat-list .msg.broadcast")).to_contain_text("Five minutes left, please")

    # Moving Dee to the Library: she sees the Library and its chat at once, not the Garden's.
    place(fac, "Dee", "Library")
    expect(dee.locator("#breakout-h")).to_have_text("Library")
    expect(dee.locator("#room-chat-list")).to_contain_text("I am here, Eli")
    expect(eli.locator("#breakout-members")).to_contain_text("Dee")

    # A late joiner is placed into the running round.
    fay = enter(new_context(), code, "Fay")
    expect(fay.locator("#breakout-lobby")).to_be_visible()
    expect(fac.locator("#bo-unassigned")).to_contain_text("Fay")
    fac.get_by_role("button", name="Place late joiners").click()
    expect(fay.locator("#breakout")).to_be_visible()

    # Close early: everyone back, told why; the facilitator still reads the rooms' chat.
    fac.once("dialog", lambda d: d.accept())
    fac.get_by_role("button", name="Close all rooms now").click()
    for page in (dee, eli, fay):
        expect(page.locator("#breakout")).to_be_hidden()
        expect(page.locator("#breakout-back")).to_contain_text("closed the breakout rooms")
    console_tab(fac, "Chat")
    fac.get_by_role("tab", name=re.compile("Rooms")).click()
    fac.get_by_label("Room", exact=True).select_option(label="Library")
    expect(fac.locator("#croom-list")).to_contain_text("I am here, Eli")
    expect(fac.locator("#croom-form")).to_be_hidden()


def test_chat_main_private_backchannel_moderation(new_context, live_server):
    fac, code = live_console(new_context, live_server, "Chat group")
    gus = enter(new_context(viewport={"width": 360, "height": 740}, is_mobile=True), code, "Gus")
    hal = enter(new_context(), code, "Hal")

    # Main chat: everyone sees it, with the writer's name, newest at the bottom.
    send(gus, "#main-chat-form", "Morning all")
    send(hal, "#main-chat-form", "Hi Gus")
    expect(fac.locator("#cmain-list .msg")).to_have_count(2)
    expect(gus.locator("#main-chat-list .msg").last).to_contain_text("Hi Gus")
    expect(gus.locator("#main-chat-list .msg").last).to_contain_text("Hal")
    expect(gus.locator("#main-chat-count")).to_have_text("0 of 1000 characters")

    # A private message reaches the facilitators only; the facilitator replies to that person.
    send(gus, "#direct-chat-form", "Can I leave ten minutes early?")
    expect(fac.locator("#ctab-direct-badge")).to_contain_text("1 new")
    expect(fac.locator("#tab-chat-badge")).to_contain_text("3 new")  # two in the main chat, one private
    console_tab(fac, "Chat")
    fac.get_by_role("tab", name=re.compile("Private")).click()
    expect(fac.locator("#cdirect-list")).to_contain_text("Can I leave ten minutes early?")
    send(fac, "#cdirect-form", "Of course, Gus")
    expect(gus.locator("#direct-chat-list")).to_contain_text("Of course, Gus")
    expect(hal.locator("#direct-chat-list")).not_to_contain_text("Of course, Gus")
    expect(hal.locator("#main-chat-list")).not_to_contain_text("leave ten minutes")

    # The back-channel never reaches participants.
    fac.get_by_role("tab", name="Facilitators").click()
    send(fac, "#cback-form", "Keep an eye on time")
    expect(fac.locator("#cback-list")).to_contain_text("Keep an eye on time")
    expect(gus.locator("body")).not_to_contain_text("Keep an eye on time")

    # Delete: gone for everyone.
    fac.get_by_role("tab", name="Main").click()
    fac.once("dialog", lambda d: d.accept())
    fac.locator("#cmain-list .msg", has_text="Hi Gus").get_by_role("button", name="Delete message from Hal").click()
    expect(gus.locator("#main-chat-list")).not_to_contain_text("Hi Gus")
    expect(fac.locator("#cmain-list .msg")).to_have_count(1)

    # Mute one person: their form goes, with the reason; the line to the facilitators stays.
    fac.locator("#cmain-list .msg", has_text="Morning all").get_by_role("button", name="Mute Gus's chat").click()
    expect(gus.locator("#main-chat-note")).to_contain_text("paused your chat")
    expect(gus.locator("#main-chat-form")).to_be_hidden()
    expect(gus.locator("#direct-chat-form")).to_be_visible()
    expect(fac.locator("#cmain-list").get_by_role("button", name="Unmute Gus's chat")).to_be_visible()
    send(hal, "#main-chat-form", "Still here")
    fac.locator("#cmain-list").get_by_role("button", name="Unmute Gus's chat").click()
    expect(gus.locator("#main-chat-form")).to_be_visible()

    # Chat off: main chat closes for participants, and opens again.
    fac.get_by_label("Chat on for participants").uncheck()
    expect(hal.locator("#main-chat-note")).to_contain_text("switched chat off")
    expect(hal.locator("#main-chat-form")).to_be_hidden()
    fac.get_by_label("Chat on for participants").check()
    expect(hal.locator("#main-chat-form")).to_be_visible()

    # The rate limit's refusal is shown under the box, and the text is kept to send later.
    box = hal.locator("#main-chat-form textarea")
    error = hal.locator("#main-chat-error")
    for i in range(7):
        box.fill(f"burst {i}")
        box.press("Enter")
        hal.wait_for_function("() => document.querySelector('#main-chat-input').value === ''"
                              " || !document.querySelector('#main-chat-error').hidden")
        if error.is_visible():
            break
    expect(error).to_contain_text("a lot of messages")
    expect(box).to_have_value(re.compile(r"^burst \d$"))
    shot(gus, "participant-chat-360")
    shot(fac, "console-chat")


# ---- the browser's reducer is the server's ---------------------------------------------------

def _msg(i, channel, *, room_id=None, participant_id=None, author_pid=5, text=None):
    return {"id": i, "channel": channel, "room_id": room_id, "participant_id": participant_id,
            "author": {"participant_id": author_pid, "user_id": None if author_pid else 1,
                       "name": "Ana" if author_pid else "Fran", "role": "participant" if author_pid else "facilitator"},
            "kind": "message", "text": text or f"message {i}", "sent_at": "2025-01-01T10:00:00+00:00"}


def _env(type_, op, stream, seq, data):
    return {"type": type_, "op": op, "stream": stream, "seq": seq, "data": data}


def _room_view(room_id, name, *, help_at=None, warned_at=None):
    return {"round": {"id": 3, "opened_at": "2025-01-01T10:00:00+00:00", "ends_at": "2025-01-01T10:10:00+00:00",
                      "warn_seconds": 120, "warned_at": warned_at},
            "room": {"id": room_id, "name": name},
            "members": [{"id": 5, "name": "Ana", "role": "participant", "group_tag": None}],
            "staff": [], "help_at": help_at}


def _participant_case():
    snap = {"meeting": {"id": 1, "state": "live"}, "me": {"id": 5, "role": "participant"}, "gate": False,
            "seq": {"meeting": 10, "p5": 3},
            "chat": {"enabled": True, "main": [_msg(i, "main") for i in range(1, 201)], "muted": False, "direct": []},
            "breakouts": {"round": None}, "breakout": None}
    public = {"round": {"id": 3, "choosing": False, "opened_at": "2025-01-01T10:00:00+00:00",
                        "ends_at": "2025-01-01T10:10:00+00:00", "warn_seconds": 120, "warned_at": None,
                        "rooms": [{"id": 7, "name": "Room 1", "count": 1}]}}
    assigned = {"breakout": {**_room_view(7, "Room 1"), "chat": [_msg(300, "room", room_id=7)]},
                "stream": "b7", "seq": 4, "reason": "opened"}
    moved = {"breakout": {**_room_view(9, "Room 2"), "chat": []}, "stream": "b9", "seq": 2, "reason": "moved"}
    events = [
        _env("chat", "posted", "meeting", 11, _msg(201, "main")),          # trims the oldest of 200
        _env("breakouts", "updated", "meeting", 12, public),
        _env("breakout", "assigned", "p5", 4, assigned),
        _env("chat", "posted", "b7", 5, _msg(301, "room", room_id=7)),
        _env("room", "updated", "b7", 6, _room_view(7, "Room 1", help_at="2025-01-01T10:02:00+00:00")),
        _env("room", "warning", "b7", 7, _room_view(7, "Room 1", warned_at="2025-01-01T10:08:00+00:00")),
        _env("chat", "deleted", "b7", 8, {"id": 300, "channel": "room", "room_id": 7, "participant_id": None}),
        _env("chat", "posted", "p5", 5, _msg(302, "direct", participant_id=5)),
        _env("chat", "posted", "p5", 6, _msg(303, "direct", participant_id=5, author_pid=None)),
        _env("chat", "deleted", "p5", 7, {"id": 302, "channel": "direct", "room_id": None, "participant_id": 5}),
        _env("chat", "settings", "meeting", 13, {"enabled": False}),
        _env("chat", "me", "p5", 8, {"muted": True}),
        _env("breakout", "assigned", "p5", 9, moved),                       # drops b7, follows b9
        _env("room", "updated", "b7", 9, _room_view(7, "Room 1")),           # a late event of the room left
        _env("chat", "posted", "b7", 10, _msg(304, "room", room_id=7)),     # ditto: not shown in Room 2
        _env("chat", "deleted", "meeting", 14, {"id": 5, "channel": "main", "room_id": None, "participant_id": None}),
        _env("breakout", "returned", "p5", 10, {"round_id": 3, "reason": "ended"}),
    ]
    return snap, events


def _facilitator_case():
    round_ = {"id": 3, "state": "draft", "mode": None, "choosing": False, "duration_seconds": 600, "warn_seconds": 120,
              "created_at": "2025-01-01T10:00:00+00:00", "opened_at": None, "ends_at": None, "warned_at": None,
              "closed_at": None, "close_reason": None,
              "rooms": [{"id": 7, "position": 1, "name": "Room 1", "help_at": None, "members": [], "staff": []}]}
    snap = {"meeting": {"id": 1, "state": "live"}, "me": {"role": "facilitator", "user_id": 1}, "gate": False,
            "seq": {"meeting": 10, "facilitators": 20},
            "chat": {"enabled": True, "main": []}, "breakouts": {"round": None},
            "private": {"breakouts": [{**round_, "id": 1, "state": "closed"}],
                        "chat": {"muted": [], "backchannel": [],
                                 "direct": [_msg(i, "direct", participant_id=5) for i in range(1, 201)]
                                 + [_msg(500, "direct", participant_id=6, author_pid=6)],
                                 "rooms": [_msg(600, "room", room_id=7)]}}}
    events = [
        _env("breakouts", "round", "facilitators", 21, round_),
        _env("breakouts", "round", "facilitators", 22, {**round_, "state": "open", "mode": "random"}),
        _env("breakouts", "round", "facilitators", 23, {**round_, "id": 4}),
        _env("breakouts", "discarded", "facilitators", 24, {"id": 4}),
        _env("chat", "posted", "facilitators", 25, _msg(601, "direct", participant_id=5)),  # trims 5's only
        _env("chat", "posted", "facilitators", 26, _msg(602, "backchannel", author_pid=None)),
        _env("chat", "posted", "facilitators", 27, _msg(603, "room", room_id=7)),
        _env("chat", "posted", "meeting", 11, _msg(604, "main")),
        _env("chat", "deleted", "facilitators", 28, {"id": 600, "channel": "room", "room_id": 7, "participant_id": None}),
        _env("chat", "deleted", "facilitators", 29, {"id": 500, "channel": "direct", "room_id": None, "participant_id": 6}),
        _env("chat", "deleted", "facilitators", 30, {"id": 602, "channel": "backchannel", "room_id": None,
                                                     "participant_id": None}),
        _env("chat", "muted", "facilitators", 31, {"participant_ids": [5, 6]}),
        _env("chat", "settings", "meeting", 12, {"enabled": False}),
        _env("chat", "deleted", "meeting", 13, {"id": 604, "channel": "main", "room_id": None, "participant_id": None}),
    ]
    return snap, events


def test_the_browser_reducer_mirrors_the_server_reducer(browser, live_server):
    """static/js/live.js applyEvent (with state-breakouts.js) gives, event after event, exactly
    the snapshot facilitator/state.py apply_event gives, for every breakout and chat event."""
    from facilitator.state import apply_event

    page = browser.new_page()
    try:
        page.goto(live_server.url("/"))
        for snap, events in (_participant_case(), _facilitator_case()):
            expected, steps = snap, []
            for env in events:
                expected = apply_event(expected, env)
                steps.append(expected)
            got = apply_in_browser(page, snap, events)
            for i, (want, have) in enumerate(zip(steps, got, strict=True)):
                assert have == want, f"after event {i} {events[i]['type']}.{events[i]['op']} on {events[i]['stream']}"
        # An event the client has no reducer for makes it resync (null), as the server's raises.
        unknown = page.evaluate("""async () => {
            const { applyEvent } = await import('/static/js/live.js');
            return applyEvent({ seq: {}, chat: { main: [] } }, { type: 'chat', op: 'bogus', stream: 'meeting', seq: 1, data: {} });
        }""")
        assert unknown is None
    finally:
        page.close()
