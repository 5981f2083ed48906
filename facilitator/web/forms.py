"""Load an HTML form through a marshmallow schema, the same way socket events and API bodies are."""
from __future__ import annotations

from flask import request
from marshmallow import Schema, ValidationError


def load_form(schema: Schema, data: dict | None = None) -> tuple[dict | None, dict]:
    """(data, {}) when valid; (None, field errors) when not. The CSRF token is not a field."""
    raw = {k: v for k, v in (data if data is not None else request.form.to_dict()).items() if k != "csrf_token"}
    try:
        return schema.load(raw), {}
    except ValidationError as exc:
        return None, exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}


def safe_next(target: str | None) -> str | None:
    """Only same-site relative paths are followed after sign-in."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
