"""Issue 17, finding 13 (caching): no `/api/v1` response may be kept by a browser or a shared cache.

The report, minutes, participant and meeting responses carry people's names, attendance, notes
and the link keys; they had no `Cache-Control` at all. Every `/api/v1` response now says
`no-store`, errors included (the simplest rule, and an error can echo what was sent).
"""
from __future__ import annotations

import pytest


def get_routes(app, ids: dict):
    """Every /api/v1 URL that answers GET, with the meeting's and poll's ids (and a known CSV part) filled in."""
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and "GET" in rule.methods:
            url = (rule.rule.replace("<int:meeting_id>", str(ids["meeting"])).replace("<int:poll_id>", str(ids["poll"]))
                   .replace("<string:part>", "attendance"))
            assert "<" not in url, f"fill in {url}"
            urls.append(url)
    return urls


@pytest.fixture
def ids(app, factory, api):
    from facilitator.actions import polls
    from facilitator.extensions import db
    from facilitator.models import Meeting
    from facilitator.schemas.polls import PollIn

    mid, _code = factory.meeting(api.uid)
    factory.join(mid, name="Sam")
    with app.app_context():
        data = PollIn().load({"kind": "single", "question": "Tea?", "options": ["yes", "no"]})
        poll_id = polls.do_create(db.session.get(Meeting, mid), data, launch=True).id
        db.session.commit()
    return {"meeting": mid, "poll": poll_id}


@pytest.fixture
def meeting_id(ids):
    return ids["meeting"]


def test_there_are_api_routes_with_peoples_data(app, ids, meeting_id):
    urls = get_routes(app, ids)
    for expected in (f"/api/v1/meetings/{meeting_id}/participants", f"/api/v1/meetings/{meeting_id}/report",
                     "/api/v1/meetings"):
        assert expected in urls


def test_every_api_answer_is_no_store(app, client, api, ids):
    for url in get_routes(app, ids):
        r = client.get(url, headers=api.headers)
        assert r.status_code == 200, url
        assert "no-store" in r.headers.get("Cache-Control", ""), url


def test_the_participants_and_report_say_no_store(client, api, meeting_id):
    people = client.get(f"/api/v1/meetings/{meeting_id}/participants", headers=api.headers)
    assert people.status_code == 200 and [p["name"] for p in people.get_json()] == ["Sam"]
    report = client.get(f"/api/v1/meetings/{meeting_id}/report", headers=api.headers)
    assert report.status_code == 200 and report.get_json()["meeting"]["id"] == meeting_id
    for r in (people, report):
        assert r.headers.get("Cache-Control") == "no-store"


def test_api_errors_and_writes_say_no_store_too(client, api, meeting_id):
    answers = [
        client.get(f"/api/v1/meetings/{meeting_id}/participants"),  # 401: no token
        client.get("/api/v1/meetings/999999/participants", headers=api.headers),  # 404
        client.post("/api/v1/meetings", headers=api.headers, json={"title": ""}),  # 422
        client.post("/api/v1/meetings", headers=api.headers, json={"title": "New"}),  # 201
    ]
    assert [r.status_code for r in answers] == [401, 404, 422, 201]
    for r in answers:
        assert r.headers.get("Cache-Control") == "no-store", r.status_code
