"""Landing, home and information pages."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from leaders import mail
from leaders.access import public, signed_in
from leaders.catalogue.store import get_catalogue
from leaders.cohorts.access import course_access, courses_for
from leaders.cohorts.services import visible_cohorts
from leaders.learning import overview

bp = Blueprint("main", __name__)


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
    return render_template("main/home.html", home=page, cohorts=visible_cohorts(current_user))


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
