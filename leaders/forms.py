"""The base of every form in the app: text fields are normalised and checked the same way everywhere.

`Form` puts a first filter on each text field as it is bound (WTForms' `Meta.bind_field` hook), so
a form author cannot forget it:

- a `StringField` (and an email field) is single-line: `leaders.text.single_line`;
- a `TextAreaField` is multi-line: `leaders.text.multi_line`;
- a password is left exactly as typed (changing it would change what it hashes to).

A filter that raises ValueError becomes the field's first error (WTForms keeps it in
`process_errors`), so a name with a line break fails validation with "Remove the line break from
the full name", the page shows it in the error summary, and nothing is stored. The refused value is
shown back with each hidden character as U+FFFD, so the page stays valid HTML and the person sees
where it was.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

from leaders import text


def _text_filter(check: Callable[[str | None, str], str | None], label: str) -> Callable:
    def text_filter(value: object) -> object:
        return check(value, label) if isinstance(value, str) else value

    text_filter.check = check  # type: ignore[attr-defined]  # for the test that every form has one
    return text_filter


def text_check_for(field_class: type) -> Callable | None:
    """The check a field of this class gets: single_line, multi_line, or None (not text)."""
    if issubclass(field_class, PasswordField):
        return None
    if issubclass(field_class, TextAreaField):
        return text.multi_line
    if issubclass(field_class, StringField):
        return text.single_line
    return None


class Form(FlaskForm):
    def process(self, *args, **kwargs) -> None:
        super().process(*args, **kwargs)
        for field in self:
            if not field.process_errors or text_check_for(type(field)) is None:
                continue
            field.raw_data = [
                text.visible(v) if isinstance(v, str) else v for v in field.raw_data or []
            ]
            if isinstance(field.data, str):
                field.data = text.visible(field.data)

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            check = text_check_for(unbound_field.field_class)
            if check is not None:
                if len(unbound_field.args) > 2:
                    raise TypeError("Give a text field's filters by keyword: filters=[...]")
                label = unbound_field.kwargs.get("label") or (
                    unbound_field.args[0] if unbound_field.args else None
                )
                label = str(label or options.get("name", "").replace("_", " ").capitalize())
                options = dict(options)
                options["filters"] = [
                    _text_filter(check, label),
                    *unbound_field.kwargs.get("filters", ()),
                ]
            return super().bind_field(form, unbound_field, options)


class CsrfOnlyForm(Form):
    """A form with no fields of its own: checks the CSRF token of a POST whose fields are parsed by hand."""
