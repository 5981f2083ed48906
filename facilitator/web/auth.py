"""Sign in, sign out, sign up (if enabled), and the account page with API tokens."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from .. import limits
from ..actions.accounts import (authenticate, check_create_user, do_create_token, do_create_user, do_revoke_token,
                                do_sign_out)
from ..errors import ActionError
from ..extensions import db, login_manager
from ..models import ApiToken, User
from ..schemas.accounts import LoginIn, TokenIn
from .forms import load_form, safe_next

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def _load_user(user_key: str):
    try:
        user_id, epoch = (int(x) for x in user_key.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.session_epoch == epoch else None


def _fresh_session_login(user: User) -> None:
    """Start a new session at sign-in: nothing from before it (nor a planted id) carries over."""
    session.clear()
    login_user(user)
    session.permanent = True


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("meetings.index"))
    errors, email = {}, ""
    if request.method == "POST":
        limits.check("login")  # too many failures from this address: refused before the password is tried
        form = request.form.to_dict()
        form["next"] = safe_next(form.get("next"))  # a `next` that is not a path here is dropped, not an error
        data, errors = load_form(LoginIn(), form)
        email = request.form.get("email", "")[:254]
        if data is not None:
            user = authenticate(data["email"], data["password"])
            if user is None:
                limits.count("login")
                errors = {"_schema": ["That email and password do not match an account."]}
            else:
                db.session.commit()
                _fresh_session_login(user)
                return redirect(safe_next(data.get("next")) or url_for("meetings.index"))
    status = 400 if errors else 200
    return render_template("auth/login.html", errors=errors, email=email,
                           next=safe_next(request.values.get("next")),
                           signup=current_app.config["SIGNUP_ENABLED"]), status


@bp.post("/logout")
def logout():
    """Sign out for real, on every device (see do_sign_out)."""
    if current_user.is_authenticated:
        do_sign_out(current_user._get_current_object())
        db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("join.home"))


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if not current_app.config["SIGNUP_ENABLED"]:
        abort(404)
    errors, form = {}, {}
    if request.method == "POST":
        limits.take("signup")
        form = {k: request.form.get(k, "") for k in ("email", "display_name")}
        try:
            data = check_create_user({k: request.form.get(k, "") for k in ("email", "display_name", "password")})
            user = do_create_user(data)
            db.session.commit()
            _fresh_session_login(user)
            return redirect(url_for("meetings.index"))
        except ActionError as exc:
            db.session.rollback()
            errors = exc.fields or {"_schema": [exc.message]}
    return render_template("auth/signup.html", errors=errors, form=form), (400 if errors else 200)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    new_token, errors = None, {}
    if request.method == "POST":
        data, errors = load_form(TokenIn())
        if data is not None:
            _, new_token = do_create_token(current_user, data["name"])
            db.session.commit()
    tokens = db.session.execute(
        db.select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id)
    ).scalars().all()
    return render_template("auth/account.html", tokens=tokens, new_token=new_token, errors=errors)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if not do_revoke_token(current_user, token_id):
        abort(404)
    db.session.commit()
    flash("Token revoked.")
    return redirect(url_for("auth.account"))
