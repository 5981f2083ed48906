"""The participant's room on a phone (360x740), in the demo session's state (six sample people,
Robin speaking, three hands, an open check-in poll, an agenda): a real participant joins on a
phone and accepts the rules. What they can do now is on the first screen, by the boxes of the
elements: the hand, the reactions, "I need support" (also on the break screen and in a breakout
room) and the one now card; the rest is in tabs that axe passes, in the light and the dark scheme;
the keyboard reaches the actions bar first and every control in document order; nothing scrolls
sideways; after eight polls the page stays short (closed polls fold into "Past polls").

Also the room's bugs from issue 18: the notice about closed breakout rooms that stayed into the
next round (and a room list two screens down), poll shares of selections instead of voters, the
break screen hiding support and the private message, "Reply to the speaker" disabled without a
reason, a rule change sending the speaker back to the gate, the keyboard hint on phones, and a
turn clock screen readers could not hear.

The facilitator's side is driven through its own live connection (live.js on the console page,
the same socket events the console sends), so these tests do not depend on the console's layout."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .room_nav import room_tab
from .test_accessibility import serious
from .test_join_flow import create_session, join, sign_in

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/room-shots")
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
TABS = ("Chat", "Polls", "Agenda", "Rules", "People")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


# ---- the facilitator, through a live connection of its own ------------------------------------

def demo(new_context, live_server):
    """The demo session, its console open (for the join code) with a live connection to drive it."""
    out = live_server.flask("demo", live_server.email).stdout
    mid = int(re.search(r"demo session (\d+)", out).group(1))
    fac = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(fac, live_server)
    fac.goto(f"/meetings/{mid}")
    code = fac.locator("#join-code").inner_text()
    fac.evaluate("""async (mid) => {
        const { Live } = await import('/static/js/live.js');
        window.__fac = new Live({ meeting_id: mid });
        await new Promise((done) => { const t = setInterval(() => { if (window.__fac.snapshot) { clearInterval(t); done(); } }, 50); });
    }""", mid)
    return fac, code


def call(fac, name, data=None):
    ack = fac.evaluate("([name, data]) => window.__fac.call(name, data)", [name, data or {}])
    assert ack["ok"], (name, ack)
    return ack


def fac_state(fac, expression):
    return fac.evaluate(f"() => {{ const s = window.__fac.snapshot; return {expression}; }}")


def person_id(fac, name):
    fac.wait_for_function("(n) => window.__fac.snapshot.private.people.some((p) => p.name === n)", arg=name)
    return fac_state(fac, f"s.private.people.find((p) => p.name === {name!r}).id")


def phone_joins(new_context, code, name="Lee", scheme="light"):
    page = join(new_context(color_scheme=scheme, **PHONE), code, name)
    page.get_by_role("button", name="I accept these ground rules").click()
    expect(page.locator("#view-room")).to_be_visible()
    return page


def answer_checkin(page):
    now = page.locator("#now-poll")
    expect(now).to_be_visible()
    now.get_by_label("Good").check()
    now.get_by_role("button", name="Send my answer").click()
    expect(now).to_be_hidden()


# ---- measuring ----------------------------------------------------------------------------------

def in_first_screen(page, selector):
    """The element's whole box is inside the first 360x740 viewport, the page scrolled to the top."""
    page.evaluate("window.scrollTo(0, 0)")
    loc = page.locator(selector)
    expect(loc).to_be_visible()
    box = loc.bounding_box()
    assert box is not None, selector
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 + 0.5, (selector, box)
    assert box["y"] >= 0 and box["y"] + box["height"] <= 740 + 0.5, (selector, box)
    return box


def not_covered(page, selector):
    """Nothing (the fixed actions bar, say) lies over the element's centre."""
    ok = page.locator(selector).evaluate("""(el) => {
        const r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + Math.min(r.height / 2, 20));
        return el.contains(hit);
    }""")
    assert ok, f"{selector} is covered"


def page_height(page):
    return page.evaluate("document.documentElement.scrollHeight")


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide at 360"


def tab_walk(page, presses=80):
    """Tab from the top of the page; what gets focus, in order, until focus leaves the room or comes back."""
    page.evaluate("window.scrollTo(0, 0); document.getElementById('main').focus()")  # the start of the page
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        key = page.evaluate("""() => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            if (!el.dataset.walk) el.dataset.walk = String(Math.random()).slice(2);
            return el.dataset.walk;
        }""")
        if key is None or key in seen:
            break
        seen.append(key)
    return seen


