"""Facilitator accounts and API tokens."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from .common import Text


class SignupIn(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    display_name = Text(max_len=80, required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=10, max=256))


class LoginIn(Schema):
    email = fields.String(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))
    next = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class TokenIn(Schema):
    name = Text(max_len=80, required=True)


class CofacInviteIn(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))


class SetupIn(SignupIn):
    """The first account, created on the web with the code the server printed at start-up."""

    setup_code = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=40))
