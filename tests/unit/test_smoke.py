from facilitator.events import pending
from facilitator.extensions import db
from facilitator.models import Meeting


def test_factory_makes_an_open_meeting_with_rules(app, factory):
    uid = factory.user()
    mid, code = factory.meeting(uid)
    with app.app_context():
        m = db.session.get(Meeting, mid)
        assert m.state == "open" and m.rules_version == 1 and len(m.rules) == 6
        assert len(code) == 8
        assert pending() == []
