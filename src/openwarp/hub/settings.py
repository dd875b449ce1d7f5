"""Django settings, read from the environment.

OPENWARP_DATA_DIR    where SQLite, the generated secret key and uploads live
DATABASE_URL         postgres://... to use PostgreSQL instead of SQLite
OPENWARP_SECRET_KEY  overrides the generated key (set it when running several processes)
OPENWARP_SEAL_KEY    overrides the generated key that seals stored webhook and peer secrets
OPENWARP_DEBUG       1 for Django's debug pages (never in production)
OPENWARP_TLS         1 when the hub is served over HTTPS: HSTS, secure cookies, redirects
OPENWARP_BEHIND_PROXY 1 to trust X-Forwarded-Proto from the reverse proxy
OPENWARP_ALLOWED_HOSTS comma-separated host names (default 127.0.0.1,localhost)
OPENWARP_HUB_NAME    shown in the header, e.g. "East Midlands WARP"
OPENWARP_WEBHOOKS_TO_PRIVATE 1 lets webhooks reach private addresses and plain http
                     (a test or lab hub only: it opens the hub's network to members)
OPENWARP_NVD_API_KEY NVD's API key, sent as its `apiKey` header (higher rate limits)
OPENWARP_DIGEST_AT   when the worker sends the daily digest (default "07:00 Europe/London")
OPENWARP_RUN_LIMIT_HOURS a scheduled run with no worker to judge it by counts as
                     stopped after this long without a result (default 6)

The data dir may also hold `openwarp.toml` with a [hub] table (name = "...");
environment variables take precedence.
"""

from __future__ import annotations

import os

from django.utils.csp import CSP

from openwarp.hub.config import data_dir, database, env_flag, hub_file, seal_key, secret_key

DATA_DIR = data_dir()
SECRET_KEY = secret_key(DATA_DIR)
SEAL_KEY = seal_key(DATA_DIR)
DEBUG = env_flag("OPENWARP_DEBUG")
ALLOWED_HOSTS = os.environ.get("OPENWARP_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
HUB_FILE = hub_file(DATA_DIR)
HUB_NAME = os.environ.get("OPENWARP_HUB_NAME") or HUB_FILE.get("name", "Regional WARP")
WEBHOOKS_TO_PRIVATE = env_flag("OPENWARP_WEBHOOKS_TO_PRIVATE")
NVD_API_KEY = os.environ.get("OPENWARP_NVD_API_KEY", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "openwarp.hub.members",
    "openwarp.hub.audit",
    "openwarp.hub.jobs",
    "openwarp.hub.notify",
    "openwarp.hub.sharing",
    "openwarp.hub.feeds",
    "openwarp.hub.incidents",
    "openwarp.hub.taxii",
    "openwarp.hub.exposure",
    "openwarp.hub.mutualaid",
    "openwarp.hub.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "openwarp.hub.members.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "openwarp.hub.urls"
WSGI_APPLICATION = "openwarp.hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openwarp.hub.web.context.hub",
            ],
        },
    }
]

DATABASES = {"default": database(os.environ.get("DATABASE_URL"), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "members.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["openwarp.hub.members.backends.MemberBackend"]
LOGIN_URL = "/sign-in/"
# A password-reset link is good for one hour (and once).
PASSWORD_RESET_TIMEOUT = 60 * 60
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app folders when `collectstatic` has not been run
# (tests, development); `openwarp serve` collects them first.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(exist_ok=True)

# Security headers. The CSP allows nothing inline: templates load scripts and
# styles from our own origin only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    # Our templates never inline scripts; Django admin's few carry a nonce.
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

TLS = env_flag("OPENWARP_TLS")
if env_flag("OPENWARP_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if TLS:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Slow down password guessing: this many failures per address and account
# within the window lock further attempts until the window has passed.
SIGN_IN_MAX_FAILURES = int(os.environ.get("OPENWARP_SIGN_IN_MAX_FAILURES", "5"))
SIGN_IN_FAILURE_WINDOW_SECONDS = 15 * 60

# MISP warninglists (JSON lines, one list per line) used to flag benign values.
WARNINGLISTS_FILE = os.environ.get("OPENWARP_WARNINGLISTS") or HUB_FILE.get("warninglists", "")

# The worker's timetable (hub/jobs): the daily digest's time, and the limit for
# runs with no worker heartbeat to judge them by.
DIGEST_AT = os.environ.get("OPENWARP_DIGEST_AT") or HUB_FILE.get("digest_at", "07:00 Europe/London")
JOBS_RUN_LIMIT_HOURS = float(os.environ.get("OPENWARP_RUN_LIMIT_HOURS", "6"))

API_TOKEN_MAX_DAYS = 365
INVITATION_DAYS = 7

DEFAULT_FROM_EMAIL = os.environ.get("OPENWARP_FROM_EMAIL", "warp@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OPENWARP_LOG_LEVEL", "WARNING")},
}

# Without TLS the hub is a demo or a development copy: e-mail goes to the console.
# In production it goes to the SMTP relay named by OPENWARP_SMTP_HOST/PORT/USER/PASSWORD.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "OPENWARP_EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if TLS
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": {
            "host": os.environ.get("OPENWARP_SMTP_HOST", "localhost"),
            "port": int(os.environ.get("OPENWARP_SMTP_PORT", "587")),
            "username": os.environ.get("OPENWARP_SMTP_USER", ""),
            "password": os.environ.get("OPENWARP_SMTP_PASSWORD", ""),
            "use_tls": env_flag("OPENWARP_SMTP_STARTTLS", True),
        }
        if TLS
        else {},
    }
}
