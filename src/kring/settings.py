"""Kring's one settings module.

Everything is configured by environment variables (see the README's table), with safe
defaults for a newcomer and strict checks in production (``KRING_ENV=production``).
"""

from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from kring.app_registry import APPS

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


TESTING = "pytest" in sys.modules or os.environ.get("KRING_ENV") == "test"
KRING_ENV = os.environ.get("KRING_ENV", "test" if TESTING else "development")
if KRING_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("KRING_ENV must be development, production or test")
PRODUCTION = KRING_ENV == "production"

DATA_DIR = Path(os.environ.get("KRING_DATA_DIR", "var")).resolve()
if not TESTING:
    DATA_DIR.mkdir(parents=True, exist_ok=True)

# --- Secrets and hosts -------------------------------------------------------------------


def _development_secret_key() -> str:
    path = DATA_DIR / "secret_key"
    if TESTING:
        return "kring-test-secret-key-not-for-production-" + "x" * 20
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("KRING_SECRET_KEY", "")
# The key generated in the data folder (development only): `kring backup` carries it, so signed
# links still work after a restore into an empty folder. Never in production (environment).
SECRET_KEY_FILE: Path | None = None
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("KRING_ENV=production needs KRING_SECRET_KEY (50+ characters).")
    SECRET_KEY = _development_secret_key()
    SECRET_KEY_FILE = None if TESTING else DATA_DIR / "secret_key"

DEBUG = env_bool("KRING_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("KRING_DEBUG must be off in production.")

ALLOWED_HOSTS = env_list(
    "KRING_ALLOWED_HOSTS",
    [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"],
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("KRING_ENV=production needs KRING_ALLOWED_HOSTS.")
CSRF_TRUSTED_ORIGINS = env_list("KRING_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("KRING_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Applications ------------------------------------------------------------------------

# The one list of Kring's apps (kring/app_registry.py): installed, routed and seeded in order.
KRING_APPS = [app.module for app in APPS]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "django_tasks_db",
    "ninja",
    *KRING_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "kring.site.middleware.KringMiddleware",
    # Rate limits, no-store on private paths, MFA for hosts (kring/privacy/middleware.py).
    "kring.privacy.middleware.TrustMiddleware",
    # Store the language a signed-in person last used (their e-mail comes in it).
    "kring.notify.middleware.RememberLanguageMiddleware",
    # Login throttling; last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kring.urls"
WSGI_APPLICATION = "kring.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "kring.core.pagecache.placeholders",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kring.site.context_processors.kring",
            ],
            "builtins": ["django.templatetags.i18n", "kring.core.templatetags.kring"],
        },
    },
]

# --- Database ----------------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("KRING_DB_CONN_MAX_AGE", 60))
    _db.setdefault("CONN_HEALTH_CHECKS", True)
else:
    _db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "kring.sqlite3")}
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers and the task worker write at once: take the write lock at
    # the start of a transaction, wait for it instead of failing, and use WAL journaling.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    _db["CONN_MAX_AGE"] = 0
    _db.setdefault("TEST", {})["NAME"] = os.environ.get("KRING_TEST_SQLITE_NAME") or None
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, tasks ------------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Parallel test workers share one Redis database: keep their keys apart.
            "KEY_PREFIX": "kring"
            + (
                f"-{os.environ['PYTEST_XDIST_WORKER']}"
                if TESTING and os.environ.get("PYTEST_XDIST_WORKER")
                else ""
            ),
        }
    }
    # Sessions in Redis, written through to the database so a Redis restart logs no one out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kring_cache",
            # Django culls a third of the entries past 300: page versions, public pages and
            # rate-limit counters of a busy installation need more room (kring.core.pagecache).
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Rendered fragments of templates (a person's card in the directory), per process: their keys
# are digests of what they show, so they never go stale, and reading one costs no round trip.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "kring-fragments",
    "OPTIONS": {"MAX_ENTRIES": 20000},
}
# Member pages per viewer (kring.core.pagecache), compressed, per process: whether one is still
# current is decided by table versions in the default cache, which every process shares.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "kring-pages",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

