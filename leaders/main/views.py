"""Landing, home and information pages."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, session, url_for
from flask_login import current_user, user_logged_in
from sqlalchemy import select
from werkzeug.wrappers import Response

from leaders import mail
from leaders.auth.models import User
from leaders.auth.rules import public, signed_in
from leaders.catalogue.store import get_catalogue
from leaders.cohorts import my_programme
from leaders.cohorts.access import course_access, courses_for
from leaders.cohorts.services import visible_cohorts
from leaders.credentials import services as credentials
from leaders.extensions import db
from leaders.learning import overview
from leaders.main.due import due_next
from leaders.timeutil import uk_today

bp = Blueprint("main", __name__)

#: Session key: whether the person had signed in before this session began.
RETURNING = "signed_in_before"


@user_logged_in.connect
def _note_first_sign_in(_app, user, **_extra) -> None:
    """Remember whether this is the person's first sign-in, so the home page greets them truly.

    Flask-Login sends this as the session starts, before the sign-in time is recorded, so the
    stored time is still the previous sign-in's (None the first time).
    """
    previous = db.session.scalar(select(User.last_sign_in_at).where(User.id == user.id))
    session[RETURNING] = previous is not None


@bp.route("/")
@public
def index() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return render_template("main/index.html")


@bp.route("/home")
@signed_in
def home() -> str:
    catalogue = get_catalogue()
    keys = courses_for(current_user)
    courses = tuple(c for c in catalogue if keys is None or c.key in keys)
    accesses = (
        None if keys is None else {c.key: course_access(current_user, c.key) for c in courses}
    )
    page = overview.home(current_user.id, catalogue, courses, accesses)
    return render_template(
        "main/home.html",
        home=page,
        cohorts=visible_cohorts(current_user),
        next_session=my_programme.next_session(current_user.id),
        my_set=my_programme.my_set(current_user.id),
        due=due_next(page.courses, accesses, uk_today()),
        my_credentials=credentials.of_learner(current_user.id),
        # A session from before this key existed was, by then, not the first.
        returning=session.get(RETURNING, True),
    )


@bp.route("/healthz")
@public
def healthz() -> Response:
    """For load balancers and the benchmarks: the app is up. Touches nothing."""
    return Response("ok\n", mimetype="text/plain")


@bp.route("/accessibility")
@public
def accessibility() -> str:
    return render_template("main/accessibility.html")


@bp.route("/dev/outbox")
@public
def dev_outbox() -> str:
    """Messages the app has sent, for developers; only in development."""
    if not current_app.config.get("SHOW_DEV_OUTBOX"):
        abort(404)
    return render_template("main/outbox.html", messages=mail.outbox())
