"""Admin pages: list, add, edit and merge organisations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from leaders.auth.models import Role
from leaders.auth.rules import roles, signed_in
from leaders.filters import plural
from leaders.organisations import services
from leaders.organisations.forms import (
    ChooseMergeTargetForm,
    ConfirmMergeForm,
    OrganisationForm,
    SearchForm,
)
from leaders.organisations.models import Organisation
from leaders.organisations.sectors import sector_label
from leaders.places.services import places_to_choose

bp = Blueprint("organisations", __name__, url_prefix="/admin/organisations")
#: Every page names sectors through `Sector.label` (leaders/organisations/models.py).
bp.add_app_template_global(sector_label, "sector_label")


def _organisation_or_404(organisation_id: int) -> Organisation:
    organisation = services.get_organisation(organisation_id)
    if organisation is None:
        abort(404)
    return organisation


@bp.route("")
@roles(Role.ADMIN)
@signed_in
def index() -> str:
    search = SearchForm(formdata=request.args)
    query = (search.q.data or "") if search.validate() else ""  # too long: the field says so
    organisations = services.list_organisations(query)
    return render_template(
        "organisations/index.html", organisations=organisations, search=search, query=query
    )


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
@signed_in
def add() -> str | Response:
    form = OrganisationForm(places=places_to_choose())
    if form.validate_on_submit():
        try:
            organisation = services.create_organisation(
                form.name.data, form.sector.data, form.place_code.data
            )
        except services.OrganisationError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            flash(f"{organisation.name} has been added.", "success")
            return redirect(url_for("organisations.index"))
    return render_template("organisations/form.html", form=form, organisation=None)


@bp.route("/<int:organisation_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
@signed_in
def edit(organisation_id: int) -> str | Response:
    organisation = _organisation_or_404(organisation_id)
    form = OrganisationForm(obj=organisation, places=places_to_choose(organisation.place_code))
    if form.validate_on_submit():
        try:
            services.update_organisation(
                organisation.id,
                name=form.name.data,
                sector=form.sector.data,
                place_code=form.place_code.data,
            )
        except services.OrganisationError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            flash(f"Your changes to {organisation.name} have been saved.", "success")
            return redirect(url_for("organisations.index"))
    return render_template("organisations/form.html", form=form, organisation=organisation)


@bp.route("/<int:organisation_id>/merge", methods=["GET", "POST"])
@roles(Role.ADMIN)
@signed_in
def merge(organisation_id: int) -> str | Response:
    duplicate = _organisation_or_404(organisation_id)
    others = [o for o in services.list_organisations() if o.id != duplicate.id]
    form = ChooseMergeTargetForm(others=others)
    if form.validate_on_submit():
        return redirect(
            url_for(
                "organisations.confirm_merge",
                organisation_id=duplicate.id,
                into_id=int(form.into.data),
            )
        )
    return render_template(
        "organisations/merge.html", form=form, duplicate=duplicate, others=others
    )


@bp.route("/<int:organisation_id>/merge/<int:into_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
@signed_in
def confirm_merge(organisation_id: int, into_id: int) -> str | Response:
    try:
        plan = services.plan_merge(organisation_id, into_id)
    except services.OrganisationNotFound:
        abort(404)
    except services.MergeError as error:
        flash(str(error))
        return redirect(url_for("organisations.merge", organisation_id=organisation_id))
    form = ConfirmMergeForm()
    error_list = []
    if form.validate_on_submit():
        try:
            moved = services.merge(organisation_id, into_id, actor=current_user.id)
        except services.MergeError as error:
            error_list = [{"text": str(error), "href": "#submit"}]
        else:
            people = sum(r.rows for r in moved if r.table == "user")
            flash(
                f"{plan.duplicate.name} has been merged into {plan.into.name}. "
                f"{_moved(people)} moved.",
                "success",
            )
            return redirect(url_for("organisations.index"))
    return render_template(
        "organisations/confirm_merge.html",
        form=form,
        plan=plan,
        names=services.people_names(organisation_id),
        error_list=error_list,
    )


def _moved(people: int) -> str:
    if people == 0:
        return "Nobody"
    return plural(people, "person", "people")
