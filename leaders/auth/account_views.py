"""Two-factor at sign-in, the account pages (devices, two-factor, password) and ending sessions.

After a right password, someone with two-factor set up is asked for a code before a session
starts; an admin or programme manager without it is sent to set it up first (MFA_REQUIRED_ROLES),
and no session starts until it is done. The half-way state lives in the signed session cookie for
ten minutes only.
"""

from __future__ import annotations

import time

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from leaders import audit, confirm, uow
from leaders.auth import mfa, sessions
from leaders.auth.models import Role, User
from leaders.auth.rules import public, roles, signed_in
from leaders.auth.sso_forms import ChangePasswordForm, CodeForm, SetUpCodeForm
from leaders.auth.views import _start_session, bp, safe_next
from leaders.extensions import db, limiter
from leaders.filters import govuk_datetime

PENDING = "mfa_pending"
PENDING_SECONDS = 600


def _mfa_limit() -> str:
    return current_app.config["MFA_RATE_LIMIT"]


def after_password(user: User, next_url: str | None) -> Response:
    """A right password: straight in, or on to the second step."""
    if not mfa.is_set_up(user.id) and not mfa.required_for(user):
        _start_session(user)
        return redirect(next_url or url_for("main.home"))
    session.clear()
    session[PENDING] = {"user": user.id, "at": int(time.time()), "next": next_url or ""}
    if mfa.is_set_up(user.id):
        return redirect(url_for("auth.two_factor"))
    return redirect(url_for("auth.two_factor_set_up"))


def _pending_user() -> User | None:
    pending = session.get(PENDING) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("user") or 0)
    return user if user is not None and user.active else None


def _finish(user: User) -> Response:
    next_url = safe_next((session.get(PENDING) or {}).get("next"))
    _start_session(user, how="password and two-factor")
    return redirect(next_url or url_for("main.home"))


