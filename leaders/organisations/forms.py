"""Forms for the organisation admin pages."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from leaders.filters import govuk_date
from leaders.forms import Form
from leaders.organisations.models import SECTOR_LABELS
from leaders.organisations.services import NAME_MAX_LENGTH, OrganisationSummary, normalise_name
from leaders.places.models import Place, PlaceKind
from leaders.widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextInput

NO_PLACE = "No place (for example, a national body)"


def place_label(place: Place) -> str:
    """The picker's label, "Maidstone (district council)"; an abolished place says so."""
    label = f"{place.name} ({PlaceKind(place.kind).noun}"
    if place.valid_to is not None:
        label += f", abolished {govuk_date(place.valid_to)}"
    return label + ")"


class OrganisationForm(Form):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        description="The organisation's full name, for example Kent County Council or NHS Kent and Medway.",
        filters=[normalise_name],
        validators=[
            DataRequired("Enter the organisation's name"),
            Length(
                max=NAME_MAX_LENGTH,
                message=f"Organisation name must be {NAME_MAX_LENGTH} characters or fewer",
            ),
        ],
    )
    sector = RadioField(
        "Sector",
        widget=GovRadioInput(),
        description="For an integrated care board or NHS trust, choose NHS. For a college or university, choose Education.",
        choices=[SelectChoice(sector.value, label) for sector, label in SECTOR_LABELS.items()],
        validate_choice=False,  # our own message, below
        validators=[DataRequired("Choose the organisation's sector")],
    )
    place_code = SelectField(
        "Place (optional)",
        widget=GovSelect(),
        description="The council area the organisation mainly serves.",
        validate_choice=False,
    )
    submit = SubmitField("Save organisation", widget=GovSubmitInput())

    def __init__(self, *args, places: Iterable[Place] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        places = list(places)
        self._place_codes = {place.code for place in places}
        self.place_code.choices = [
            SelectChoice("", NO_PLACE),
            *(SelectChoice(place.code, place_label(place)) for place in places),
        ]

    def validate_sector(self, field: RadioField) -> None:
        if field.data not in SECTOR_LABELS:
            raise ValidationError("Choose the organisation's sector from the list")

    def validate_place_code(self, field: SelectField) -> None:
        if field.data and field.data not in self._place_codes:
            raise ValidationError("Choose a place from the list")


SEARCH_MAX_LENGTH = 100


class SearchForm(Form):
    """The search box on the list page: a GET form, so it carries no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(
        "Search by name",
        widget=GovTextInput(),
        filters=[normalise_name],
        validators=[
            Length(
                max=SEARCH_MAX_LENGTH,
                message=f"Search must be {SEARCH_MAX_LENGTH} characters or fewer",
            )
        ],
    )


class ChooseMergeTargetForm(Form):
    into = SelectField(
        "Organisation to keep",
        widget=GovSelect(),
        validate_choice=False,
        validators=[DataRequired("Choose the organisation to keep")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def __init__(self, *args, others: Iterable[OrganisationSummary] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        others = list(others)
        self._ids = {str(other.id) for other in others}
        self.into.choices = [
            SelectChoice("", "Choose an organisation"),
            *(SelectChoice(str(other.id), other.name) for other in others),
        ]

    def validate_into(self, field: SelectField) -> None:
        if field.data not in self._ids:
            raise ValidationError("Choose the organisation to keep from the list")


class ConfirmMergeForm(Form):
    submit = SubmitField("Merge organisations", widget=GovSubmitInput())
