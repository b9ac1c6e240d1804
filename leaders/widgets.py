"""GOV.UK form widgets (govuk-frontend-wtf), rendered straight from the Jinja environment.

The upstream widgets call Flask's `render_template` for every field, which runs every context
processor each time; their templates need nothing but the field's params, so we skip that.
Import widgets from here, not from govuk_frontend_wtf.
"""

from __future__ import annotations

from flask import current_app
from govuk_frontend_wtf import wtforms_widgets as upstream
from markupsafe import Markup


class _Direct:
    template: str

    def render(self, params: dict) -> Markup:
        template = current_app.jinja_env.get_template(self.template)
        # The template escapes every value it is given (autoescape), so its output is safe markup.
        return Markup(template.render(params=params))  # noqa: S704


class GovTextInput(_Direct, upstream.GovTextInput):
    pass


class GovPasswordInput(_Direct, upstream.GovPasswordInput):
    pass


class GovTextArea(_Direct, upstream.GovTextArea):
    pass


class GovRadioInput(_Direct, upstream.GovRadioInput):
    pass


class GovCheckboxesInput(_Direct, upstream.GovCheckboxesInput):
    pass


class GovCheckboxInput(_Direct, upstream.GovCheckboxInput):
    pass


class GovSelect(_Direct, upstream.GovSelect):
    pass


class GovDateInput(_Direct, upstream.GovDateInput):
    pass


class GovFileInput(_Direct, upstream.GovFileInput):
    pass


class GovSubmitInput(_Direct, upstream.GovSubmitInput):
    pass


class GovCharacterCount(_Direct, upstream.GovCharacterCount):
    pass
