"""The admin's form for a person's global role."""

from __future__ import annotations

from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from leaders.auth.models import Role
from leaders.forms import Form
from leaders.widgets import GovRadioInput, GovSubmitInput

ROLE_HINTS = {
    Role.LEARNER: "Takes courses in the cohorts they are in",
    Role.PROGRAMME_MANAGER: "Sets up cohorts, enrols people and sees every course",
    Role.ADMIN: "Everything a programme manager does, plus people, organisations and the audit log",
}


class RoleForm(Form):
    role = RadioField(
        "Role",
        widget=GovRadioInput(),
        choices=[SelectChoice(r.value, r.label) for r in Role],
        validators=[DataRequired("Choose a role")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())
