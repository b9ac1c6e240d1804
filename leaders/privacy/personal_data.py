"""What is kept about a person by design, even after erasure."""

from __future__ import annotations

from leaders import personal_data

personal_data.register(
    "erasure requests",
    tables=["erasure_request"],
    kept="the record that an erasure was asked for and done, and by whom",
)
personal_data.register(
    "audit log",
    tables=["audit_event"],
    kept="who did what, by account id; an erased account's id leads to no one (kept for "
    "AUDIT_RETENTION_DAYS)",
)
