"""Configuration classes. Every value can be overridden by an environment variable of the same name."""

import os
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

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


def _list(name: str, default: str = "") -> tuple[str, ...]:
    return tuple(item.strip() for item in os.environ.get(name, default).split(",") if item.strip())


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
        "pool_timeout": _int("DATABASE_POOL_TIMEOUT", 30),
    }
    # Read-only page views read from this copy when set (app/database/replica.py); writes always go to DATABASE_URL.
    DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
    DATABASE_REPLICA_STICKY_SECONDS = _int("DATABASE_REPLICA_STICKY_SECONDS", 10)
    # How many proxies in front of Kindred set X-Forwarded-For/-Proto/-Host (nginx: 1). 0 trusts no such header.
    PROXY_COUNT = _int("KINDRED_PROXY_COUNT", 0)
    SITE_NAME = os.environ.get("KINDRED_SITE_NAME", "Kindred")
    TOPICS_PER_PAGE = _int("KINDRED_TOPICS_PER_PAGE", 20)
    POSTS_PER_PAGE = _int("KINDRED_POSTS_PER_PAGE", 20)
    REDIS_URL = os.environ.get("REDIS_URL", "")
    REDIS_KEY_PREFIX = os.environ.get("KINDRED_REDIS_PREFIX", "kindred")  # page-cache versions; rate limits have theirs
    RATELIMIT_ENABLED = _bool("KINDRED_RATELIMIT", True)
    # Redis away: count in each process's memory meanwhile (limits stay, per process) instead of failing the page.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True  # without it a 429 carries no Retry-After (SECURITY.md #15)
    # Visitors' pages rendered once and reused until the next write (app/web/page_cache.py), for at most this long.
    PAGE_CACHE = _bool("KINDRED_PAGE_CACHE", True)
    PAGE_CACHE_SECONDS = _int("KINDRED_PAGE_CACHE_SECONDS", 60)
    # Unsent writing kept on the server (app/services/drafts/): shown and kept for this many days after its last save.
    DRAFT_DAYS = _int("KINDRED_DRAFT_DAYS", 30)
    # Days without a visit or a post after a crisis-routed post before mentors are asked to check in.
    CHECKIN_DAYS = _int("KINDRED_CHECKIN_DAYS", 3)
    # Sensitive actions (app/web/reauth.py) ask for the password again once this browser's last proof is older.
    REAUTH_SECONDS = _int("REAUTH_SECONDS", 600)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead, so a slow writer's long post is not lost
    # Pictures (app/services/pictures/): how many per post and how large each (where they are kept: UPLOADS below).
    KINDRED_UPLOAD_MAX_FILES = _int("KINDRED_UPLOAD_MAX_FILES", 4)
    KINDRED_UPLOAD_MAX_BYTES = _int("KINDRED_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
    # A whole request: every picture allowed at its largest, plus a megabyte for the text and the form.
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", KINDRED_UPLOAD_MAX_FILES * KINDRED_UPLOAD_MAX_BYTES + 1024 * 1024)
    # Password hashing (app/services/members/passwords.py): argon2id, RFC 9106 "low memory", argon2-cffi's default.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65_536  # KiB
    ARGON2_PARALLELISM = 4

    # E-mail (app/services/mail/outbox.py): "console" prints mail where `make run` shows it, "smtp" sends it.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Kindred <no-reply@localhost>")
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 10)
    MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 8)
    MAIL_RETRY_SECONDS = _int("MAIL_RETRY_SECONDS", 60)  # first back-off; doubles after each failed try
    MAIL_POLL_SECONDS = _int("MAIL_POLL_SECONDS", 5)
    # Links in e-mail start with this (e.g. https://forum.example.org); never with a request's Host header.
    BASE_URL = os.environ.get("KINDRED_BASE_URL", "")
    # Replies by e-mail: notification mails carry Reply-To with this address, "{token}" replaced by a signed token
    # (e.g. reply+{token}@forum.example.org); `flask receive-mail` reads what comes back. Off when empty.
    MAIL_REPLY_ADDRESS = os.environ.get("MAIL_REPLY_ADDRESS", "")
    # Host names this site answers to (e.g. forum.example.org,www.forum.example.org). When set, a request for any
    # other Host gets 400; without KINDRED_BASE_URL, only these (and loopback in development) may start mail links.
    ALLOWED_HOSTS = _list("KINDRED_ALLOWED_HOSTS")
    VERIFY_EMAIL = _bool("KINDRED_VERIFY_EMAIL", False)
    # Members may ask on the sign-in page for a link by e-mail that signs them in once, within 15 minutes.
    EMAIL_LOGIN = _bool("KINDRED_EMAIL_LOGIN", False)
    # Passkeys (app/services/members/passkey_party.py): the domain they are bound to, and the name devices show.
    # Empty: BASE_URL's host (or, without one, a trusted request host) and SITE_NAME.
    WEBAUTHN_RP_ID = os.environ.get("WEBAUTHN_RP_ID", "").strip().lower()
    WEBAUTHN_RP_NAME = os.environ.get("WEBAUTHN_RP_NAME", "").strip()
    # Roles that see pending and reported content: they reach those only once they have a second factor.
    REQUIRE_2FA_ROLES = _list("KINDRED_REQUIRE_2FA_ROLES", "moderator,staff,admin")

    # Uploaded pictures (app/services/media/storage.py): "local" keeps them in UPLOADS_DIR, "s3" in S3_BUCKET.
    UPLOADS = os.environ.get("KINDRED_UPLOADS", "local").strip().lower()
    UPLOADS_DIR = os.environ.get("KINDRED_UPLOADS_DIR", str(BASE_DIR / "instance" / "uploads"))
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL", "")  # unset for AWS S3 itself
    S3_BUCKET = os.environ.get("S3_BUCKET", "")
    S3_REGION = os.environ.get("S3_REGION", "us-east-1")
    S3_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID", "")  # both unset: boto3's own chain (an instance role)
    S3_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY", "")

    # Sign-in with the organisation's OpenID Connect provider (app/auth/oidc.py): off unless issuer and client id
    # are set. OIDC_ROLE_MAP maps values of the OIDC_ROLE_CLAIM claim to roles ("kindred-staff=staff,...").
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip()
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
    OIDC_ROLE_CLAIM = os.environ.get("OIDC_ROLE_CLAIM", "").strip()
    OIDC_ROLE_MAP = os.environ.get("OIDC_ROLE_MAP", "")
    OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "").strip()
    OIDC_TIMEOUT = _int("OIDC_TIMEOUT", 10)  # seconds for each request to the provider

    # Outgoing webhooks (app/services/webhooks/): never to loopback, private, link-local or metadata addresses unless
    # WEBHOOK_ALLOW_PRIVATE (the tests' own receiver on loopback). WEBHOOK_INLINE sends right after the request that
    # queued a delivery (development, like console mail); otherwise the send-mail worker sends them.
    WEBHOOK_ALLOW_PRIVATE = _bool("KINDRED_WEBHOOK_ALLOW_PRIVATE", False)
    WEBHOOK_INLINE = _bool("KINDRED_WEBHOOK_INLINE", False)
    WEBHOOK_TIMEOUT = _int("KINDRED_WEBHOOK_TIMEOUT", 5)  # seconds to connect, and again to read the answer
    WEBHOOK_MAX_ATTEMPTS = _int("KINDRED_WEBHOOK_MAX_ATTEMPTS", 6)  # the first try and five retries
    WEBHOOK_FOLLOW_REDIRECTS = _bool("KINDRED_WEBHOOK_FOLLOW_REDIRECTS", False)

    # Languages (app/web/i18n.py): the community's own, and the ones members may choose (empty: every one shipped).
    DEFAULT_LOCALE = os.environ.get("KINDRED_DEFAULT_LOCALE", "en").strip()
    LOCALES = _list("KINDRED_LOCALES")
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")
    BABEL_DEFAULT_TIMEZONE = "UTC"


