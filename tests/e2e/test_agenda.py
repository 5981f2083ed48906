"""The agenda in Chromium: a three-item agenda with a break, run through by the facilitator;
participants (one on a phone) see the current item, the break screen comes and goes, the pinned
"what I heard" summary reaches them, and the exported Markdown minutes hold the decisions and
actions recorded in the console."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .browser_state import apply_in_browser
from .test_accessibility import serious
from .test_floor import enter
from .test_join_flow import create_session, live_console, sign_in

pytestmark = pytest.mark.e2e


def add_item(fac, title, kind, minutes):
    box = fac.locator("#agenda-add-box")
    if not box.evaluate("el => el.open"):
        box.locator("summary").click()
    fac.locator("#agenda-title").fill(title)
    fac.locator("#agenda-kind").select_option(kind)
    fac.locator("#agenda-minutes").fill(str(minutes))
    fac.get_by_role("button", name="Add to the agenda").click()
    expect(fac.locator("#agenda-list > li").filter(has_text=title)).to_have_count(1)


def item(page, title):
    return page.locator("#agenda-list > li").filter(has_text=title)


def test_three_item_agenda_with_a_break_run_through_and_minutes(new_context, live_server):
    fac, code = live_console(new_context, live_server, "MDT Thursday")
    ana = enter(new_context(viewport={"width": 360, "height": 740}, is_mobile=True), code, "Ana")
    ben = enter(new_context(), code, "Ben")

    add_item(fac, "Check-in", "checkin", 5)
    add_item(fac, "Screen break", "break", 1)
    add_item(fac, "Care plan for J", "decision", 20)
    expect(ana.locator("#agenda-room-list li")).to_have_count(3)

    # Minutes for the decision item, written in the console before or during the meeting.
    care = item(fac, "Care plan for J")
    care.locator("summary").click()
    care.get_by_label("Decision", exact=True).fill("Refer J to physiotherapy")
    care.get_by_role("button", name="Record decision").click()
    expect(care.get_by_text("Decision: Refer J to physiotherapy")).to_be_visible()
    care.get_by_label("Action: what").fill("Book the scan")
    care.get_by_label("Owner").fill("Dr Okafor")
    care.get_by_label("Due (optional)").fill("2031-03-11")
    care.get_by_role("button", name="Record action").click()
    expect(care.get_by_text("Action: Book the scan (owner: Dr Okafor, due 2031-03-11)")).to_be_visible()
    console_problems = serious(fac)

    # Run it: the check-in is current for everyone.
    fac.get_by_role("button", name="Start the agenda").click()
    expect(fac.locator("#agenda-now-title")).to_have_text("Check-in")
    for page in (ana, ben):
        expect(page.locator("#agenda-room-title")).to_have_text("Check-in")
        expect(page.locator('#agenda-room-list li[aria-current="step"]')).to_contain_text("Check-in")
        expect(page.locator("#agenda-room-note")).to_have_text("left for this item")

    # The check-in starts a go-round: everyone present in turn, Ana first.
    fac.get_by_role("button", name="Start a go-round for the check-in").click()
    expect(ana.locator("#you-have-floor")).to_be_visible()
    expect(ben.locator("#speaker-line")).to_have_text("Ana has the floor.")
    fac.get_by_role("button", name="Stop the round").click()
    expect(ana.locator("#you-have-floor")).to_be_hidden()

    # What I heard: pinned on everyone's view.
    fac.get_by_label("Summary").fill("You want more time for the care plan.")
    fac.get_by_role("button", name="Pin for everyone").click()
    expect(ana.locator("#heard-room-text")).to_have_text("You want more time for the care plan.")

    # The break: everyone gets the break screen with its countdown, and is brought back.
    fac.get_by_role("button", name="Next item").click()
    expect(fac.locator("#agenda-now-title")).to_have_text("Screen break")
    for page in (ana, ben):
        expect(page.locator("#break-screen")).to_be_visible()
        expect(page.locator("#break-screen")).to_contain_text("look away from the screen")
        expect(page.locator("#floor")).to_be_hidden()
    problems = {"break screen": serious(ana)}
    # The break ends at its stored deadline without anyone acting: on Ben's device time moves on
    # 70 s (a fake clock installed after the page connected), and his page brings him back by itself.
    ben.clock.install()
    ben.clock.fast_forward("01:10")
    expect(ben.locator("#break-screen")).to_be_hidden()
    expect(ben.locator("#floor")).to_be_visible()
    expect(ana.locator("#break-screen")).to_be_visible()  # on real time the break still runs
    fac.get_by_role("button", name="Next item").click()  # the facilitator ends the break early
    for page in (ana, ben):
        expect(page.locator("#break-screen")).to_be_hidden()
        expect(page.locator("#floor")).to_be_visible()
        expect(page.locator("#agenda-room-title")).to_have_text("Care plan for J")

    # The break reminder, set to 1 minute: once the facilitator's clock passes it (counted from the
    # end of the last break) the console prompts for a break; "Not now" puts it away. (The fake
    # clock is installed after the page connected; the page's next call resyncs its offset.)
    fac.locator("#agenda-settings-form").evaluate("el => el.closest('details').open = true")
    fac.get_by_label("Remind me to add a break after this many minutes without one (0: never)").fill("1")
    fac.get_by_role("button", name="Save", exact=True).click()
    expect(fac.locator("#agenda-break-prompt")).to_be_hidden()
    fac.clock.install()
    fac.clock.fast_forward("01:05")
    expect(fac.locator("#agenda-break-prompt")).to_contain_text("It has been 1 minute without a break")
    expect(fac.get_by_role("button", name="Add a 10-minute break next")).to_be_visible()
    fac.get_by_role("button", name="Not now").click()
    expect(fac.locator("#agenda-break-prompt")).to_be_hidden()
    fac.get_by_role("button", name="Finish the agenda").click()
    expect(fac.locator("#agenda-now")).to_be_hidden()
    expect(ana.locator("#agenda-room-now")).to_be_hidden()
    expect(ana.locator("#agenda-room-list li.state-done")).to_have_count(3)

    # The minutes page lists planned vs actual; the Markdown download holds decisions and actions.
    fac.get_by_role("link", name="Minutes: planned and actual time, downloads").click()
    expect(fac.get_by_role("heading", name="Minutes: MDT Thursday")).to_be_visible()
    expect(fac.get_by_role("rowheader", name="Care plan for J")).to_be_visible()
    problems.update({"console with minutes open": console_problems, "minutes page": serious(fac)})
    assert problems == {"break screen": [], "console with minutes open": [], "minutes page": []}
    with fac.expect_download() as info:
        fac.get_by_role("link", name="Minutes (Markdown)").click()
    text = open(info.value.path(), encoding="utf-8").read()
    assert text.startswith("# Minutes: MDT Thursday\n")
    assert "### Decisions\n\n- Refer J to physiotherapy\n" in text
    assert "### Actions\n\n- Book the scan (owner: Dr Okafor, due 2031-03-11)\n" in text
    assert "| 2 | Screen break | Break | — | 1:00 |" in text
    assert "You want more time for the care plan." in text


def test_the_browser_reducer_mirrors_agenda_events(browser, live_server, app, factory):
    """static/js/live.js applyEvent gives, event after event, exactly what facilitator/state.py
    apply_event gives for the agenda, minutes and "what I heard" events a real run publishes."""
    from facilitator.actions import agenda as ag
    from facilitator.actions import minutes as mn
    from facilitator.extensions import db
    from facilitator.models import Meeting
    from facilitator.state import apply_event, snapshot
    from tests.unit.support import small_room, verify_action

    r = small_room(factory)
    fac, ann = r.actors[0], r.actors[1]
    with app.app_context():
        before = {a: snapshot(db.session.get(Meeting, r.mid), a) for a in (fac, ann)}
    steps = [lambda m: ag.do_add(m, {"title": "Check-in", "kind": "checkin", "planned_seconds": 300}),
             lambda m: ag.do_add(m, {"title": "Break", "kind": "break", "planned_seconds": 600}),
             lambda m: ag.do_move(m, ag.check_next(fac, m, None)),
             lambda m: ag.do_extend(m, ag.check_running(fac, m), 60),
             lambda m: mn.do_add_decision(m, ag.items_of(m.id)[0], "Meet weekly"),
             lambda m: mn.do_post_heard(fac, m, "You would like a longer break."),
             lambda m: ag.do_move(m, ag.items_of(m.id)[1]),
             lambda m: ag.do_settings(m, 40)]
    envelopes = [env for step in steps for env in verify_action(app, r.mid, r.actors[:2], step)]
    page = browser.new_page()
    try:
        page.goto(live_server.url("/"))
        for actor in (fac, ann):
            mine = [e for e in envelopes if e["stream"] in before[actor]["seq"]]
            expected, want = before[actor], []
            for env in mine:
                expected = apply_event(expected, env)
                want.append(expected)
            got = apply_in_browser(page, before[actor], mine)
            assert {(e["type"], e["op"]) for e in mine} >= ({("agenda", "updated"), ("heard", "updated")} | (
                {("agenda", "private")} if actor is fac else set()))
            for i, (w, g) in enumerate(zip(want, got, strict=True)):
                assert g == w, f"{actor.role}: after event {i} {mine[i]['type']}.{mine[i]['op']}"
    finally:
        page.close()


def test_typing_the_next_item_is_kept_when_the_last_ack_arrives_late(new_context, live_server):
    """A change's event reaches the console before its ack. A facilitator who sees the item listed
    and starts typing the next one must not have that text wiped when the ack lands. The acks are
    held back at the page's WebSocket, so the order is forced rather than left to timing."""
    held: list = []
    holding = {"on": False}

    def relay(ws):
        server = ws.connect_to_server()
        ws.on_message(server.send)

        def from_server(message):
            # Engine.IO message (4) carrying a Socket.IO ack (3): "43<id>[...]".
            if holding["on"] and isinstance(message, str) and message.startswith("43"):
                held.append(message)
            else:
                ws.send(message)
        server.on_message(from_server)
        holding["page_ws"] = ws

    fac = new_context(viewport={"width": 1280, "height": 1000}).new_page()
    fac.route_web_socket("**/socket.io/**", relay)
    sign_in(fac, live_server)
    create_session(fac, "Weekly MDT")
    fac.get_by_role("button", name="Start now").click()
    expect(fac.locator("#state-badge")).to_have_text("Live")

    holding["on"] = True
    box = fac.locator("#agenda-add-box")
    if not box.evaluate("el => el.open"):
        box.locator("summary").click()
    fac.locator("#agenda-title").fill("Welcome")
    fac.get_by_role("button", name="Add to the agenda").click()
    expect(item(fac, "Welcome")).to_have_count(1)  # the event is through; its ack is held
    for _ in range(100):  # the add's ack follows its event closely (other acks may be held too)
        if any('"item_id"' in m for m in held):
            break
        fac.wait_for_timeout(50)
    assert any('"item_id"' in m for m in held), held
    fac.locator("#agenda-title").fill("Referrals")

    holding["on"] = False
    for message in held:
        holding["page_ws"].send(message)
    expect(fac.locator("#announce-polite")).to_have_text("Added “Welcome”.")
    expect(fac.locator("#agenda-title")).to_have_value("Referrals")

    # With nothing typed since, a successful add does clear the field.
    fac.get_by_role("button", name="Add to the agenda").click()
    expect(item(fac, "Referrals")).to_have_count(1)
    expect(fac.locator("#agenda-title")).to_have_value("")
