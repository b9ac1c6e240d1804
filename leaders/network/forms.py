"""The form for recording a connection."""

from __future__ import annotations

from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from leaders.forms import Form
from leaders.network.models import TieKind
from leaders.widgets import GovRadioInput, GovSubmitInput, GovTextArea


class TieForm(Form):
    kind = SelectField(
        "How are you connected?",
        widget=GovRadioInput(),
        choices=[SelectChoice(k.value, k.label) for k in TieKind],
        validators=[DataRequired("Choose how you are connected")],
    )
    note = TextAreaField(
        "Note (optional)",
        widget=GovTextArea(),
        description="For example, what you worked on together. The other person sees it too.",
        validators=[Optional(), Length(max=500, message="Note must be 500 characters or fewer")],
    )
    submit = SubmitField("Record connection", widget=GovSubmitInput())