def describe(page, key):
    return page.evaluate("""(k) => {
        const el = document.querySelector(`[data-walk="${k}"]`);
        if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
        const copy = el.cloneNode(true);  // the name as heard: without what is aria-hidden
        copy.querySelectorAll('[aria-hidden=true], [hidden]').forEach((n) => n.remove());
        return copy.textContent.replace(/\\s+/g, ' ').trim() || el.id || el.tagName;
    }""", key)


# ---- the tests ----------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_demo_room_on_a_phone_first_screen_tabs_keyboard_and_axe(new_context, live_server, scheme):
    fac, code = demo(new_context, live_server)
    page = phone_joins(new_context, code, scheme=scheme)
    expect(page.locator("#speaker-line")).to_have_text("Robin has the floor.")

    # The first screen: the hand, the reactions, support, and the now card (the unanswered check-in).
    expect(page.locator("#now-poll")).to_contain_text("How is the call working for you?")
    for selector in ("[data-kind=new]", "[data-kind=reply]", "#reaction-buttons", "#support-send", "#now-poll"):
        in_first_screen(page, selector)
    for selector in ("#now-poll button[type=submit]", "#room-title"):
        not_covered(page, selector)
    expect(page.get_by_role("tab", name=re.compile("^Polls"))).to_contain_text("1")  # the badge
    no_sideways_scroll(page)
    shot(page, f"demo-first-screen-{scheme}")
    # On a touch screen there is no keyboard-shortcut hint.
    expect(page.locator(".shortcut-hint")).to_be_hidden()

    # Each tab: axe finds nothing serious, nothing scrolls sideways.
    problems = {}
    for name in TABS:
        panel = room_tab(page, name)
        expect(panel).to_be_visible()
        problems[name] = serious(page)
        no_sideways_scroll(page)
        shot(page, f"tab-{name.lower()}-{scheme}")
    assert problems == {name: [] for name in TABS}

    # The keyboard: the actions bar first, then the head, the now card, the tabs and the open panel,
    # every stop in document order, and every visible control reached.
    room_tab(page, "Chat")
    walk = tab_walk(page)
    names = [describe(page, k) for k in walk]
    assert names[:10] == ["New point", "Reply to the speaker", "Process point (about how we are working)",
                          "Thumbs up", "Clap", "Heart", "Laugh", "Agree", "Disagree", "I need support"], names
    assert names[10] == "Leave the session", names
    in_order = page.evaluate("""(keys) => keys.every((k, i) => i === 0 || (
        document.querySelector(`[data-walk="${keys[i - 1]}"]`).compareDocumentPosition(
            document.querySelector(`[data-walk="${k}"]`)) & Node.DOCUMENT_POSITION_FOLLOWING))""", walk)
    assert in_order, names
    missed = page.evaluate("""(keys) => {
        const reached = new Set(keys);
        const all = [...document.querySelectorAll('#view-room button, #view-room a[href], #view-room input, '
            + '#view-room textarea, #view-room select, #view-room [tabindex="0"]')];
        return all.filter((el) => el.checkVisibility() && el.tabIndex >= 0 && !el.disabled
            && !(el.type === 'radio' && !el.checked && el.form && [...el.form.elements].some((o) => o !== el && o.name === el.name && o.checked))
            && !(el.type === 'radio' && el.name && [...document.getElementsByName(el.name)].indexOf(el) > 0)
            && !reached.has(el.dataset.walk))
          .map((el) => el.id || el.getAttribute('aria-label') || el.innerText);
    }""", walk)
    assert missed == [], missed
    # Arrow keys move between tabs (and select them); Home and End go to the ends.
    page.get_by_role("tab", name=re.compile("^Chat")).focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name=re.compile("^Polls"))).to_be_focused()
    expect(page.get_by_role("tab", name=re.compile("^Polls"))).to_have_attribute("aria-selected", "true")
    page.keyboard.press("End")
    expect(page.get_by_role("tab", name="People")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Home")
    expect(page.get_by_role("tab", name=re.compile("^Chat"))).to_have_attribute("aria-selected", "true")

    # Chat while the person looks at another tab: the Chat tab counts it; opening Chat clears it.
    room_tab(page, "People")
    call(fac, "chat.send", {"channel": "main", "text": "Welcome, Lee."})
    chat_tab = page.get_by_role("tab", name=re.compile("^Chat"))
    expect(chat_tab).to_contain_text("1 new message")
    room_tab(page, "Chat")
    expect(chat_tab).to_have_text("Chat")

    # Answering the poll: it leaves the top, the badge goes, the answer is in the Polls tab.
    answer_checkin(page)
    expect(page.get_by_role("tab", name=re.compile("^Polls"))).to_have_text("Polls")
    room_tab(page, "Polls")
    expect(page.locator("#polls-list .poll-card")).to_contain_text("Your answer is in.")

    # Raising a hand: the place in the queue is on the first screen, with Lower.
    page.get_by_role("button", name="New point").click()
    expect(page.locator("#my-hand-text")).to_contain_text("4th in the queue")
    in_first_screen(page, "#my-hand-text")
    in_first_screen(page, "#lower-button")
    shot(page, f"hand-up-{scheme}")
    page.get_by_role("button", name="Lower my hand").click()
    expect(page.locator("#raise-kinds")).to_be_visible()


def test_page_height_stays_bounded_after_eight_polls_and_shares_are_of_voters(new_context, live_server):
    fac, code = demo(new_context, live_server)
    page = phone_joins(new_context, code)
    answer_checkin(page)
    before = page_height(page)

    # A multiple-choice poll: Lee picks two of three; the share is of voters (1 of 1, 100%), not of
    # the choices made (1 of 2, 50%).
    poll = call(fac, "poll.create", {"kind": "multiple", "question": "Which evenings suit you?",
                                     "options": ["Monday", "Tuesday", "Wednesday"], "launch": True,
                                     "visibility": "live"})["poll"]
    now = page.locator("#now-poll")
    expect(now).to_contain_text("Which evenings suit you?")
    in_first_screen(page, "#now-poll-h")
    in_first_screen(page, "#now-poll button[type=submit]")
    not_covered(page, "#now-poll button[type=submit]")
    shot(page, "poll-multiple")
    now.get_by_label("Monday").check()
    now.get_by_label("Tuesday").check()
    now.get_by_role("button", name="Send my answer").click()
    expect(now).to_be_hidden()
    panel = room_tab(page, "Polls")
    row = panel.locator(".results-table tr", has_text="Monday")
    expect(row).to_contain_text("1 of 1 voter (100%)")
    expect(panel.locator(".results-table tr", has_text="Wednesday")).to_contain_text("0 of 1 voter (0%)")
    call(fac, "poll.close", {"poll_id": poll["id"]})

    # Seven more, each launched, answered, closed, its results shared.
    for i in range(2, 9):
        p = call(fac, "poll.create", {"kind": "rating", "question": f"Question {i}: how are you?", "launch": True})["poll"]
        expect(now).to_contain_text(f"Question {i}")
        now.locator(".rating-point", has_text="4").click()
        now.get_by_role("button", name="Send my answer").click()
        expect(now).to_be_hidden()
        call(fac, "poll.close", {"poll_id": p["id"]})
        call(fac, "poll.publish", {"poll_id": p["id"]})
    past = page.locator("#past-polls")
    expect(past.locator("summary")).to_have_text("Past polls (8)")
    expect(past).not_to_have_attribute("open", "")
    expect(page.locator("#polls-list .poll-card")).to_have_count(1)  # the check-in, still open
    expect(page.locator("#polls-list .poll-card")).to_contain_text("How is the call working for you?")
    polls_height = page_height(page)
    room_tab(page, "Chat")
    chat_height = page_height(page)
    print(f"\nroom height at 360x740: demo after the check-in {before} px; after eight polls: "
          f"chat tab {chat_height} px, polls tab {polls_height} px")
    assert chat_height <= before + 50
    assert polls_height <= 1400
    room_tab(page, "Polls")
    past.locator("summary").click()
    expect(past.locator(".poll-card")).to_have_count(8)
    expect(past.locator(".poll-card").first).to_contain_text("Average: 4.0 out of 5")
    no_sideways_scroll(page)


def test_break_screen_keeps_support_and_the_private_message(new_context, live_server):
    fac, code = demo(new_context, live_server)
    page = phone_joins(new_context, code)
    answer_checkin(page)
    running = fac_state(fac, "s.agenda.items.find((i) => i.state === 'running').id")
    call(fac, "agenda.next", {"current_id": running})
    expect(page.locator("#break-screen")).to_be_visible()
    expect(page.locator("#floor")).to_be_hidden()
    expect(page.get_by_role("tab", name=re.compile("^Agenda"))).to_contain_text("changed")
    in_first_screen(page, "#break-h")
    in_first_screen(page, "#support-send")
    shot(page, "break-screen")
    assert serious(page) == []

    page.get_by_role("button", name="I need support").click()
    expect(page.locator("#support-state")).to_contain_text("Sent")
    panel = room_tab(page, "Chat")
    expect(panel.locator("#direct-chat-form")).to_be_visible()
    box = page.locator("#direct-chat-input")
    box.fill("Can I stay on for a word after the break?")
    box.press("Enter")
    expect(page.locator("#direct-chat-list")).to_contain_text("Can I stay on for a word")
    expect(page.locator("#break-screen")).to_be_visible()


def test_breakout_room_choice_comes_to_the_top_and_the_closed_notice_goes(new_context, live_server):
    fac, code = demo(new_context, live_server)
    page = phone_joins(new_context, code)
    answer_checkin(page)
    robin = person_id(fac, "Robin")

    def open_round(choosing):
        rnd = call(fac, "breakout.create", {"rooms": 2, "duration_seconds": 600, "choosing": choosing})["round"]
        call(fac, "breakout.assign", {"round_id": rnd["id"], "participant_id": robin, "room_id": rnd["rooms"][1]["id"]})
        call(fac, "breakout.open", {"round_id": rnd["id"]})
        return rnd

    # Choosing: the room list is the now card, on the first screen.
    first = open_round(choosing=True)
    expect(page.locator("#breakout-lobby")).to_be_visible()
    expect(page.locator("#breakout-lobby-h")).to_have_text("Choose a breakout room")
    in_first_screen(page, "#breakout-choose li:first-child button")
    shot(page, "breakout-choose")
    assert serious(page) == []
    page.get_by_role("button", name="Join Room 1").click()

    # In the room: its name and clock at the top, support still on the first screen.
    expect(page.locator("#breakout-h")).to_have_text("Room 1")
    in_first_screen(page, "#breakout-h")
    in_first_screen(page, "#support-send")
    in_first_screen(page, "#reaction-buttons")
    expect(page.locator("#raise-box")).to_be_hidden()  # no hands in a breakout room
    no_sideways_scroll(page)
    shot(page, "breakout-room")
    assert serious(page) == []

    # Closed: the notice says why...
    call(fac, "breakout.close", {"round_id": first["id"]})
    expect(page.locator("#breakout-back")).to_be_visible()
    expect(page.locator("#breakout-back")).to_contain_text("closed the breakout rooms")
    shot(page, "breakout-back")
    # ...and goes when the next round opens, whose room list is at the top again.
    open_round(choosing=True)
    expect(page.locator("#breakout-lobby-h")).to_have_text("Choose a breakout room")
    expect(page.locator("#breakout-back")).to_be_hidden()
    in_first_screen(page, "#breakout-choose li:first-child button")


def test_choosing_switched_on_while_rooms_are_open_brings_the_room_list_above_a_waiting_poll(new_context, live_server):
    """Review of issue 18, finding 1: the lobby card's kind changes (lobby -> lobby-choose) without
    its wish to be shown changing; the room list must still come above the poll that waits.
    Finding 3: its Join buttons keep the keyboard's focus across events."""
    fac, code = demo(new_context, live_server)
    page = phone_joins(new_context, code)
    expect(page.locator("#now-poll")).to_be_visible()  # the check-in waits, unanswered
    rnd = call(fac, "breakout.create", {"rooms": 2, "duration_seconds": 600, "choosing": False})["round"]
    call(fac, "breakout.assign", {"round_id": rnd["id"], "participant_id": person_id(fac, "Robin"),
                                  "room_id": rnd["rooms"][1]["id"]})
    call(fac, "breakout.open", {"round_id": rnd["id"]})
    expect(page.locator("#breakout-lobby-h")).to_have_text("Breakout rooms are open")
    expect(page.locator("#now-poll")).to_be_visible()  # a facilitator may place you: the poll stays on top
    expect(page.locator("#breakout-lobby")).to_be_hidden()

    call(fac, "breakout.choosing", {"round_id": rnd["id"], "open": True})
    expect(page.locator("#breakout-lobby-h")).to_have_text("Choose a breakout room")
    expect(page.locator("#breakout-lobby")).to_be_visible()
    expect(page.locator("#now-poll")).to_be_hidden()
    in_first_screen(page, "#breakout-choose li:first-child button")

    # The list is redrawn on every event (finding 3): the Join button with the keyboard keeps it,
    # even when its room is renamed meanwhile.
    page.get_by_role("button", name="Join Room 2").focus()
    call(fac, "breakout.rename", {"room_id": rnd["rooms"][1]["id"], "name": "Garden"})
    expect(page.get_by_role("button", name="Join Garden")).to_be_focused()

    # Choosing off again: the poll comes back to the top.
    call(fac, "breakout.choosing", {"round_id": rnd["id"], "open": False})
    expect(page.locator("#now-poll")).to_be_visible()
    expect(page.locator("#breakout-lobby")).to_be_hidden()


def test_tabbing_through_a_long_tab_never_hides_focus_behind_the_actions_bar(new_context, live_server):
    """Review of issue 18, finding 7: the actions bar is fixed at the bottom; every control the
    keyboard reaches below the tabs is scrolled clear of it (and of the sticky tab list above)."""
    fac, code = demo(new_context, live_server)
    page = phone_joins(new_context, code)
    answer_checkin(page)
    for name in ("Chat", "People"):
        room_tab(page, name)
        page.evaluate("window.scrollTo(0, 0)")
        page.get_by_role("tab", name=re.compile(rf"^{name}\b")).focus()
        seen = 0
        for _ in range(30):
            page.keyboard.press("Tab")
            got = page.evaluate("""() => {
                const el = document.activeElement;
                const panel = document.querySelector('.room-panel:not([hidden])');
                if (!el || !panel.contains(el)) return null;
                const r = el.getBoundingClientRect();
                return { what: el.id || el.textContent.trim().slice(0, 30), top: r.top, bottom: r.bottom,
                         bar: document.getElementById('action-bar').getBoundingClientRect().top,
                         tabs: document.getElementById('room-tabs').getBoundingClientRect().bottom };
            }""")
            if got is None:
                break
            seen += 1
            assert got["bottom"] <= got["bar"], (name, got)
            assert got["top"] >= got["tabs"] - 0.5, (name, got)
        assert seen >= 4, (name, seen)

    # The Agenda and Rules panels hold nothing focusable: the panel itself is the Tab stop after its tab.
    for name in ("Agenda", "Rules"):
        panel = room_tab(page, name)
        page.get_by_role("tab", name=re.compile(rf"^{name}\b")).focus()
        page.keyboard.press("Tab")
        expect(panel).to_be_focused()


def test_rule_change_over_the_room_the_speaker_keeps_the_floor(new_context, live_server):
    fac, code = demo(new_context, live_server)
    page = phone_joins(new_context, code)
    answer_checkin(page)
    lee = person_id(fac, "Lee")
    call(fac, "floor.call", {"participant_id": lee})
    expect(page.locator("#you-have-floor")).to_be_visible()

    items = fac_state(fac, "s.rules.items.map((r) => ({ title: r.title, text: r.text }))")
    items[0]["text"] = "Cameras on if you can, please."
    call(fac, "rules.set", {"items": items})
    # The room stays, the speaker keeps the floor; the change is the now card once the turn ends,
    # and the Rules tab says so meanwhile.
    expect(page.locator("#view-room")).to_be_visible()
    expect(page.locator("#view-gate")).to_be_hidden()
    expect(page.locator("#you-have-floor")).to_be_visible()
    expect(page.get_by_role("tab", name=re.compile("^Rules"))).to_contain_text("!")
    call(fac, "floor.end")
    change = page.locator("#rules-change")
    expect(change).to_be_visible()
    expect(change.locator("#change-rules .rule.changed")).to_have_count(1)
    expect(change.locator("#change-rules")).to_contain_text("Cameras on if you can, please.")
    in_first_screen(page, "#rules-change-h")
    shot(page, "rule-change")
    assert serious(page) == []
    page.get_by_role("button", name="I accept the changed rules").click()
    expect(change).to_be_hidden()
    expect(page.get_by_role("tab", name=re.compile("^Rules"))).to_have_text("Rules")
    fac.wait_for_function("(id) => window.__fac.snapshot.private.people.find((p) => p.id === id).rules_version_acked"
                          " === window.__fac.snapshot.rules.version", arg=lee)

    # Someone joining now still reads the rules first, at the gate.
    late = join(new_context(**PHONE), code, "Noor")
    expect(late.locator("#view-gate")).to_be_visible()
    expect(late.locator("#view-room")).to_be_hidden()


def test_reply_with_nobody_speaking_turn_clock_cues_and_keyboard_hint(new_context, live_server):
    fac, code = demo(new_context, live_server)
    page = phone_joins(new_context, code)
    answer_checkin(page)
    call(fac, "floor.end")
    expect(page.locator("#speaker-line")).to_have_text("Nobody has the floor right now.")

    # Reply: still a Tab stop, marked unavailable, with its reason shown and read.
    reply = page.get_by_role("button", name="Reply to the speaker")
    expect(reply).to_have_attribute("aria-disabled", "true")
    expect(reply).to_have_accessible_description("Nobody has the floor yet")
    expect(page.locator("#reply-reason")).to_be_visible()
    page.get_by_role("button", name="New point").focus()
    page.keyboard.press("Tab")
    expect(reply).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#floor-error")).to_contain_text("Nobody has the floor yet")
    expect(page.locator("#queue-line")).to_have_text("3 hands raised.")  # nothing was raised
    shot(page, "nobody-speaking")

    # A turn with a time box: the clock is hidden from screen readers, the coarse text is not,
    # and one minute left and time up are announced.
    lee = person_id(fac, "Lee")
    call(fac, "goround.start", {"participant_ids": [lee], "seconds": 62})
    expect(page.locator("#you-have-floor")).to_be_visible()
    in_first_screen(page, "#you-have-floor")
    expect(page.locator("#my-clock")).to_have_attribute("aria-hidden", "true")
    expect(page.locator("#my-clock-spoken")).to_have_text("About 2 minutes left in your turn.")
    shot(page, "you-have-the-floor")
    expect(page.locator("#announce-polite")).to_contain_text("One minute left in your turn.", timeout=8_000)
    expect(page.locator("#my-clock-spoken")).to_have_text("Less than a minute left in your turn.")
    page.clock.install()
    page.clock.fast_forward("01:10")
    expect(page.locator("#announce-polite")).to_contain_text("Your time is up")
    expect(page.locator("#my-clock-spoken")).to_have_text("Your time is up. Take the time you need to finish.")

    # The keyboard hint: not on a phone, but with a mouse.
    expect(page.locator(".shortcut-hint")).to_be_hidden()
    desk = join(new_context(viewport={"width": 1280, "height": 800}), code, "Dana")
    desk.get_by_role("button", name="I accept these ground rules").click()
    expect(desk.locator(".shortcut-hint")).to_be_visible()


def test_lobby_on_a_phone(new_context, live_server):
    """Before the start: the lobby note, nobody speaking (Reply says why), everything still on the first screen."""
    fac = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(fac, live_server)
    create_session(fac, "Lobby on a phone")
    mid = int(re.search(r"/meetings/(\d+)", fac.url).group(1))
    fac.evaluate("""async (mid) => {
        const { Live } = await import('/static/js/live.js');
        window.__fac = new Live({ meeting_id: mid });
        await new Promise((done) => { const t = setInterval(() => { if (window.__fac.snapshot) { clearInterval(t); done(); } }, 50); });
    }""", mid)
    call(fac, "meeting.state", {"state": "open"})
    code = fac.locator("#join-code").inner_text()
    for scheme in ("light", "dark"):
        page = phone_joins(new_context, code, name=f"Ola {scheme}", scheme=scheme)
        expect(page.locator("#state-note")).to_contain_text("This is the lobby")
        expect(page.get_by_role("button", name="Reply to the speaker")).to_have_attribute("aria-disabled", "true")
        for selector in ("[data-kind=new]", "#reaction-buttons", "#support-send", "#state-note", "#room-tabs"):
            in_first_screen(page, selector)
        no_sideways_scroll(page)
        shot(page, f"lobby-{scheme}")
        assert serious(page) == []
