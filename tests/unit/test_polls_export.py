"""Poll results over HTTP: the CSV download for signed-in facilitators of the session, and the
REST API (bearer token) with the same data. Everyone else gets a 404 that reveals nothing."""
from __future__ import annotations

import csv
import io

import pytest

from facilitator.actions import polls as pl
from facilitator.actions.accounts import do_create_token
from facilitator.extensions import db
from facilitator.models import Meeting, User
from facilitator.schemas.polls import PollIn, PollVoteIn

from .support import participant


@pytest.fixture
def setup(app, factory):
    uid = factory.user(email="fac1@example.org", name="Fran")
    mid, _ = factory.meeting(uid, state="live")
    ann = factory.join(mid, name="Ann")[1]
    bo = factory.join(mid, name="Bo")[1]
    with app.app_context():
        m = db.session.get(Meeting, mid)
        named = pl.do_create(m, PollIn().load({"kind": "single", "question": "Tea or coffee?",
                                               "options": ["Tea", "Coffee"], "anonymous": False}), launch=True)
        anon = pl.do_create(m, PollIn().load({"kind": "text", "question": "One word?"}), launch=True)
        db.session.commit()
        for pid, poll, answer in ((ann, named, {"choices": [named.options[0].id]}),
                                  (bo, named, {"choices": [named.options[1].id]}),
                                  (ann, anon, {"text": "sunny"}), (bo, anon, {"text": "+cmd|calc"})):
            p, poll_, ans = pl.check_vote(participant(mid, pid), m, poll.id,
                                          PollVoteIn().load({"poll_id": poll.id, **answer}))
            pl.do_vote(m, poll_, p, ans)
            db.session.commit()
        _, token = do_create_token(db.session.get(User, uid), "scheduler")
        db.session.commit()
        return {"mid": mid, "named": named.id, "anon": anon.id, "headers": {"Authorization": f"Bearer {token}"}}


def rows(resp) -> list[list[str]]:
    return list(csv.reader(io.StringIO(resp.get_data(as_text=True))))


def test_a_facilitator_downloads_a_named_poll_as_csv(app, client, auth, setup):
    auth.login()
    r = client.get(f"/meetings/{setup['mid']}/polls/{setup['named']}.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"] == f'attachment; filename="poll-{setup["named"]}.csv"'
    assert r.headers["Cache-Control"] == "no-store"
    got = rows(r)
    assert got[0] == ["section", "item", "value"] and ["poll", "question", "Tea or coffee?"] in got
    assert ["count", "Tea", "1"] in got and ["count", "Coffee", "1"] in got
    assert ["vote", "Ann", "Tea"] in got and ["vote", "Bo", "Coffee"] in got


def test_an_anonymous_poll_csv_names_nobody_and_defuses_formulas(app, client, auth, setup):
    auth.login()
    got = rows(client.get(f"/meetings/{setup['mid']}/polls/{setup['anon']}.csv"))
    assert ["answer", "", "'+cmd|calc"] in got and ["answer", "", "sunny"] in got
    assert not [r for r in got if r[0] == "vote"] and "Ann" not in str(got)


def test_the_csv_is_for_signed_in_facilitators_of_that_session_only(app, client, auth, factory, setup):
    url = f"/meetings/{setup['mid']}/polls/{setup['named']}.csv"
    r = client.get(url)
    assert r.status_code == 302 and "/login" in r.headers["Location"], "not signed in"
    factory.user(email="other@example.org", name="Otto")
    auth.login(email="other@example.org")
    assert client.get(url).status_code == 404, "another facilitator's session does not exist for them"
    auth.logout()
    auth.login()
    other_mid, _ = factory.meeting(1)
    assert client.get(f"/meetings/{other_mid}/polls/{setup['named']}.csv").status_code == 404, "wrong meeting"
    assert client.get(f"/meetings/{setup['mid']}/polls/9999.csv").status_code == 404


