"""Load an HTML form through a marshmallow schema, the same way socket events and API bodies are."""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from flask import request
from marshmallow import Schema, ValidationError


def load_form(schema: Schema, data: dict | None = None) -> tuple[dict | None, dict]:
    """(data, {}) when valid; (None, field errors) when not. The CSRF token is not a field."""
    raw = {k: v for k, v in (data if data is not None else request.form.to_dict()).items() if k != "csrf_token"}
    try:
        return schema.load(raw), {}
    except ValidationError as exc:
        return None, exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}


_LINK_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


def is_link_key(key: str) -> bool:
    """Whether `key` could be an observer or co-facilitator link key (`secrets.token_urlsafe`).
    Anything else is no such link without a lookup: a NUL byte in it was a 500 on PostgreSQL."""
    return _LINK_KEY.fullmatch(key) is not None


# A `next` is followed only if it is printable ASCII without spaces (a browser removes tabs and
# newlines anywhere in a URL and trims control characters and spaces at its ends, so any of them
# can turn what looks like a path into `//host`; a real path has them percent-encoded) and has no
# backslash (which a browser reads as a slash).
_PLAIN_URL = re.compile(r"[!-~]+")


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: where to go after signing in.

    Read as a browser reads a Location header: only `/` followed by anything but another `/` is a
    path on this site (`//host`, `/\\host`, `\\\\host` and `///host` all name another host, and
    `http:host` is another site). Percent-escapes are decoded (repeatedly, as a chain of redirects
    or a proxy might) and the result must pass the same test, so that `/%2F/host`, `/%5Chost` and
    `/%09/host` are refused too. A refused `next` is dropped, never repaired."""
    if not isinstance(target, str) or not target or len(target) > 500:
        return None
    value = target
    for _ in range(4):
        if not _PLAIN_URL.fullmatch(value) or "\\" in value:
            return None
        if not value.startswith("/") or value.startswith("//"):
            return None
        parts = urlsplit(value)
        if parts.scheme or parts.netloc:
            return None
        try:
            decoded = unquote(value, errors="strict")
        except UnicodeDecodeError:  # escapes that are not UTF-8: no page of this site
            return None
        if decoded == value:
            return target
        value = decoded
    return None  # still percent-encoded after four rounds: nothing a link of this site makes
