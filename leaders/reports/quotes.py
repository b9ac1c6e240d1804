"""Learners' own words: reflections their authors marked "may be quoted anonymously".

Only entries with `quote_consent` set, written in the cohort, by someone still one of its learners
with an open account, last edited within the period. Nothing about the author is read: the quote
carries the prompt it answers and the module, never a name or an organisation. Withdrawing consent
clears the flag, so every report made after leaves the entry out.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import select

from leaders.auth.models import User
from leaders.catalogue.model import Catalogue
from leaders.cohorts.models import CohortMember, CohortRole
from leaders.extensions import db
from leaders.learning.models import JournalEntry
from leaders.reports.participation import Period


@dataclass(frozen=True)
class Quote:
    module: str
    prompt: str
    #: The entry as the author wrote it, sanitised when saved (leaders/learning/journal.py).
    html: Markup


def quotes(cohort_ids: list[int], catalogue: Catalogue, period: Period) -> list[Quote]:
    """Consented reflections of these cohorts, in course order (one query)."""
    query = (
        select(JournalEntry.prompt_key, JournalEntry.body_html)
        .join(
            CohortMember,
            (CohortMember.cohort_id == JournalEntry.cohort_id)
            & (CohortMember.user_id == JournalEntry.user_id)
            & (CohortMember.role == CohortRole.LEARNER.value),
        )
        .join(User, User.id == JournalEntry.user_id)
        .where(
            JournalEntry.cohort_id.in_(cohort_ids),
            JournalEntry.quote_consent.is_(True),
            User.active.is_(True),
        )
    )
    if period.after:
        query = query.where(JournalEntry.updated_at >= period.after)
    if period.before:
        query = query.where(JournalEntry.updated_at < period.before)
    order = {key: i for i, key in enumerate(catalogue.lessons)}
    found = []
    for prompt_key, html in db.session.execute(query):
        prompt = catalogue.prompt(prompt_key)
        lesson = catalogue.lesson(prompt_key.partition("#")[0])
        if prompt is None or lesson is None:
            continue  # a prompt no longer in the course: nothing to say what it answers
        module = catalogue.modules[lesson.module_key]
        safe = Markup(html)  # noqa: S704 (sanitised by nh3 when it was saved)
        found.append((order[lesson.key], prompt.text, Quote(module.title, prompt.text, safe)))
    ordered = sorted(found, key=lambda item: (item[0], item[1], str(item[2].html)))
    # The same words twice (two people wrote alike, or one answered two prompts alike) once.
    seen: set[str] = set()
    unique = []
    for *_, quote in ordered:
        if str(quote.html) not in seen:
            seen.add(str(quote.html))
            unique.append(quote)
    return unique
