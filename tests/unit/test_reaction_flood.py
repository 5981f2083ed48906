"""A reaction storm is refused before any database work: once someone is over the rate, each
further reaction is answered `rate_limited` without a single SQL statement."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from facilitator.actions import reactions as rx
from facilitator.extensions import db
from facilitator.models import Meeting


def test_over_the_rate_is_refused_without_touching_the_database(app, world):
    with app.app_context():
        m = db.session.get(Meeting, world.mid)
        rx.refuse_flood(world.part)  # nothing sent yet: no refusal
        for _ in range(5):
            rx.check_react(world.part, m)
        db.session.rollback()
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            with pytest.raises(rx.RateLimited) as err:
                rx.refuse_flood(world.part)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert statements == []
        assert err.value.code == "rate_limited" and 0 < err.value.fields["retry_after"] <= 3.0
        rx.refuse_flood(world.fac)  # facilitators have no reaction rate to be over
