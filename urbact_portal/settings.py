"""Settings for the URBACT project portal: one module, driven by the environment.

Every value that differs between a laptop and production is read from an environment
variable here (see README "Configuration"). Nothing exists only in production: with
DEBUG off the same module switches on the HTTPS and cookie hardening.
"""

import sys
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()


def _fail(message: str) -> None:
    """Stop start-up with one readable line instead of a traceback."""
    sys.exit(f"urbact_portal: configuration error: {message}")


def _read(reader, name: str, **kwargs):
    try:
        return reader(name, **kwargs)
    except (ValueError, environ.ImproperlyConfigured) as exc:
        _fail(f"{name} is not valid ({exc})")


def _bool(name: str, default: bool) -> bool:
    """A yes/no variable; anything but the usual spellings is an error, not a silent False."""
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    _fail(f"{name} is not valid (use 1 or 0, not {raw!r})")


DEBUG: bool = _bool("DEBUG", default=False)
# generate_portfolio writes made-up projects in which the own organisation takes part, and
# drops indexes while it writes: a development machine's command, never production's. Read
# once here from DEBUG, so that tests (which run with DEBUG off) may still call it.
SYNTHETIC_DATA_ALLOWED = DEBUG

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        _fail("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS: list[str] = _read(
    env.list,
    "ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else [],
)
if not DEBUG and not ALLOWED_HOSTS:
    _fail("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS: list[str] = _read(env.list, "CSRF_TRUSTED_ORIGINS", default=[])

# The organisation this installation belongs to (its slug): its share of each
# project is shown beside the project's totals. Ventspils Digital Centre for the first customer.
PORTAL_OWN_ORGANISATION: str = env.str("PORTAL_OWN_ORGANISATION", default="ventspils")
# Transparency switch: open the read-only project pages to everyone.
PORTAL_PUBLIC_PAGES: bool = _bool("PORTAL_PUBLIC_PAGES", default=False)

INSTALLED_APPS = [
    # Before the admin, so that its translation fields and admin classes are in place.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Its operator classes in index expressions (lib/indexes.py TrigramIndex); nothing else
    # of it is used, and nothing of it runs on SQLite.
    "django.contrib.postgres",
    "djmoney",
    "django_countries",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # The spreadsheet import of expenditure lines in the admin (expenditure/import_admin.py).
    "import_export",
    # The portal's apps, bottom layer first (README, "Code layout").
    "urbact_portal.lib",
    "projects",
    "partners",
    "funding",
    "expenditure",
    "pages",
    "audit",
    "reports",
    "demo",
]

MIDDLEWARE = [
    # First: /health/ is answered before sessions, HTTPS redirect and host checks
    # (urbact_portal/health.py says why).
    "urbact_portal.health.health_check_middleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session and CSRF middleware: it sees their `Vary: Cookie`.
    "urbact_portal.middleware.private_cache_middleware",
    # Before anything reads the headers (the session, django-axes).
    "urbact_portal.middleware.refuse_nul_in_headers_middleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "urbact_portal.urls"
WSGI_APPLICATION = "urbact_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Unset: an SQLite file under the git-ignored var/ so a newcomer needs no server.
# Production: DATABASE_URL=postgres://user:password@host:5432/name (psycopg 3).
DATABASES = {
    "default": _read(
        env.db_url,
        "DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Keep each worker's connection for a minute instead of opening one per request: at 20
# clients a new PostgreSQL connection cost 24 ms a request (bench/RESULTS.md). The health check
# drops a connection the server closed before it is reused. 0 = one connection per request.
DATABASES["default"]["CONN_MAX_AGE"] = _read(env.int, "DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username + address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "pages:index"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "lv"
LANGUAGES = [("lv", "Latviešu"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content (names, titles, descriptions) is kept in both languages (django-modeltranslation,
# each app's translation.py): `name` reads `name_lv` or `name_en` as the page's language
# says, and the other language when that one is empty, so a public page never shows a gap.
MODELTRANSLATION_DEFAULT_LANGUAGE = "lv"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("lv", "en"), "lv": ("en",), "en": ("lv",)}
# Code that creates a row with a plain `name=` (not `name_lv=`/`name_en=`) gives it that name
# in both languages, instead of none.
MODELTRANSLATION_AUTO_POPULATE = "all"
TIME_ZONE = "Europe/Riga"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = _read(env.path, "STATIC_ROOT", default=VAR_DIR / "staticfiles")
# var/ holds the default SQLite file and collected static files; it is git-ignored, so a
# fresh clone does not have it yet.
VAR_DIR.mkdir(exist_ok=True)
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
# Supporting documents of expenditure (invoices, proofs of payment): never under MEDIA_URL or
# static, so no URL serves them; expenditure/views.py hands each out after checking who asks.
# In production an S3-compatible store can take their place (README, "Supporting documents").
PRIVATE_MEDIA_ROOT = _read(env.path, "PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
# The largest supporting document accepted, in bytes (10 MiB).
EXPENDITURE_UPLOAD_MAX_BYTES: int = _read(
    env.int, "EXPENDITURE_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "urbact_portal.lib.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Background work (reports/runs.py), django-tasks: queued in the portal's own database, so
# nothing more has to run than `manage.py db_worker` (README, "Background report runs").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# django-money: the programme's currency is the euro; a partner outside the euro area
# (Botoșani, RON) converts at the stored InforEuro rate. Listing the currencies here and on
# every field keeps django-money upgrades from producing migrations.
CURRENCIES = ("EUR", "RON")
CURRENCY_CHOICES = [("EUR", "EUR €"), ("RON", "RON lei")]
DEFAULT_CURRENCY = "EUR"

COUNTRIES_FIRST = ["LV"]
# Old versions in the admin's history are for reading (see urbact_portal/lib/admin_tools.py).
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Security -------------------------------------------------------------------------
# With DEBUG off (production) HTTPS and secure cookies are on unless explicitly turned off;
# `DEBUG=0 manage.py check --deploy` is part of CI.
_https = _bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = _https
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = _read(env.int, "SECURE_HSTS_SECONDS", default=31_536_000 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
# Behind a reverse proxy that sets X-Forwarded-Proto itself (stripping the client's) and
# appends the client's address to X-Forwarded-For; the portal must be reachable only through
# it, since both headers are then believed.
BEHIND_HTTPS_PROXY: bool = _bool("BEHIND_HTTPS_PROXY", default=False)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = _read(env.int, "SESSION_COOKIE_AGE", default=8 * 60 * 60)  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling (django-axes): lock a username *from one address* after 5 failures for
# 30 minutes, so that nobody can lock a colleague out from elsewhere.
AXES_FAILURE_LIMIT = _read(env.int, "AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address: REMOTE_ADDR, or behind the trusted proxy the client address it reports (so
# that users behind it do not share one lock). django-ipware is not installed, so this is
# the one place the address is decided. The user name: cut to what axes stores.
AXES_CLIENT_IP_CALLABLE = "urbact_portal.throttling.client_ip"
AXES_USERNAME_CALLABLE = "urbact_portal.throttling.client_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Content-Security-Policy (django-csp): everything from our own origin, nothing inline,
# nothing from elsewhere. The pages and the admin work under it (browser tests check).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors": {"()": "urbact_portal.log_filters.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django gives its "django" logger a console handler of its own in DEBUG, so each line
        # came twice (there and through the root): it only passes its lines on now.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # An expected 403/404 is one line, not a traceback.
        "django.request": {"filters": ["client_errors"]},
        # django-axes logs every successful login's reset at INFO; lockouts come as WARNING.
        "axes": {"level": "WARNING"},
    },
}
