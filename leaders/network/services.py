"""The cohort network in the database: who is in it, declared ties, survey waves, learning sets.

Privacy: a learner reads their own ties and the cohort's aggregate figures; who is tied to whom is
for the cohort's programme managers and facilitators only (see leaders.cohorts.access).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import abort
from sqlalchemy import delete, func, or_, select

from leaders import audit, uow
from leaders.auth.models import User
from leaders.cohorts.models import Cohort, CohortMember, CohortRole, LearningSet
from leaders.extensions import db
from leaders.network.graph import Person
from leaders.network.graph import Tie as TieData
from leaders.network.models import (
    LearningSetMember,
    SurveyAnswer,
    SurveyResponse,
    SurveyWave,
    Tie,
    TieKind,
    WaveName,
)
from leaders.organisations.models import Organisation
from leaders.places.models import Place
from leaders.timeutil import utcnow
from leaders.upsert import insert


def _people_query(cohort_id: int):
    return (
        select(User.id, User.name, Organisation.name, Organisation.sector, Place.name)
        .join(CohortMember, CohortMember.user_id == User.id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .outerjoin(Place, Place.code == Organisation.place_code)
        .where(CohortMember.cohort_id == cohort_id, CohortMember.role == CohortRole.LEARNER.value)
        .order_by(User.name)
    )


def cohort_people(cohort_id: int) -> list[Person]:
    """The cohort's learners, as the network sees them (one query)."""
    return [Person(*row) for row in db.session.execute(_people_query(cohort_id))]


def learner_cohorts(user_id: int) -> list[Cohort]:
    """The cohorts in which this person is a learner."""
    return list(
        db.session.execute(
            select(Cohort)
            .join(CohortMember, CohortMember.cohort_id == Cohort.id)
            .where(CohortMember.user_id == user_id, CohortMember.role == CohortRole.LEARNER.value)
            .order_by(Cohort.starts_on.desc())
        ).scalars()
    )


# Declared ties --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MyTie:
    id: int
    cohort_id: int
    other: Person
    kind: TieKind
    note: str
    recorded_by_me: bool


def my_ties(user_id: int, cohort_id: int) -> list[MyTie]:
    """This person's declared ties in the cohort, with the other person's details (two queries)."""
    people = {p.id: p for p in cohort_people(cohort_id)}
    rows = db.session.execute(
        select(Tie).where(
            Tie.cohort_id == cohort_id, or_(Tie.user_a_id == user_id, Tie.user_b_id == user_id)
        )
    ).scalars()
    ties = []
    for tie in rows:
        other_id = tie.user_b_id if tie.user_a_id == user_id else tie.user_a_id
        if other_id in people:
            ties.append(
                MyTie(
                    tie.id,
                    cohort_id,
                    people[other_id],
                    TieKind(tie.kind),
                    tie.note,
                    tie.created_by == user_id,
                )
            )
    return sorted(ties, key=lambda t: (t.other.name, t.kind))


@uow.transactional
def add_tie(user_id: int, cohort_id: int, other_id: int, kind: TieKind, note: str) -> bool:
    """Record a connection with another learner in the cohort. False if it was already there."""
    learners = {p.id for p in cohort_people(cohort_id)}
    if user_id not in learners or other_id not in learners or other_id == user_id:
        abort(400)
    a, b = sorted((user_id, other_id))
    stmt = (
        insert(Tie)
        .values(
            cohort_id=cohort_id,
            user_a_id=a,
            user_b_id=b,
            kind=kind.value,
            note=note.strip(),
            created_by=user_id,
        )
        .on_conflict_do_nothing(index_elements=["cohort_id", "user_a_id", "user_b_id", "kind"])
        .returning(Tie.id)
    )
    return db.session.execute(stmt).first() is not None


@uow.transactional
def remove_tie(user_id: int, tie_id: int) -> None:
    """Either person in a tie may remove it; no one else may."""
    tie = db.session.get(Tie, tie_id)
    if tie is None or user_id not in (tie.user_a_id, tie.user_b_id):
        abort(404)
    db.session.delete(tie)


@dataclass(frozen=True)
class Reach:
    sectors: list[str]
    places: list[str]
    suggestions: list[Person]


