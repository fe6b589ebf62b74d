"""Settings, read from the environment (SPEC §3.2).

Every setting that differs between a developer's laptop and production comes from an
environment variable; the defaults are for local development on SQLite.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from invoicing.ledger import ledger_accounts_from_env

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "false")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    # A development key only: DEBUG is on, so this never reaches production.
    SECRET_KEY = "django-insecure-development-only-" + "x" * 32

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "bookings",
    "invoicing",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "heideken.middleware.ClientLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "heideken.urls"
WSGI_APPLICATION = "heideken.wsgi.application"
ASGI_APPLICATION = "heideken.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "frontend.context_processors.languages",
            ],
        },
    },
]


def _database_config() -> dj_database_url.DBConfig:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=envint("CONN_MAX_AGE", "0"))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # Writers serialise at BEGIN, so a check-then-insert inside one transaction
            # cannot interleave with another writer's (SPEC §2.4 on SQLite).
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # A file, not the shared in-memory database: concurrency tests need real
        # connections that wait on SQLite's lock instead of failing at once.
        test_name = os.environ.get("TEST_DATABASE_NAME", "test-db")
        config["TEST"] = {"NAME": str(BASE_DIR / f"{test_name}.sqlite3")}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        if envbool("DATABASE_PREPARED_STATEMENTS", "true"):
            # Server-side binding lets PostgreSQL keep the plan of a statement a connection
            # runs again and again (psycopg prepares it on its sixth run). Turn it off
            # behind a transaction-pooling PgBouncer, which cannot keep prepared statements.
            config["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
        if "TEST_DATABASE_NAME" in os.environ:
            config["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
    else:
        raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL or SQLite")
    return config


DATABASES = {"default": _database_config()}

# The table of the database cache, made by migrate (bookings/migrations/0006_cache_table).
CACHE_TABLE = "heideken_cache"


def _cache_config() -> dict:
    """Throttle counts and login failures must be shared by every process and machine, so
    the default is a cache in the app's own database; `CACHE_URL=redis://…` uses Redis."""
    url = os.environ.get("CACHE_URL", "").strip()
    if not url:
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured("CACHE_URL must be a redis://, rediss:// or unix:// address")


CACHES = {"default": _cache_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
# The app serves MEDIA_ROOT at MEDIA_URL (heideken/media.py) unless a proxy in front does.
SERVE_MEDIA = envbool("SERVE_MEDIA", "true")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}


def _email_config(url: str) -> dict:
    """EMAIL_URL through dj-email-url, plus the explicit `smtp+tls://` (STARTTLS, port
    587) and `smtp+ssl://` (TLS from the start, port 465) forms; an unknown scheme stops
    the start with a clear message instead of a KeyError."""
    scheme, _sep, rest = url.partition(":")
    secure = {"smtp+tls": "EMAIL_USE_TLS", "smtp+ssl": "EMAIL_USE_SSL"}.get(scheme)
    if secure:
        url = f"smtp:{rest}"
    elif scheme not in dj_email_url.SCHEMES:
        known = ", ".join(sorted([*dj_email_url.SCHEMES, "smtp+tls", "smtp+ssl"]))
        raise ImproperlyConfigured(f"EMAIL_URL scheme {scheme!r} is not one of {known}")
    config = dj_email_url.parse(url)
    if secure:
        config[secure] = True
    return config