def test_the_rest_api_lists_polls_with_results_and_serves_the_csv(app, client, setup):
    h = setup["headers"]
    r = client.get(f"/api/v1/meetings/{setup['mid']}/polls", headers=h)
    assert r.status_code == 200
    polls = r.get_json()
    assert [p["id"] for p in polls] == [setup["named"], setup["anon"]]
    assert [(b["name"], b["choices"]) for b in polls[0]["ballots"]] == [("Ann", [polls[0]["options"][0]["id"]]),
                                                                       ("Bo", [polls[0]["options"][1]["id"]])]
    assert polls[1]["ballots"] is None and polls[1]["results"]["answers"] == ["+cmd|calc", "sunny"]
    one = client.get(f"/api/v1/meetings/{setup['mid']}/polls/{setup['anon']}", headers=h)
    assert one.status_code == 200 and one.get_json() == polls[1]
    r = client.get(f"/api/v1/meetings/{setup['mid']}/polls/{setup['named']}/results.csv", headers=h)
    assert r.status_code == 200 and r.mimetype == "text/csv" and ["vote", "Ann", "Tea"] in rows(r)
    doc = client.get("/api/openapi.json").get_json()
    assert "text/csv" in doc["paths"]["/api/v1/meetings/{meeting_id}/polls/{poll_id}/results.csv"]["get"][
        "responses"]["200"]["content"]


def test_the_rest_api_refuses_without_a_token_and_for_other_sessions(app, client, factory, setup):
    url = f"/api/v1/meetings/{setup['mid']}/polls"
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"Authorization": "Bearer fct_nope"}).status_code == 401
    other_uid = factory.user(email="x@example.org")
    other_mid, _ = factory.meeting(other_uid)
    assert client.get(f"/api/v1/meetings/{other_mid}/polls", headers=setup["headers"]).status_code == 404
    assert client.get(f"/api/v1/meetings/{setup['mid']}/polls/9999", headers=setup["headers"]).status_code == 404
    r = client.get(f"/api/v1/meetings/{setup['mid']}/polls/9999/results.csv", headers=setup["headers"])
    assert r.status_code == 404 and r.is_json


def test_multiple_choice_results_in_the_report_and_exports_are_counts_and_voters(app, client, auth, factory):
    """Issue 18: the room showed a multiple-choice option's share of all selections ("2 (40%)" for
    2 of 3 voters). The report (page, Markdown, JSON) and the CSV export give each option's count
    and the number of voters, and no percentage of selections anywhere."""
    uid = factory.user(email="fac1@example.org", name="Fran")
    mid, _ = factory.meeting(uid, state="live")
    voters = [factory.join(mid, name=n)[1] for n in ("Ann", "Bo", "Cy")]
    with app.app_context():
        m = db.session.get(Meeting, mid)
        poll = pl.do_create(m, PollIn().load({"kind": "multiple", "question": "Which days suit you?",
                                              "options": ["Mon", "Tue", "Wed"]}), launch=True)
        db.session.commit()
        mon, tue, wed = (o.id for o in poll.options)
        poll_id = poll.id
        # 3 voters, 5 selections: Mon 2 (67% of voters, 40% of selections), Tue 2, Wed 1.
        for pid, choices in zip(voters, ([mon, tue], [mon, wed], [tue]), strict=True):
            p, poll_, ans = pl.check_vote(participant(mid, pid), m, poll_id,
                                          PollVoteIn().load({"poll_id": poll_id, "choices": choices}))
            pl.do_vote(m, poll_, p, ans)
            db.session.commit()
    auth.login()
    md = client.get(f"/meetings/{mid}/report.md").get_data(as_text=True)
    polls_md = md.split("## Polls", 1)[1].split("## Agenda minutes", 1)[0]
    assert "3 voted" in polls_md and "- Mon: 2\n- Tue: 2\n- Wed: 1\n" in polls_md
    assert "%" not in polls_md
    [data] = client.get(f"/meetings/{mid}/report.json").get_json()["polls"]
    assert data["voters"] == 3 and [o["count"] for o in data["options"]] == [2, 2, 1]
    assert "%" not in str(data) and set(data["options"][0]) == {"label", "count"}
    page = client.get(f"/meetings/{mid}/report").get_data(as_text=True)
    polls_html = page.split('id="polls-h"', 1)[1].split('id="minutes-h"', 1)[0]
    assert "3 voted" in polls_html and "Mon: 2" in polls_html and "%" not in polls_html
    rows = list(csv.reader(io.StringIO(client.get(f"/meetings/{mid}/polls/{poll_id}.csv").get_data(as_text=True))))
    assert ["poll", "voters", "3"] in rows and ["count", "Mon", "2"] in rows
    assert not any("%" in cell for row in rows for cell in row)
