"""The form to add or change a session: UK date and times in, UTC out; a place or an https link."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, date, datetime, time
from urllib.parse import urlsplit

from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from leaders.cohorts.forms import GovDateField
from leaders.cohorts.models import SessionKind
from leaders.forms import Form
from leaders.timeutil import UK
from leaders.widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)

_FORM_KEY = re.compile(r"[0-9a-f]{32}")


def parse_clock(text: str, which: str) -> time:
    """A time of day in the 24-hour clock (09:30, 9.30, 14:00); ValueError naming the field."""
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"Enter {which} in the 24-hour clock, like 09:30 or 14:00")
    return time(int(match[1]), int(match[2]))


def uk_moment(day: date, clock: time) -> datetime:
    """The UTC moment of a UK wall-clock time; ValueError for a time the clocks skip."""
    local = datetime.combine(day, clock, tzinfo=UK)
    utc = local.astimezone(UTC)
    if utc.astimezone(UK).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValueError(
            f"{clock:%H:%M} does not happen in the UK on that day (the clocks go forward): "
            "choose a time after 02:00"
        )
    return utc


def check_https_link(text: str) -> str:
    """An online meeting link: a full https address; ValueError saying how to fix it."""
    text = text.strip()
    parts = urlsplit(text)
    host = parts.hostname or ""
    if (
        parts.scheme.lower() != "https"
        or "." not in host
        or any(c.isspace() for c in text)
        or parts.username
        or parts.password
    ):
        raise ValueError(
            "Enter the online link as a full web address starting with https://, "
            "like https://meet.example.org/workshop-2"
        )
    return text


class SessionForm(Form):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter a title, like Workshop 2: Evidence and purpose"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    kind = SelectField(
        "Kind of session",
        widget=GovRadioInput(),
        choices=[SelectChoice(k.value, k.label) for k in SessionKind],
        default=SessionKind.WORKSHOP.value,
        validators=[DataRequired("Choose the kind of session")],
    )
    audience = SelectField(
        "Who it is for",
        widget=GovSelect(),
        description="A meeting of one learning set has a register of that set's members only.",
        choices=[SelectChoice("", "The whole cohort")],
        default="",
        validate_choice=False,  # checked against the cohort's sets in validate_audience
    )
    day = GovDateField("Date", description="For example, 24 10 2026")
    start_time = StringField(
        "Start time",
        widget=GovTextInput(),
        description="UK time, in the 24-hour clock, for example 09:30",
        validators=[DataRequired("Enter a start time, like 09:30")],
    )
    end_time = StringField(
        "End time",
        widget=GovTextInput(),
        description="UK time, in the 24-hour clock, for example 16:00",
        validators=[DataRequired("Enter an end time, like 16:00")],
    )
    location = StringField(
        "Place",
        widget=GovTextInput(),
        description="The room and address. Leave empty for a session held only online.",
        validators=[
            Optional(),
            Length(max=200, message="Place must be 200 characters or fewer"),
        ],
    )
    online_url = StringField(
        "Online link",
        widget=GovTextInput(),
        description="For a session online: the https link to join, like https://meet.example.org/abc",
        validators=[
            Optional(),
            Length(max=500, message="Online link must be 500 characters or fewer"),
        ],
    )
    joining_instructions = TextAreaField(
        "Joining instructions",
        widget=GovTextArea(),
        description="What to bring, how to find the room, or how to dial in. Optional.",
        validators=[
            Optional(),
            Length(max=4000, message="Joining instructions must be 4,000 characters or fewer"),
        ],
    )
    #: On the change form only: whether the people it is for are emailed the new details.
    tell = BooleanField(
        "Email the people this session is for about the change",
        widget=GovCheckboxInput(),
        default=True,
        description="An email with the new date, time, place and joining instructions, sent only "
        "if the session has not ended and one of those, or its title, changes.",
    )
    #: A one-time key for this add form: submitting it twice adds one session.
    form_key = HiddenField()
    submit = SubmitField("Add session", widget=GovSubmitInput())

    parsed_start: time | None = None
    parsed_end: time | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    def offer_sets(self, sets: list[tuple[int, str]]) -> None:
        self.audience.choices = [SelectChoice("", "The whole cohort")] + [
            SelectChoice(str(i), f"Learning set: {name}") for i, name in sets
        ]
        self._set_ids = {str(i) for i, _ in sets}

    def new_key(self) -> None:
        if not _FORM_KEY.fullmatch(self.form_key.data or ""):
            self.form_key.data = secrets.token_hex(16)

    @property
    def key(self) -> str | None:
        """The form's one-time key, if it is one this app made (a forged one is ignored)."""
        data = self.form_key.data or ""
        return data if _FORM_KEY.fullmatch(data) else None

    @property
    def set_id(self) -> int | None:
        return int(self.audience.data) if self.audience.data else None

    def validate_audience(self, field: SelectField) -> None:
        if field.data and field.data not in getattr(self, "_set_ids", set()):
            raise ValidationError("Choose the whole cohort or one of this cohort's learning sets")

    def validate_start_time(self, field: StringField) -> None:
        try:
            self.parsed_start = parse_clock(field.data or "", "a start time")
            if self.day.data is not None:
                self.starts_at = uk_moment(self.day.data, self.parsed_start)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def validate_end_time(self, field: StringField) -> None:
        try:
            self.parsed_end = parse_clock(field.data or "", "an end time")
        except ValueError as error:
            raise ValidationError(str(error)) from None
        if self.parsed_start is not None and self.parsed_end <= self.parsed_start:
            raise ValidationError(
                f"End time must be after the start time ({self.parsed_start:%H:%M})"
            )
        if self.day.data is not None:
            try:
                self.ends_at = uk_moment(self.day.data, self.parsed_end)
            except ValueError as error:
                raise ValidationError(str(error)) from None

    def validate_online_url(self, field: StringField) -> None:
        if field.data:
            try:
                field.data = check_https_link(field.data)
            except ValueError as error:
                raise ValidationError(str(error)) from None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Both fields are optional on their own (their validators stop at an empty one): one is needed.
        if not (self.location.data or "").strip() and not (self.online_url.data or "").strip():
            self.online_url.errors = [
                *self.online_url.errors,
                "Enter a place, an online link, or both",
            ]
            return False
        return valid

    def times(self) -> tuple[datetime, datetime]:
        """The session's start and end in UTC, once the form has validated."""
        if self.starts_at is None or self.ends_at is None:
            raise ValueError("times() reads a validated form")
        return self.starts_at, self.ends_at

    def fill_from(self, session) -> None:
        """Show a session's stored details (UTC) as UK date and times."""
        start = session.starts_at.astimezone(UK)
        self.title.data = session.title
        self.kind.data = session.kind
        self.audience.data = str(session.set_id) if session.set_id else ""
        self.day.data = start.date()
        self.start_time.data = f"{start:%H:%M}"
        if session.ends_at is not None:
            self.end_time.data = f"{session.ends_at.astimezone(UK):%H:%M}"
        self.location.data = session.location
        self.online_url.data = session.online_url
        self.joining_instructions.data = session.joining_instructions
