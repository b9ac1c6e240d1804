"""Forms for cohorts, people, imports, sessions and due dates (the one-row-per-thing forms are in table_forms)."""

from __future__ import annotations

import re
from datetime import date, time

from flask_wtf.file import FileField
from wtforms import (
    EmailField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Optional,
    ValidationError,
)

from leaders.cohorts.models import CohortRole
from leaders.forms import Form
from leaders.widgets import (
    GovDateInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)


def parse_date_parts(parts: list[str], label: str) -> date | None:
    """A date from day, month and year boxes: None if all are empty; ValueError saying what to fix."""
    parts = [p.strip() for p in parts]
    if not any(parts):
        return None
    if len(parts) != 3 or not all(parts):
        raise ValueError(f"{label} must include a day, month and year")
    try:
        day, month, year = (int(p) for p in parts)
        if not 2000 <= year <= 2100:
            raise ValueError
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{label} must be a real date, like 27 3 2027") from None


def parse_time(text: str) -> time:
    """A time of day in the 24-hour clock: 09:30, 9.30 or 14:00."""
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError("Enter a start time in the 24-hour clock, like 09:30")
    return time(int(match[1]), int(match[2]))


class GovDateField(StringField):
    """Day, month and year in three boxes (the GOV.UK date input), with GOV.UK error messages."""

    widget = GovDateInput()

    def __init__(self, label: str, *, required: bool = True, **kwargs) -> None:
        super().__init__(label, **kwargs)
        self.required = required

    def _value(self) -> str:
        return self.data.strftime("%d %m %Y") if isinstance(self.data, date) else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        # The widget redraws day, month and year from raw_data: always give it three (a forged or
        # partial POST may send fewer).
        self.raw_data = [*valuelist, "", "", ""][:3]
        self.data = None
        self.data = parse_date_parts(list(valuelist or []), self.label.text)

    def pre_validate(self, form) -> None:
        if self.required and self.data is None and not self.errors:
            raise ValidationError(f"Enter the {self.label.text.lower()}")


class CohortForm(Form):
    course = SelectField("Course", widget=GovSelect(), validators=[DataRequired("Choose a course")])
    name = StringField(
        "Cohort name",
        widget=GovTextInput(),
        description="For example, South Yorkshire 2027 cohort 1",
        validators=[
            DataRequired("Enter a name for the cohort"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    starts_on = GovDateField("Start date", description="For example, 27 3 2027")
    ends_on = GovDateField("End date", description="For example, 30 11 2027")
    submit = SubmitField("Save cohort", widget=GovSubmitInput())

    def validate_ends_on(self, field: GovDateField) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("End date must be the same as or after the start date")


class InviteForm(Form):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the person's full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter an email address"),
            Email("Enter an email address in the correct format, like name@example.com"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    job_title = StringField(
        "Job title",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=200, message="Job title must be 200 characters or fewer"),
        ],
    )
    organisation = SelectField(
        "Organisation",
        widget=GovSelect(),
        validators=[DataRequired("Choose the person's organisation")],
    )
    role = SelectField(
        "Role in this cohort",
        widget=GovRadioInput(),
        choices=[SelectChoice(r.value, r.label) for r in CohortRole],
        default=CohortRole.LEARNER.value,
        validators=[DataRequired("Choose the person's role in this cohort")],
    )
    submit = SubmitField("Invite", widget=GovSubmitInput())


class ImportForm(Form):
    file = FileField(
        "Upload a CSV or Excel file",
        widget=GovFileInput(),
        description="An Excel workbook (.xlsx) or a CSV file saved as 'CSV UTF-8'. Columns: "
        "name, email, organisation, job title, cohort role.",
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())

    def validate_file(self, field: FileField) -> None:
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError("Choose a CSV or Excel file")
        name = field.data.filename.lower()
        if name.endswith(".xls"):
            raise ValidationError(
                "The file is an old Excel (.xls) workbook. In Excel, choose Save as, then "
                "'Excel Workbook (.xlsx)' or 'CSV UTF-8'"
            )
        if not name.endswith((".csv", ".xlsx")):
            raise ValidationError(
                "The file must be an Excel workbook (.xlsx) or a CSV file. In Excel, choose "
                "Save as, then 'Excel Workbook (.xlsx)' or 'CSV UTF-8'"
            )


class DueDatesForm(Form):
    offset = StringField(
        "Extra days for each due date",
        widget=GovTextInput(),
        description=(
            "Leave empty to count from the day they joined. Enter 0 for the cohort's own dates."
        ),
        validators=[Optional()],
    )
    submit = SubmitField("Save due dates", widget=GovSubmitInput())

    #: The largest offset: a programme runs for about a year.
    MAX_DAYS = 365

    def validate_offset(self, field: StringField) -> None:
        text = (field.data or "").strip()
        if not text.isdigit() or not 0 <= int(text) <= self.MAX_DAYS:
            raise ValidationError(
                f"Extra days must be a whole number from 0 to {self.MAX_DAYS}, like 14"
            )

    @property
    def days(self) -> int | None:
        text = (self.offset.data or "").strip()
        return int(text) if text else None