_email = _email_config(os.environ.get("EMAIL_URL", "console:"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"] or 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "varaukset@heideken.invalid")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who writes and sends the e-mails a booking event stores (frontend/outbox.py): "commit",
# the same process right after the commit, or "worker", `send_pending_emails --every N`.
EMAIL_DELIVERY = os.environ.get("EMAIL_DELIVERY", "commit")
if EMAIL_DELIVERY not in ("commit", "worker"):
    raise ImproperlyConfigured("EMAIL_DELIVERY must be 'commit' or 'worker'.")

LOGIN_URL = "admin:login"

# Password guessing on /staff/login/ and /admin/login/ (django-axes): after
# LOGIN_FAILURE_LIMIT failures for one user name, or from one address, further attempts,
# the right password too, are refused for LOGIN_LOCKOUT_MINUTES with a 429 page. The
# failures are rows in the database (axes.AccessAttempt), shared by every process; an
# administrator unlocks by deleting them in the admin ("Access attempts").
AUTHENTICATION_BACKENDS = [
    "heideken.login_guard.LoginGuardBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own, not the pair
AXES_CLIENT_IP_CALLABLE = "heideken.clients.login_client_address"
AXES_LOCKOUT_CALLABLE = "frontend.views.staff.lockout.login_locked"
AXES_RESET_ON_SUCCESS = True
# Successful logins are not kept: less personal data, and the failures are what count.
AXES_DISABLE_ACCESS_LOG = True
# No start-up banner, and lockout lines name only what locks (user name, address).
AXES_VERBOSE = False

# How long a public room feed's view reuses the stamp it last read before asking the
# database again (the feed itself may be cached for 15 minutes by anyone).
FEED_RECHECK_SECONDS = envint("FEED_RECHECK_SECONDS", "10")

# The largest bank statement file accepted (camt.054 or KTL); a bank's daily report of a
# few thousand payments is well under it.
BANK_STATEMENT_MAX_BYTES = envint("BANK_STATEMENT_MAX_BYTES", str(10 * 1024 * 1024))
# The sales account of each product (and VAT code) in the bookkeeping CSV; the variable
# overrides single entries, e.g. `room=3000,extra:catering=3011` (invoicing/ledger.py).
LEDGER_ACCOUNTS = ledger_accounts_from_env(os.environ.get("LEDGER_ACCOUNTS", ""))
# Reverse proxies in front of the app: how many hops of X-Forwarded-For to trust
# (heideken/clients.py). 0 trusts none of it and counts REMOTE_ADDR.
NUM_PROXIES = envint("NUM_PROXIES", "0")
if NUM_PROXIES < 0:
    raise ImproperlyConfigured("NUM_PROXIES must be 0 or more")

REST_FRAMEWORK = {
    # Token first, so an anonymous call is told how to authenticate (401, WWW-Authenticate).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: every view declares who may use it.
    "DEFAULT_PERMISSION_CLASSES": ["bookings.api.common.DenyAll"],
    # DRF's JSON parser with size and depth limits and translated messages.
    "DEFAULT_PARSER_CLASSES": ["bookings.api.parsers.JSONBodyParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "bookings.api.common.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "bookings.api.common.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "public_write": os.environ.get("API_PUBLIC_WRITE_RATE", "30/hour"),
    },
    # The throttle asks heideken.clients for the address; DRF's own reading of the
    # header is kept in step with it (0, not None: None would trust X-Forwarded-For).
    "NUM_PROXIES": NUM_PROXIES,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Heideken room booking API",
    "DESCRIPTION": (
        "Rooms, availability and booking requests for the public; bookings, closures "
        "and customers for staff. Datetimes are ISO 8601; an input without an offset "
        "means Helsinki local time. Errors are JSON with a machine-readable `code`, a "
        "`message` in the language of Accept-Language (fi, sv, en) and per-field `errors`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "bookings.api.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "BookingStatusEnum": "bookings.models.BookingStatus",
        "BusyStatusEnum": "bookings.models.OccupancyKind",
        "DeliveryMethodEnum": "bookings.models.DeliveryMethod",
        "PaymentMethodEnum": "invoicing.models.PaymentMethod",
    },
}

# Production hardening; `manage.py check --deploy` is clean with DEBUG off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false" if DEBUG else "true")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "false")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): every script, style, image and request from this
# site only, no inline script or style, no plugins, no framing, forms post here only.
# The API docs page, which inlines a little style, widens style-src for itself alone
# (heideken/urls.py). With DEBUG on the policy only reports, so Django's debug page works.
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if DEBUG:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP
SILENCED_SYSTEM_CHECKS = [
    # HSTS for subdomains and preload are the operator's decision for their domain.
    "security.W005",
    "security.W021",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # On the handler, not on loggers: a logger's filter misses its children's records
    # (django.security.csrf, django.security.DisallowedHost, ...).
    "filters": {"redact_tokens": {"()": "heideken.log_redaction.RedactTokens"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tokens"],
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
