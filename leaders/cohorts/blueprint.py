"""The cohorts blueprint, shared by the page modules (views, enrolment_views)."""

from __future__ import annotations

from flask import Blueprint

from leaders.cohorts.models import AttendanceStatus, SessionKind
from leaders.organisations.models import sector_label

bp = Blueprint("cohorts", __name__, cli_group=None)
bp.add_app_template_global(sector_label, "sector_label")
bp.add_app_template_global(lambda value: SessionKind(value).label, "kind_label")
bp.add_app_template_global(lambda value: AttendanceStatus(value).label, "status_label")
