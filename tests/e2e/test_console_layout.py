"""The console beside a video call (issue 18): at 680x740 (half a 1366x768 laptop) and at
1366x768, in the demo session's state, what the facilitator needs now is inside the first
viewport, checked by bounding boxes; the rest is in ARIA tabs that work with the keyboard; axe
finds nothing serious in any tab; nothing in the "running now" tiles is cut short; the turn
clock has words and announcements for screen readers; Call next says whom it passed over; the
lists drawn again on every change or clock tick keep the keyboard's place; someone reconnecting
is marked where they could be given the floor."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .console_nav import TABS, console_tab
from .test_accessibility import serious
from .test_join_flow import create_session, join, live_console, sign_in

pytestmark = pytest.mark.e2e
SIZES = [(680, 740), (1366, 768)]


def demo_console(new_context, live_server, width, height, scheme="light"):
    """A fresh demo session (6 people, Robin speaking, 3 hands, signals, Jo's support request,
    Kit reconnecting with a contact plan, an agenda and a poll), its console at this size."""
    out = live_server.flask("demo", live_server.email).stdout
    meeting_id = int(re.search(r"session (\d+)", out).group(1))
    page = new_context(viewport={"width": width, "height": height}, color_scheme=scheme).new_page()
    sign_in(page, live_server)
    page.goto(f"/meetings/{meeting_id}")
    expect(page.locator("#queue .queue-item")).to_have_count(3)
    expect(page.locator("#speaker-clock")).to_have_text(re.compile(r"\d:\d\d"))
    return page


def in_first_viewport(page, locator, what):
    page.evaluate("window.scrollTo(0, 0)")
    box = locator.bounding_box()
    size = page.viewport_size
    assert box is not None, f"{what}: not rendered"
    assert box["x"] >= 0 and box["y"] >= 0, f"{what}: starts outside the first viewport ({box})"
    assert box["x"] + box["width"] <= size["width"] + 0.5, f"{what}: cut at the right ({box}, {size})"
    assert box["y"] + box["height"] <= size["height"] + 0.5, f"{what}: below the first viewport ({box}, {size})"
    # Beside a video call the tab list is a bar fixed at the bottom: nothing may hide behind it.
    bar = page.evaluate("""() => { const t = document.getElementById('console-tabs');
        return getComputedStyle(t).position === 'fixed' ? t.getBoundingClientRect().top : null; }""")
    if bar is not None and what != "the tab list":
        assert box["y"] + box["height"] <= bar + 0.5, f"{what}: behind the tab bar at y={bar} ({box})"


@pytest.mark.parametrize("width,height", SIZES)
def test_what_the_facilitator_needs_now_is_on_the_first_screen(new_context, live_server, width, height):
    page = demo_console(new_context, live_server, width, height)
    expect(page.locator("#people-strip .pchip")).to_have_count(6)
    essentials = {
        "speaker": page.locator("#speaker-name"),
        "turn clock": page.locator("#speaker-clock"),
        "End turn": page.get_by_role("button", name="End turn"),
        "Call next": page.get_by_role("button", name="Call next"),
        "attention band": page.locator("#attention-band"),
        "Jo's support request": page.locator("#attention-band .support-alert", has_text="Jo needs support"),
        "its Acknowledge": page.locator("#attention-band").get_by_role("button", name=re.compile("Acknowledge Jo")),
        "balance index": page.locator("#balance-index"),
        "not spoken yet": page.locator("#not-yet"),
        "the tab list": page.get_by_role("tablist", name="Console panels"),
    }
    for i, name in enumerate(["Pat", "Alex", "Jo"]):
        hand = page.locator("#queue .queue-item").nth(i)
        expect(hand).to_contain_text(name)
        essentials[f"hand {i + 1} ({name})"] = hand
        essentials[f"Call {name}"] = hand.get_by_role("button", name=f"Give the floor to {name}")
    for name in ["Robin", "Sam", "Alex", "Jo", "Kit", "Pat"]:
        essentials[f"{name} in the strip"] = page.locator("#people-strip .pchip", has_text=name)
    for name in ["Jo", "Kit"]:
        essentials[f"{name} not yet spoken"] = page.locator("#not-yet").get_by_role("button", name=f"Invite {name}")
    for what, locator in essentials.items():
        expect(locator).to_be_visible()
        in_first_viewport(page, locator, what)
    # What the strip tells: Robin speaks, Kit is reconnecting, Pat needs a break, hands by place.
    strip = page.locator("#people-strip")
    expect(strip.locator(".pchip", has_text="Robin")).to_contain_text("Speaking")
    expect(strip.locator(".pchip", has_text="Kit")).to_contain_text("Reconnecting")
    expect(strip.locator(".pchip", has_text="Pat")).to_contain_text("Needs a break")
    expect(strip.locator(".pchip", has_text="Pat")).to_contain_text("Hand 1st")
    expect(strip.locator(".pchip", has_text="Sam")).to_contain_text("Slow down")
    expect(strip.locator(".pchip", has_text="Jo")).to_contain_text("Not spoken")
    expect(page.locator("#balance-index")).to_have_text(re.compile(r"^0\.\d\d$"))
    # The attention band is an unmissable colour: not the page's background.
    band = page.locator("#attention-band").evaluate("el => getComputedStyle(el).borderTopWidth")
    assert float(band.rstrip("px")) >= 3
    height_px = page.evaluate("document.documentElement.scrollHeight")
    print(f"\nconsole at {width}x{height}: document scrollHeight {height_px}px")
    # With nothing needing the facilitator, the band is gone (not an empty box).
    page.locator("#attention-band").get_by_role("button", name=re.compile("Acknowledge Jo")).click()
    expect(page.locator("#attention-band")).to_be_hidden()


@pytest.mark.parametrize("width,height", SIZES)
def test_running_now_tiles_show_their_facts_in_full(new_context, live_server, width, height):
    """The glance tiles used to cut "Agenda: Shari…" and "1 person need…" at 1366 px."""
    page = demo_console(new_context, live_server, width, height)
    tiles = page.locator(".glance .tile")
    expect(tiles.first).to_be_visible()
    expect(page.locator(".glance")).to_contain_text("Sleep and evenings")
    cut = page.evaluate("""() => [...document.querySelectorAll('.glance .tile, .glance .tile *')]
        .filter((el) => el.scrollWidth > el.clientWidth + 1 || getComputedStyle(el).textOverflow === 'ellipsis')
        .map((el) => `${el.className}: ${el.textContent.trim()} (${el.scrollWidth} > ${el.clientWidth})`)""")
    assert cut == []
    # Each running thing has its own tile: the open poll is not folded into "and 1 more".
    expect(page.locator(".glance")).to_contain_text("How is the call working for you?")
    for value in page.locator(".glance [data-v]").all():
        text = value.inner_text()
        assert not text.endswith("…") and "..." not in text, text


@pytest.mark.parametrize("width,height,scheme", [(680, 740, "light"), (1366, 768, "dark")])
def test_every_tab_has_no_serious_accessibility_problem(new_context, live_server, width, height, scheme):
    page = demo_console(new_context, live_server, width, height, scheme)
    problems = {"now": serious(page)}
    for name in TABS:
        console_tab(page, name)
        problems[name] = serious(page)
    assert problems == {k: [] for k in problems}


def test_the_keyboard_reaches_the_now_controls_in_order_and_the_tabs_take_arrows(new_context, live_server):
    page = demo_console(new_context, live_server, 680, 740)
    page.locator("#console").evaluate("el => { el.tabIndex = -1; el.focus(); }")
    reached = []
    for _ in range(80):
        page.keyboard.press("Tab")
        here = page.evaluate("""() => { const el = document.activeElement;
            return { name: el.getAttribute('aria-label') || el.textContent.trim().replace(/\\s+/g, ' '),
                     role: el.getAttribute('role') || el.tagName.toLowerCase(), id: el.id,
                     now: Boolean(el.closest('#now, #attention-band')) }; }""")
        reached.append(here)
        if here["role"] == "tab":
            break
    names = [r["name"] for r in reached]
    assert reached[-1]["role"] == "tab" and reached[-1]["id"] == "tab-agenda", names

    def at(pattern):
        found = [i for i, n in enumerate(names) if re.search(pattern, n)]
        assert found, f"{pattern} not reached by Tab: {names}"
        return found[0]

    order = [at(r"^Acknowledge Jo"), at(r"^End turn$"), at(r"^Call next$"), at(r"^Lower all$"),
             at(r"^Give the floor to Pat$"), at(r"^Give the floor to Alex$"), at(r"^Give the floor to Jo$"),
             at(r"^Invite Jo"), at(r"^Invite Kit"), at(r"Sleep and evenings")]
    assert order == sorted(order), names
    # Every enabled control of the now column and the band was reached, none twice.
    controls = page.evaluate("""() => [...document.querySelectorAll(
        '#attention-band button, #attention-band a, #now button, #now a, #now input')]
        .filter((el) => !el.disabled && el.offsetParent !== null).length""")
    in_now = [r for r in reached if r["now"]]
    assert len(in_now) == controls, names
    # The tabs: arrows move and select, Home and End go to the ends, a number key opens one.
    tab = page.locator("#tab-agenda")
    expect(tab).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#tab-polls")).to_be_focused()
    expect(page.locator("#tab-polls")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#tp-polls")).to_be_visible()
    expect(page.locator("#tp-agenda")).to_be_hidden()
    expect(page.locator("#tab-agenda")).to_have_attribute("tabindex", "-1")
    page.keyboard.press("End")
    expect(page.locator("#tab-join")).to_be_focused()
    expect(page.locator("#tp-join")).to_contain_text("Code")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#tab-agenda")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#tab-join")).to_be_focused()
    page.keyboard.press("Home")
    expect(page.locator("#tab-agenda")).to_have_attribute("aria-selected", "true")
    page.locator("body").press("4")
    expect(page.locator("#tab-chat")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#tp-chat")).to_be_visible()
    # Each panel is labelled by its tab; badges say what waits: Jo's private message, the poll.
    assert page.locator("#tp-chat").get_attribute("aria-labelledby") == "tab-chat"
    expect(page.locator("#tab-polls-badge")).to_contain_text("1 open")
    expect(page.locator("#tab-people-badge")).to_contain_text("2 signals")


def test_the_turn_clock_speaks_in_words_and_announces_the_last_minute(new_context, live_server):
    page = demo_console(new_context, live_server, 680, 740)
    words = page.locator("#speaker-clock-text")
    assert page.locator("#speaker-clock").get_attribute("aria-hidden") == "true"
    expect(words).to_have_text(re.compile(r"^Turn clock: Speaking for (less than a minute|\d+ minutes?)\.$"))
    assert words.evaluate("el => !el.closest('[aria-hidden=true]')")
    first = words.inner_text()
    page.wait_for_timeout(2500)
    assert words.inner_text() == first, "the words change at a coarse rate, not every second"
    # A go-round turn of 70 seconds: one minute left, then time up, said politely.
    page.get_by_role("button", name="End turn").click()
    expect(page.locator("#speaker-name")).to_have_text("Nobody has the floor.")
    panel = console_tab(page, "Go-round")
    for box in panel.locator("#round-people input").all():
        box.set_checked(False)
    panel.get_by_label("Robin").check()
    panel.get_by_label("Seconds each").fill("70")
    panel.get_by_role("button", name="Start the round").click()
    expect(page.locator("#speaker-name")).to_have_text("Robin has the floor")
    expect(words).to_have_text("Turn clock: 1 minute left.")
    page.clock.install()
    page.clock.fast_forward("00:15")
    expect(page.locator("#announce-polite")).to_contain_text("One minute left for Robin.")
    expect(words).to_have_text("Turn clock: Less than a minute left.")
    page.clock.fast_forward("01:00")
    expect(page.locator("#announce-polite")).to_contain_text("Time is up for Robin.")
    expect(words).to_have_text(re.compile(r"^Turn clock: Over time by"))


def test_call_next_says_whom_it_passed_over(new_context, live_server):
    fac, code = live_console(new_context, live_server, "Passed over")
    pages = {}
    for name in ("Uma", "Vic"):
        context = new_context()
        pages[name] = join(context, code, name)
        pages[name].get_by_role("button", name="I accept these ground rules").click()
        expect(pages[name].locator("#view-room")).to_be_visible()
    pages["Uma"].get_by_role("button", name="New point").click()
    expect(fac.locator("#queue .queue-item")).to_have_count(1)
    pages["Vic"].get_by_role("button", name="New point").click()
    expect(fac.locator("#queue .queue-item")).to_have_count(2)
    pages["Uma"].close(run_before_unload=False)  # her connection drops: no Leave
    expect(fac.locator("#people-strip .pchip", has_text="Uma")).to_contain_text("Reconnecting", timeout=20_000)
    # Her hand says so, and so does its Call (the server would refuse it: not connected).
    uma = fac.locator("#queue .queue-item", has_text="Uma")
    expect(uma).to_contain_text("Reconnecting")
    expect(uma.get_by_role("button", name="Give the floor to Uma (reconnecting)")).to_be_visible()
    expect(fac.locator("#queue .queue-item", has_text="Vic")).not_to_contain_text("Reconnecting")
    fac.get_by_role("button", name="Call next").click()
    expect(fac.locator("#speaker-name")).to_have_text("Vic has the floor")
    notice = fac.locator("#floor-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Uma is not connected")
    expect(notice).to_contain_text("called Vic instead")
    expect(fac.locator("#announce-assertive")).to_contain_text("Uma is not connected")
    in_first_viewport(fac, notice, "the passed-over notice")


def test_the_go_round_says_whose_turn_moved_to_the_end(new_context, live_server):
    fac, code = live_console(new_context, live_server, "Moved to the end")
    pages, contexts = {}, {}
    for name in ("Uma", "Vic", "Wes"):
        contexts[name] = new_context(viewport={"width": 360, "height": 740})
        pages[name] = join(contexts[name], code, name)
        pages[name].get_by_role("button", name="I accept these ground rules").click()
        expect(pages[name].locator("#view-room")).to_be_visible()
    pages["Uma"].close(run_before_unload=False)  # her connection drops: no Leave
    expect(fac.locator("#people-strip .pchip", has_text="Uma")).to_contain_text("Reconnecting", timeout=20_000)
    console_tab(fac, "Go-round")
    expect(fac.locator("#round-people input")).to_have_count(3)
    fac.get_by_role("button", name="Start the round").click()
    # Uma was first: her turn moves to the end of the round, Vic speaks, and the round says so.
    expect(fac.locator("#speaker-name")).to_have_text("Vic has the floor")
    expect(fac.locator("#round-text")).to_contain_text("2 of 4")  # her first place, passed, counts
    expect(fac.locator("#round-text")).to_contain_text("Not connected, turn moved to the end: Uma.")
    expect(fac.locator("#floor-notice")).to_contain_text("Uma is not connected")
    # The people in the room see only the order, not who is away: Wes is next, then Uma again.
    expect(pages["Wes"].locator("#round-line")).to_contain_text("Next: you.")
    # Uma comes back before her moved turn: her room tells her where it is.
    uma = contexts["Uma"].new_page()
    uma.goto(pages["Vic"].url)
    expect(uma.locator("#round-line")).to_contain_text("Your turn is 4th.")


def focused_label(page):
    return page.evaluate("() => document.activeElement && document.activeElement.getAttribute('aria-label')")


def test_lists_drawn_again_keep_the_keyboard_on_the_same_button(new_context, live_server):
    page = demo_console(new_context, live_server, 680, 740)
    # "Not spoken yet" while Robin speaks (the panel is redrawn every second): the focus stays.
    jo = page.get_by_role("button", name="Invite Jo: give them the floor")
    jo.focus()
    page.wait_for_timeout(2500)
    expect(jo).to_be_focused()
    assert focused_label(page) == "Invite Jo: give them the floor"
    # Kit's connection dropped (demo): the chip and its button say so.
    kit = page.get_by_role("button", name="Invite Kit (reconnecting): give them the floor")
    expect(kit).to_contain_text("(reconnecting)")
    # A hand moved down with the keyboard: the focus follows it to its new place.
    first = page.locator("#queue .queue-item .person-name").first.inner_text()
    page.get_by_role("button", name=f"Move {first} down").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#queue .queue-item").nth(1)).to_contain_text(first)
    expect(page.get_by_role("button", name=f"Move {first} down")).to_be_focused()
    # At the bottom its down button is disabled: the keyboard goes to its up button instead.
    page.keyboard.press("Enter")
    expect(page.locator("#queue .queue-item").nth(2)).to_contain_text(first)
    expect(page.get_by_role("button", name=f"Move {first} up")).to_be_focused()
    # Called from the list: the hand leaves it, the keyboard lands on the next hand's Call.
    page.get_by_role("button", name="Give the floor to Jo").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#speaker-name")).to_have_text("Jo has the floor")
    expect(page.locator("#queue .queue-item")).to_have_count(2)
    assert (focused_label(page) or "").startswith("Give the floor to "), focused_label(page)


def test_keyboard_focus_never_hides_behind_the_tab_bar_or_the_band(new_context, live_server):
    page = demo_console(new_context, live_server, 680, 740)
    page.evaluate("window.scrollTo(0, 0)")
    seen = 0
    for _ in range(45):
        page.keyboard.press("Tab")
        where = page.evaluate("""() => {
            const el = document.activeElement;
            if (!el || el === document.body || el.closest('#console-tabs, #attention-band')) return null;
            const r = el.getBoundingClientRect();
            const bar = document.getElementById('console-tabs').getBoundingClientRect();
            const band = document.getElementById('attention-band');
            // Only what comes after the band can be under it (it sticks to the top once scrolled).
            const after = band.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING;
            const top = band.hidden || !after ? 0 : band.getBoundingClientRect().bottom;
            return { what: el.getAttribute('aria-label') || el.textContent.trim().slice(0, 40),
                     top: r.top, bottom: r.bottom, bar: bar.top, band: top };
        }""")
        if where is None:
            continue
        seen += 1
        assert where["top"] >= where["band"] - 0.5, f"under the attention band: {where}"
        if where["bottom"] - where["top"] < where["bar"] - where["band"]:
            assert where["bottom"] <= where["bar"] + 0.5, f"behind the tab bar: {where}"
        else:  # a panel taller than the window: its start is in view
            assert where["top"] < where["bar"], f"behind the tab bar: {where}"
    assert seen > 20


def test_nothing_on_the_console_can_be_used_before_its_script_has_wired_it(new_context, live_server):
    """A click while the modules still load used to submit the agenda form the browser's way: a
    GET that reloaded the page with the item's title in the address, and no item added."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    fac = new_context(viewport={"width": 680, "height": 740}).new_page()
    sign_in(fac, live_server)
    create_session(fac, "Slow script")
    held = []
    fac.route("**/static/js/console.js*", lambda route: held.append(route))
    fac.reload(wait_until="commit")  # a module script holds DOMContentLoaded back until it has run
    summary = fac.locator("#agenda-add-box summary")
    expect(summary).to_be_visible()
    with pytest.raises(PlaywrightTimeout):
        summary.click(timeout=1500)
    assert not fac.locator("#agenda-add-box").evaluate("el => el.open")
    assert held, "the console's script was never requested"
    held[0].continue_()
    fac.unroute("**/static/js/console.js*")
    summary.click()
    fac.locator("#agenda-title").fill("Arrivals")
    fac.get_by_role("button", name="Add to the agenda").click()
    expect(fac.locator("#agenda-list > li").filter(has_text="Arrivals")).to_have_count(1)
    assert "title=" not in fac.url
