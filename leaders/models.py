"""Every model, imported in one place so the metadata (and Alembic) sees the whole schema."""

from leaders.auth.models import Role, User
from leaders.learning.models import JournalEntry, LessonProgress, QuizAttempt, Visibility

__all__ = ["JournalEntry", "LessonProgress", "QuizAttempt", "Role", "User", "Visibility"]
