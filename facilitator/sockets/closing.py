"""Closing every socket in a room, on every worker.

Sockets are closed by the rooms the server put them in, never by rows a client could make
disappear: a person's own room (`participant:<id>`), an account's (`account:<id>`), and the room
every socket of a meeting is in (`meeting:<id>:all`). Socket.IO's managers can close a room (take
everyone out of it) on every host, but not disconnect its members; the managers here add that,
riding on the queue's own `close_room` message with one more key, so a worker that has not been
upgraded still takes the sockets out of the room (and so stops sending them the room's events).
"""
from __future__ import annotations

import socketio
from socketio.pubsub_manager import PubSubManager

NAMESPACE = "/"


def _disconnect_members(manager, room: str, namespace: str) -> None:
    """Disconnect this host's members of `room` (the disconnect handler runs for each)."""
    for sid, _eio_sid in list(manager.get_participants(namespace, room)):
        manager.server.disconnect(sid, namespace=namespace, ignore_queue=True)


class LocalManager(socketio.Manager):
    """One process, no message queue: the room's members are all here."""

    def disconnect_room(self, room: str, namespace: str = NAMESPACE) -> None:
        _disconnect_members(self, room, namespace)
        self.close_room(room, namespace)


class _Disconnecting:
    """For a queue-backed manager: `close_room` with `disconnect` set, handled by every host."""

    def disconnect_room(self, room: str, namespace: str = NAMESPACE) -> None:
        message = {"method": "close_room", "room": room, "namespace": namespace, "host_id": self.host_id,
                   "disconnect": True}
        self._handle_close_room(message)  # this host (the queue does not echo our own messages back)
        self._publish(message)  # the others

    def _handle_close_room(self, message: dict) -> None:
        if message.get("disconnect"):
            _disconnect_members(self, message.get("room"), message.get("namespace") or NAMESPACE)
        super()._handle_close_room(message)


def manager_for(url: str | None, channel: str):
    """The client manager for a message queue URL (or none): Flask-SocketIO's choice of class,
    with `disconnect_room` added."""
    if not url:
        return LocalManager()
    if url.startswith(("redis://", "rediss://")):
        base: type[PubSubManager] = socketio.RedisManager
    elif url.startswith("kafka://"):
        base = socketio.KafkaManager
    elif url.startswith("zmq"):
        base = socketio.ZmqManager
    else:
        base = socketio.KombuManager
    cls = type(f"Disconnecting{base.__name__}", (_Disconnecting, base), {})
    return cls(url, channel=channel)
