"""Facilitator: run live online group sessions well, beside any video call.

Importing the package loads nothing else, so that the server entry point (`facilitator.serve`)
can monkey-patch for eventlet or gevent before Flask, SQLAlchemy or sockets are imported.
"""


def create_app(config: dict | None = None):
    """Build the app (see `facilitator.app.create_app`)."""
    from .app import create_app as _create_app

    return _create_app(config)
