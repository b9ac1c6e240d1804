"""The report's choices, in the address: the reporting period and a cohort to compare with."""

from __future__ import annotations

from wtforms import SelectField, SubmitField
from wtforms.validators import ValidationError

from leaders.cohorts.forms import GovDateField
from leaders.forms import Form
from leaders.widgets import GovSelect, GovSubmitInput


class ReportForm(Form):
    """Read from the query string (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    start = GovDateField(
        "From",
        required=False,
        description="For example, 1 4 2026. Leave it empty to start at the beginning.",
    )
    end = GovDateField(
        "To", required=False, description="For example, 31 3 2027. Leave it empty for to date."
    )
    compare = SelectField(
        "Compare with another cohort of the course",
        widget=GovSelect(),
        default="",
        validate_choice=False,
    )
    submit = SubmitField("Show the report", widget=GovSubmitInput())

    def validate_end(self, field: GovDateField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError("The end of the period must be the same as or after its start")

    def validate_compare(self, field: SelectField) -> None:
        if field.data and field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Choose a cohort of the same course from the list")
