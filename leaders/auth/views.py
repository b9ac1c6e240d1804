"""Sign in, sign out, and reset a forgotten password."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from leaders.auth import oidc, services, sessions
from leaders.auth.forms import NewPasswordForm, RequestResetForm, SignInForm
from leaders.auth.models import SignedInUser, User
from leaders.auth.rules import public, signed_in
from leaders.auth.sso_forms import EmailFirstForm
from leaders.auth.tokens import TokenError
from leaders.extensions import limiter, login_manager

bp = Blueprint("auth", __name__)


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


@login_manager.user_loader
def load_user(session_id: str) -> SignedInUser | None:
    """The cookie holds a session id; the session must still be live (see auth.sessions)."""
    return sessions.signed_in_user(session_id)


@bp.before_app_request
def note_activity() -> None:
    """Keep `last_active_at` fresh (written at most every few minutes) for the cohort dashboards."""
    if current_user.is_authenticated:
        sessions.touch(current_user)


def safe_next(target: str | None) -> str | None:
    """A `next` address only if it is a plain path on this site (no open redirects, no header tricks).

    Refused: other hosts (``//host``, ``https://…``), schemes (``javascript:``), backslashes (browsers
    read ``/\\host`` as another host) and any control character or space (CR/LF would split the header).
    """
    if not target or len(target) > MAX_NEXT_LENGTH:
        return None
    if "\\" in target or any(ord(ch) < 33 or ord(ch) == 127 for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


#: Longer than any address on this site.
MAX_NEXT_LENGTH = 2000


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@public
def sign_in() -> str | Response | tuple[str, int]:
    """Email first: an address whose domain has an identity provider goes there; others get the
    password form. A POST with a password (the second step, or a script) signs in by password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    next_url = safe_next(request.args.get("next"))
    sso_views.allow_provider_form_actions()
    if "password" not in request.form:
        email_form = EmailFirstForm()
        if not email_form.validate_on_submit():
            return render_template("auth/sign_in.html", form=email_form, step="email")
        provider = oidc.provider_for_email(email_form.email.data)
        if provider is not None:
            return sso_views.go_to_provider(provider, email_form.email.data, next_url)
        form = SignInForm(formdata=None, email=email_form.email.data)
        return render_template("auth/sign_in.html", form=form, step="password")
    form = SignInForm()
    if form.validate_on_submit():
        provider = oidc.provider_for_email(form.email.data)
        if provider is not None:
            # The organisation signs its people in; its addresses do not use passwords here.
            return sso_views.go_to_provider(provider, form.email.data, next_url)
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            # One answer for every failure, locked or not, account or not (see authenticate).
            minutes = int(services.LOCKOUT.total_seconds() // 60)
            form.email.errors.append(
                "Enter a correct email address and password. The password is case sensitive. After "
                f"{services.MAX_FAILED_SIGN_INS} wrong passwords in a row, sign-in is paused for "
                f"{minutes} minutes"
            )
        else:
            return account_views.after_password(user, next_url)
    return render_template("auth/sign_in.html", form=form, step="password")


def _start_session(user: User, how: str = "password") -> None:
    session.clear()  # a new session on sign-in: nothing from before carries over
    login_user(sessions.start(user.id, request.headers.get("User-Agent", "")))
    services.record_sign_in(user, how)


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out() -> Response:
    sessions.end(current_user.session_id)  # the cookie stops working wherever it was copied to
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/password-reset", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@public
def request_reset() -> str:
    form = RequestResetForm()
    if form.validate_on_submit():
        services.send_password_reset(form.email.data)
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/request_reset.html", form=form)


def _password_from_link(token: str, purpose: str, template: str, done: Callable[[User], Response]):
    """Set a password from an emailed link (a reset or an invitation): checked, single use."""
    try:
        user = services.user_for_token(token, purpose)
    except TokenError as error:
        return render_template("auth/link_invalid.html", reason=str(error)), 400
    form = NewPasswordForm(email=user.email, name=user.name)
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        logout_user()
        session.clear()
        return done(user)
    return render_template(template, form=form, user=user)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@public
def reset_password(token: str) -> str | Response | tuple[str, int]:
    def done(user: User) -> Response:
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("auth.sign_in"))

    return _password_from_link(token, "reset", "auth/reset_password.html", done)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@public
def accept_invitation(token: str) -> str | Response | tuple[str, int]:
    def done(user: User) -> Response:
        _start_session(user)
        flash("Welcome to Place Leaders. Your password is set.", "success")
        return redirect(url_for("main.home"))

    return _password_from_link(token, "invite", "auth/accept_invitation.html", done)


# The routes of sign-in through a provider, two-factor and the account pages share this blueprint.
from leaders.auth import account_views, sso_views  # noqa: E402