def reach(user_id: int, cohort_id: int, tied: Iterable[int], limit: int = 6) -> Reach:
    """The sectors and places the people a learner is tied to reach, and people who would widen it."""
    people = cohort_people(cohort_id)
    me = next((p for p in people if p.id == user_id), None)
    tied = set(tied)
    others = [p for p in people if p.id in tied]
    sectors = {p.sector for p in others if p.sector}
    places = {p.place for p in others if p.place}
    own = {me.sector, me.place} if me else set()
    candidates = [
        p
        for p in people
        if p.id != user_id
        and p.id not in tied
        and (p.organisation != (me.organisation if me else None))
        and (
            (p.sector and p.sector not in sectors | own)
            or (p.place and p.place not in places | own)
        )
    ]
    # New sectors first, then new places; spread across sectors.
    candidates.sort(key=lambda p: (p.sector in sectors, p.place in places, p.sector or "", p.name))
    picked, seen_sectors = [], set()
    for person in candidates:
        if person.sector in seen_sectors and len(candidates) > limit:
            continue
        picked.append(person)
        seen_sectors.add(person.sector)
        if len(picked) == limit:
            break
    return Reach(sorted(sectors), sorted(places), picked)


# The network as data ----------------------------------------------------------------------------


def declared_ties(cohort_id: int) -> list[TieData]:
    rows = db.session.execute(
        select(Tie.user_a_id, Tie.user_b_id, Tie.kind).where(Tie.cohort_id == cohort_id)
    )
    return [TieData(a, b, kind) for a, b, kind in rows]


def not_signed_in(cohort_id: int) -> set[int]:
    """The cohort's learners who have never signed in (including those yet to accept an invitation)."""
    return set(
        db.session.execute(
            select(User.id)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(
                CohortMember.cohort_id == cohort_id,
                CohortMember.role == CohortRole.LEARNER.value,
                User.last_sign_in_at.is_(None),
            )
        ).scalars()
    )


def ever_named(cohort_id: int) -> set[int]:
    """Everyone in a reported tie in the cohort: a declared tie, or a survey answer in any wave."""
    named: set[int] = set()
    for a, b in db.session.execute(
        select(Tie.user_a_id, Tie.user_b_id).where(Tie.cohort_id == cohort_id)
    ):
        named.update((a, b))
    for a, b in db.session.execute(
        select(SurveyAnswer.respondent_id, SurveyAnswer.other_id)
        .join(SurveyWave, SurveyWave.id == SurveyAnswer.wave_id)
        .where(SurveyWave.cohort_id == cohort_id)
    ):
        named.update((a, b))
    return named


def learning_set_ties(cohort_id: int) -> list[TieData]:
    """Everyone in one learning set is tied to everyone else in it."""
    members: dict[int, list[int]] = {}
    for set_id, user_id in db.session.execute(
        select(LearningSetMember.set_id, LearningSetMember.user_id).where(
            LearningSetMember.cohort_id == cohort_id
        )
    ):
        members.setdefault(set_id, []).append(user_id)
    ties = []
    for people in members.values():
        for i, a in enumerate(people):
            ties += [TieData(a, b, "learning_set") for b in people[i + 1 :]]
    return ties


def set_names(cohort_id: int) -> dict[int, str]:
    """Each learner's learning set in the cohort, by name."""
    return dict(
        db.session.execute(
            select(LearningSetMember.user_id, LearningSet.name)
            .join(LearningSet, LearningSet.id == LearningSetMember.set_id)
            .where(LearningSetMember.cohort_id == cohort_id)
        ).all()
    )


def wave_ties(wave: SurveyWave) -> list[TieData]:
    """A survey wave's answers as ties: knew before the programme, worked with lately."""
    ties = []
    for respondent, other, knew, worked in db.session.execute(
        select(
            SurveyAnswer.respondent_id,
            SurveyAnswer.other_id,
            SurveyAnswer.knew_before,
            SurveyAnswer.worked_with,
        ).where(SurveyAnswer.wave_id == wave.id)
    ):
        if knew:
            ties.append(TieData(respondent, other, "knew_before"))
        if worked:
            ties.append(TieData(respondent, other, "worked_with"))
    return ties


def waves(cohort_id: int) -> list[SurveyWave]:
    order = {"baseline": 0, "midpoint": 1, "end": 2}
    found = db.session.execute(
        select(SurveyWave).where(SurveyWave.cohort_id == cohort_id)
    ).scalars()
    return sorted(found, key=lambda w: order[w.name])