def _expired() -> Response:
    flash("Your sign-in timed out. Sign in again.", "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
@limiter.limit(_mfa_limit, methods=["POST"])
@public
def two_factor() -> str | Response:
    user = _pending_user()
    if user is None or not mfa.is_set_up(user.id):
        return _expired()
    form = CodeForm()
    if form.validate_on_submit():
        if mfa.verify(user, form.code.data):
            return _finish(user)
        form.code.errors.append("The code is not right. Enter the code your app shows now")
    return render_template("auth/two_factor.html", form=form)


def _set_up_page(user: User, form: SetUpCodeForm, signing_in: bool) -> str:
    secret = mfa.pending_secret(user)
    if secret is None or request.method == "GET":
        secret = mfa.begin_setup(user)
    uri = mfa.provisioning_uri(user, secret)
    return render_template(
        "auth/two_factor_set_up.html",
        form=form,
        qr=mfa.qr_svg(uri),
        secret=secret,
        signing_in=signing_in,
        required=mfa.required_for(user),
    )


def _confirm_set_up(user: User, form: SetUpCodeForm) -> list[str] | None:
    if not form.validate_on_submit():
        return None
    codes = mfa.confirm_setup(user, form.code.data)
    if codes is None:
        form.code.errors.append(
            "The code is not right. Check the app shows Place Leaders and enter the code it shows now"
        )
    return codes


@bp.route("/sign-in/two-factor/set-up", methods=["GET", "POST"])
@limiter.limit(_mfa_limit, methods=["POST"])
@public
def two_factor_set_up() -> str | Response:
    user = _pending_user()
    if user is None:
        return _expired()
    if mfa.is_set_up(user.id):
        return redirect(url_for("auth.two_factor"))
    form = SetUpCodeForm()
    codes = _confirm_set_up(user, form)
    if codes is not None:
        next_url = safe_next((session.get(PENDING) or {}).get("next"))
        _start_session(user, how="password, two-factor set up")
        return render_template("auth/recovery_codes.html", codes=codes, next_url=next_url)
    return _set_up_page(user, form, signing_in=True)


# The account pages ---------------------------------------------------------------------------


def _me() -> User:
    user = db.session.get(User, current_user.id)
    assert user is not None
    return user


@bp.route("/account/security")
@signed_in
def security() -> str:
    user = _me()
    return render_template(
        "auth/security.html",
        user=user,
        mfa_on=mfa.is_set_up(user.id),
        mfa_required=mfa.required_for(user),
        recovery_left=mfa.unused_recovery_codes(user.id),
        devices=len(sessions.live_sessions(user.id)),
    )


@bp.route("/account/two-factor", methods=["GET", "POST"])
@limiter.limit(_mfa_limit, methods=["POST"])
@signed_in
def account_two_factor() -> str | Response:
    user = _me()
    if mfa.is_set_up(user.id):
        return redirect(url_for("auth.security"))
    form = SetUpCodeForm()
    codes = _confirm_set_up(user, form)
    if codes is not None:
        return render_template(
            "auth/recovery_codes.html", codes=codes, next_url=url_for("auth.security")
        )
    return _set_up_page(user, form, signing_in=False)


@bp.route("/account/two-factor/recovery-codes", methods=["GET", "POST"])
@signed_in
def new_recovery_codes() -> str | Response | tuple[str, int]:
    user = _me()
    if not mfa.is_set_up(user.id):
        return redirect(url_for("auth.security"))
    if confirm.confirmed():
        codes = mfa.regenerate_recovery_codes(user)
        return render_template(
            "auth/recovery_codes.html", codes=codes, next_url=url_for("auth.security")
        )
    return confirm.page(
        confirm.Confirmation(
            heading="Make new recovery codes?",
            says=["You will get ten new recovery codes. The codes you have now will stop working."],
            button="Make new codes",
            cancel_url=url_for("auth.security"),
        )
    )


@bp.route("/account/two-factor/turn-off", methods=["GET", "POST"])
@signed_in
def turn_off_two_factor() -> str | Response | tuple[str, int]:
    user = _me()
    if mfa.required_for(user):
        abort(403)  # admins and programme managers must keep it
    if not mfa.is_set_up(user.id):
        return redirect(url_for("auth.security"))
    if confirm.confirmed():
        mfa.turn_off(user)
        flash("Two-factor authentication is off.", "success")
        return redirect(url_for("auth.security"))
    return confirm.page(
        confirm.Confirmation(
            heading="Turn off two-factor authentication?",
            says=[
                "You will sign in with your password only. Your recovery codes will stop working."
            ],
            button="Turn off two-factor",
            cancel_url=url_for("auth.security"),
        )
    )


@bp.route("/account/devices")
@signed_in
def devices() -> str:
    return render_template(
        "auth/devices.html",
        devices=sessions.live_sessions(current_user.id),
        current=current_user.session_id,
        describe_device=sessions.describe_device,
    )


@bp.route("/account/devices/<session_id>/end", methods=["POST"])
@signed_in
def end_device(session_id: str) -> Response:
    if session_id == current_user.session_id:
        abort(400)  # this device signs out with "Sign out"
    if not sessions.end_one(current_user.id, session_id):
        abort(404)
    audit.record_now(
        audit.Action.SESSIONS_ENDED,
        actor=current_user,
        subject=current_user,
        detail="one other device",
    )
    flash("That device is signed out.", "success")
    return redirect(url_for("auth.devices"))


@bp.route("/account/devices/sign-out-everywhere", methods=["POST"])
@signed_in
def sign_out_everywhere() -> Response:
    """Sign out every other device (`everywhere=all`: this one too)."""
    everywhere = request.form.get("everywhere") == "all"
    me = current_user.id
    if everywhere:
        sessions.end_all(me)
    ended = sessions.end_others(me, current_user.session_id) if not everywhere else 0
    audit.record_now(
        audit.Action.SESSIONS_ENDED,
        actor=me,
        subject=me,
        detail="every device" if everywhere else f"{ended} other devices",
    )
    if everywhere:
        session.clear()
        flash("You have signed out on every device.", "success")
        return redirect(url_for("auth.sign_in"))
    flash("Your other devices are signed out.", "success")
    return redirect(url_for("auth.devices"))


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])
@signed_in
def change_password() -> str | Response:
    user = _me()
    form = ChangePasswordForm(email=user.email, name=user.name)
    if form.validate_on_submit():
        if not user.check_password(form.current.data):
            form.current.errors.append("Your current password is not right")
        else:
            _change_password(user, form.password.data, keep=current_user.session_id)
            flash("Your password has been changed. Your other devices are signed out.", "success")
            return redirect(url_for("auth.security"))
    return render_template(
        "auth/change_password.html", form=form, has_password=bool(user.password_hash)
    )


@uow.transactional
def _change_password(user: User, password: str, keep: str) -> None:
    user.set_password(password)
    sessions.end_others(user.id, keep)
    audit.record(
        audit.Action.PASSWORD_CHANGED, actor=user, subject=user, detail="other devices signed out"
    )


# An admin ends someone's sessions ------------------------------------------------------------


@bp.route("/admin/users/<int:user_id>/sessions/end", methods=["GET", "POST"])
@roles(Role.ADMIN)
def end_user_sessions(user_id: int) -> Response | tuple[str, int]:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    live = sessions.live_sessions(user.id)
    if not live:  # nothing to end: say so, rather than ask to sign someone out of no devices
        flash(f"{user.name} is not signed in on any device.", "info")
        return redirect(url_for("admin.user", user_id=user.id))
    if confirm.confirmed():
        sessions.end_all(user.id)
        audit.record_now(
            audit.Action.SESSIONS_ENDED,
            actor=current_user,
            subject=user,
            detail=f"by an admin: {len(live)} sessions",
        )
        flash(f"{user.name} is signed out everywhere.", "success")
        return redirect(url_for("admin.user", user_id=user.id))
    return confirm.page(
        confirm.Confirmation(
            heading=f"Sign {user.name} out everywhere?",
            says=[
                f"{user.name} ({user.email}) is signed in on {len(live)} "
                f"{'device' if len(live) == 1 else 'devices'}. They will need to sign in again.",
            ],
            names=[
                f"{sessions.describe_device(s.user_agent)} ({s.user_agent}), last seen "
                f"{govuk_datetime(s.last_seen_at)}"
                for s in live
            ],
            warning="Anything they have not saved will be lost.",
            button="Sign them out everywhere",
            cancel_url=url_for("admin.user", user_id=user.id),
        )
    )
