"""schemathesis against the app's own OpenAPI document (/api/openapi.json): generated requests to
every operation, signed in with a real API token, never get a 5xx nor reach the app's catch-all
error handler. Path ids mostly point at a real meeting and poll of the token's owner, so bodies and
query strings reach the actions rather than stopping at a 404.

`FUZZ_EXAMPLES` (see `make fuzz`) raises the number of examples per operation for a longer run.
"""
from __future__ import annotations

import logging
import os
import zlib

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from facilitator.actions.accounts import do_create_token
from facilitator.actions.polls import do_create
from facilitator.extensions import db
from facilitator.models import Meeting, User
from facilitator.schemas.polls import PollCreateIn
from tests.conftest import Factory

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or 12


class Unexpected(logging.Handler):
    """Counts what the app's catch-all handler logs (`unhandled error on ...`)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def api_world(app):
    f = Factory(app)
    uid = f.user(email="api@example.org")
    mid, _ = f.meeting(uid, state="live")
    f.join(mid, name="Ann")
    with app.app_context():
        poll = do_create(db.session.get(Meeting, mid), PollCreateIn().load(
            {"kind": "single", "question": "Which?", "options": ["A", "B"], "anonymous": False}), launch=True)
        _, token = do_create_token(db.session.get(User, uid), "fuzz")
        db.session.commit()
        ids = {"meeting_id": mid, "poll_id": poll.id}
    return {"headers": {"Authorization": f"Bearer {token}"}, "ids": ids}


@pytest.fixture
def unexpected():
    handler = Unexpected()
    logger = logging.getLogger("facilitator.web")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def _document() -> dict:
    """The OpenAPI document as the app serves it (it does not depend on the database). Loaded at
    collection, since schemathesis' fixture loader does not work with this pytest."""
    from tests.unit.fastdb import TEST_CONFIG

    from facilitator import create_app

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_client() as client:
        return client.get("/api/openapi.json").get_json()


schema = schemathesis.openapi.from_dict(_document())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, app, api_world, unexpected):
    # Most cases act on the real meeting and poll; one in four keeps the generated ids (huge,
    # negative, another meeting's), chosen from the case itself so that runs repeat.
    if zlib.crc32(repr((case.path_parameters, case.query, case.body)).encode()) % 4:
        for name, value in api_world["ids"].items():
            if case.path_parameters and name in case.path_parameters:
                case.path_parameters[name] = value
    response = case.call(app=app, headers=api_world["headers"])
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:300])
    assert unexpected.records == [], [r.getMessage() for r in unexpected.records]
    if response.status_code >= 400 and "json" in response.headers.get("Content-Type", [""])[0]:
        assert "Traceback" not in response.text


@pytest.mark.parametrize("value", [2**31, 2**63, 10**30])
def test_ids_out_of_range_are_404_on_every_route(app, api_world, value):
    """An id no database integer can hold is no such thing: 404, never an overflow (a 500)."""
    client = app.test_client()
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", "x")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            r = client.open(path, method=method, headers=api_world["headers"])
            assert r.status_code == 404, (method, path, r.status_code)


def test_a_refusal_with_item_and_field_errors_is_a_422_not_a_500(app, api_world):
    """Found by this fuzzer: list-item errors (keyed by index) next to a field-wide one could not be
    sorted for JSON, which turned the refusal into a 500."""
    mid = api_world["ids"]["meeting_id"]
    r = app.test_client().patch(f"/api/v1/meetings/{mid}", json={"group_tags": ["0", "0", " "]},
                                headers=api_world["headers"])
    assert r.status_code == 422
    errors = r.get_json()["errors"]["json"]["group_tags"]
    assert set(errors) == {"2", "_schema"}
