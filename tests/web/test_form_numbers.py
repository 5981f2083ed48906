"""Numbers typed into the session form: `str.isdigit` takes "²" (and other digits `int` refuses),
which made the session form a 500; a rule-set id past the database's integers overflowed it."""
from __future__ import annotations

import pytest

from facilitator.extensions import db
from facilitator.models import Meeting
from tests.unit.support import dump_db


@pytest.fixture
def signed_in(client, factory, auth):
    factory.user(email="fac1@example.org")
    auth.login()
    return client


@pytest.mark.parametrize("days", ["²", "3²", "¹⁰", "99999999999999999999999"])
def test_a_retention_that_is_not_a_plain_number_is_a_field_error(app, signed_in, days):
    before = dump_db(app)
    r = signed_in.post("/meetings/new", data={"title": "T", "kind": "group", "retention_days": days})
    assert r.status_code == 422
    assert dump_db(app) == before


@pytest.mark.parametrize("start", ["²", "99999999999999999999999"])
def test_a_rule_set_that_is_not_a_plain_id_is_none(app, signed_in, start):
    r = signed_in.post("/meetings/new", data={"title": "T", "kind": "group", "retention_days": "30",
                                              "rules_from": start})
    assert r.status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(Meeting)).scalar_one().rules == []
