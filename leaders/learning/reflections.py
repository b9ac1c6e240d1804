"""Who reads a reflection: the one rule, and every read of other people's reflections.

A journal entry belongs to the cohort it was written in (``JournalEntry.cohort_id``). Its author
always reads it. Besides the author:

- ``private`` ("Only me"): nobody.
- ``facilitators`` ("Me and my cohort's facilitators"): the facilitators of that cohort.
- ``learning_set`` ("Me and my learning set"): the other learners in the author's confirmed
  learning set in that cohort (sets have no facilitator, so facilitators do not read these).
- ``cohort`` ("Everyone in my cohort"): the learners and facilitators of that cohort.

Programme managers, organisation leads and admins read none of them (a cohort role, not a global
one, decides: an admin who facilitates a cohort reads what is shared with its facilitators). An
entry with no cohort is read by its author alone. Every page that shows someone else's reflection
filters with :func:`readable_by`; nothing else decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import aliased

from leaders.auth.models import User
from leaders.catalogue.model import Catalogue, Lesson, Module
from leaders.cohorts.models import Cohort, CohortMember, CohortRole, LearningSetMember
from leaders.extensions import db
from leaders.learning.models import JournalEntry, Visibility
from leaders.organisations.models import Organisation

#: Who, by their role in the entry's cohort, reads each level (the learning set is by membership).
COHORT_READERS: dict[Visibility, frozenset[CohortRole]] = {
    Visibility.FACILITATORS: frozenset({CohortRole.FACILITATOR}),
    Visibility.COHORT: frozenset({CohortRole.LEARNER, CohortRole.FACILITATOR}),
}
#: The only cohort roles that can ever read someone else's reflection.
READER_ROLES = frozenset({CohortRole.LEARNER, CohortRole.FACILITATOR})


def _has_role_in_entry_cohort(viewer_id: int, roles: frozenset[CohortRole]) -> ColumnElement[bool]:
    member = aliased(CohortMember)
    return exists().where(
        member.cohort_id == JournalEntry.cohort_id,
        member.user_id == viewer_id,
        member.role.in_(sorted(r.value for r in roles)),
    )


def _in_authors_set(viewer_id: int) -> ColumnElement[bool]:
    mine, theirs = aliased(LearningSetMember), aliased(LearningSetMember)
    return exists().where(
        mine.user_id == viewer_id,
        mine.cohort_id == JournalEntry.cohort_id,
        theirs.set_id == mine.set_id,
        theirs.user_id == JournalEntry.user_id,
    ) & _has_role_in_entry_cohort(viewer_id, frozenset({CohortRole.LEARNER}))


def readable_by(viewer_id: int) -> ColumnElement[bool]:
    """SQL over ``JournalEntry``: true where the viewer may read the entry. The whole rule."""
    shared = [
        and_(JournalEntry.visibility == level.value, _has_role_in_entry_cohort(viewer_id, roles))
        for level, roles in COHORT_READERS.items()
    ]
    shared.append(
        and_(JournalEntry.visibility == Visibility.LEARNING_SET.value, _in_authors_set(viewer_id))
    )
    return or_(
        JournalEntry.user_id == viewer_id,
        and_(JournalEntry.cohort_id.is_not(None), or_(*shared)),
    )


def shared_with(viewer_id: int) -> ColumnElement[bool]:
    """Other people's entries the viewer may read (their own are in their journal)."""
    return and_(JournalEntry.user_id != viewer_id, readable_by(viewer_id))


def can_read(viewer_id: int, entry_id: int) -> bool:
    """Whether the viewer may read one entry (one query)."""
    found = db.session.execute(
        select(JournalEntry.id).where(JournalEntry.id == entry_id, readable_by(viewer_id))
    ).first()
    return found is not None


def readers(visibility: str, cohort_id: int | None) -> str:
    """Who can read an entry, as a sentence for its author."""
    level = Visibility(visibility)
    if level != Visibility.PRIVATE and cohort_id is None:
        return "You were not in a cohort on this course when you wrote it, so only you can read it."
    return level.readers


def readers_after_saving(user_id: int, visibility: Visibility, cohort_id: int | None) -> str:
    """The readers sentence, warning when a learning set is not confirmed yet (one query at most)."""
    sentence = readers(visibility.value, cohort_id)
    if visibility == Visibility.LEARNING_SET and cohort_id is not None:
        in_a_set = db.session.execute(
            select(LearningSetMember.id).where(
                LearningSetMember.user_id == user_id, LearningSetMember.cohort_id == cohort_id
            )
        ).first()
        if in_a_set is None:
            sentence += (
                " Your learning set is not confirmed yet: until it is, only you can read it."
            )
    return sentence


