"""What oversight holds about a person: the bulk actions and messages a manager confirmed."""

from __future__ import annotations

from leaders import personal_data

personal_data.register(
    "bulk actions",
    tables=["bulk_run"],
    kept="which bulk actions and messages a staff member confirmed (by id, with a count), so that "
    "none is done twice; who was affected is in the audit log",
)
