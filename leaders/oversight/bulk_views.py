"""Bulk actions and messages (blueprint `bulk`): what a programme manager does to many people at once.

Access: a programme manager of the cohort or an admin (`require_manager`); facilitators and
organisation leads see the People page but cannot act on it. Every step is a POST with the
selection; the confirmation page lists exactly who is affected, and only its confirmed POST (with
a one-use token) changes anything.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from leaders import confirm, uow
from leaders.auth.rules import signed_in
from leaders.cohorts.access import CohortAccess, cohort_access, require_manager
from leaders.cohorts.people_table import BULK_ACTIONS
from leaders.cohorts.views import render_people
from leaders.filters import plural
from leaders.oversight import bulk, messages

bp = Blueprint("bulk", __name__)

Page = str | tuple[str, int] | Response


def _view_args() -> MultiDict[str, str]:
    """The People page's table state, carried through the steps so Cancel and the end go back to it."""
    return MultiDict(parse_qsl(request.form.get("view", "")))


def _people_url(access: CohortAccess) -> str:
    args: dict[str, Any] = dict(_view_args().to_dict(), cohort_id=access.cohort.id)
    return url_for("cohorts.people", **args)


@bp.route("/cohorts/<int:cohort_id>/people/bulk", methods=["POST"])
@signed_in
def choose(cohort_id: int) -> Page:
    access = require_manager(cohort_access(current_user, cohort_id))
    action = request.form.get("action", "")
    raw = request.form.getlist("person")
    token = request.form.get("token", "")
    if confirm.confirmed() and bulk.already_done(token):
        flash("That was already done: the page below shows the people as they are now.", "info")
        return redirect(_people_url(access))
    try:
        chosen = bulk.selection(access, raw)
    except ValueError:
        abort(400)
    except bulk.Forged:
        abort(404)
    errors = []
    if not chosen:
        errors.append(
            {"text": "Select at least one person in the table", "href": "#people-heading"}
        )
    if action not in BULK_ACTIONS:
        errors.append(
            {"text": "Choose what to do to the people you selected", "href": "#bulk-action"}
        )
    targets = bulk.move_targets(access, current_user) if action == "move" else []
    if action == "move" and not targets:
        errors.append(
            {
                "text": "There is no other cohort of this course that you manage to move them to",
                "href": "#bulk-action",
            }
        )
    if errors:
        return render_people(access, _view_args(), error_list=errors, chosen=raw)
    if action == "message":
        return redirect(
            url_for("bulk.message", cohort_id=cohort_id, person=[p.user_id for p in chosen])
        )
    target = days = None
    if action in ("move", "due-offset"):
        asked = request.form.get("step") == "details" or confirm.confirmed()
        if action == "move":
            target = next((c for c in targets if str(c.id) == request.form.get("target")), None)
            problem = None if target else "Choose the cohort to move them to"
        else:
            days, problem = _days(request.form.get("days", ""))
        if problem:
            return _details(access, action, chosen, targets, problem if asked else None)
    done = bulk.plan(access, action, chosen, actor_id=current_user.id, target=target, days=days)
    if confirm.confirmed() and done.affected:
        with uow.transaction():
            if not bulk.claim(token, access, action, len(done.affected), current_user.id):
                abort(400)  # no token, or a used one: already_done above answers a real repeat
            said = bulk.apply(access, done, actor_id=current_user.id)
        flash(said, "success")
        return redirect(_people_url(access))
    return render_template(
        "oversight/bulk_confirm.html",
        access=access,
        plan=done,
        chosen=chosen,
        token=bulk.new_token(),
        view=request.form.get("view", ""),
        cancel_url=_people_url(access),
    )


def _days(text: str) -> tuple[int | None, str | None]:
    text = text.strip()
    if not text.isdigit() or not 0 <= int(text) <= bulk.MAX_DAYS:
        return None, f"Extra days must be a whole number from 0 to {bulk.MAX_DAYS}, like 14"
    return int(text), None


def _details(access, action, chosen, targets, problem) -> tuple[str, int]:
    page = render_template(
        "oversight/bulk_details.html",
        access=access,
        action=action,
        label=BULK_ACTIONS[action],
        chosen=chosen,
        targets=targets,
        problem=problem,
        error_list=[{"text": problem, "href": "#target" if action == "move" else "#days"}]
        if problem
        else [],
        days=request.form.get("days", ""),
        view=request.form.get("view", ""),
        cancel_url=_people_url(access),
        count=plural(len(chosen), "person", "people"),
    )
    return page, 200


@bp.route("/cohorts/<int:cohort_id>/messages/new", methods=["GET", "POST"])
@signed_in
def message(cohort_id: int) -> Page:
    access = require_manager(cohort_access(current_user, cohort_id))
    values = request.form if request.method == "POST" else request.args
    try:
        chosen = bulk.selection(access, values.getlist("person"))
    except ValueError:
        abort(400)
    except bulk.Forged:
        abort(404)
    form = messages.MessageForm()
    if chosen:
        form.audience.choices = [
            SelectChoice(
                messages.SELECTED, f"The {plural(len(chosen), 'person', 'people')} you selected"
            ),
            *form.audience.choices,
        ]
        if request.method == "GET":
            form.audience.data = messages.SELECTED
    elif request.method == "GET":
        form.audience.data = messages.COHORT
    form.learning_set.choices = messages.set_choices(access)
    if len(form.learning_set.choices) == 1:  # no sets yet: do not offer one
        form.audience.choices = [c for c in form.audience.choices if c.value != messages.SET]
    token = request.form.get("token", "")
    if request.form.get("send") and bulk.already_done(token):
        flash("That message was already sent: it is listed below.", "info")
        return redirect(url_for("emails.cohort_emails", cohort_id=cohort_id))
    error_list = None
    if form.validate_on_submit() and not request.form.get("change"):
        audience = form.audience.data
        set_id = int(form.learning_set.data) if audience == messages.SET else None
        to = messages.recipients(access, audience, set_id=set_id, chosen=chosen)
        words = {
            messages.COHORT: "every learner in the cohort",
            messages.SET: next(
                (c.label for c in form.learning_set.choices if c.value == form.learning_set.data),
                "",
            ),
            messages.SELECTED: "the learners you selected",
        }[audience]
        draft = messages.Message(form.subject.data, form.body.data, audience, words)
        if not to:
            error_list = [
                {
                    "text": f"No one would get this message: {words} has no learners with an open account",
                    "href": "#audience",
                }
            ]
        elif request.form.get("send"):
            with uow.transaction():
                if not bulk.claim(token, access, "message", len(to), current_user.id):
                    abort(400)
                sent = messages.send(access, draft, to, sender=current_user, token=token)
            flash(
                f"“{draft.subject}” is queued for {plural(sent, 'person', 'people')}. "
                "This page shows when each is sent.",
                "success",
            )
            return redirect(url_for("emails.cohort_emails", cohort_id=cohort_id))
        else:
            example = to[0]
            return render_template(
                "oversight/message_preview.html",
                access=access,
                form=None,
                fields=form,
                draft=draft,
                to=to,
                chosen=chosen,
                token=bulk.new_token(),
                example=example,
                text=draft.text(example, access, current_user.name),
                html=draft.html(example, access, current_user.name),
            )
    return render_template(
        "oversight/message_form.html",
        access=access,
        form=form,
        chosen=chosen,
        error_list=error_list,
    )