def cohort_for_writing(user_id: int, course_key: str) -> int | None:
    """The cohort a new entry on the course belongs to: the learner's latest (one query).

    A learner re-enrolled in a later cohort writes in that one; staff writing in a cohort they
    work in get that cohort; someone in no cohort on the course gets None (private to others).
    """
    return db.session.execute(
        select(CohortMember.cohort_id)
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(CohortMember.user_id == user_id, Cohort.course_key == course_key)
        .order_by(
            (CohortMember.role == CohortRole.LEARNER.value).desc(),
            CohortMember.added_at.desc(),
            CohortMember.id.desc(),
        )
        .limit(1)
    ).scalar()


def reads_any(user_id: int) -> bool:
    """Whether the user has a cohort role that can be shared with at all (one query)."""
    found = db.session.execute(
        select(CohortMember.id).where(
            CohortMember.user_id == user_id,
            CohortMember.role.in_(sorted(r.value for r in READER_ROLES)),
        )
    ).first()
    return found is not None


# The reading page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedEntry:
    """Someone else's reflection, as the reading pages show it."""

    entry: JournalEntry
    author: str
    organisation: str | None
    cohort: str
    lesson: Lesson | None
    prompt_text: str

    @property
    def shared_with(self) -> str:
        return {
            Visibility.FACILITATORS: "Shared with the cohort's facilitators",
            Visibility.LEARNING_SET: "Shared with their learning set",
            Visibility.COHORT: "Shared with the cohort",
        }.get(Visibility(self.entry.visibility), "")


@dataclass(frozen=True)
class SharedSection:
    title: str
    #: An id for the section's heading, so a lesson page can link to its module.
    anchor: str
    module: Module | None
    entries: tuple[SharedEntry, ...]


def module_anchor(module: Module) -> str:
    """The id of a module's section on the reading page (lesson pages link to it)."""
    return "module-" + module.key.replace("/", "-")


def _shared_entries(where: ColumnElement[bool], catalogue: Catalogue) -> list[SharedEntry]:
    rows = db.session.execute(
        select(JournalEntry, User.name, Organisation.name, Cohort.name)
        .join(User, User.id == JournalEntry.user_id)
        .join(Cohort, Cohort.id == JournalEntry.cohort_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(where)
        .order_by(JournalEntry.updated_at.desc(), JournalEntry.id.desc())
    ).all()
    shared = []
    for entry, author, organisation, cohort in rows:
        prompt = catalogue.prompt(entry.prompt_key)
        shared.append(
            SharedEntry(
                entry,
                author,
                organisation,
                cohort,
                catalogue.lesson(entry.prompt_key.partition("#")[0]),
                prompt.text if prompt else "A prompt no longer in the course",
            )
        )
    return shared


@dataclass(frozen=True)
class SharedPage:
    sections: tuple[SharedSection, ...]
    #: Whether the viewer is a learner or facilitator anywhere (else nothing can be shared).
    can_be_shared_with: bool

    @property
    def count(self) -> int:
        return sum(len(section.entries) for section in self.sections)

    @property
    def several_cohorts(self) -> bool:
        """Entries come from more than one cohort, so each says which."""
        return len({e.cohort for section in self.sections for e in section.entries}) > 1


def shared_with_me(viewer_id: int, catalogue: Catalogue) -> SharedPage:
    """What others shared with the viewer, by module in course order, newest first (two queries)."""
    by_module: dict[str, list[SharedEntry]] = {}
    orphans: list[SharedEntry] = []
    for item in _shared_entries(shared_with(viewer_id), catalogue):
        if item.lesson is None:
            orphans.append(item)
        else:
            by_module.setdefault(item.lesson.module_key, []).append(item)
    sections = [
        SharedSection(module.title, module_anchor(module), module, tuple(by_module[module.key]))
        for module in catalogue.modules.values()
        if module.key in by_module
    ]
    if orphans:
        sections.append(SharedSection("Other reflections", "other", None, tuple(orphans)))
    return SharedPage(tuple(sections), bool(sections) or reads_any(viewer_id))


def shared_by(
    viewer_id: int, author_id: int, cohort_id: int, catalogue: Catalogue
) -> list[SharedEntry]:
    """One author's entries written in one cohort that the viewer may read, newest first."""
    where = and_(
        JournalEntry.user_id == author_id,
        JournalEntry.cohort_id == cohort_id,
        shared_with(viewer_id),
    )
    return _shared_entries(where, catalogue)
