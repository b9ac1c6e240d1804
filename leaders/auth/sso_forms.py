"""Forms for the email-first sign-in, two-factor, devices, password change and identity providers."""

from __future__ import annotations

from urllib.parse import urlsplit

from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from leaders.auth.forms import EMAIL_FORMAT, EMAIL_LENGTH, PASSWORD_LENGTH, PasswordRules
from leaders.forms import Form
from leaders.widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)


class EmailFirstForm(Form):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter your email address"), Email(EMAIL_FORMAT), EMAIL_LENGTH],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class CodeForm(Form):
    code = StringField(
        "Code",
        widget=GovTextInput(),
        description="The 6-digit code from your authenticator app, or one of your recovery codes.",
        validators=[
            DataRequired("Enter the code from your authenticator app"),
            Length(max=20, message="Enter a 6-digit code or a 10-digit recovery code"),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class SetUpCodeForm(CodeForm):
    code = StringField(
        "Code from your authenticator app",
        widget=GovTextInput(),
        description="Enter the 6-digit code the app shows for Place Leaders.",
        validators=[
            DataRequired("Enter the 6-digit code from your authenticator app"),
            Length(max=20, message="Enter the 6-digit code from your authenticator app"),
        ],
    )
    submit = SubmitField("Turn on two-factor authentication", widget=GovSubmitInput())


class ChangePasswordForm(PasswordRules):
    current = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter your current password"), PASSWORD_LENGTH],
    )
    password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description="Use 12 characters or more. Three random words is a good way to make a strong password.",
        validators=[DataRequired("Enter a new password"), PASSWORD_LENGTH],
    )
    confirm = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            DataRequired("Enter the new password again"),
            EqualTo("password", "The passwords do not match. Enter the same password twice"),
        ],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


def _words(value: str | None) -> list[str]:
    return (value or "").replace(",", " ").lower().split()


class ProviderForm(Form):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        description="Shown to people as they sign in, for example Kent County Council.",
        validators=[DataRequired("Enter the provider's name"), Length(max=200)],
    )
    discovery_url = StringField(
        "Issuer or discovery address",
        widget=GovTextInput(),
        description=(
            "For Microsoft Entra ID: https://login.microsoftonline.com/<tenant id>/v2.0, or "
            "https://login.microsoftonline.com/common/v2.0 for more than one tenant."
        ),
        validators=[DataRequired("Enter the issuer or discovery address"), Length(max=500)],
    )
    client_id = StringField(
        "Client ID",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the client ID"), Length(max=200)],
    )
    client_secret = PasswordField(
        "Client secret",
        widget=GovPasswordInput(),
        description="Stored encrypted. Leave empty to keep the secret already stored.",
        validators=[Optional(), Length(max=1000)],
    )
    client_secret_env = StringField(
        "Or: environment variable holding the client secret",
        widget=GovTextInput(),
        description="If set, the secret is read from this variable and nothing is stored.",
        validators=[Optional(), Length(max=100)],
    )
    domains = TextAreaField(
        "Email domains",
        widget=GovTextArea(),
        description="The email domains this provider signs in, separated by spaces, like kent.gov.uk",
        validators=[DataRequired("Enter at least one email domain")],
    )
    allowed_tenants = TextAreaField(
        "Allowed tenant IDs (Microsoft Entra ID)",
        widget=GovTextArea(),
        description="Needed for a /common (multi-tenant) address: only these tenants may sign in.",
        validators=[Optional()],
    )
    enabled = BooleanField("Use this provider for sign-in", widget=GovCheckboxInput(), default=True)
    submit = SubmitField("Save identity provider", widget=GovSubmitInput())

    def validate_discovery_url(self, field: StringField) -> None:
        parts = urlsplit((field.data or "").strip())
        local = parts.hostname in {"127.0.0.1", "localhost"}
        if parts.scheme != "https" and not (parts.scheme == "http" and local):
            raise ValidationError("Enter an address that starts with https://")
        if not parts.netloc:
            raise ValidationError("Enter a full address, like https://login.microsoftonline.com/…")

    def validate_domains(self, field: TextAreaField) -> None:
        for domain in _words(field.data):
            if "." not in domain or "@" in domain or "/" in domain:
                raise ValidationError(
                    f"{domain} is not an email domain. Enter one like kent.gov.uk"
                )

    def validate_client_secret_env(self, field: StringField) -> None:
        value = field.data or ""
        if value and not value.replace("_", "").isalnum():
            raise ValidationError("Use letters, digits and underscores for the variable name")

    def domain_list(self) -> list[str]:
        return _words(self.domains.data)

    def tenant_list(self) -> list[str]:
        return _words(self.allowed_tenants.data)
