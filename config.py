"""Configuration classes. Every value a deployment changes comes from an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", BASE_DIR / "instance"))

#: The key development uses. Production refuses to start with it.
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-do-not-use-in-production"


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants an explicit driver.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


class ConfigError(RuntimeError):
    """The configuration cannot run safely."""


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'leaders.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    CONTENT_DIR = os.environ.get("CONTENT_DIR", str(BASE_DIR / "content"))
    CONTENT_CACHE_DIR: str | None = os.environ.get(
        "CONTENT_CACHE_DIR", str(INSTANCE_DIR / "content-cache")
    )
    CONTENT_AUTO_RELOAD = False
    CONTENT_LOAD_ON_START = True

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    SIGN_IN_RATE_LIMIT = os.environ.get("SIGN_IN_RATE_LIMIT", "10 per minute;100 per hour")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _env_int("MAIL_PORT", 587)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Place Leaders <no-reply@localhost>"
    )
    MAIL_TIMEOUT = _env_int("MAIL_TIMEOUT", 10)
    #: Where messages are also written as files so a developer can read them (None: nowhere).
    MAIL_OUTBOX_DIR: str | None = None

    #: The job queue: empty → a SQLite file, instance/queue.sqlite; redis://… → Redis.
    QUEUE_URL = os.environ.get("QUEUE_URL", "")
    #: Run each job at once in the process that queues it (tests; no consumer needed).
    QUEUE_IMMEDIATE = _env_bool("QUEUE_IMMEDIATE", False)
    #: Seconds a delivery job holds an email before another may presume it dead and send it.
    QUEUE_CLAIM_SECONDS = _env_int("QUEUE_CLAIM_SECONDS", 300)
    #: The first retry after a temporary failure waits this long; each next one twice as long.
    QUEUE_RETRY_BASE_SECONDS = _env_int("QUEUE_RETRY_BASE_SECONDS", 30)
    #: Attempts before an email with only temporary failures is marked failed.
    QUEUE_MAX_ATTEMPTS = _env_int("QUEUE_MAX_ATTEMPTS", 8)
    #: Threads in each `flask worker` (each sends one email at a time).
    QUEUE_WORKERS = _env_int("QUEUE_WORKERS", 4)

    #: The address used in emailed links, e.g. https://leaders.example.org
    SERVER_NAME = os.environ.get("SERVER_NAME") or None
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    PASSWORD_RESET_MAX_AGE = _env_int("PASSWORD_RESET_MAX_AGE", 60 * 60)
    INVITATION_MAX_AGE = _env_int("INVITATION_MAX_AGE", 14 * 24 * 60 * 60)
    #: Days after being added to a cohort before "Not signed in yet" puts a learner at risk.
    NOT_SIGNED_IN_GRACE_DAYS = _env_int("NOT_SIGNED_IN_GRACE_DAYS", 7)
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    #: Days the audit log keeps an entry; `flask audit prune` deletes older ones.
    AUDIT_RETENTION_DAYS = _env_int("AUDIT_RETENTION_DAYS", 730)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 8 * 60 * 60

    #: A Fernet key for secrets kept in the database (providers' client secrets, TOTP seeds);
    #: empty: one derived from SECRET_KEY.
    SECRET_ENCRYPTION_KEY = os.environ.get("LEADERS_SECRET_ENCRYPTION_KEY", "")
    #: Global roles that must use two-factor when they sign in with a password (space separated).
    MFA_REQUIRED_ROLES = os.environ.get("MFA_REQUIRED_ROLES", "admin programme_manager")
    MFA_RATE_LIMIT = os.environ.get("MFA_RATE_LIMIT", "5 per minute;30 per hour")
    #: Seconds to wait for an identity provider (discovery, keys, token) before telling the user.
    OIDC_HTTP_TIMEOUT = _env_int("OIDC_HTTP_TIMEOUT", 5)
    #: Seconds a provider's discovery document and signing keys are reused between sign-ins
    #: (an ID token signed with a key not among them still fetches the keys again at once).
    OIDC_METADATA_SECONDS = _env_int("OIDC_METADATA_SECONDS", 3600)

    SHOW_DEV_OUTBOX = False
    #: Certificates (leaders/credentials): the Ed25519 signing key (PKCS#8 PEM or JWK), the public
    #: address credentials point to, the issuing body's name, and days a credential is valid.
    CREDENTIALS_SIGNING_KEY = os.environ.get("CREDENTIALS_SIGNING_KEY", "")
    CREDENTIALS_BASE_URL = os.environ.get("CREDENTIALS_BASE_URL", "")
    CREDENTIALS_ISSUER_NAME = os.environ.get("CREDENTIALS_ISSUER_NAME", "Place Leaders")
    CREDENTIALS_VALID_DAYS = os.environ.get("CREDENTIALS_VALID_DAYS", "")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    @classmethod
    def validate(cls, settings: dict) -> None:
        """Raise ConfigError if these settings cannot run safely (only production checks)."""


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    CONTENT_AUTO_RELOAD = True
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR", str(INSTANCE_DIR / "mail-outbox"))
    SHOW_DEV_OUTBOX = True


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    CONTENT_DIR = str(BASE_DIR / "tests" / "fixtures" / "content")
    CONTENT_CACHE_DIR = None
    # Point external services at hosts that cannot answer, so nothing leaves the machine by accident.
    MAIL_SERVER = ""
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_OUTBOX_DIR = None
    SERVER_NAME = None
    CREDENTIALS_BASE_URL = "http://localhost"
    CREDENTIALS_SIGNING_KEY = ""
    # Jobs run at once, inside the test; the queue's own tests run a real consumer instead.
    QUEUE_IMMEDIATE = True
    # Signing staff in needs no authenticator app in tests; tests/auth/test_mfa.py turns it on.
    MFA_REQUIRED_ROLES = ""


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "https")

    @classmethod
    def validate(cls, settings: dict) -> None:
        key = settings.get("SECRET_KEY") or ""
        if not key or key == DEVELOPMENT_SECRET_KEY:
            raise ConfigError(
                "SECRET_KEY is not set. Production needs its own secret key: set the SECRET_KEY "
                "environment variable to a long random value, for example the output of "
                '`python -c "import secrets; print(secrets.token_hex(32))"`.'
            )
        if len(key) < 32:
            raise ConfigError("SECRET_KEY is too short. Use at least 32 random characters.")
        if not settings.get("CREDENTIALS_SIGNING_KEY"):
            raise ConfigError(
                "CREDENTIALS_SIGNING_KEY is not set. Production signs certificates with its own "
                "Ed25519 key: set it to the private key as PKCS#8 PEM or as a JWK, for example "
                "from `openssl genpkey -algorithm ed25519`. It is never generated at start-up."
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
