"""Network: declared ties, survey waves, responses and answers, action learning sets.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

import leaders.db_types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete="CASCADE"):
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade():
    op.create_table(
        "tie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("user_a_id", sa.Integer(), nullable=False),
        sa.Column("user_b_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", leaders.db_types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("user_a_id < user_b_id", name=op.f("ck_tie_ordered_pair")),
        sa.CheckConstraint(
            "kind IN ('worked_together', 'met_at_session', 'introduced', 'mentoring')",
            name=op.f("ck_tie_kind_known"),
        ),
        _fk("tie", "cohort_id", "cohort"),
        _fk("tie", "user_a_id", "user"),
        _fk("tie", "user_b_id", "user"),
        _fk("tie", "created_by", "user", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tie")),
        sa.UniqueConstraint(
            "cohort_id", "user_a_id", "user_b_id", "kind", name=op.f("uq_tie_cohort_id_user_a_id_user_b_id_kind")
        ),
    )
    op.create_index("ix_tie_user_b", "tie", ["user_b_id"])
    op.create_table(
        "survey_wave",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=10), nullable=False),
        sa.Column("opened_at", leaders.db_types.UTCDateTime(), nullable=False),
        sa.Column("closed_at", leaders.db_types.UTCDateTime(), nullable=True),
        sa.CheckConstraint("name IN ('baseline', 'midpoint', 'end')", name=op.f("ck_survey_wave_name_known")),
        _fk("survey_wave", "cohort_id", "cohort"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_wave")),
        sa.UniqueConstraint("cohort_id", "name", name=op.f("uq_survey_wave_cohort_id_name")),
    )
    op.create_table(
        "survey_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", leaders.db_types.UTCDateTime(), nullable=False),
        _fk("survey_response", "wave_id", "survey_wave"),
        _fk("survey_response", "respondent_id", "user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_response")),
        sa.UniqueConstraint("wave_id", "respondent_id", name=op.f("uq_survey_response_wave_id_respondent_id")),
    )
    op.create_table(
        "survey_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("knew_before", sa.Boolean(), nullable=False),
        sa.Column("worked_with", sa.Boolean(), nullable=False),
        sa.CheckConstraint("respondent_id <> other_id", name=op.f("ck_survey_answer_not_self")),
        _fk("survey_answer", "wave_id", "survey_wave"),
        _fk("survey_answer", "respondent_id", "user"),
        _fk("survey_answer", "other_id", "user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answer")),
        sa.UniqueConstraint(
            "wave_id", "respondent_id", "other_id", name=op.f("uq_survey_answer_wave_id_respondent_id_other_id")
        ),
    )
    op.create_table(
        "learning_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", leaders.db_types.UTCDateTime(), nullable=False),
        _fk("learning_set", "cohort_id", "cohort"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_set")),
        sa.UniqueConstraint("cohort_id", "name", name=op.f("uq_learning_set_cohort_id_name")),
    )
    op.create_table(
        "learning_set_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _fk("learning_set_member", "cohort_id", "cohort"),
        _fk("learning_set_member", "set_id", "learning_set"),
        _fk("learning_set_member", "user_id", "user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_set_member")),
        sa.UniqueConstraint("cohort_id", "user_id", name=op.f("uq_learning_set_member_cohort_id_user_id")),
    )


def downgrade():
    op.drop_table("learning_set_member")
    op.drop_table("learning_set")
    op.drop_table("survey_answer")
    op.drop_table("survey_response")
    op.drop_table("survey_wave")
    op.drop_index("ix_tie_user_b", table_name="tie")
    op.drop_table("tie")
