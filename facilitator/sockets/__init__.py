"""Socket.IO: thin handlers, each one call of its action; the registry loads the payload, refuses other
roles, applies the event's rate limit, commits and acknowledges (registry.py)."""
from . import breakouts, chat, connection, floor, handlers  # noqa: F401  (registers the handlers)
from . import polls, signals  # noqa: F401  (polls, reactions, standing and support signals)
from . import safety  # noqa: F401  (drop alerts and contact plans)
from . import agenda  # noqa: F401  (agenda, minutes, what I heard)
from .registry import INBOUND, register


def init_sockets(socketio) -> None:
    connection.register_connection_handlers(socketio)
    register(socketio)


__all__ = ["INBOUND", "init_sockets"]
