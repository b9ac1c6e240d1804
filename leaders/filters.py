"""Template filters for dates and numbers in GOV.UK style ("3 March 2026", "2:05pm")."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from markupsafe import Markup, escape

from leaders.timeutil import UK


def _local(value: datetime) -> datetime:
    return value.astimezone(UK) if value.tzinfo else value


#: The months' names, as GOV.UK style writes them. Looked up rather than formatted with "%B":
#: strftime took about 1.8 µs a date, and the dashboard's learner list prints one per row.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def govuk_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def govuk_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = _local(value)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    time = f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"
    return f"{govuk_date(local)} at {time}"


def plural(count: int, singular: str, plural: str | None = None, *, number: bool = True) -> str:
    """The count and the word that fits it: plural(1, "apology", "apologies") → "1 apology".

    Without a plural form, an "s" is added. Thousands get a comma, as GOV.UK style asks.
    ``number=False`` gives the word alone, for a page that sets the number apart.
    """
    word = singular if count == 1 else (plural or f"{singular}s")
    return f"{count:,} {word}" if number else word


def visually_hidden(text: str) -> Markup:
    """Words for screen readers only, as markup for a GOV.UK macro's `html` ("Remove" + " the tie with Ann")."""
    return Markup('<span class="govuk-visually-hidden">{}</span>').format(escape(text))


def init_app(app: Flask) -> None:
    app.add_template_filter(govuk_date, "date")
    app.add_template_filter(govuk_datetime, "datetime")
    app.add_template_filter(plural, "plural")
    app.add_template_global(plural, "plural")
    app.add_template_global(visually_hidden, "visually_hidden")
