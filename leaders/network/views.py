"""A learner's network: their ties, the sectors and places they reach, people to meet next.

Access: learners, for the cohorts in which they are learners: their own ties and survey answers, never
who else is tied to whom. The cohort network page: its programme managers, facilitators and admins
(who is tied to whom), and organisation leads (aggregates for their own staff only).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from leaders import audit, confirm, downloads
from leaders.auth.rules import signed_in
from leaders.cohorts.access import cohort_access, require_manager
from leaders.network import cohort_network, services
from leaders.network.forms import SurveyForm, TieForm
from leaders.network.graph import Person
from leaders.network.metrics import EXPLANATIONS, SO_WHAT
from leaders.network.models import TieKind, WaveName
from leaders.text import download_name

bp = Blueprint("network", __name__)
bp.add_app_template_global(lambda name: WaveName(name).label, "wave_label")


def _my_cohort(cohort_id: int | None):
    """The learner's cohort to show: the one asked for, or their newest. 404 if not theirs."""
    cohorts = services.learner_cohorts(current_user.id)
    if cohort_id is None:
        return (cohorts[0] if cohorts else None), cohorts
    cohort = next((c for c in cohorts if c.id == cohort_id), None)
    if cohort is None:
        abort(404)
    return cohort, cohorts


@bp.route("/network")
@signed_in
def mine() -> str:
    cohort, cohorts = _my_cohort(request.args.get("cohort", type=int))
    if cohort is None:
        return render_template("network/none.html")
    ties = services.my_ties(current_user.id, cohort.id)
    tied = cohort_network.tied_to(current_user.id, cohort.id)
    query = (request.args.get("q") or "").strip()
    matches: list[tuple[Person, bool]] = []
    if query:
        tied = {t.other.id for t in ties}
        needle = query.lower()
        matches = [
            (p, p.id in tied)
            for p in services.cohort_people(cohort.id)
            if p.id != current_user.id
            and (needle in p.name.lower() or needle in (p.organisation or "").lower())
        ]
    return render_template(
        "network/mine.html",
        open_waves=services.open_waves_for(current_user.id, cohort.id),
        cohort=cohort,
        cohorts=cohorts,
        ties=ties,
        tied=tied,
        survey_only=len(tied - {t.other.id for t in ties}),
        learning_set=services.set_names(cohort.id).get(current_user.id),
        reach=services.reach(current_user.id, cohort.id, tied),
        query=query,
        matches=matches,
    )


@bp.route("/network/<int:cohort_id>/connect/<int:other_id>", methods=["GET", "POST"])
@signed_in
def connect(cohort_id: int, other_id: int) -> str | Response:
    cohort, _ = _my_cohort(cohort_id)
    other = next((p for p in services.cohort_people(cohort.id) if p.id == other_id), None)
    if other is None or other.id == current_user.id:
        abort(404)
    form = TieForm()
    if form.validate_on_submit():
        added = services.add_tie(
            current_user.id, cohort.id, other.id, TieKind(form.kind.data), form.note.data or ""
        )
        flash(
            f"Your connection with {other.name} is recorded. They will see it too."
            if added
            else f"You had already recorded that connection with {other.name}.",
            "success",
        )
        return redirect(url_for("network.mine", cohort=cohort.id))
    return render_template("network/connect.html", cohort=cohort, other=other, form=form)


@bp.route("/network/ties/<int:tie_id>/remove", methods=["POST"])
@signed_in
def remove(tie_id: int) -> Response:
    services.remove_tie(current_user.id, tie_id)
    flash("The connection is removed, for both of you.", "success")
    return redirect(url_for("network.mine", cohort=request.args.get("cohort", type=int)))


# Programme managers and facilitators ----------------------------------------------------------


def _staff_access(cohort_id: int):
    """Managers, facilitators and admins: who is tied to whom. Organisation leads: their aggregates."""
    return cohort_access(current_user, cohort_id)


@bp.route("/cohorts/<int:cohort_id>/network")
@signed_in
def cohort(cohort_id: int) -> str:
    access = _staff_access(cohort_id)
    network = cohort_network.build(access, request.args.get("wave"), request.args.get("layer"))
    if not access.sees_everyone:
        summary = cohort_network.staff_summary(access, network)
        return render_template("network/lead.html", access=access, summary=summary, network=network)
    return render_template(
        "network/cohort.html",
        access=access,
        network=network,
        explanations=EXPLANATIONS,
        so_what=SO_WHAT,
        responses=services.response_counts(cohort_id),
        wave_names=list(WaveName),
    )


