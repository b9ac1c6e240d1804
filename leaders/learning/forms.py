"""Forms on the lesson page: a journal entry per prompt. (Quiz answers are parsed in the view.)"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from leaders.learning.journal import MAX_LENGTH
from leaders.learning.models import VISIBILITY_LABELS, Visibility
from leaders.widgets import GovRadioInput, GovSubmitInput, GovTextArea

#: Form prefixes keep field ids apart from heading ids in lesson content (which never start "app-").
COMPLETE_PREFIX = "app-complete"


def reflection_prefix(prompt_id: str) -> str:
    return f"app-{prompt_id}"


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
