"""Forms for recording a connection, answering a survey, and naming learning sets."""

from __future__ import annotations

from wtforms import (
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from leaders.cohorts.table_forms import Row, RowList
from leaders.forms import Form
from leaders.network.models import TieKind
from leaders.widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)


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


class SetDetails(Row):
    """One set of a proposal (or a confirmed set): its name and who facilitates it."""

    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter a name for the set"),
            Length(max=100, message="Set name must be 100 characters or fewer"),
        ],
    )
    facilitator = SelectField(
        "Facilitator",
        widget=GovSelect(),
        invalid_choice_message="Choose a facilitator of this cohort",
        invalid_value_message="Choose a facilitator of this cohort",
    )


class SetNamesForm(Form):
    """Names and facilitators for every set of the draft, in one form (one row per set)."""

    sets = RowList(FormField(SetDetails))
    version = HiddenField()
    submit = SubmitField("Save names and facilitators", widget=GovSubmitInput())

    @classmethod
    def of(cls, names, facilitators, choices: list[tuple[int, str]], version: int, **kwargs):
        rows = [
            {"key": str(i), "name": name, "facilitator": str(f) if f else ""}
            for i, (name, f) in enumerate(zip(names, facilitators, strict=True))
        ]
        form = cls(data={"sets": rows, "version": str(version)}, **kwargs)
        options = [("", "No facilitator yet"), *((str(i), n) for i, n in choices)]
        for entry in form.sets:
            entry.form.facilitator.choices = options
        return form

    def details(self) -> list[tuple[str, int | None]]:
        return [
            (
                (entry.form.name.data or "").strip(),
                int(entry.form.facilitator.data) if entry.form.facilitator.data else None,
            )
            for entry in self.sets
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Name the set in each message: the summary lists them all together.
        for number, entry in enumerate(self.sets, start=1):
            for field in (entry.form.name, entry.form.facilitator):
                field.errors[:] = [f"Set {number}: {e}" for e in field.errors]
        return valid


class SetEditForm(Form):
    """A confirmed set's name and facilitator."""

    name = StringField(
        "Set name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter a name for the set"),
            Length(max=100, message="Set name must be 100 characters or fewer"),
        ],
    )
    facilitator = SelectField(
        "Facilitator",
        widget=GovSelect(),
        invalid_choice_message="Choose a facilitator of this cohort",
        invalid_value_message="Choose a facilitator of this cohort",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def with_choices(self, choices: list[tuple[int, str]]) -> SetEditForm:
        self.facilitator.choices = [("", "No facilitator yet"), *((str(i), n) for i, n in choices)]
        return self