def clear_learning_sets(cohort_id: int) -> None:
    db.session.execute(delete(LearningSetMember).where(LearningSetMember.cohort_id == cohort_id))


# Survey waves ----------------------------------------------------------------------------------


@uow.transactional
def open_wave(cohort_id: int, name: WaveName, *, actor: audit.Ref) -> bool:
    """Open a wave; False if it was opened before (a wave is opened once)."""
    stmt = (
        insert(SurveyWave)
        .values(cohort_id=cohort_id, name=name.value)
        .on_conflict_do_nothing(index_elements=["cohort_id", "name"])
        .returning(SurveyWave.id)
    )
    opened = db.session.execute(stmt).first() is not None
    if opened:
        audit.record(audit.Action.WAVE_OPENED, actor=actor, cohort=cohort_id, detail=name.label)
    return opened


@uow.transactional
def close_wave(cohort_id: int, wave_id: int, *, actor: audit.Ref) -> None:
    wave = db.session.get(SurveyWave, wave_id)
    if wave is None or wave.cohort_id != cohort_id:
        abort(404)
    if wave.closed_at is None:
        wave.closed_at = utcnow()
        label = WaveName(wave.name).label
        audit.record(audit.Action.WAVE_CLOSED, actor=actor, cohort=cohort_id, detail=label)


def response_counts(cohort_id: int) -> dict[int, int]:
    return dict(
        db.session.execute(
            select(SurveyResponse.wave_id, func.count())
            .join(SurveyWave, SurveyWave.id == SurveyResponse.wave_id)
            .where(SurveyWave.cohort_id == cohort_id)
            .group_by(SurveyResponse.wave_id)
        ).all()
    )


def open_waves_for(user_id: int, cohort_id: int) -> list[tuple[SurveyWave, bool]]:
    """The cohort's open waves, and whether this learner has answered each."""
    answered = set(
        db.session.execute(
            select(SurveyResponse.wave_id).where(SurveyResponse.respondent_id == user_id)
        ).scalars()
    )
    return [(w, w.id in answered) for w in waves(cohort_id) if w.closed_at is None]


def wave_for_learner(user_id: int, wave_id: int) -> SurveyWave:
    """A wave of one of the learner's cohorts; 404 otherwise."""
    wave = db.session.get(SurveyWave, wave_id)
    if wave is None or wave.cohort_id not in {c.id for c in learner_cohorts(user_id)}:
        abort(404)
    return wave


def my_answers(wave_id: int, user_id: int) -> dict[int, tuple[bool, bool]]:
    return {
        other: (knew, worked)
        for other, knew, worked in db.session.execute(
            select(SurveyAnswer.other_id, SurveyAnswer.knew_before, SurveyAnswer.worked_with).where(
                SurveyAnswer.wave_id == wave_id, SurveyAnswer.respondent_id == user_id
            )
        )
    }


@uow.transactional
def submit_survey(wave: SurveyWave, user_id: int, knew: set[int], worked: set[int]) -> None:
    """Replace the learner's answers for the wave, and record that they answered (one transaction)."""
    db.session.execute(
        delete(SurveyAnswer).where(
            SurveyAnswer.wave_id == wave.id, SurveyAnswer.respondent_id == user_id
        )
    )
    for other in sorted(knew | worked):
        db.session.add(
            SurveyAnswer(
                wave_id=wave.id,
                respondent_id=user_id,
                other_id=other,
                knew_before=other in knew,
                worked_with=other in worked,
            )
        )
    stmt = (
        insert(SurveyResponse)
        .values(wave_id=wave.id, respondent_id=user_id)
        .on_conflict_do_nothing(index_elements=["wave_id", "respondent_id"])
    )
    db.session.execute(stmt)


def wave_of(cohort_id: int, wave_id: int) -> SurveyWave:
    """One of the cohort's survey waves; 404 otherwise."""
    wave = db.session.get(SurveyWave, wave_id)
    if wave is None or wave.cohort_id != cohort_id:
        abort(404)
    return wave


def not_answered(wave: SurveyWave) -> list[Person]:
    """The cohort's learners who have not answered this wave, by name."""
    answered = set(
        db.session.execute(
            select(SurveyResponse.respondent_id).where(SurveyResponse.wave_id == wave.id)
        ).scalars()
    )
    return [p for p in cohort_people(wave.cohort_id) if p.id not in answered]
