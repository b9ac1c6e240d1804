"""Learning-set pages, on the network blueprint.

Access: the cohort's programme managers (and admins) propose, name and confirm its sets; a
facilitator sees the sets they run (in cohorts where they are a facilitator); a learner sees their
own set in a cohort where they are a learner (404 otherwise, as for their network page).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from leaders import confirm
from leaders.auth.rules import signed_in
from leaders.cohorts.access import CohortAccess, cohort_access, require_manager
from leaders.filters import govuk_datetime, plural
from leaders.network import services, set_details, set_members, sets
from leaders.network.forms import SetEditForm, SetNamesForm
from leaders.network.views import bp


def _manager(cohort_id: int) -> CohortAccess:
    return require_manager(cohort_access(current_user, cohort_id))


def _page(access: CohortAccess, *, names_form: SetNamesForm | None = None, **extra):
    cohort_id = access.cohort.id
    proposal = sets.current_proposal(cohort_id)
    choices = set_details.facilitator_choices(cohort_id)
    if proposal is not None and names_form is None:
        names_form = SetNamesForm.of(
            proposal.names, proposal.facilitators, choices, proposal.version, formdata=None
        )
    return render_template(
        "network/sets.html",
        access=access,
        proposal=proposal,
        version=proposal.version if proposal else sets.draft_version(cohort_id),
        stale=proposal is None and sets.is_stale(cohort_id),
        names_form=names_form,
        form=names_form if names_form is not None and names_form.errors else None,
        facilitator_names=dict(choices),
        current=set_members.confirmed(cohort_id),
        **extra,
    )


def _version() -> int:
    return request.form.get("version", default=0, type=int) or 0


@bp.route("/cohorts/<int:cohort_id>/sets")
@signed_in
def learning_sets(cohort_id: int) -> str:
    return _page(_manager(cohort_id))


@bp.route(
    "/cohorts/<int:cohort_id>/sets/<any(propose, move, confirm, discard):action>",
    methods=["POST"],
)
@signed_in
def change_sets(cohort_id: int, action: str) -> ResponseReturnValue:
    access = _manager(cohort_id)
    version = _version()
    try:
        if action == "propose":
            sets.propose(cohort_id, version=version, actor=current_user.id)
        elif action == "move":
            person = request.form.get("person", type=int)
            to_set = request.form.get("to_set", type=int)
            if person is None or to_set is None:
                abort(400)
            sets.move(cohort_id, person, to_set - 1, version=version, actor=current_user.id)
        elif action == "discard":
            sets.discard(cohort_id, version=version, actor=current_user.id)
            flash("The proposal is discarded. The confirmed sets are as they were.", "success")
            return redirect(url_for("network.learning_sets", cohort_id=cohort_id))
        else:
            current = set_members.confirmed(cohort_id)
            if current and not confirm.confirmed():
                return confirm.page(_replacing(access, current, version))
            count = sets.confirm(cohort_id, version=version, actor=current_user.id)
            flash(
                f"The {count} learning sets are confirmed. On the network page they are a separate layer, "
                "made by the programme: they do not change the figures people reported.",
                "success",
            )
    except sets.StaleDraft as error:
        return _page(access, error_list=[{"text": str(error), "href": "#proposal"}]), 409
    except ValueError as error:
        return _page(access, error_list=[{"text": str(error), "href": "#proposal"}]), 200
    return redirect(
        url_for("network.learning_sets", cohort_id=cohort_id)
        + ("#proposal" if action != "confirm" else "")
    )


@bp.route("/cohorts/<int:cohort_id>/sets/names", methods=["POST"])
@signed_in
def name_sets(cohort_id: int) -> ResponseReturnValue:
    access = _manager(cohort_id)
    proposal = sets.current_proposal(cohort_id)
    if proposal is None:
        return _page(
            access, error_list=[{"text": "There is no proposal to name.", "href": "#proposal"}]
        )
    form = SetNamesForm.of(
        proposal.names,
        proposal.facilitators,
        set_details.facilitator_choices(cohort_id),
        proposal.version,
    )
    if not form.validate_on_submit():
        return _page(access, names_form=form), 200
    try:
        sets.name_sets(cohort_id, form.details(), version=_version(), actor=current_user.id)
    except sets.StaleDraft as error:
        return _page(access, error_list=[{"text": str(error), "href": "#proposal"}]), 409
    except ValueError as error:
        return _page(access, error_list=[{"text": str(error), "href": "#names"}]), 200
    flash("The names and facilitators are saved in the proposal.", "success")
    return redirect(url_for("network.learning_sets", cohort_id=cohort_id) + "#names")


@bp.route("/cohorts/<int:cohort_id>/sets/<int:set_id>/edit", methods=["GET", "POST"])
@signed_in
def edit_set(cohort_id: int, set_id: int) -> ResponseReturnValue:
    access = _manager(cohort_id)
    current = set_members.confirmed(cohort_id)
    learning_set = next((s for s in current if s.id == set_id), None)
    if learning_set is None:
        abort(404)
    form = SetEditForm(
        data={"name": learning_set.name, "facilitator": set_members.facilitator_of(set_id)}
        if request.method == "GET"
        else None
    ).with_choices(set_details.facilitator_choices(cohort_id))
    if form.validate_on_submit():
        facilitator = int(form.facilitator.data) if form.facilitator.data else None
        try:
            set_details.edit_set(
                cohort_id,
                set_id,
                (form.name.data or "").strip(),
                facilitator,
                actor=current_user.id,
            )
        except ValueError as error:
            form.name.errors = [*form.name.errors, str(error)]
        else:
            flash(f"{form.name.data.strip()} is saved.", "success")
            return redirect(url_for("network.learning_sets", cohort_id=cohort_id) + "#confirmed")
    return render_template(
        "network/set_edit.html", access=access, learning_set=learning_set, form=form
    )


@bp.route("/learning-sets")
@signed_in
def facilitated() -> str:
    return render_template(
        "network/facilitated.html", sets=set_members.facilitated_sets(current_user.id)
    )


@bp.route("/cohorts/<int:cohort_id>/my-set")
@signed_in
def my_set(cohort_id: int) -> str:
    cohort = next((c for c in services.learner_cohorts(current_user.id) if c.id == cohort_id), None)
    if cohort is None:
        abort(404)
    return render_template(
        "network/my_set.html",
        cohort=cohort,
        learning_set=set_members.learning_set_for(current_user.id, cohort_id),
    )


def _cohort_crumbs(access) -> list[tuple[str, str]]:
    return [
        ("Cohorts", url_for("cohorts.index")),
        (access.cohort.name, url_for("oversight.dashboard", cohort_id=access.cohort.id)),
    ]


def _replacing(access, current, version: int) -> confirm.Confirmation:
    people = sum(len(s.members) for s in current)
    proposal = sets.current_proposal(access.cohort.id)
    lost = sets.meetings_lost(access.cohort.id, len(proposal.allocation.sets)) if proposal else []
    losing = (
        [
            f"The proposal has fewer sets than now, so {plural(len(lost), 'meeting')} of the sets "
            "that go will be deleted, with their attendance registers: "
            + "; ".join(
                f"{m.set_name}: {m.title} on {govuk_datetime(m.starts_at)} "
                f"({plural(m.marks, 'attendance mark')})"
                for m in lost
            )
            + ".",
        ]
        if lost
        else []
    )
    return confirm.Confirmation(
        heading=f"Replace the confirmed learning sets for {access.cohort.name}?",
        caption=access.cohort.name,
        says=[
            f"The {len(current)} confirmed sets ({people} people) will be replaced by the "
            "proposal. Each person moves to the set the proposal puts them in, and the ties the "
            "old sets made in the network are replaced by the new sets' ties.",
            *losing,
            "The sets that will be replaced:",
        ],
        names=[
            f"{s.name}: " + (", ".join(p.name for p in s.members) or "no one now") for s in current
        ],
        warning="The current sets cannot be brought back once they are replaced.",
        button="Replace the learning sets",
        cancel_url=url_for("network.learning_sets", cohort_id=access.cohort.id),
        carry={"version": str(version)},
        breadcrumbs=_cohort_crumbs(access),
    )
