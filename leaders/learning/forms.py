"""Forms on the lesson page: a journal entry per prompt. (Quiz answers are parsed in the view.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wtforms import BooleanField, RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from leaders.forms import Form
from leaders.learning.journal import MAX_LENGTH
from leaders.learning.models import VISIBILITY_LABELS, Visibility
from leaders.widgets import GovRadioInput, GovSubmitInput, GovTextArea

QUOTE_LABEL = "It may be quoted anonymously in programme reports"
QUOTE_HINT = (
    "Reports for the programme's board and funders may quote it, without your name or organisation. "
    "You can withdraw this at any time from your journal; later reports will leave it out."
)


def reflection_prefix(prompt_id: str) -> str:
    """Keeps field ids apart from heading ids in lesson content, which never start "app-"."""
    return f"app-{prompt_id}"


class ReflectionForm(Form):
    body = TextAreaField(
        "Your reflection",
        widget=GovTextArea(),
        description="Write as much or as little as helps you. To make a list, start each line with "
        "a dash (-). To make words bold, put two stars either side of them, like **this**.",
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
    #: "May be quoted anonymously in programme reports" (leaders/reports): off unless ticked.
    quote_consent = BooleanField(QUOTE_LABEL, description=QUOTE_HINT)
    submit = SubmitField("Save reflection", widget=GovSubmitInput())


@dataclass(frozen=True)
class ReflectionDraft:
    """What a journal form on the lesson page shows: the saved entry, or a rejected submission.

    The page draws the fields by hand (they are on every lesson page), so it needs only this.
    """

    body: str = ""
    visibility: str = Visibility.PRIVATE.value
    body_error: str = ""
    visibility_error: str = ""
    quote_consent: bool = False
    #: For a saved entry, when it was saved and who can read it ("Saved … . Only you …"); else "".
    saved: str = ""

    @classmethod
    def of(cls, entry: Any, saved: str = "") -> ReflectionDraft:
        if entry is None:
            return cls()
        return cls(
            entry.body, entry.visibility, quote_consent=bool(entry.quote_consent), saved=saved
        )

    @classmethod
    def of_form(cls, form: ReflectionForm) -> ReflectionDraft:
        return cls(
            form.body.data or "",
            form.visibility.data or "",
            form.body.errors[0] if form.body.errors else "",
            form.visibility.errors[0] if form.visibility.errors else "",
            bool(form.quote_consent.data),
        )


#: (value, label, hint) for each choice on the lesson page.
VISIBILITY_CHOICES = tuple((v.value, VISIBILITY_LABELS[v], v.hint) for v in Visibility)
BODY_HINT = ReflectionForm.body.kwargs["description"]


class WithdrawQuoteForm(Form):
    """The journal page's "Stop quoting this" button: nothing but the CSRF token."""
