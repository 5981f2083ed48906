"""Facilitator accounts: create, authenticate, API tokens."""
from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from marshmallow import ValidationError

from ..access import token_hash
from ..errors import Invalid
from ..events import account_room, close_sockets
from ..extensions import db
from ..models import ApiToken, User, utcnow
from ..schemas.accounts import SignupIn
from ..schemas.common import shared

_hasher = PasswordHasher()
# Verified against when the email is unknown, so both paths take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password-" + secrets.token_hex(8))


def user_by_email(email: str) -> User | None:
    return db.session.execute(db.select(User).where(User.email == email.strip().lower())).scalar_one_or_none()


def check_create_user(raw: dict) -> dict:
    try:
        data = shared(SignupIn).load(raw)
    except ValidationError as exc:
        raise Invalid(fields=exc.messages) from None
    if user_by_email(data["email"]) is not None:
        raise Invalid(fields={"email": ["An account with this email already exists."]})
    return data


def do_create_user(data: dict) -> User:
    user = User(email=data["email"].strip().lower(), display_name=data["display_name"],
                password_hash=_hasher.hash(data["password"]))
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = user_by_email(email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def do_create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token; the plain token is returned once and only its hash is kept."""
    token = "fct_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=token_hash(token))
    db.session.add(row)
    db.session.flush()
    return row, token


def user_for_api_token(token: str) -> User | None:
    if not token or len(token) > 200:
        return None
    row = db.session.execute(db.select(ApiToken).where(ApiToken.token_hash == token_hash(token))).scalar_one_or_none()
    if row is None:
        return None
    row.last_used_at = utcnow()
    return row.user


def do_revoke_token(user: User, token_id: int) -> bool:
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        return False
    db.session.delete(row)
    db.session.flush()
    return True


def do_sign_out(user: User) -> None:
    """Sign out everywhere. The login cookie is signed, not stored, so a copy of it would stay
    valid: moving the account's session epoch on makes every copy invalid. The console
    connections it opened are closed after commit, so that none keeps acting for the account."""
    user.session_epoch += 1
    close_sockets(account_room(user.id))
