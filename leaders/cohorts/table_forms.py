"""Table forms: one row per module, learner or new organisation (schedule, register, import's sectors).

Each is a FieldList(FormField(Row)) that keeps the rows the page was drawn with (RowList).
"""

from __future__ import annotations

from datetime import date

from wtforms import FieldList, FormField, HiddenField, RadioField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from leaders.cohorts.forms import GovDateField
from leaders.cohorts.models import AttendanceStatus
from leaders.forms import Form
from leaders.organisations.models import Sector
from leaders.widgets import GovRadioInput, GovSelect, GovSubmitInput


class Row(Form):
    """One row of a table form: `key` says which thing the row is about (a module, a learner)."""

    class Meta(Form.Meta):
        csrf = False  # the page's form carries the token

    key = HiddenField()


class RowList(FieldList):
    """One entry for each row the view gives as data, in that order, whatever the POST holds.

    A POST that leaves rows out cannot shift the others up (FieldList would renumber them), and a
    row whose `key` is not the one the page was drawn with (the list changed meanwhile) is an error.
    """

    def _extract_indices(self, prefix, formdata):
        return iter(range(len(self.object_data or ())))

    def validate(self, form, extra_validators=()) -> bool:
        valid = super().validate(form, extra_validators)
        rows = self.object_data or ()
        if any(e.form.key.data != str(r["key"]) for e, r in zip(self.entries, rows, strict=True)):
            self.errors.append("The page is out of date: load it again and start over")
            return False
        return valid


def _first_lower(text: str) -> str:
    return text[:1].lower() + text[1:]


class ModuleDates(Row):
    opens = GovDateField("Opening date", required=False)
    due = GovDateField("Due date", required=False)

    def validate_due(self, field: GovDateField) -> None:
        if field.data and self.opens.data and field.data < self.opens.data:
            raise ValidationError("Due date must be on or after the opening date")


class ScheduleForm(Form):
    modules = RowList(FormField(ModuleDates))
    submit = SubmitField("Save schedule", widget=GovSubmitInput())

    @classmethod
    def of(cls, modules, current) -> ScheduleForm:
        """The form for a course's modules, filled from the saved schedule {module key: row}."""
        rows = []
        for module in modules:
            row = current.get(module.key)
            rows.append(
                {
                    "key": module.key,
                    "opens": row.opens_on if row else None,
                    "due": row.due_on if row else None,
                }
            )
        form = cls(data={"modules": rows})
        form.titles = [m.title for m in modules]
        return form

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Name the module in each message: the summary lists them all together.
        for title, entry in zip(self.titles, self.modules, strict=True):
            for field in (entry.form.opens, entry.form.due):
                field.errors[:] = [f"{title}: {_first_lower(e)}" for e in field.errors]
        return valid

    def dates(self) -> dict[str, tuple[date | None, date | None]]:
        return {e.form.key.data: (e.form.opens.data, e.form.due.data) for e in self.modules}


class Mark(Row):
    status = RadioField(
        "Attendance",
        widget=GovRadioInput(),
        choices=[SelectChoice(s.value, s.label) for s in AttendanceStatus],
        validators=[InputRequired()],
    )


class RegisterForm(Form):
    """The attendance register: one row per learner, each marked present, apologies or absent."""

    marks = RowList(FormField(Mark))
    submit = SubmitField("Save attendance", widget=GovSubmitInput())

    @classmethod
    def of(cls, learners, marks: dict[int, str]) -> RegisterForm:
        rows = [
            {"key": p.user_id, "status": marks.get(p.user_id, AttendanceStatus.PRESENT.value)}
            for p in learners
        ]
        form = cls(data={"marks": rows})
        form.names = [p.name for p in learners]
        return form

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, entry in zip(self.names, self.marks, strict=True):
            if entry.form.status.errors:
                entry.form.status.errors[:] = [f"Mark {name} as present, sent apologies or absent"]
        return valid

    @property
    def offered_choices_only(self) -> bool:
        """False when a mark is none of the choices the page offers (a forged or broken POST)."""
        offered = {s.value for s in AttendanceStatus}
        return all(e.form.status.data in offered | {None, ""} for e in self.marks)

    def chosen(self) -> dict[int, AttendanceStatus]:
        return {int(e.form.key.data): AttendanceStatus(e.form.status.data) for e in self.marks}


class NewOrganisation(Row):
    sector = SelectField(
        "Sector",
        widget=GovSelect(),
        choices=[
            SelectChoice("", "Choose a sector"),
            *(SelectChoice(s.value, s.label) for s in Sector),
        ],
        validators=[InputRequired()],
    )


class ConfirmImportForm(Form):
    """Confirming an import: the plan the page showed, and a sector for each new organisation."""

    plan = HiddenField()
    organisations = RowList(FormField(NewOrganisation))
    submit = SubmitField("Confirm and import", widget=GovSubmitInput())

    @classmethod
    def of(cls, plan) -> ConfirmImportForm:
        form = cls(
            data={
                "plan": plan.fingerprint,
                "organisations": [{"key": n} for n in plan.new_organisations],
            }
        )
        form.names = list(plan.new_organisations)
        return form

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, entry in zip(self.names, self.organisations, strict=True):
            if entry.form.sector.errors:
                entry.form.sector.errors[:] = [f'Choose a sector for "{name}"']
        return valid

    def sectors(self) -> dict[str, str]:
        """Lower-cased organisation name → the sector chosen for it."""
        return {e.form.key.data.lower(): e.form.sector.data for e in self.organisations}