TASKS: dict[str, dict[str, Any]]
if TESTING:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
elif REDIS_URL:
    TASKS = {
        "default": {
            "BACKEND": "kring.core.rq_backend.RQBackend",
            "OPTIONS": {"url": REDIS_URL},
        }
    }
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# At-least-once tasks (kring.core.worker): a running task holds a lease its worker renews
# every third of this; a task whose lease lapsed (the worker died) runs again, at most
# KRING_TASK_MAX_ATTEMPTS times in all.
KRING_TASK_LEASE_SECONDS = env_int("KRING_TASK_LEASE_SECONDS", 30)
KRING_TASK_MAX_ATTEMPTS = env_int("KRING_TASK_MAX_ATTEMPTS", 5)

# --- Accounts ----------------------------------------------------------------------------

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses authentication while an account is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "networks:start"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_ADAPTER = "kring.people.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS: bool | dict[str, str] = False if TESTING else {}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kring] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION  # passkeys on http://127.0.0.1 in dev
MFA_TOTP_ISSUER = "Kring"
# When on, hosts without a second factor are sent to the two-factor setup page.
KRING_REQUIRE_MFA_FOR_HOSTS = env_bool("KRING_REQUIRE_MFA_FOR_HOSTS", False)
USERSESSIONS_TRACK_ACTIVITY = False  # sessions are recorded at login (no query per request)
SESSION_COOKIE_AGE = env_int("KRING_SESSION_SECONDS", 14 * 24 * 3600)

# --- Login throttling (django-axes) and rate limits (django-ratelimit) -------------------

AXES_ENABLED = env_bool("KRING_AXES_ENABLED", True)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("KRING_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KRING_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # 5 failures per address or account
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "kring.privacy.security.axes_username"
AXES_LOCKOUT_TEMPLATE = "privacy/locked_out.html"
if env_int("KRING_PROXY_COUNT", 0):  # behind N reverse proxies that set X-Forwarded-For
    AXES_IPWARE_PROXY_COUNT = env_int("KRING_PROXY_COUNT", 0)
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
AXES_VERBOSE = False
RATELIMIT_USE_CACHE = "default"
RATELIMIT_ENABLE = env_bool("KRING_RATELIMIT_ENABLED", True)
# Requests per minute: the JSON API per token/user (anonymous: per address), and anonymous
# form posts (sign-up, applications, contact forms) per address.
KRING_API_RATE = os.environ.get("KRING_API_RATE", "100000/m" if TESTING else "300/m")
KRING_API_ANON_RATE = os.environ.get("KRING_API_ANON_RATE", "100000/m" if TESTING else "60/m")
KRING_FORM_RATE = os.environ.get("KRING_FORM_RATE", "100000/m" if TESTING else "20/m")
# A bare 50-row page for the load benchmark's ceiling (benchmarks/load.py); off by default.
KRING_BENCHMARK_PAGE = env_bool("KRING_BENCHMARK_PAGE", False)
# Member pages cached per viewer and invalidated by the tables they read (kring.core.pagecache);
# KRING_PAGE_CACHE=0 renders every request (the profiles of the render path do).
KRING_PAGE_CACHE = env_bool("KRING_PAGE_CACHE", True)
KRING_PAGE_CACHE_SECONDS = env_int("KRING_PAGE_CACHE_SECONDS", 30)
FORM_RENDERER = "kring.core.forms.FormRenderer"
ACCOUNT_FORMS = {"signup": "kring.people.forms.KringSignupForm"}

# --- Mail --------------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = os.environ.get("KRING_FROM_EMAIL", "Kring <kring@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_EMAIL_HOST = os.environ.get("KRING_EMAIL_HOST", "")
if _EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _EMAIL_HOST,
                "port": env_int("KRING_EMAIL_PORT", 587),
                "username": os.environ.get("KRING_EMAIL_USER", ""),
                "password": os.environ.get("KRING_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("KRING_EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
elif PRODUCTION:
    raise ImproperlyConfigured("KRING_ENV=production needs KRING_EMAIL_HOST (an SMTP server).")
else:
    # A newcomer reads mail in files under var/mail (and the worker logs each message).
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "mail")},
        }
    }

