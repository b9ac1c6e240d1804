"""Forms on the lesson page: a journal entry per prompt. (Quiz answers are parsed in the view.)"""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from leaders.learning.journal import MAX_LENGTH
from leaders.learning.models import VISIBILITY_LABELS, Visibility


class ReflectionForm(FlaskForm):
    body = TextAreaField(
        "Your reflection",
        widget=GovTextArea(),
        description="Write as much or as little as helps you. You can use Markdown: *italic*, **bold**, lists.",
        validators=[
            DataRequired("Write your reflection before saving it"),
            Length(
                max=MAX_LENGTH, message=f"Reflection must be {MAX_LENGTH:,} characters or fewer"
            ),
        ],
    )
    visibility = RadioField(
        "Who can read it",
        widget=GovRadioInput(),
        choices=[SelectChoice(v.value, VISIBILITY_LABELS[v]) for v in Visibility],
        default=Visibility.PRIVATE.value,
        validators=[DataRequired("Choose who can read your reflection")],
    )
    submit = SubmitField("Save reflection", widget=GovSubmitInput())


class CompleteForm(FlaskForm):
    submit = SubmitField("Mark as complete and continue", widget=GovSubmitInput())


class CsrfOnlyForm(FlaskForm):
    """A form with no fields of its own: checks the CSRF token of a POST whose fields are parsed by hand."""
