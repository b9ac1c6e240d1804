"""Admin pages for people: the list of every user, one user, and the changes an admin can make.

Access: admins only (`roles(Role.ADMIN)`). Each change is checked by the service, which refuses
what the page would not offer (a forged POST gets 403 with the reason); the sensitive ones go
through a confirmation page (leaders/confirm.py) and every one is audited.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from leaders import confirm
from leaders.admin import services, users
from leaders.admin.forms import ROLE_HINTS, RoleForm
from leaders.auth.models import Role, User
from leaders.auth.rules import NotApplicable, roles, signed_in

bp = Blueprint("admin", __name__, url_prefix="/admin/users")

_SEE_EMAILS = "The Emails page shows when it is sent, or why it could not be."


def _user_or_404(user_id: int) -> User:
    user = services.get_user(user_id)
    if user is None:
        abort(404)
    return user


def _refuse_if(reason: str | None) -> None:
    if reason:
        raise NotApplicable(reason)


def _crumbs(user: User | None = None) -> list[tuple[str, str]]:
    trail = [("Users", url_for("admin.index"))]
    if user is not None:
        trail.append((user.name, url_for("admin.user", user_id=user.id)))
    return trail


@bp.route("")
@roles(Role.ADMIN)
@signed_in
def index() -> str:
    state = users.read_state(request.args)
    page = users.user_page(state)
    return render_template(
        "admin/users.html",
        page=page,
        state=page.state,
        roles=list(Role),
        statuses=list(users.Status),
        organisations=users.organisations_to_filter(),
    )


@bp.route("/<int:user_id>")
@roles(Role.ADMIN)
@signed_in
def user(user_id: int) -> str:
    account = services.account(_user_or_404(user_id))
    me = current_user.id
    return render_template(
        "admin/user.html",
        account=account,
        can_change_role=services.why_not_change_role(me, account.user) is None,
        can_deactivate=services.why_not_deactivate(me, account.user) is None,
        can_reactivate=services.why_not_reactivate(account.user) is None,
        can_resend=services.why_not_resend(account.user) is None,
        can_reset=services.why_not_reset(account.user) is None,
        is_me=account.user.id == me,
    )


@bp.route("/<int:user_id>/role", methods=["GET", "POST"])
@roles(Role.ADMIN)
@signed_in
def change_role(user_id: int) -> str | Response | tuple[str, int]:
    user = _user_or_404(user_id)
    _refuse_if(services.why_not_change_role(current_user.id, user))
    form = RoleForm()
    if request.method == "GET":
        form.role.data = user.role
    elif form.validate_on_submit():
        role = Role(form.role.data)
        if role == user.role_enum:
            form.role.errors = [f"{user.name} is already {_a(role)}. Choose a different role"]
        elif not confirm.confirmed():
            return confirm.page(_role_confirmation(user, role))
        else:
            try:
                before = services.change_role(current_user.id, user.id, role)
            except services.Refused as refused:
                raise NotApplicable(str(refused)) from None
            flash(f"{user.name} is now {_a(role)} (was {_a(before)}).", "success")
            return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/role.html", user=user, form=form, hints=ROLE_HINTS)


def _a(role: Role) -> str:
    return ("an " if role == Role.ADMIN else "a ") + role.label.lower()


def _role_confirmation(user: User, role: Role) -> confirm.Confirmation:
    says = [f"{user.name} ({user.email}) will be {_a(role)} instead of {_a(user.role_enum)}."]
    if role == Role.ADMIN:
        says.append(
            "Admins can see and change every person, organisation and cohort, erase personal "
            "data and read the audit log."
        )
    elif user.role_enum == Role.ADMIN:
        says.append("They will no longer be able to manage people, organisations or erasures.")
    return confirm.Confirmation(
        heading=f"Make {user.name} {_a(role)}?",
        caption="Change role",
        says=says,
        warning="The change applies from their next page. It is recorded in the audit log.",
        button=f"Make them {_a(role)}",
        cancel_url=url_for("admin.user", user_id=user.id),
        carry={"role": role.value},
        breadcrumbs=_crumbs(user),
    )


@bp.route("/<int:user_id>/deactivate", methods=["GET", "POST"])
@roles(Role.ADMIN)
@signed_in
def deactivate(user_id: int) -> Response | tuple[str, int]:
    user = _user_or_404(user_id)
    _refuse_if(services.why_not_deactivate(current_user.id, user))
    if not confirm.confirmed():
        return confirm.page(
            confirm.Confirmation(
                heading=f"Deactivate {user.name}'s account?",
                caption="Deactivate",
                says=[
                    f"{user.name} ({user.email}) will be signed out everywhere now and will not "
                    "be able to sign in. Links already emailed to them stop working.",
                    "Their cohorts, progress, journal and attendance are kept. You can "
                    "reactivate the account later.",
                ],
                warning="They are signed out at once, on every device.",
                button="Deactivate account",
                cancel_url=url_for("admin.user", user_id=user.id),
                breadcrumbs=_crumbs(user),
            )
        )
    try:
        services.deactivate(current_user.id, user.id)
    except services.Refused as refused:
        raise NotApplicable(str(refused)) from None
    flash(f"{user.name}'s account is deactivated: they are signed out everywhere.", "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.route("/<int:user_id>/reactivate", methods=["GET", "POST"])
@roles(Role.ADMIN)
@signed_in
def reactivate(user_id: int) -> Response | tuple[str, int]:
    user = _user_or_404(user_id)
    _refuse_if(services.why_not_reactivate(user))
    if not confirm.confirmed():
        return confirm.page(
            confirm.Confirmation(
                heading=f"Reactivate {user.name}'s account?",
                caption="Reactivate",
                says=[
                    f"{user.name} ({user.email}) will be able to sign in again, with their "
                    "cohorts and records as they were."
                ],
                warning="Any lockout after wrong passwords is cleared too.",
                button="Reactivate account",
                cancel_url=url_for("admin.user", user_id=user.id),
                breadcrumbs=_crumbs(user),
            )
        )
    try:
        services.reactivate(current_user.id, user.id)
    except services.Refused as refused:
        raise NotApplicable(str(refused)) from None
    flash(f"{user.name}'s account is active again.", "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.route("/<int:user_id>/resend-invitation", methods=["POST"])
@roles(Role.ADMIN)
@signed_in
def resend_invitation(user_id: int) -> Response:
    user = _user_or_404(user_id)
    try:
        cohort = services.resend_invitation(current_user.id, user.id)
    except services.Refused as refused:
        raise NotApplicable(str(refused)) from None
    flash(f"A new invitation to {cohort.name} is queued for {user.email}. {_SEE_EMAILS}", "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.route("/<int:user_id>/reset-link", methods=["GET", "POST"])
@roles(Role.ADMIN)
@signed_in
def send_reset_link(user_id: int) -> Response | tuple[str, int]:
    user = _user_or_404(user_id)
    _refuse_if(services.why_not_reset(user))
    if not confirm.confirmed():
        return confirm.page(
            confirm.Confirmation(
                heading=f"Send {user.name} a password reset link?",
                caption="Password reset",
                says=[
                    f"We will email {user.email} a link to choose a new password. Their "
                    "current password keeps working until they use it."
                ],
                warning="Only send it if the person asked: it goes to the address above.",
                button="Send reset link",
                cancel_url=url_for("admin.user", user_id=user.id),
                breadcrumbs=_crumbs(user),
            )
        )
    try:
        services.send_reset_link(current_user.id, user.id)
    except services.Refused as refused:
        raise NotApplicable(str(refused)) from None
    flash(f"A password reset link is queued for {user.email}. {_SEE_EMAILS}", "success")
    return redirect(url_for("admin.user", user_id=user.id))