# Replies by e-mail (kring.conversations): mails carry a signed Reply-To at this domain
# (empty: no Reply-To). `kring serve` also listens for SMTP when the port is set.
KRING_INBOUND_DOMAIN = os.environ.get("KRING_INBOUND_DOMAIN", "").strip().lower()
KRING_INBOUND_SMTP_PORT = env_int("KRING_INBOUND_SMTP_PORT", 0)
KRING_INBOUND_SMTP_HOST = os.environ.get("KRING_INBOUND_SMTP_HOST", "127.0.0.1")

# --- Languages, time ---------------------------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in lower case in Dutch ("1 jan. 2026"): named formats per language (kring/core/formats).
FORMAT_MODULE_PATH = ["kring.core.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static and media --------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = None if TESTING else DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if os.environ.get("KRING_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["KRING_S3_BUCKET"],
            "endpoint_url": os.environ.get("KRING_S3_ENDPOINT_URL") or None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
# Uploaded files are served only through views that check permission (kring.core.files):
# streamed by Django, or handed to the reverse proxy (X-Accel-Redirect for nginx/Caddy,
# X-Sendfile for Apache); on S3 by short-lived presigned URLs. See docs/security.md.
KRING_FILE_SERVING = os.environ.get("KRING_FILE_SERVING", "django").strip().lower()
if KRING_FILE_SERVING not in {"django", "x-accel-redirect", "x-sendfile"}:
    raise ImproperlyConfigured(
        "KRING_FILE_SERVING must be one of: django, x-accel-redirect, x-sendfile."
    )
KRING_FILE_ACCEL_PREFIX = os.environ.get("KRING_FILE_ACCEL_PREFIX", "/_kring_files/")
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
KRING_MAX_UPLOAD_BYTES = env_int("KRING_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)

# --- Security ----------------------------------------------------------------------------

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("KRING_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("KRING_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- Fediverse (ActivityPub) ------------------------------------------------------------
# Loopback and private peers over plain http: only for tests and local experiments.
KRING_FEDERATION_ALLOW_PRIVATE = env_bool("KRING_FEDERATION_ALLOW_PRIVATE", False)
# Operator-wide: instances (and their subdomains) nobody on this installation federates with.
KRING_FEDERATION_BLOCKED_DOMAINS = [
    d.lower() for d in env_list("KRING_FEDERATION_BLOCKED_DOMAINS", [])
]
# Inbox requests per instance per minute.
KRING_FEDERATION_RATE_PER_MINUTE = env_int("KRING_FEDERATION_RATE_PER_MINUTE", 300)

# --- Web push (kring.push) ---------------------------------------------------------------
# The VAPID key pair that signs every push (RFC 8292): KRING_VAPID_PRIVATE_KEY (PEM, or the raw
# 32-byte key in base64url), else generated once into the data folder. Changing it makes every
# browser subscription invalid (the push services answer 403 and people turn it on again).
KRING_VAPID_PRIVATE_KEY = os.environ.get("KRING_VAPID_PRIVATE_KEY", "").strip()
KRING_VAPID_KEY_FILE: Path | None = None if TESTING else DATA_DIR / "vapid_private_key.pem"
KRING_VAPID_SUBJECT = os.environ.get("KRING_VAPID_SUBJECT", "").strip()
# Push endpoints over plain http to 127.0.0.1/localhost (a stand-in push service): tests and
# local experiments only.
KRING_PUSH_ALLOW_LOCAL = env_bool("KRING_PUSH_ALLOW_LOCAL", DEBUG)
if PRODUCTION and KRING_PUSH_ALLOW_LOCAL:
    raise ImproperlyConfigured("KRING_PUSH_ALLOW_LOCAL must be off in production.")

# --- API ---------------------------------------------------------------------------------

NINJA_PAGINATION_PER_PAGE = 50

# --- Logging -----------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KRING_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
