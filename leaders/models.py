"""Every model, imported in one place so the metadata (and Alembic) sees the whole schema."""

from leaders.auth.models import Role, User

__all__ = ["Role", "User"]
