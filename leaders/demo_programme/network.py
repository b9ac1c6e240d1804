"""The first cohort's network: two survey waves, declared ties, and a confirmed learning set."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from leaders.cohorts.models import LearningSet, LearningSetMember
from leaders.demo_programme.people import sector_of
from leaders.extensions import db
from leaders.learning.models import JournalEntry
from leaders.network.models import SurveyAnswer, SurveyResponse, SurveyWave, Tie


def add_network(rng, cohort, learners, now) -> None:
    """Two survey waves in which ties grow across sectors, and some declared ties.

    Baseline (closed): people mostly know others in their own sector. Midpoint (open now, the
    cohort being a third of the way through; the end-of-programme survey waits for the end): more
    people have worked with people from other sectors, as a programme like this intends. Only
    people who have signed in answer a survey or declare a tie.
    """
    sector = {u.id: sector_of(u) for u in learners}
    ids = [u.id for u in learners]
    signed_in = {u.id for u in learners if u.last_sign_in_at is not None}
    waves = [
        ("baseline", now - timedelta(days=80), now - timedelta(days=66), 0.10, 0.01),
        ("midpoint", now - timedelta(days=2), None, 0.16, 0.10),
    ]
    known: set[tuple[int, int]] = set()
    for name, opened, closed, same_p, cross_p in waves:
        wave = SurveyWave(cohort_id=cohort.id, name=name, opened_at=opened, closed_at=closed)
        db.session.add(wave)
        db.session.flush()
        for a in ids:
            if a not in signed_in or rng.random() < 0.12:
                continue  # some never answer
            db.session.add(
                SurveyResponse(
                    wave_id=wave.id, respondent_id=a, submitted_at=opened + timedelta(days=3)
                )
            )
            for b in ids:
                if a == b:
                    continue
                pair = (min(a, b), max(a, b))
                chance = same_p if sector[a] == sector[b] else cross_p
                knew = name == "baseline" and rng.random() < chance
                worked = pair in known or rng.random() < chance
                if knew or worked:
                    known.add(pair)
                    db.session.add(
                        SurveyAnswer(
                            wave_id=wave.id,
                            respondent_id=a,
                            other_id=b,
                            knew_before=knew,
                            worked_with=worked,
                        )
                    )
    kinds = ["worked_together", "met_at_session", "introduced", "mentoring"]
    declarable = sorted(pair for pair in known if pair[0] in signed_in)
    for a, b in rng.sample(declarable, min(25, len(declarable))):
        db.session.add(
            Tie(cohort_id=cohort.id, user_a_id=a, user_b_id=b, kind=rng.choice(kinds), created_by=a)
        )


def add_demo_learning_set(cohort, members, facilitator=None) -> None:
    """A confirmed learning set for the demo learner (first), where two others share with the set;
    run by the demo facilitator."""
    learning_set = LearningSet(
        cohort_id=cohort.id, name="Set 1", facilitator_id=facilitator.id if facilitator else None
    )
    db.session.add(learning_set)
    db.session.flush()
    for user in members:
        db.session.add(
            LearningSetMember(cohort_id=cohort.id, set_id=learning_set.id, user_id=user.id)
        )
    entries = db.session.execute(
        select(JournalEntry)
        .where(JournalEntry.user_id.in_([u.id for u in members[1:]]))
        .order_by(JournalEntry.user_id, JournalEntry.id)
    ).scalars()
    authors: set[int] = set()
    for entry in entries:
        if entry.visibility == "private" and entry.user_id not in authors and len(authors) < 3:
            entry.visibility = "learning_set"
            authors.add(entry.user_id)
