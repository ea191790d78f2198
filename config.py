"""Configuration classes. Every value can be overridden by an environment variable of the same name."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - a known placeholder that production refuses


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _sqlite_default() -> str:
    return f"sqlite:///{BASE_DIR / 'instance' / 'kindred.sqlite3'}"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", _sqlite_default())
    SQLALCHEMY_ENGINE_OPTIONS = {
        "pool_pre_ping": True,
        "pool_size": _int("DATABASE_POOL_SIZE", 5),
        "max_overflow": _int("DATABASE_MAX_OVERFLOW", 10),
        "pool_recycle": _int("DATABASE_POOL_RECYCLE", 1800),
    }
    SITE_NAME = os.environ.get("KINDRED_SITE_NAME", "Kindred")
    TOPICS_PER_PAGE = _int("KINDRED_TOPICS_PER_PAGE", 20)
    POSTS_PER_PAGE = _int("KINDRED_POSTS_PER_PAGE", 20)
    REDIS_URL = os.environ.get("REDIS_URL", "")
    RATELIMIT_ENABLED = _bool("KINDRED_RATELIMIT", True)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead, so a slow writer's long post is not lost
    MAX_CONTENT_LENGTH = 1024 * 1024


class DevelopmentConfig(Config):
    DEBUG = False  # the Werkzeug debugger is never on by default; set FLASK_DEBUG=1 to opt in


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_ENABLED = False


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def check_production_secret(secret_key: str | None) -> None:
    """Refuse to run in production without a real secret: it signs sessions and tokens."""
    if not secret_key or secret_key == DEV_SECRET_KEY:
        raise RuntimeError(
            "SECRET_KEY is missing or is the development placeholder. Set SECRET_KEY to a long random value, "
            'for example: python -c "import secrets; print(secrets.token_urlsafe(48))"'
        )
    if len(secret_key) < 32:
        raise RuntimeError("SECRET_KEY is too short for production: use at least 32 random characters.")