class DevelopmentConfig(Config):
    DEBUG = False  # the Werkzeug debugger is never on by default; set FLASK_DEBUG=1 to opt in
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")  # links show up in the terminal, no worker needed
    WEBHOOK_INLINE = _bool("KINDRED_WEBHOOK_INLINE", True)  # deliveries leave right after the request, no worker


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_ENABLED = False
    PAGE_CACHE = False  # tests of the page cache switch it on with app_overrides
    VERIFY_EMAIL = False  # tests that need it switch it on with app_overrides
    REQUIRE_2FA_ROLES: tuple[str, ...] = ()  # the tests of the two-factor gate switch it on with app_overrides
    MAIL_BACKEND = "smtp"  # mail stays in the outbox unless a test runs the worker
    # The cheapest argon2 there is: thousands of sign-ins test the code around the hash, not its strength.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1
    # Never the checkout's instance/uploads: a directory of this test process's own, emptied after each test.
    UPLOADS = "local"
    UPLOADS_DIR = str(Path(tempfile.gettempdir()) / f"kindred-test-uploads-{os.getpid()}")


class ProductionConfig(Config):
    VERIFY_EMAIL = _bool("KINDRED_VERIFY_EMAIL", True)
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


def check_production_base_url(base_url: str | None) -> None:
    """E-mail links are built from KINDRED_BASE_URL, never from the request's Host header (which an attacker sets to
    poison password-reset links), so production needs it before the first mail."""
    parts = urlsplit(base_url or "")
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise RuntimeError(
            "KINDRED_BASE_URL is missing or not a web address. Set it to the site's public address, "
            "for example: KINDRED_BASE_URL=https://forum.example.org"
        )


def check_production_rate_limits(enabled: bool | None) -> None:
    """Rate limits guard sign-in and posting: they may be switched off for tests and load tests, never in production."""
    if not enabled:
        raise RuntimeError("KINDRED_RATELIMIT=0 is for development and load tests only: production keeps rate limits.")


ROLE_NAMES = ("member", "mentor", "moderator", "staff", "admin")  # app.models.member.Role, which config cannot import


def check_required_2fa_roles(roles: tuple[str, ...]) -> None:
    """A misspelt role would silently leave that role without the second-factor requirement: refuse to start."""
    unknown = [role for role in roles if role not in ROLE_NAMES]
    if unknown:
        raise RuntimeError(
            f"KINDRED_REQUIRE_2FA_ROLES names unknown roles {', '.join(unknown)}: use some of {', '.join(ROLE_NAMES)}."
        )


def check_served_config(env_name: str | None, secret_key: str | None) -> str | None:
    """A real server (gunicorn) outside production: refuse the public placeholder secret, and otherwise return the
    warning to print, since development settings trust loopback Hosts and skip production's checks."""
    if env_name == "production":
        return None
    if not secret_key or secret_key == DEV_SECRET_KEY:
        raise RuntimeError(
            "Refusing to serve with the development placeholder SECRET_KEY: anyone can forge sessions with it. "
            "Set KINDRED_ENV=production and a real SECRET_KEY (see docs/deploy.md)."
        )
    return (
        f"WARNING: Kindred is served with KINDRED_ENV={env_name or 'development'}, not production: cookies are not "
        "marked Secure and the production checks are skipped. Set KINDRED_ENV=production on a public server."
    )
