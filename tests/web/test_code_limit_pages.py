"""Issue 17, finding 4: reading `/privacy` or `/after` is not a join-code guess.

Both pages take an optional `?code=` (the join page and the room link them with the session's
code). Before the fix, a visit without a code was looked up as the empty code and counted as an
unknown one: ten views of the footer's privacy link locked the right code out for everyone
behind that address (429, Retry-After 600), and both pages then answered 429 themselves.

Now only a real wrong code or key counts, and those two pages never answer 429: past the limit
they show the general text without looking the code up, so they cannot be used to go on guessing.
"""
from __future__ import annotations

import pytest

from facilitator.limits import limiter
from tests.web.conftest import from_address

HERE = "203.0.113.5"


@pytest.mark.parametrize("page", ["/privacy", "/after", "/privacy?code=", "/after?code=", "/after?code=%20-%20"])
def test_reading_the_privacy_or_after_page_is_not_a_guess(app, factory, clock, page):
    mid, code = factory.meeting(factory.user(), title="Carers group")
    visitor = from_address(app, HERE)
    for _ in range(25):
        assert visitor.get(page).status_code == 200
    assert limiter("code", app).wait(HERE) is None  # nothing was counted
    assert visitor.get(f"/j/{code}").status_code == 200
    assert visitor.post(f"/j/{code}", json={"display_name": "Sam"}).status_code == 201


def test_a_sessions_own_pages_still_show_its_own_text(app, factory, clock):
    mid, code = factory.meeting(factory.user(), title="Carers group", retention_days=7,
                                after_text="Thank you, carers.")
    visitor = from_address(app, HERE)
    for _ in range(12):
        assert "Carers group" in visitor.get(f"/privacy?code={code}").get_data(as_text=True)
        assert "Thank you, carers." in visitor.get(f"/after?code={code}").get_data(as_text=True)
    assert limiter("code", app).wait(HERE) is None  # right codes never count


def test_past_the_limit_the_pages_answer_but_reveal_no_session(app, factory, clock):
    """Wrong codes sent to these pages are guesses like any other (a page that named the session
    would tell a right guess from a wrong one); past the limit the pages still answer, with the
    general text, and without looking the code up."""
    mid, code = factory.meeting(factory.user(), title="Carers group", after_text="Thank you, carers.")
    guesser = from_address(app, HERE)
    for i in range(10):
        assert guesser.get(f"/privacy?code=ZZZZZZZ{i}").status_code == 200
    assert limiter("code", app).wait(HERE) is not None  # ten wrong codes: this address is at its limit
    assert guesser.get(f"/j/{code}").status_code == 429
    privacy, after = guesser.get(f"/privacy?code={code}"), guesser.get(f"/after?code={code}")
    assert (privacy.status_code, after.status_code) == (200, 200)
    assert "Carers group" not in privacy.get_data(as_text=True)
    assert "Thank you, carers." not in after.get_data(as_text=True)
    assert "Retry-After" not in privacy.headers and "Retry-After" not in after.headers
    assert guesser.get("/privacy").status_code == 200 and guesser.get("/after").status_code == 200
