"""A fresh SQLite database per test, copied from a schema built once per session.

`db.create_all()` on a new file costs a few hundred milliseconds (one synced write per table);
copying a ready-made file costs almost nothing. The unit, socket and web layers override the
shared `app` fixture with `app_fixture`, which is otherwise the same app on its own file.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from facilitator import create_app
from facilitator.extensions import db

# Keep in step with the `app` fixture in tests/conftest.py.
TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "SOCKETIO_ASYNC_MODE": "threading",
    "SOCKETIO_MESSAGE_QUEUE": None,
    "WTF_CSRF_ENABLED": False,
    "SIGNUP_ENABLED": True,
    "ALLOWED_ORIGINS": None,
    "SERVER_NAME": "localhost",
}

_TEMPLATE: dict[str, Path] = {}


def schema_template(directory: Path) -> Path:
    """Build (once per session) an empty database with every table, and return its path."""
    if "path" not in _TEMPLATE:
        path = directory / "schema.sqlite3"
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
        with app.app_context():
            db.create_all()
            db.session.remove()
            db.engine.dispose()  # the last connection closing folds the write-ahead log into the file
        _TEMPLATE["path"] = path
    return _TEMPLATE["path"]


def fresh_app(tmp_path: Path, template: Path, **overrides):
    """An app on a copy of the schema template in `tmp_path`."""
    target = tmp_path / "test.sqlite3"
    shutil.copyfile(template, target)
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{target}", **overrides})


def close(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def app_fixture(tmp_path: Path):
    """Body of the `app` fixture: yield an app on a copied schema, then close it."""
    app = fresh_app(tmp_path, schema_template(tmp_path.parent))
    yield app
    close(app)
