"""A participant's token never travels in a URL: not in the address bar after joining, not in any
request the page makes (pages, scripts, the Socket.IO handshake, long-polling or the websocket), so
it cannot leak through history, logs or a Referer. The join link's code is not a credential alone:
it only lets someone ask to join, under the limits of facilitator/limits.py."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_handshake import meeting  # noqa: F401  (the module's live meeting, made through the API)

pytestmark = pytest.mark.e2e


def test_the_token_is_in_no_url_after_joining(new_context, meeting):  # noqa: F811
    page = new_context().new_page()
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.on("websocket", lambda ws: urls.append(ws.url))
    code = meeting["join_code"]
    page.goto(f"/j/{code}")
    page.get_by_label("Your name in this session").fill("Tess")
    page.get_by_role("button", name="Continue to the ground rules").click()
    expect(page.get_by_role("heading", name="Ground rules")).to_be_visible()
    page.get_by_role("button", name="I accept these ground rules").click()
    expect(page.locator("#view-room")).to_be_visible()
    page.reload()
    expect(page.locator("#view-room")).to_be_visible()

    token = page.evaluate(f"() => JSON.parse(localStorage.getItem('facilitator:identity:{code}')).token")
    assert isinstance(token, str) and len(token) >= 32
    assert page.url.endswith(f"/r/{code}")
    assert any("/socket.io/" in u for u in urls), "the page did connect"
    leaks = [u for u in urls + [page.url] if token in u]
    assert leaks == []
