"""Copy, archive and bring back a cohort (services in leaders/cohorts/lifecycle.py).

Access: the cohort's programme managers and admins. Copying also needs the right to set up
cohorts (a global programme manager or admin), as making a cohort from scratch does.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from leaders import confirm
from leaders.auth.rules import NotApplicable, can_set_up_cohorts, signed_in
from leaders.cohorts import lifecycle
from leaders.cohorts.access import cohort_access, require_manager
from leaders.cohorts.blueprint import bp
from leaders.cohorts.forms import GovDateField
from leaders.filters import govuk_date
from leaders.forms import Form
from leaders.widgets import GovSubmitInput, GovTextInput

bp.before_app_request(lifecycle.refuse_writes_to_archived)


class CarriedDateField(GovDateField):
    """A date from the three boxes, or as one "day/month/year" value carried through the
    confirmation page (its hidden fields hold one value per name)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if len(valuelist) == 1:
            valuelist = valuelist[0].split("/")
        super().process_formdata(valuelist)


class CopyForm(Form):
    name = StringField(
        "Name of the new cohort",
        widget=GovTextInput(),
        description="For example, South Yorkshire 2028 cohort 1",
        validators=[
            DataRequired("Enter a name for the new cohort"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    starts_on = CarriedDateField(
        "Start date of the new cohort", description="For example, 27 3 2028"
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


def _crumbs(cohort) -> list[tuple[str, str]]:
    return [
        ("Cohorts", url_for("cohorts.index")),
        (cohort.name, url_for("oversight.dashboard", cohort_id=cohort.id)),
    ]


@bp.route("/cohorts/<int:cohort_id>/copy", methods=["GET", "POST"])
@signed_in
def copy(cohort_id: int) -> ResponseReturnValue:
    access = require_manager(cohort_access(current_user, cohort_id))
    if not can_set_up_cohorts(current_user):
        abort(403)
    source = access.cohort
    form = CopyForm()
    if form.validate_on_submit():
        starts_on = form.starts_on.data
        assert starts_on is not None  # required by the form
        name = (form.name.data or "").strip()
        existing = lifecycle.existing_copy(source.course_key, name, starts_on)
        if existing is not None:
            form.name.errors = [
                f"A cohort called {name} starting on {govuk_date(starts_on)} already exists: "
                "choose another name or start date"
            ]
        elif not confirm.confirmed():
            return confirm.page(_copying(source, form))
        else:
            try:
                copied = lifecycle.copy_cohort(source, name, starts_on, actor=current_user.id)
            except lifecycle.CopyRefused as error:  # made meanwhile (a double submit)
                form.name.errors = [str(error)]
            else:
                flash(
                    f"{copied.name} is set up from {source.name}, with the schedule and sessions "
                    "moved to its dates. Next, add its people.",
                    "success",
                )
                return redirect(url_for("oversight.dashboard", cohort_id=copied.id))
    return render_template("cohorts/copy.html", access=access, form=form)


def _copying(source, form: CopyForm) -> confirm.Confirmation:
    starts_on = form.starts_on.data
    assert starts_on is not None
    delta = lifecycle.shift(source, starts_on)
    days = abs(delta.days)
    moved = (
        "stay on the same dates"
        if days == 0
        else f"move {days} day{'s' if days != 1 else ''} {'later' if delta.days > 0 else 'earlier'}"
    )
    day, month, year = form.starts_on.raw_data or ["", "", ""]
    return confirm.Confirmation(
        heading=f"Copy {source.name} as {form.name.data}?",
        caption=source.name,
        says=[
            f"{form.name.data} will run from {govuk_date(starts_on)} to "
            f"{govuk_date(source.ends_on + delta)}, on the same course.",
            f"Its schedule (when each module opens and is due) and its sessions {moved}.",
            "No people, attendance or learning sets are copied: you will manage the new cohort, "
            "and add its people.",
        ],
        warning=f"{source.name} itself does not change.",
        button="Copy the cohort",
        cancel_url=url_for("cohorts.copy", cohort_id=source.id),
        carry={"name": form.name.data or "", "starts_on": f"{day}/{month}/{year}"},
        breadcrumbs=_crumbs(source),
    )


@bp.route("/cohorts/<int:cohort_id>/archive", methods=["GET", "POST"])
@signed_in
def archive(cohort_id: int) -> ResponseReturnValue:
    access = require_manager(cohort_access(current_user, cohort_id))
    cohort = access.cohort
    refusal = lifecycle.why_not_archive(cohort)
    if refusal:
        raise NotApplicable(refusal)
    if not confirm.confirmed():
        return confirm.page(
            confirm.Confirmation(
                heading=f"Archive {cohort.name}?",
                caption=cohort.name,
                says=[
                    f"{cohort.name} ended on {govuk_date(cohort.ends_on)}. Archived, it is "
                    "read-only: no one can change its people, schedule, sessions, registers, "
                    "sets or network.",
                    "It leaves the list of cohorts (it is under Archived cohorts), and its "
                    "records, reports and exports stay as they are.",
                ],
                warning="You can bring it back from the archive later.",
                button=f"Archive {cohort.name}",
                cancel_url=url_for("cohorts.edit", cohort_id=cohort.id),
                breadcrumbs=_crumbs(cohort),
            )
        )
    lifecycle.archive(cohort, actor=current_user.id)
    flash(f"{cohort.name} is archived. It is read-only now.", "success")
    return redirect(url_for("cohorts.index", archived=1))


@bp.route("/cohorts/<int:cohort_id>/unarchive", methods=["POST"])
@signed_in
def unarchive(cohort_id: int) -> ResponseReturnValue:
    access = require_manager(cohort_access(current_user, cohort_id))
    lifecycle.unarchive(access.cohort, actor=current_user.id)
    flash(f"{access.cohort.name} is back from the archive: it can be changed again.", "success")
    return redirect(url_for("oversight.dashboard", cohort_id=cohort_id))
