"""axe-core in Chromium: no serious or critical violations on each page and main state,
in the light and the dark colour scheme, at phone width for participant pages."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .room_nav import room_tab
from .test_join_flow import create_session, join, sign_in

pytestmark = pytest.mark.e2e
AXE = Axe()


def serious(page) -> list[str]:
    # Audit the page as people see it: after its stylesheets have loaded (before that, the
    # browser's default link colours on a dark canvas fail contrast, which is not our page).
    page.wait_for_load_state("load")
    page.wait_for_function("Array.from(document.styleSheets).some((s) => s.href && s.href.endsWith('app.css'))")
    results = AXE.run(page)
    found = []
    for v in results.response["violations"]:
        if v["impact"] in ("serious", "critical"):
            targets = [", ".join(n["target"]) for n in v["nodes"]][:3]
            found.append(f"{v['id']} ({v['impact']}): {v['help']} at {targets}")
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_and_states_have_no_serious_violations(new_context, live_server, scheme):
    problems: dict[str, list[str]] = {}

    def check(name, page):
        problems[name] = serious(page)

    fac = new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900}).new_page()
    anon = new_context(color_scheme=scheme).new_page()
    anon.goto("/")
    check("home", anon)
    anon.goto("/login")
    check("login", anon)
    anon.goto("/privacy")
    check("privacy", anon)
    anon.goto("/join?code=ZZZZZZZZ")
    check("home with unknown code", anon)

    sign_in(fac, live_server)
    check("sessions list", fac)
    fac.get_by_role("link", name="New session").click()
    check("new session form", fac)
    fac.get_by_label("Title").fill("   ")  # passes the browser's check, fails the server's
    fac.get_by_role("button", name="Create session").click()
    expect(fac.get_by_role("alert")).to_be_visible()
    check("new session form with errors", fac)
    fac.goto("/meetings/")
    create_session(fac, f"Accessible group {scheme}", tags="Nursing, Medicine")
    check("console, empty", fac)
    fac.get_by_role("link", name="Edit details").click()
    check("edit session", fac)
    fac.go_back()
    fac.get_by_role("button", name="Open the lobby").click()
    code = fac.locator("#join-code").inner_text()

    phone = new_context(color_scheme=scheme, viewport={"width": 360, "height": 740}, is_mobile=True)
    page = phone.new_page()
    page.goto(f"/j/{code.replace('-', '')}")
    check("join", page)
    page = join(phone, code, "Ari", tag="Medicine")
    check("ground rules gate", page)
    page.get_by_role("button", name="I accept these ground rules").click()
    expect(page.locator("#view-room")).to_be_visible()
    check("room, lobby", page)
    expect(room_tab(page, "Rules").locator("#room-rules li").first).to_be_visible()
    check("room, rules tab", page)
    expect(fac.locator("#people tr")).to_have_count(1)
    check("console with a person", fac)
    fac.get_by_role("button", name="Start the session").click()
    expect(page.locator("#room-state")).to_have_text("Live")
    fac.once("dialog", lambda d: d.accept())
    fac.get_by_role("button", name="End the session").click()
    expect(page.locator("#view-ended")).to_be_visible()
    check("room, ended", page)
    anon.goto("/after")
    check("after the session", anon)
    anon.goto(f"/privacy?code={code.replace('-', '')}")
    check("privacy, for one session", anon)
    fac.get_by_role("link", name="Session report").click()
    expect(fac.get_by_role("heading", name=f"Session report: Accessible group {scheme}")).to_be_visible()
    check("session report", fac)

    failing = {k: v for k, v in problems.items() if v}
    assert len(problems) >= 15
    assert not failing, failing
