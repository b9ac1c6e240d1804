"""Sessions that can be changed, cancelled and put in a calendar: end time, online link, joining
instructions, a learning set's own meetings, a cancelled time, an iCalendar sequence, and the add
form's one-time key; and each learner's private calendar feed (a hash of its token).

Sessions from before have no end time (ends_at stays NULL; the pages and calendars take two hours).

Revision ID: 0012_sessions
Revises: 0011_messages
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

import leaders.db_types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0012_sessions'
down_revision = '0011_messages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', leaders.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_calendar_feed_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_token_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feed_user_id'))
    )
    with op.batch_alter_table('cohort_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ends_at', leaders.db_types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('online_url', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('joining_instructions', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('set_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', leaders.db_types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('form_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_cohort_session_form_key'), ['form_key'])
        batch_op.create_foreign_key(batch_op.f('fk_cohort_session_set_id_learning_set'), 'learning_set', ['set_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(
            batch_op.f('ck_cohort_session_ends_after_start'), 'ends_at IS NULL OR ends_at > starts_at'
        )
    # The defaults only filled the rows there were; the models give the values from now on.
    with op.batch_alter_table('cohort_session', schema=None) as batch_op:
        batch_op.alter_column('online_url', server_default=None)
        batch_op.alter_column('joining_instructions', server_default=None)
        batch_op.alter_column('sequence', server_default=None)



def downgrade():
    with op.batch_alter_table('cohort_session', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_cohort_session_ends_after_start'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_cohort_session_set_id_learning_set'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_cohort_session_form_key'), type_='unique')
        batch_op.drop_column('form_key')
        batch_op.drop_column('sequence')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('set_id')
        batch_op.drop_column('joining_instructions')
        batch_op.drop_column('online_url')
        batch_op.drop_column('ends_at')

    op.drop_table('calendar_feed')
