"""The route matrix: every URL rule and method of the app, called by every kind of actor, allowed or
refused by the table below. A refused call is a 401/403/404 (or, for a page needing a sign-in, a
redirect to the sign-in page) and changes no row. Every response carries the security headers.
A rule the app serves that has no row fails `test_every_route_has_a_row`.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from facilitator.actions.accounts import do_create_token
from facilitator.extensions import db
from facilitator.models import ApiToken, CoFacilitator, Meeting, User
from facilitator.web.headers import BASE
from tests.unit.support import dump_db

ANON, OWNER, COFAC, OTHER = "anonymous", "owner", "cofacilitator", "other facilitator"
B_OWNER, B_COFAC, B_OTHER = "bearer owner", "bearer cofacilitator", "bearer other"
ACTORS = [ANON, OWNER, COFAC, OTHER, B_OWNER, B_COFAC, B_OTHER]

EVERYONE = frozenset(ACTORS)
SIGNED_IN = frozenset({OWNER, COFAC, OTHER})  # any account, by its login cookie
MEETING_PAGE = frozenset({OWNER, COFAC})  # the meeting's facilitators, by login cookie
OWNER_PAGE = frozenset({OWNER})
ANY_BEARER = frozenset({B_OWNER, B_COFAC, B_OTHER})
MEETING_API = frozenset({B_OWNER, B_COFAC})
OWNER_API = frozenset({B_OWNER})
NOBODY = frozenset()


@dataclass
class World:
    mid: int  # the owner's meeting (live), co-facilitated by the co-facilitator
    code: str
    observer_key: str
    cofac_key: str
    poll: int
    token_id: int  # the owner's API token
    template: int  # the owner's meeting template (saved from the meeting)


def _form(**fields):
    return {"data": fields}


# ------------------------------------------------------------------------------------------------
# THE TABLE. How to add a row for a new route (one row per rule and method):
#     ("POST", "/meetings/<int:meeting_id>/things"): (WHO, lambda w: {"path": f"/meetings/{w.mid}/things",
#                                                                       "data": {...} or "json": {...}}),
# The key is the rule exactly as Flask prints it (`flask routes`). WHO is the set of actors allowed:
# EVERYONE (public pages), SIGNED_IN (any account), MEETING_PAGE (owner and co-facilitators of the
# meeting), OWNER_PAGE, ANY_BEARER / MEETING_API / OWNER_API (REST with an API token), NOBODY.
# `w` is the World above (the meeting's ids and keys). Send a valid body where you can: an allowed
# call must not be refused, a refused one must change nothing. Rows run in order for one actor, so
# keep rows that end things (sign-out, delete) at the end.
# ------------------------------------------------------------------------------------------------
TABLE: dict[tuple[str, str], tuple[frozenset, object]] = {
    ("GET", "/static/<path:filename>"): (EVERYONE, lambda w: {"path": "/static/css/app.css"}),
    ("GET", "/"): (EVERYONE, lambda w: {"path": "/"}),
    ("GET", "/join"): (EVERYONE, lambda w: {"path": f"/join?code={w.code}"}),
    ("GET", "/j/<code>"): (EVERYONE, lambda w: {"path": f"/j/{w.code}"}),
    ("POST", "/j/<code>"): (EVERYONE, lambda w: {"path": f"/j/{w.code}", "json": {"display_name": "Sam"}}),
    ("GET", "/observe/<key>"): (EVERYONE, lambda w: {"path": f"/observe/{w.observer_key}"}),
    ("POST", "/observe/<key>"): (EVERYONE, lambda w: {"path": f"/observe/{w.observer_key}",
                                                      "json": {"display_name": "Oz"}}),
    ("GET", "/r/<code>"): (EVERYONE, lambda w: {"path": f"/r/{w.code}"}),
    ("GET", "/privacy"): (EVERYONE, lambda w: {"path": "/privacy"}),
    ("GET", "/after"): (EVERYONE, lambda w: {"path": "/after"}),
    ("GET", "/docs"): (EVERYONE, lambda w: {"path": "/docs"}),
    ("GET", "/api/openapi.json"): (EVERYONE, lambda w: {"path": "/api/openapi.json"}),
    ("GET", "/api/asyncapi.json"): (EVERYONE, lambda w: {"path": "/api/asyncapi.json"}),
    ("GET", "/api/v1/rule-templates"): (EVERYONE, lambda w: {"path": "/api/v1/rule-templates"}),
    ("GET", "/login"): (EVERYONE, lambda w: {"path": "/login"}),
    ("POST", "/login"): (EVERYONE, lambda w: {"path": "/login", **_form(email="x@example.org", password="wrong")}),
    ("GET", "/signup"): (EVERYONE, lambda w: {"path": "/signup"}),
    ("POST", "/signup"): (EVERYONE, lambda w: {"path": "/signup", **_form(email="", display_name="", password="")}),
    # first run only: once any account exists the set-up page is gone for everyone
    ("GET", "/setup"): (NOBODY, lambda w: {"path": "/setup"}),
    ("POST", "/setup"): (NOBODY, lambda w: {"path": "/setup", **_form(code="X", email="s@example.org")}),
    # any account
    ("GET", "/meetings/"): (SIGNED_IN, lambda w: {"path": "/meetings/"}),
    ("GET", "/meetings/new"): (SIGNED_IN, lambda w: {"path": "/meetings/new"}),
    ("POST", "/meetings/new"): (SIGNED_IN, lambda w: {"path": "/meetings/new", **_form(
        title="Formed", kind="group", retention_days="10", rules_from="defaults")}),
    ("POST", "/meetings/demo"): (SIGNED_IN, lambda w: {"path": "/meetings/demo"}),
    ("GET", "/account"): (SIGNED_IN, lambda w: {"path": "/account"}),
    ("POST", "/account"): (SIGNED_IN, lambda w: {"path": "/account", **_form(name="scheduler 2")}),
    ("GET", "/meetings/cofacilitate/<key>"): (SIGNED_IN, lambda w: {"path": f"/meetings/cofacilitate/{w.cofac_key}"}),
    # the meeting's facilitators
    ("GET", "/meetings/<int:meeting_id>"): (MEETING_PAGE, lambda w: {"path": f"/meetings/{w.mid}"}),
    ("GET", "/meetings/<int:meeting_id>/edit"): (MEETING_PAGE, lambda w: {"path": f"/meetings/{w.mid}/edit"}),
    ("POST", "/meetings/<int:meeting_id>/edit"): (MEETING_PAGE, lambda w: {
        "path": f"/meetings/{w.mid}/edit", **_form(title="Renamed")}),
    ("POST", "/meetings/<int:meeting_id>/ruleset"): (MEETING_PAGE, lambda w: {
        "path": f"/meetings/{w.mid}/ruleset", **_form(name="Our rules")}),
    ("POST", "/meetings/<int:meeting_id>/template"): (MEETING_PAGE, lambda w: {
        "path": f"/meetings/{w.mid}/template", **_form(name="Our setup")}),
    ("POST", "/templates/<int:template_id>/use"): (OWNER_PAGE, lambda w: {"path": f"/templates/{w.template}/use"}),
    ("GET", "/meetings/<int:meeting_id>/polls/<int:poll_id>.csv"): (MEETING_PAGE, lambda w: {
        "path": f"/meetings/{w.mid}/polls/{w.poll}.csv"}),
    ("GET", "/meetings/<int:meeting_id>/minutes"): (MEETING_PAGE, lambda w: {"path": f"/meetings/{w.mid}/minutes"}),
    ("GET", "/meetings/<int:meeting_id>/minutes.md"): (MEETING_PAGE, lambda w: {
        "path": f"/meetings/{w.mid}/minutes.md"}),
    ("GET", "/meetings/<int:meeting_id>/actions.csv"): (MEETING_PAGE, lambda w: {
        "path": f"/meetings/{w.mid}/actions.csv"}),
    ("GET", "/meetings/<int:meeting_id>/report"): (MEETING_PAGE, lambda w: {"path": f"/meetings/{w.mid}/report"}),
    ("GET", "/meetings/<int:meeting_id>/report.md"): (MEETING_PAGE, lambda w: {"path": f"/meetings/{w.mid}/report.md"}),
    ("GET", "/meetings/<int:meeting_id>/report.json"): (MEETING_PAGE, lambda w: {
        "path": f"/meetings/{w.mid}/report.json"}),
    ("GET", "/meetings/<int:meeting_id>/report/<part>.csv"): (MEETING_PAGE, lambda w: {
        "path": f"/meetings/{w.mid}/report/attendance.csv"}),
    ("GET", "/meetings/<int:meeting_id>/report/chart.svg"): (MEETING_PAGE, lambda w: {
        "path": f"/meetings/{w.mid}/report/chart.svg"}),
    ("POST", "/meetings/<int:meeting_id>/cofacilitators"): (OWNER_PAGE, lambda w: {
        "path": f"/meetings/{w.mid}/cofacilitators", **_form(email="late@example.org")}),
    ("POST", "/meetings/<int:meeting_id>/archive"): (OWNER_PAGE, lambda w: {
        "path": f"/meetings/{w.mid}/archive", **_form(archived="1")}),
    ("POST", "/account/tokens/<int:token_id>/revoke"): (OWNER_PAGE, lambda w: {
        "path": f"/account/tokens/{w.token_id}/revoke"}),
    # REST, by API token
    ("GET", "/api/v1/meetings"): (ANY_BEARER, lambda w: {"path": "/api/v1/meetings"}),
    ("GET", "/api/v1/templates"): (ANY_BEARER, lambda w: {"path": "/api/v1/templates"}),
    ("POST", "/api/v1/templates/<int:template_id>/meetings"): (OWNER_API, lambda w: {
        "path": f"/api/v1/templates/{w.template}/meetings", "json": {"title": "From the template"}}),
    ("POST", "/api/v1/meetings"): (ANY_BEARER, lambda w: {"path": "/api/v1/meetings", "json": {"title": "By API"}}),
    ("GET", "/api/v1/meetings/<int:meeting_id>"): (MEETING_API, lambda w: {"path": f"/api/v1/meetings/{w.mid}"}),
    ("PATCH", "/api/v1/meetings/<int:meeting_id>"): (MEETING_API, lambda w: {
        "path": f"/api/v1/meetings/{w.mid}", "json": {"title": "Patched"}}),
    ("GET", "/api/v1/meetings/<int:meeting_id>/invitation"): (OWNER_API, lambda w: {
        "path": f"/api/v1/meetings/{w.mid}/invitation"}),
    ("GET", "/api/v1/meetings/<int:meeting_id>/participants"): (MEETING_API, lambda w: {
        "path": f"/api/v1/meetings/{w.mid}/participants"}),
    ("GET", "/api/v1/meetings/<int:meeting_id>/rules"): (MEETING_API, lambda w: {
        "path": f"/api/v1/meetings/{w.mid}/rules"}),
    ("PUT", "/api/v1/meetings/<int:meeting_id>/rules"): (MEETING_API, lambda w: {
        "path": f"/api/v1/meetings/{w.mid}/rules", "json": {"items": [{"title": "Kind", "text": "Be kind."}]}}),
    ("GET", "/api/v1/meetings/<int:meeting_id>/polls"): (MEETING_API, lambda w: {
        "path": f"/api/v1/meetings/{w.mid}/polls"}),
    ("GET", "/api/v1/meetings/<int:meeting_id>/polls/<int:poll_id>"): (MEETING_API, lambda w: {
        "path": f"/api/v1/meetings/{w.mid}/polls/{w.poll}"}),
    ("GET", "/api/v1/meetings/<int:meeting_id>/polls/<int:poll_id>/results.csv"): (MEETING_API, lambda w: {
        "path": f"/api/v1/meetings/{w.mid}/polls/{w.poll}/results.csv"}),
    ("GET", "/api/v1/meetings/<int:meeting_id>/minutes"): (MEETING_API, lambda w: {
        "path": f"/api/v1/meetings/{w.mid}/minutes"}),
    ("GET", "/api/v1/meetings/<int:meeting_id>/minutes.md"): (MEETING_API, lambda w: {
        "path": f"/api/v1/meetings/{w.mid}/minutes.md"}),
    ("GET", "/api/v1/meetings/<int:meeting_id>/actions.csv"): (MEETING_API, lambda w: {
        "path": f"/api/v1/meetings/{w.mid}/actions.csv"}),
    ("GET", "/api/v1/meetings/<int:meeting_id>/report"): (MEETING_API, lambda w: {
        "path": f"/api/v1/meetings/{w.mid}/report"}),
    ("GET", "/api/v1/meetings/<int:meeting_id>/report.md"): (MEETING_API, lambda w: {
        "path": f"/api/v1/meetings/{w.mid}/report.md"}),
    ("GET", "/api/v1/meetings/<int:meeting_id>/report/<string:part>.csv"): (MEETING_API, lambda w: {
        "path": f"/api/v1/meetings/{w.mid}/report/turns.csv"}),
    ("POST", "/api/v1/meetings/<int:meeting_id>/state"): (MEETING_API, lambda w: {
        "path": f"/api/v1/meetings/{w.mid}/state", "json": {"state": "paused"}}),
    # last: these end things
    ("POST", "/meetings/cofacilitate/<key>"): (SIGNED_IN, lambda w: {"path": f"/meetings/cofacilitate/{w.cofac_key}"}),
    ("POST", "/templates/<int:template_id>/delete"): (OWNER_PAGE, lambda w: {
        "path": f"/templates/{w.template}/delete"}),
    ("DELETE", "/api/v1/meetings/<int:meeting_id>"): (OWNER_API, lambda w: {"path": f"/api/v1/meetings/{w.mid}"}),
    ("POST", "/meetings/<int:meeting_id>/delete"): (OWNER_PAGE, lambda w: {
        "path": f"/meetings/{w.mid}/delete", **_form(confirm="delete")}),
    ("POST", "/logout"): (EVERYONE, lambda w: {"path": "/logout"}),
}

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def served_routes(app) -> set[tuple[str, str]]:
    return {(m, r.rule) for r in app.url_map.iter_rules() for m in r.methods if m in METHODS}


def test_every_route_has_a_row(app):
    """A new route without a row fails here: add one (see the comment above TABLE)."""
    served = served_routes(app)
    assert sorted(served - set(TABLE)) == [], "routes with no row in the route matrix"
    assert sorted(set(TABLE) - served) == [], "rows for routes that no longer exist"


def build_world(app, factory) -> tuple[World, dict[str, str]]:
    """The owner's live meeting with a co-facilitator, a participant and a poll; another facilitator
    with a meeting of their own; an API token for each of the three. Returns the bearer tokens."""
    from facilitator.actions.polls import do_create
    from facilitator.actions.templates import do_save_template
    from facilitator.schemas.polls import PollCreateIn

    owner = factory.user(email="owner@example.org", name="Fran")
    cofac = factory.user(email="co@example.org", name="Cody")
    other = factory.user(email="other@example.org", name="Otto")
    factory.user(email="late@example.org", name="Lee")
    mid, code = factory.meeting(owner, state="live")
    factory.meeting(other, title="Their own group")
    factory.join(mid, name="Ann")
    tokens = {}
    with app.app_context():
        m = db.session.get(Meeting, mid)
        db.session.add(CoFacilitator(meeting_id=mid, user_id=cofac))
        poll = do_create(m, PollCreateIn().load({"kind": "single", "question": "Which?", "options": ["A", "B"]}),
                         launch=True)
        for actor, uid in ((B_OWNER, owner), (B_COFAC, cofac), (B_OTHER, other)):
            _, tokens[actor] = do_create_token(db.session.get(User, uid), actor)
        template = do_save_template(db.session.get(User, owner), m, "Weekly group")
        db.session.commit()
        token_id = db.session.execute(db.select(ApiToken.id).where(ApiToken.user_id == owner)).scalar_one()
        world = World(mid=mid, code=code, observer_key=m.observer_key, cofac_key=m.cofac_key, poll=poll.id,
                      token_id=token_id, template=template.id)
    return world, tokens


EMAILS = {OWNER: "owner@example.org", COFAC: "co@example.org", OTHER: "other@example.org"}


def actor_client(app, actor: str, tokens: dict):
    """A fresh client for one call: the actor's login cookie, or their bearer token, or nothing."""
    client = app.test_client()
    headers = {}
    if actor in EMAILS:
        r = client.post("/login", data={"email": EMAILS[actor], "password": "correct horse battery"})
        assert r.status_code == 302
    elif actor in tokens:
        headers["Authorization"] = f"Bearer {tokens[actor]}"
    return client, headers


def refused(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")


@pytest.mark.parametrize("actor", ACTORS)
def test_every_route_as_every_actor(app, factory, actor):
    world, tokens = build_world(app, factory)
    client, headers = actor_client(app, actor, tokens)
    for (method, rule), (who, example) in TABLE.items():
        call = example(world)
        path = call.pop("path")
        before = dump_db(app) if actor not in who else None
        r = client.open(path, method=method, headers={"Accept": "text/html", **headers}, **call)
        for name, value in BASE.items():  # security headers on every response, allowed or refused
            assert r.headers.get(name) == value, (actor, method, rule, name)
        if actor in who:
            assert not refused(r), (actor, method, rule, r.status_code, r.headers.get("Location"))
            assert r.status_code < 500, (actor, method, rule, r.status_code)
        else:
            assert refused(r), (actor, method, rule, r.status_code, r.headers.get("Location"))
            assert dump_db(app) == before, (actor, method, rule, "a refused call changed the database")
