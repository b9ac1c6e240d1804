"""The form for recording a connection."""

from __future__ import annotations

from wtforms import SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from leaders.forms import Form
from leaders.network.models import TieKind
from leaders.widgets import GovCheckboxesInput, GovRadioInput, GovSubmitInput, GovTextArea


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


class SurveyForm(Form):
    """A learner's answers to a survey wave: one group of checkboxes per question.

    The choices are the learner's cohort, so a person id from outside it (a forged answer) fails
    validation ("… is not a valid choice") and nothing is saved.
    """

    knew_before = SelectMultipleField(
        "Who did you know before the programme?",
        widget=GovCheckboxesInput(),
        coerce=int,
        invalid_choice_message="Choose only people in your cohort",
        invalid_value_message="Choose only people in your cohort",
        description="Select everyone you knew before, or leave them all empty.",
    )
    worked_with = SelectMultipleField(
        "Who have you worked with in the last three months?",
        widget=GovCheckboxesInput(),
        coerce=int,
        invalid_choice_message="Choose only people in your cohort",
        invalid_value_message="Choose only people in your cohort",
        description="Select everyone you have worked with, or leave them all empty.",
    )
    submit = SubmitField("Save my answers", widget=GovSubmitInput())

    @classmethod
    def for_people(cls, people, answers: dict[int, tuple[bool, bool]]) -> SurveyForm:
        form = cls(
            knew_before=[pid for pid, (knew, _) in answers.items() if knew],
            worked_with=[pid for pid, (_, worked) in answers.items() if worked],
        )
        choices = [(p.id, p.name) for p in people]
        form.knew_before.choices = choices
        form.worked_with.choices = choices
        return form
