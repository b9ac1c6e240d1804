"""Sign-in and password forms."""

from __future__ import annotations

from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from leaders.auth.passwords import MAX_LENGTH, password_problem
from leaders.forms import Form
from leaders.widgets import GovPasswordInput, GovSubmitInput, GovTextInput

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
EMAIL_LENGTH = Length(max=254, message="Email address must be 254 characters or fewer")
#: No password is longer (see passwords.MAX_LENGTH); a longer one is refused before it is hashed.
PASSWORD_LENGTH = Length(
    max=MAX_LENGTH, message=f"Password must be {MAX_LENGTH} characters or fewer"
)


class SignInForm(Form):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter your email address"), Email(EMAIL_FORMAT), EMAIL_LENGTH],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter your password"), PASSWORD_LENGTH],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class RequestResetForm(Form):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        description="We'll send a link to reset your password to this address if it has an account.",
        validators=[DataRequired("Enter your email address"), Email(EMAIL_FORMAT), EMAIL_LENGTH],
    )
    submit = SubmitField("Send reset link", widget=GovSubmitInput())


class PasswordRules(Form):
    """A form with a new `password`: it must pass the password rules, judged against the
    person's own email and name (given when the form is made)."""

    def __init__(self, *args, email: str = "", name: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._email = email
        self._name = name

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", email=self._email, name=self._name)
        if problem:
            raise ValidationError(problem)


class NewPasswordForm(PasswordRules):
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
            PASSWORD_LENGTH,
            EqualTo("password", "The passwords do not match. Enter the same password twice"),
        ],
    )
    submit = SubmitField("Save password", widget=GovSubmitInput())
