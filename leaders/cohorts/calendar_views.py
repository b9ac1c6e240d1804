"""The learner's calendar: their private feed's page (make or reset the link) and the feed itself.

Access: the page and its button need a sign-in (each person sees and changes only their own link).
The feed needs no sign-in, since calendar apps cannot sign in: its secret token is the key, and a
wrong, old or reset token gets 404, the same as a feed that never was.
"""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from leaders import confirm
from leaders.auth.rules import public, signed_in
from leaders.cohorts import calendar
from leaders.cohorts.blueprint import bp


@bp.route("/account/calendar")
@signed_in
def calendar_page() -> str:
    return render_template(
        "cohorts/calendar.html", has_feed=calendar.has_feed(current_user.id), feed_url=None
    )


@bp.route("/account/calendar/link", methods=["POST"])
@signed_in
def calendar_link() -> str | tuple[str, int]:
    """Make the feed's link; if there is one already, a confirmation first (the old one stops)."""
    if calendar.has_feed(current_user.id) and not confirm.confirmed():
        return confirm.page(
            confirm.Confirmation(
                heading="Reset your calendar link?",
                caption="Calendar",
                says=[
                    "You will get a new link to your sessions. The old link will stop working "
                    "straight away, in every calendar that uses it.",
                    "Do this if you shared the link by mistake. Then add the new link to your "
                    "calendar in place of the old one.",
                ],
                button="Reset the link",
                cancel_url=url_for("cohorts.calendar_page"),
                breadcrumbs=[("Home", url_for("main.home"))],
            )
        )
    token = calendar.new_feed_token(current_user.id)
    feed_url = url_for("cohorts.calendar_feed", token=token, _external=True)
    return render_template("cohorts/calendar.html", has_feed=True, feed_url=feed_url)


@bp.route("/calendar/<token>.ics")
@public
def calendar_feed(token: str) -> Response:
    user_id = calendar.feed_owner(token)
    if user_id is None:
        abort(404)
    response = Response(calendar.feed(user_id), mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = 'inline; filename="place-leaders.ics"'
    return response
