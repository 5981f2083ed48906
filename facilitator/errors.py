"""Errors an action raises, and how they look to a client (ack or HTTP body)."""
from __future__ import annotations


class ActionError(Exception):
    """A refused action: a stable code, a sentence for people, optional per-field messages."""

    code = "bad_request"
    status = 400
    message = "That request could not be carried out."

    def __init__(self, message: str | None = None, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message
        if code:
            self.code = code
        self.fields = fields or {}

    def payload(self) -> dict:
        return {"code": self.code, "message": self.message, "fields": self.fields}

    def ack(self) -> dict:
        return {"ok": False, "error": self.payload()}


class Invalid(ActionError):
    code = "invalid"
    status = 422
    message = "Some of the values are not valid."


class NotAllowed(ActionError):
    code = "forbidden"
    status = 403
    message = "You are not allowed to do that."


class NotFound(ActionError):
    code = "not_found"
    status = 404
    message = "That was not found."


class Conflict(ActionError):
    code = "conflict"
    status = 409
    message = "That cannot be done in the current state."


class Unauthenticated(ActionError):
    code = "unauthenticated"
    status = 401
    message = "Please sign in or join again."


class Unavailable(ActionError):
    code = "unavailable"
    status = 503
    message = "The server cannot reach its database just now. Nothing was changed; please try again in a moment."


class Busy(ActionError):
    code = "busy"
    status = 503
    message = "The server is very busy just now. Nothing was changed; please try again in a moment."


def outage_error(exc: BaseException) -> ActionError | None:
    """The clear error for a database failure that is not a bug (see `is_database_outage`):
    `busy` when every pooled connection stayed taken for the pool's timeout (the worker is
    overloaded, the database is fine), `unavailable` when the database cannot be reached."""
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    if not is_database_outage(exc):
        return None
    return Busy() if isinstance(exc, PoolTimeout) else Unavailable()


def is_database_outage(exc: BaseException) -> bool:
    """A lost or refused database connection, a retryable conflict, or no pooled connection free
    in time (an overloaded worker): not a bug in the request.

    Each action is one transaction, so such a failure wrote nothing; the pool replaces the dead
    connection (see `app._ping_idle_connections`), and the next action works as soon as the
    database is back.
    """
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, (OperationalError, InterfaceError, PoolTimeout))


def internal_error_payload() -> dict:
    return {
        "code": "internal",
        "message": "Something went wrong on the server. Nothing was changed; please try again.",
        "fields": {},
    }


def validation_payload(messages) -> dict:
    fields = messages if isinstance(messages, dict) else {"_schema": messages}
    return {"code": "invalid", "message": "Some of the values are not valid.", "fields": fields}
