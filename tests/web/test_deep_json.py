"""Issue 17, finding 10: JSON nested deeper than the parser can go is a bad request, not a 500.

5,000 levels of nesting sent to the REST API raised a RecursionError inside the JSON parser, which
the app answered as an internal error (500, with the traceback in the log). Every route that reads
a JSON body now answers it as it answers any other unreadable JSON: the API's usual 400 body, and
the JSON join's answer to a body that is not JSON.
"""
from __future__ import annotations

import logging

import pytest

from facilitator.extensions import db
from facilitator.models import Meeting
from tests.unit.support import dump_db

DEPTH = 5000
DEEP_BODIES = {
    "arrays": "[" * DEPTH + "]" * DEPTH,
    "objects": '{"a":' * DEPTH + "1" + "}" * DEPTH,
    "in a field": '{"title": "T", "rules": ' + "[" * DEPTH + "]" * DEPTH + "}",
}


def json_routes(app, meeting_id: int):
    """(method, url) for every /api/v1 route that takes a body, with this meeting's id filled in."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH"}):
            args = {name: meeting_id if name == "meeting_id" else 1 for name in rule.arguments}
            url = rule.rule
            for name, value in args.items():
                url = url.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
            found.append((method, url))
    return found


@pytest.fixture
def world(app, factory, api):
    mid, code = factory.meeting(api.uid)
    with app.app_context():
        observer_key = db.session.get(Meeting, mid).observer_key
    return {"mid": mid, "code": code, "observer_key": observer_key}


def test_there_are_api_routes_that_take_a_body(app, world):
    routes = json_routes(app, world["mid"])
    assert ("POST", "/api/v1/meetings") in routes and ("PUT", f"/api/v1/meetings/{world['mid']}/rules") in routes
    assert len(routes) >= 5


@pytest.mark.parametrize("shape", sorted(DEEP_BODIES))
def test_every_api_route_answers_deep_json_with_its_usual_400(app, client, api, world, caplog, shape):
    caplog.set_level(logging.WARNING)
    before = dump_db(app)
    for method, url in json_routes(app, world["mid"]):
        usual = client.open(url, method=method, headers=api.headers, data="{broken",
                            content_type="application/json")
        assert usual.status_code == 400, (method, url)
        r = client.open(url, method=method, headers=api.headers, data=DEEP_BODIES[shape],
                        content_type="application/json")
        assert r.status_code == 400, (method, url, r.status_code)
        assert r.get_json() == usual.get_json(), (method, url)
    assert dump_db(app) == before
    assert "RecursionError" not in caplog.text and "unhandled error" not in caplog.text


@pytest.mark.parametrize("shape", sorted(DEEP_BODIES))
def test_the_json_join_answers_deep_json_as_it_answers_broken_json(app, client, world, caplog, shape):
    caplog.set_level(logging.WARNING)
    before = dump_db(app)
    for url in (f"/j/{world['code']}", f"/observe/{world['observer_key']}"):
        usual = client.post(url, data="{broken", content_type="application/json")
        r = client.post(url, data=DEEP_BODIES[shape], content_type="application/json")
        assert r.status_code == usual.status_code and r.status_code < 500, (url, r.status_code)
        assert r.get_json() == usual.get_json() and r.get_json()["ok"] is False
    assert dump_db(app) == before
    assert "RecursionError" not in caplog.text and "unhandled error" not in caplog.text


def test_ordinary_nesting_still_works(app, client, api, world):
    body = {"title": "Group", "rules": [{"title": "Listen", "text": "One at a time."}] * 30}
    r = client.post("/api/v1/meetings", headers=api.headers, json=body)
    assert r.status_code == 201
    r = client.post(f"/j/{world['code']}", json={"display_name": "Sam"})
    assert r.status_code == 201
