"""Nobody is given the floor, or a place in a round, before they have accepted the ground rules."""
from __future__ import annotations

import pytest

from facilitator.access import Actor
from facilitator.actions import floor
from facilitator.errors import Conflict
from facilitator.extensions import db
from facilitator.models import Meeting, Turn

from .support import connect


def test_someone_still_reading_the_rules_cannot_be_given_the_floor(app, factory):
    uid = factory.user()
    mid, _ = factory.meeting(uid, state="live")
    _, reading = factory.join(mid, name="New", ack=False)
    _, inside = factory.join(mid, name="In")
    connect(app, reading, inside)
    fac = Actor("facilitator", mid, user_id=uid)
    with app.app_context():
        m = db.session.get(Meeting, mid)
        with pytest.raises(Conflict) as exc:
            floor.check_call(fac, m, reading)
        assert exc.value.code == "not_entered"
        with pytest.raises(Conflict) as exc:
            floor.check_goround_start(fac, m, [inside, reading])
        assert exc.value.code == "not_eligible"
        assert floor.check_call(fac, m, inside).participant.id == inside
        assert db.session.execute(db.select(Turn)).first() is None