@bp.route("/cohorts/<int:cohort_id>/network/<any('edges.csv', 'network.graphml'):filename>")
@signed_in
def export(cohort_id: int, filename: str) -> Response:
    with audit.refusals(current_user, cohort=cohort_id, what=f"the network {filename} export"):
        access = _staff_access(cohort_id)
        if not access.sees_everyone:
            abort(403)
    network = cohort_network.build(access, request.args.get("wave"), request.args.get("layer"))
    audit.record_now(
        audit.Action.EXPORTED, actor=current_user, cohort=cohort_id, detail=f"network {filename}"
    )
    if filename == "edges.csv":
        return downloads.send_download(
            cohort_network.edge_list_csv(network),
            download_name(access.cohort.name, "ties", extension="csv"),
            "text/csv",
        )
    return downloads.send_download(
        cohort_network.graphml(network),
        download_name(access.cohort.name, "network", extension="graphml"),
        "application/graphml+xml",
    )


@bp.route("/cohorts/<int:cohort_id>/network/waves", methods=["POST"])
@signed_in
def open_wave(cohort_id: int) -> Response:
    access = require_manager(_staff_access(cohort_id))
    try:
        name = WaveName(request.form.get("name", ""))
    except ValueError:
        abort(400)
    if services.open_wave(access.cohort.id, name, actor=current_user.id):
        flash(
            f"The {name.label.lower()} survey is open. Learners see it on their network page.",
            "success",
        )
    else:
        flash(f"The {name.label.lower()} survey was already opened.", "success")
    return redirect(url_for("network.cohort", cohort_id=cohort_id))


@bp.route("/cohorts/<int:cohort_id>/network/waves/<int:wave_id>/close", methods=["POST"])
@signed_in
def close_wave(cohort_id: int, wave_id: int) -> Response | tuple[str, int]:
    access = require_manager(_staff_access(cohort_id))
    wave = services.wave_of(access.cohort.id, wave_id)
    if not confirm.confirmed() and wave.closed_at is None:
        return confirm.page(_closing(access, wave))
    services.close_wave(access.cohort.id, wave_id, actor=current_user.id)
    flash("The survey is closed. Its answers are frozen.", "success")
    return redirect(url_for("network.cohort", cohort_id=cohort_id))


# Learners answering a survey wave ---------------------------------------------------------------


@bp.route("/network/surveys/<int:wave_id>", methods=["GET", "POST"])
@signed_in
def survey(wave_id: int) -> str | Response | tuple[str, int]:
    wave = services.wave_for_learner(current_user.id, wave_id)
    people = [p for p in services.cohort_people(wave.cohort_id) if p.id != current_user.id]
    form = SurveyForm.for_people(people, services.my_answers(wave.id, current_user.id))
    if form.is_submitted():
        if wave.closed_at is not None:
            abort(403)
        if form.validate():
            services.submit_survey(
                wave, current_user.id, set(form.knew_before.data), set(form.worked_with.data)
            )
            flash(
                "Thank you. Your answers are saved; you can change them until the survey closes.",
                "success",
            )
            return redirect(url_for("network.mine", cohort=wave.cohort_id))
        # A person from outside the cohort is a forged request: the page says so, nothing is saved.
        return render_template("network/survey.html", wave=wave, people=people, form=form), 400
    return render_template("network/survey.html", wave=wave, people=people, form=form)


# Confirmation pages ------------------------------------------------------------------------------


def _cohort_crumbs(access) -> list[tuple[str, str]]:
    return [
        ("Cohorts", url_for("cohorts.index")),
        (access.cohort.name, url_for("oversight.dashboard", cohort_id=access.cohort.id)),
    ]


def _closing(access, wave) -> confirm.Confirmation:
    label = WaveName(wave.name).label
    waiting = services.not_answered(wave)
    says = [
        f"The {label.lower()} network survey for {access.cohort.name} will close now. "
        "Its answers are frozen: no one can answer it or change their answers."
    ]
    if waiting:
        people = "1 learner has" if len(waiting) == 1 else f"{len(waiting)} learners have"
        says.append(f"{people} not answered it yet and will not be able to:")
    else:
        says.append("Every learner in the cohort has answered it.")
    return confirm.Confirmation(
        heading=f"Close the {label.lower()} survey?",
        caption=access.cohort.name,
        says=says,
        names=[p.name for p in waiting],
        warning="A closed survey cannot be opened again.",
        button=f"Close the {label.lower()} survey",
        cancel_url=url_for("network.cohort", cohort_id=access.cohort.id),
        breadcrumbs=_cohort_crumbs(access),
    )


# The learning-set pages add their routes to `bp`.
from leaders.network import set_views  # noqa: E402, F401
