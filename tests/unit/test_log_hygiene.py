"""A failing statement's error (what a logged traceback shows) holds none of the values it carried."""
from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from facilitator.extensions import db
from facilitator.models import ChatMessage, utcnow


def test_a_database_error_does_not_show_the_statements_values(app):
    with app.app_context():
        db.session.add(ChatMessage(meeting_id=999999, channel="main", author_name="Qxname-9911", author_role="p",
                                   text="Qxchat-9912", created_at=utcnow()))
        with pytest.raises(IntegrityError) as exc:
            db.session.flush()
        db.session.rollback()
    text = str(exc.value) + repr(exc.value)
    assert "FOREIGN KEY" in text and "chat_messages" in text  # still says what failed
    assert "Qxname-9911" not in text and "Qxchat-9912" not in text


def test_access_log_lines_hide_join_codes_and_link_keys():
    from facilitator.logsafe import redact

    line = ('127.0.0.1 - - "GET /observe/Xk_9-key HTTP/1.1" 200 /j/ABCD2345 /r/ABCD2345/ '
            '/meetings/cofacilitate/Cf-key?next=1 /after?code=ABCD2345&x=1 /meetings/3/report.md')
    assert redact(line) == ('127.0.0.1 - - "GET /observe/[hidden] HTTP/1.1" 200 /j/[hidden] /r/[hidden]/ '
                            '/meetings/cofacilitate/[hidden]?next=1 /after?code=[hidden]&x=1 /meetings/3/report.md')


def test_gunicorn_access_lines_are_redacted_too():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from facilitator.logsafe import GunicornLogger

    req = SimpleNamespace(method="GET", path="/observe/KEY123", query="code=ABCD2345", version=(1, 1), headers=[],
                          uri="/observe/KEY123?code=ABCD2345")
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[], response_length=10)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/observe/KEY123?code=ABCD2345", "PATH_INFO": "/observe/KEY123",
               "QUERY_STRING": "code=ABCD2345", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1"}
    atoms = GunicornLogger(Config()).atoms(resp, req, environ, timedelta(seconds=0.1))
    assert (atoms["r"], atoms["U"], atoms["q"]) == (
        "GET /observe/[hidden]?code=[hidden] HTTP/1.1", "/observe/[hidden]", "code=[hidden]")
