"""Reflections the demo learners write in their journals, as they complete lessons."""

from __future__ import annotations

from leaders.extensions import db
from leaders.learning.journal import render_reflection
from leaders.learning.models import JournalEntry

REFLECTIONS = [
    "Our approach to delayed discharges has been treated as a capacity problem. It is wicked: it crosses "
    "social care, housing and the hospital, and each of us has been solving our own bit.",
    "I realised I had never spoken to the fire service's prevention team about falls, although we visit "
    "the same homes. I have arranged a call for next week.",
    "Our town's history in mining still shapes how people feel about work and training. Any plan for skills "
    "needs to start from that pride, not ignore it.",
    "We have the **data**, but not a shared story. The next step is a one-page narrative agreed by all partners.",
]


def reflect(rng, user, lesson, when, cohort_id) -> None:
    """Answer some of the lesson's prompts (most stay private; some are shared)."""
    for prompt in lesson.prompts:
        if rng.random() < 0.6:
            text = rng.choice(REFLECTIONS)
            db.session.add(
                JournalEntry(
                    user_id=user.id,
                    cohort_id=cohort_id,
                    prompt_key=prompt.key,
                    body=text,
                    body_html=render_reflection(text),
                    visibility=rng.choice(["private", "private", "facilitators", "cohort"]),
                    # A few agree to be quoted in the impact report (chosen without the rng, so the
                    # rest of the demo stays as it was).
                    quote_consent=(user.id + len(prompt.key)) % 6 == 0,
                    created_at=when,
                    updated_at=when,
                )
            )
