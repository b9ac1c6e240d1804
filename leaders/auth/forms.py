"""Sign-in and password forms."""

from __future__ import annotations

from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from leaders.auth.passwords import password_problem
from leaders.forms import Form
from leaders.widgets import GovPasswordInput, GovSubmitInput, GovTextInput

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


class SignInForm(Form):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter your email address"), Email(EMAIL_FORMAT), Length(max=254)],
    )
    password = PasswordField(
        "Password", widget=GovPasswordInput(), validators=[DataRequired("Enter your password")]
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class RequestResetForm(Form):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        description="We'll send a link to reset your password to this address if it has an account.",
        validators=[DataRequired("Enter your email address"), Email(EMAIL_FORMAT), Length(max=254)],
    )
    submit = SubmitField("Send reset link", widget=GovSubmitInput())


class NewPasswordForm(Form):
    password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description="Use 12 characters or more. Three random words is a good way to make a strong password.",
        validators=[DataRequired("Enter a new password")],
    )
    confirm = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            DataRequired("Enter the new password again"),
            EqualTo("password", "The passwords do not match. Enter the same password twice"),
        ],
    )
    submit = SubmitField("Save password", widget=GovSubmitInput())

    def __init__(self, *args, email: str = "", name: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._email = email
        self._name = name

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", email=self._email, name=self._name)
        if problem:
            raise ValidationError(problem)
