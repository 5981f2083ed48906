"""Facilitator accounts and API tokens."""
from __future__ import annotations

from marshmallow import Schema

from .common import Email, Text


class SignupIn(Schema):
    email = Email(required=True)
    display_name = Text(max_len=80, required=True)
    password = Text(min_len=10, max_len=256, strip=False, required=True, load_only=True)


class LoginIn(Schema):
    # Not checked as an address: a sign-in with anything typed here is simply not a match.
    email = Text(min_len=0, max_len=254, required=True)
    password = Text(min_len=0, max_len=256, strip=False, required=True, load_only=True)
    # Where to go after signing in; web.forms.safe_next decides whether it is followed.
    next = Text(min_len=0, max_len=500, strip=False, load_default=None, allow_none=True)


class TokenIn(Schema):
    name = Text(max_len=80, required=True)


class CofacInviteIn(Schema):
    email = Email(required=True)


class SetupIn(SignupIn):
    """The first account, created on the web with the code the server printed at start-up."""

    setup_code = Text(max_len=40, required=True, load_only=True)
