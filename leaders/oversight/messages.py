"""Messages: a programme manager emails the whole cohort, one learning set, or the learners they
ticked on the People page (issue 14 point 3).

The body is plain Markdown: the text part is what they typed, the HTML part is it rendered by
Python-Markdown and cleaned by nh3 (no scripts, styles, images or unsafe links). Each recipient's
email is queued in the outbox with the cohort's id, so it is listed on the cohort's Emails page.
Recipients are learners still in the cohort with open accounts: never another cohort's, never
someone removed (a learning set's rows outlive a removal, so the set's members are joined to the
cohort's members), never a closed account.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import markdown
import nh3
from flask import render_template
from sqlalchemy import select
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from leaders import audit, outbox
from leaders.cohorts.access import CohortAccess
from leaders.cohorts.models import CohortRole, LearningSet, LearningSetMember
from leaders.cohorts.services import Person, people
from leaders.extensions import db
from leaders.filters import plural
from leaders.forms import Form
from leaders.widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput

COHORT, SET, SELECTED = "cohort", "set", "selected"
MAX_BODY = 10_000
_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a", "h2", "h3"}


def render_body(text: str) -> str:
    """Safe HTML for a message's Markdown."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


class MessageForm(Form):
    audience = RadioField(
        "Who should get it?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice(COHORT, "Every learner in the cohort"),
            SelectChoice(SET, "One learning set"),
        ],
        validators=[DataRequired("Choose who should get the message")],
    )
    learning_set = SelectField(
        "Learning set", widget=GovSelect(), choices=[], validate_choice=False
    )
    subject = StringField(
        "Subject",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter a subject, like Workshop 3 moves to Sheffield"),
            Length(max=150, message="Subject must be 150 characters or fewer"),
        ],
    )
    body = TextAreaField(
        "Message",
        widget=GovTextArea(),
        description=(
            "Plain text, or Markdown: *italic*, **bold**, lists with - and links like "
            "[the agenda](https://example.org). It starts with “Hello” and their name."
        ),
        validators=[
            DataRequired("Enter the message"),
            Length(max=MAX_BODY, message=f"The message must be {MAX_BODY:,} characters or fewer"),
        ],
    )
    preview = SubmitField("Preview the email", widget=GovSubmitInput())

    def validate_learning_set(self, field: SelectField) -> None:
        if self.audience.data == SET and field.data not in {c.value for c in field.choices[1:]}:
            raise ValidationError("Choose the learning set to send it to")


def set_choices(access: CohortAccess) -> list[SelectChoice]:
    sets = db.session.execute(
        select(LearningSet.id, LearningSet.name)
        .where(LearningSet.cohort_id == access.cohort.id)
        .order_by(LearningSet.name)
    ).all()
    return [SelectChoice("", "Choose a set")] + [SelectChoice(str(i), n) for i, n in sets]


def recipients(
    access: CohortAccess, audience: str, *, set_id: int | None = None, chosen: Sequence[Person] = ()
) -> list[Person]:
    """Who gets the message: learners in this cohort with open accounts, in name order."""
    learners = people(access, CohortRole.LEARNER, taking_part=True)
    if audience == COHORT:
        return learners
    if audience == SET:
        members = set(
            db.session.scalars(
                select(LearningSetMember.user_id).where(
                    LearningSetMember.set_id == set_id,
                    LearningSetMember.cohort_id == access.cohort.id,
                )
            )
        )
        return [p for p in learners if p.user_id in members]
    wanted = {p.user_id for p in chosen}
    return [p for p in learners if p.user_id in wanted]


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    audience: str
    #: Who it is to, in words: "every learner in the cohort", "Set 2", "the learners you selected".
    to: str

    def text(self, person: Person, access: CohortAccess, sender: str) -> str:
        return render_template(
            "oversight/email/message.txt", **self._context(person, access, sender)
        )

    def html(self, person: Person, access: CohortAccess, sender: str) -> str:
        return render_template(
            "oversight/email/message.html", **self._context(person, access, sender)
        )

    def _context(self, person, access, sender) -> dict:
        return {
            "person": person,
            "cohort": access.cohort,
            "sender": sender,
            "body": self.body,
            "body_html": render_body(self.body),
        }


def send(access: CohortAccess, message: Message, to: list[Person], *, sender, token: str) -> int:
    """Queue one email per recipient, and audit it (no commit: the view's unit holds it)."""
    for person in to:
        outbox.queue(
            to=person.email,
            to_name=person.name,
            subject=message.subject,
            text=message.text(person, access, sender.name),
            html=message.html(person, access, sender.name),
            kind="message",
            cohort=access.cohort,
            user=person.user_id,
            key=f"message:{token}:{person.user_id}",
        )
    audit.record(
        audit.Action.MESSAGE_SENT,
        actor=sender.id,
        cohort=access.cohort,
        detail=f"“{message.subject}” to {message.to}: {plural(len(to), 'person', 'people')}",
    )
    return len(to)
