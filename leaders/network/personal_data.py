"""What the network holds about a person: connections, survey answers, the sets they facilitate."""

from __future__ import annotations

from sqlalchemy import delete, or_, select, update

from leaders import personal_data
from leaders.extensions import db
from leaders.network.models import LearningSet, SurveyAnswer, SurveyResponse, Tie


def _erase_ties(user_id: int) -> None:
    db.session.execute(delete(Tie).where(or_(Tie.user_a_id == user_id, Tie.user_b_id == user_id)))


def _erase_survey(user_id: int) -> None:
    """Their answers, and others' answers about them."""
    db.session.execute(
        delete(SurveyAnswer).where(
            or_(SurveyAnswer.respondent_id == user_id, SurveyAnswer.other_id == user_id)
        )
    )
    db.session.execute(delete(SurveyResponse).where(SurveyResponse.respondent_id == user_id))


personal_data.register(
    "connections.json",
    # tie.created_by: a tie made by someone else is deleted with either of its two people; one
    # they recorded between two others stays, its author an erased account.
    tables=["tie"],
    shown_as="connections",
    export=lambda user_id: personal_data.rows(
        select(Tie.user_a_id, Tie.user_b_id, Tie.kind, Tie.note, Tie.created_at).where(
            or_(Tie.user_a_id == user_id, Tie.user_b_id == user_id)
        )
    ),
    erase=_erase_ties,
)
personal_data.register(
    "network_survey_answers.json",
    tables=["survey_answer", "survey_response"],
    shown_as="network survey answers",
    export=lambda user_id: personal_data.rows(
        select(
            SurveyAnswer.wave_id,
            SurveyAnswer.other_id,
            SurveyAnswer.knew_before,
            SurveyAnswer.worked_with,
        ).where(SurveyAnswer.respondent_id == user_id)
    ),
    erase=_erase_survey,
)


def _erase_facilitating(user_id: int) -> None:
    """The sets they ran are kept, with no facilitator."""
    db.session.execute(
        update(LearningSet).where(LearningSet.facilitator_id == user_id).values(facilitator_id=None)
    )


personal_data.register(
    "learning sets facilitated", tables=["learning_set"], erase=_erase_facilitating
)
personal_data.register(
    "learning set drafts",
    tables=["set_draft"],
    kept="which staff member proposed or last changed a cohort's draft sets (by id); the draft "
    "is deleted when its sets are confirmed, and one that names an erased learner no longer fits "
    "the cohort and is proposed again",
)
