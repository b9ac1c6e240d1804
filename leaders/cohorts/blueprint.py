"""The cohorts blueprint, shared by the page modules (views, enrolment_views)."""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import exists

from leaders.auth import rules, sessions
from leaders.auth.models import User
from leaders.cohorts.models import AttendanceStatus, CohortMember, CohortRole, SessionKind

bp = Blueprint("cohorts", __name__, cli_group=None)
bp.add_app_template_global(lambda value: SessionKind(value).label, "kind_label")
bp.add_app_template_global(lambda value: AttendanceStatus(value).label, "status_label")


# The navigation shows "Cohorts" to the staff of any cohort: read with the signed-in user, no query.
sessions.add_user_fact(
    rules.STAFFS_A_COHORT,
    exists().where(CohortMember.user_id == User.id, CohortMember.role != CohortRole.LEARNER.value),
)
