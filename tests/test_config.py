import pytest

from config import DEVELOPMENT_SECRET_KEY, ConfigError
from leaders import create_app


def test_production_refuses_a_missing_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app("production", {"SECRET_KEY": ""})


def test_production_refuses_the_development_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app("production", {"SECRET_KEY": DEVELOPMENT_SECRET_KEY})


def test_production_refuses_a_short_secret_key():
    with pytest.raises(ConfigError, match="too short"):
        create_app("production", {"SECRET_KEY": "short"})


def test_production_sets_secure_cookies():
    app = create_app(
        "production",
        {
            "SECRET_KEY": "x" * 64,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "CONTENT_LOAD_ON_START": False,
            "CREDENTIALS_SIGNING_KEY": _signing_key(),
        },
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_unknown_config_name_is_explained():
    with pytest.raises(RuntimeError, match="use one of"):
        create_app("staging")


def test_database_url_gets_the_psycopg_driver(monkeypatch):
    import config

    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    assert config._database_url("sqlite://") == "postgresql+psycopg://u@h/db"


def _signing_key() -> str:
    from joserfc.jwk import OKPKey

    return OKPKey.generate_key("Ed25519").as_pem(private=True).decode()
