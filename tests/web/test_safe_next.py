"""Issue 17, finding 5: no open redirect after sign-in.

`/login?next=/%09/evil.example` used to answer `302 Location: //evil.example` after a correct
sign-in: the check looked at the string as typed, a browser removes tabs and newlines anywhere in
a URL, and `//host` is then another site. `safe_next` now reads `next` the way a browser will and
follows it only when it is a path on this site.

Each bypass below is tried three ways: `safe_next` itself, a sign-in that posts it as the form's
`next`, and a sign-in reached from `/login?next=...` (the login page must not carry it into its
form either). Where the sign-in lands is also resolved the way a browser resolves a Location
header (see `browser_resolve`), and must be this site.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit

import pytest

from facilitator.web.forms import safe_next

PW = "correct horse battery"
SITE = "http://localhost/login"

BYPASSES = [
    # tabs, newlines and other control characters, which a browser drops or trims
    "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\r\n/evil.example", "\t//evil.example",
    "\n//evil.example", "\x0c//evil.example", "\x00//evil.example", "/\x00/evil.example", "/\x7f/evil.example",
    "/\x85/evil.example", " //evil.example", "  /\\evil.example", "/ /evil.example", "//evil.example ",
    # scheme-relative, with slashes and backslashes in any mix
    "//evil.example", "///evil.example", "////evil.example", "//evil.example/meetings", "/\\evil.example",
    "\\/evil.example", "\\\\evil.example", "/\\/evil.example", "\\\\/evil.example", "//\\evil.example",
    "/\\\\evil.example", "\\evil.example",
    # schemes
    "https://evil.example/", "http://evil.example", "HTTPS://evil.example", "http:evil.example",
    "http:/evil.example", "http:\\\\evil.example", "https:///evil.example", "javascript:alert(1)",
    "JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "//localhost@evil.example", "https://localhost/meetings/",
    # percent-encoded forms of the above (as they reach the form after the query is decoded once)
    "/%09/evil.example", "/%0a/evil.example", "/%0D/evil.example", "/%00/evil.example", "/%2F/evil.example",
    "/%2f/evil.example", "%2F%2Fevil.example", "/%5Cevil.example", "/%5c/evil.example", "%5C%5Cevil.example",
    "/%252F/evil.example", "/%25252F%25252Fevil.example", "/%2509/evil.example", "%68ttp://evil.example",
    # not a path at all, and look-alikes of a slash
    "evil.example", "evil.example/meetings", "./evil.example", ".//evil.example", "@evil.example",
    "/\uff0f/evil.example", "/\u2215/evil.example", "/\u3000/evil.example", "/\u200b/evil.example",
    "",
]

LEGITIMATE = ["/meetings/3", "/meetings/new", "/meetings/?archived=1", "/meetings/3/report", "/account",
              "/meetings/3/edit#rules", "/meetings/cofacilitate/Ab_9-xY?x=1&y=%2F"]


def browser_resolve(location: str, base: str = SITE) -> str:
    """Where a browser goes for `location` on `base` (WHATWG URL parsing, the parts that matter
    here): leading and trailing C0 controls and spaces trimmed, tabs and newlines removed
    anywhere, and, for http(s), a backslash read as a slash."""
    loc = location.strip("".join(map(chr, range(0x21))))
    loc = re.sub(r"[\t\n\r]", "", loc)
    loc = loc.replace("\\", "/")
    return urljoin(base, loc)


def lands_here(location: str) -> bool:
    target = urlsplit(browser_resolve(location))
    return target.scheme == "http" and target.netloc == "localhost"


@pytest.mark.parametrize("target", BYPASSES)
def test_safe_next_refuses_every_known_bypass(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", LEGITIMATE)
def test_safe_next_keeps_a_path_on_this_site(target):
    assert safe_next(target) == target
    assert lands_here(target)


@pytest.mark.parametrize("target", BYPASSES)
def test_signing_in_with_a_bypass_lands_on_this_site(client, factory, target):
    factory.user(email="fac1@example.org")
    r = client.post("/login", data={"email": "fac1@example.org", "password": PW, "next": target})
    assert r.status_code == 302
    location = r.headers["Location"]
    assert lands_here(location), location
    assert urlsplit(browser_resolve(location)).path == "/meetings/"


@pytest.mark.parametrize("target", BYPASSES)
def test_the_login_page_does_not_carry_a_bypass_into_its_form(client, factory, target):
    page = client.get("/login?next=" + quote(target, safe=""))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "evil.example" not in html and "alert(1)" not in html


def test_the_reported_request_signs_in_to_this_site(client, factory):
    """The request as reported: the sign-in page opened at `/login?next=/%09/evil.example`, and its
    form submitted as a browser would (with whatever `next` the page put in it)."""
    factory.user(email="fac1@example.org")
    html = client.get("/login?next=/%09/evil.example").get_data(as_text=True)
    carried = re.search(r'name="next" value="([^"]*)"', html)
    form = {"email": "fac1@example.org", "password": PW}
    if carried:
        form["next"] = carried.group(1).replace("&#9;", "\t")
    r = client.post("/login", data=form)
    assert r.status_code == 302 and lands_here(r.headers["Location"]), r.headers["Location"]
    assert urlsplit(browser_resolve(r.headers["Location"])).path == "/meetings/"


@pytest.mark.parametrize("target", LEGITIMATE)
def test_a_legitimate_next_is_still_followed(client, factory, target):
    factory.user(email="fac1@example.org")
    form = client.get("/login?next=" + quote(target, safe="")).get_data(as_text=True)
    assert 'name="next"' in form
    r = client.post("/login", data={"email": "fac1@example.org", "password": PW, "next": target})
    assert r.status_code == 302
    assert r.headers["Location"] in (target, "http://localhost" + target)


def test_a_page_that_needs_sign_in_comes_back_to_itself(client, factory):
    """Flask-Login's own `next` (the page that sent the person to sign in) survives the check."""
    factory.user(email="fac1@example.org")
    to_login = client.get("/meetings/new")
    assert to_login.status_code == 302
    login_url = to_login.headers["Location"]
    next_value = re.search(r"[?&]next=([^&]+)", login_url)
    assert next_value, login_url
    html = client.get(login_url).get_data(as_text=True)
    carried = re.search(r'name="next" value="([^"]*)"', html)
    assert carried and carried.group(1) == "/meetings/new"
    r = client.post("/login", data={"email": "fac1@example.org", "password": PW, "next": carried.group(1)})
    assert r.headers["Location"] in ("/meetings/new", "http://localhost/meetings/new")


@pytest.mark.parametrize("target", ["/%FF", "/meetings/%C3", "/%252525252F/evil.example"])
def test_escapes_that_name_no_page_are_dropped(target):
    assert safe_next(target) is None
