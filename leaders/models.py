"""Every model, imported in one place so the metadata (and Alembic) sees the whole schema."""

from leaders.audit import AuditEvent
from leaders.auth.identity_models import (
    IdentityProvider,
    RecoveryCode,
    TotpCredential,
    UserIdentity,
)
from leaders.auth.models import Role, User, UserSession
from leaders.cohorts.models import (
    Attendance,
    Cohort,
    CohortMember,
    CohortModule,
    CohortSession,
    PendingImport,
    ReminderLog,
)
from leaders.credentials.models import AwardDecision, Credential
from leaders.learning.models import JournalEntry, LessonProgress, QuizAttempt, Visibility
from leaders.network.models import (
    LearningSet,
    LearningSetMember,
    SetDraft,
    SurveyAnswer,
    SurveyResponse,
    SurveyWave,
    Tie,
)
from leaders.organisations.models import Organisation, Sector
from leaders.outbox.models import Email, EmailAttempt
from leaders.oversight.models import BulkRun
from leaders.places.models import Place, PlaceKind
from leaders.privacy.models import ErasureRequest

__all__ = [
    "Attendance",
    "AuditEvent",
    "AwardDecision",
    "BulkRun",
    "Cohort",
    "CohortMember",
    "CohortModule",
    "CohortSession",
    "Credential",
    "Email",
    "EmailAttempt",
    "ErasureRequest",
    "IdentityProvider",
    "JournalEntry",
    "LearningSet",
    "LearningSetMember",
    "LessonProgress",
    "Organisation",
    "PendingImport",
    "Place",
    "PlaceKind",
    "QuizAttempt",
    "RecoveryCode",
    "ReminderLog",
    "Role",
    "Sector",
    "SetDraft",
    "SurveyAnswer",
    "SurveyResponse",
    "SurveyWave",
    "Tie",
    "TotpCredential",
    "User",
    "UserIdentity",
    "UserSession",
    "Visibility",
]
