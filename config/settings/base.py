"""Settings shared by every environment. Environment-specific modules import from here.

Anything that differs between machines (database, secret key, hosts, search engine) is read from the
environment, with defaults that suit a developer's laptop.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# site/ is a plain folder (not a package: Python's stdlib owns the name `site`) for site-wide templates and static.
SITE_DIR = BASE_DIR / "site"


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    "core",
    "accounts",
    "home",
    "handbook",
    "news",
    "search",
    "translations",
    "exchange",
    "forum",
    "demo",
    "backups",
    "opendata",
    "books",
    "ops",
    "django_tasks_db",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail_modeladmin",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v3",
    "ninja",  # its documentation page's files, served from our origin (the CSP allows no other)
    "wagtail.sites",
    "accounts.users_app.UsersAppConfig",  # wagtail.users, with a last name optional (accounts/account.py)
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "allauth",
    "allauth.account",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accounts.security.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.locale.SiteLocaleMiddleware",
    "search.throttling.SearchRateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor.AdminTwoFactorMiddleware",
    "translations.middleware.TranslatorLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.security.PreviewFramingMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out login before the password is even checked, on the admin's login and on
# the members' (django-allauth authenticates through django.contrib.auth, so every backend here sees its attempts).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "core.context_processors.site_chrome",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages: the six official UN languages -------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ar", "العربية"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ru", "Русский"),
    ("zh-hans", "中文"),
]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# The programme is run from UN Headquarters in New York: publishing schedules (go-live, expiry) entered in the
# admin are read in the office's time, not in UTC. Times are stored in UTC (USE_TZ); the admin shows the zone next
# to every time (core/templates/wagtailadmin/widgets/datetime_input.html, config/formats/), and a user may choose
# another zone in their account settings.
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

# A new translation must never go live by itself showing source-language text (wagtail-localize default).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

# Machine translation in the translation editor: off unless MACHINE_TRANSLATOR / DEEPL_API_KEY say otherwise.
from translations.machine import machine_translator_from_env  # noqa: E402

WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator_from_env(os.environ)

# --- Static and media --------------------------------------------------------------------------------
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [SITE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Images, documents and PDF editions go to an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME names one
# (core/storage.py, core/media.py); local files under MEDIA_ROOT otherwise.
from core.media import media_storage_from_env  # noqa: E402

STORAGES["default"] = media_storage_from_env(os.environ) or STORAGES["default"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail -----------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "South–South Exchange"
# The licence the open data (API and exports) is published under: the programme's choice, to be confirmed by it.
OPEN_DATA_LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
WAGTAILAPI_LIMIT_MAX = 50  # items per page of the read API (opendata/api.py)
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_DOCUMENT_FORM_BASE = "core.document_forms.DocumentForm"  # lists the allowed formats on the upload page
# Documents are always served through Wagtail's view (permission checks, `Content-Security-Policy: default-src
# 'none'`, nosniff); only PDFs open in the browser, everything else downloads as an attachment.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "core.widgets.RobustDraftailRichTextArea"}}
WAGTAIL_WORKFLOW_ENABLED = True
# An edit made while a page is in moderation sends it back through every task, so that what goes live is what the
# safeguards reviewer and the moderators approved.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True

# Search: Wagtail's database backend is the embedded default; an Elasticsearch-API engine is chosen by
# SEARCH_BACKEND/SEARCH_URL (see search/backends.py and README).
from search.backends import search_backends_from_env  # noqa: E402

WAGTAILSEARCH_BACKENDS = search_backends_from_env(os.environ)

# Background tasks (django-tasks). Wagtail 8 queues its own work on "default": search and reference-index updates,
# front-cache purges, file deletions. The PDF editions (books/) render on their own "books" backend, so that a
# render of a minute never holds up an index update. Here both run immediately, in the request; in production each
# is a database queue with its worker, `manage.py db_worker --backend <name> --queue-name <name>` (production.py,
# deploy/systemd/sse-worker@.service).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "books": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["books"]},
}
# A task that fails on a database queue is tried again after 30 s, then 1, 2 and 4 minutes, and stays failed after
# its fifth attempt, listed under Reports → Background tasks (ops/retries.py). A task still running 15 minutes after
# it started has lost its worker (killed, or its machine gone: the longest task, a PDF render, takes about a minute):
# `manage.py reclaim_stalled_tasks` (deploy/systemd/sse-prune-tasks.timer) counts that as a failed attempt.
TASK_RETRY = {"ATTEMPTS": 5, "FIRST_DELAY_SECONDS": 30, "STALLED_AFTER_SECONDS": 15 * 60}

# One process's memory by default (make run needs no server); with REDIS_URL, Redis is the cache every app server
# shares: the page cache and its purges, the search and exchange rate limits (core/throttling.py), the health probe;
# one Redis client and connection pool per process for every alias (core/redis_cache.py).
# Sessions and the login lockout (django-axes) are kept in the database, which every app server shares already.
CACHES = {
    "default": (
        {"BACKEND": "core.redis_cache.SharedRedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sse"}
    ),
}
# Wagtail's renditions, in the same store, through a backend that does not write back what it has just read
# (core/rendition_cache.py).
CACHES["renditions"] = {
    **CACHES["default"],
    "BACKEND": "core.rendition_cache."
    + ("RedisRenditionCache" if os.environ.get("REDIS_URL") else "LocMemRenditionCache"),
}
# Answers kept under the version of the sites and the page tree (core/sites.py: the request's site, where a page is,
# the menu) need every process to see each new version: in the cache they share (Redis), else in the database they
# share (one row read per request). One process's memory would leave the other app servers serving what an editor has
# just moved or restricted; dev and test settings serve from one process, and keep it in the cache.
TREE_VERSION_STORE = os.environ.get("TREE_VERSION_STORE", "cache" if os.environ.get("REDIS_URL") else "database")
# Anonymous readers' pages are kept whole for PAGE_CACHE_SECONDS (0: off) and purged as soon as something they
# show changes (core/page_cache.py, core/invalidation.py). On by default only with a shared cache: one process's
# memory cannot be purged by a publish in another worker.
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600" if os.environ.get("REDIS_URL") else "0"))
# A front cache (Varnish: deploy/varnish/default.vcl) at FRONTEND_CACHE_URL gets the same purges, as HTTP PURGE.
# The purges name every language's address themselves (core/invalidation.py): Wagtail's own per-language rewriting
# of each URL is off (it would build wrong addresses for translated slugs).
WAGTAILFRONTENDCACHE_LANGUAGES = []
if os.environ.get("FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_URL"],
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The client logs every failed request; search/ handles and logs those that matter (engine down) itself.
    "loggers": {"elasticsearch": {"level": "ERROR"}, "opensearch": {"level": "ERROR"}},
}

# --- Security headers (production.py adds HSTS and secure cookies) -----------------------------------------
from accounts.security import PUBLIC_POLICY  # noqa: E402

CONTENT_SECURITY_POLICY = {"DIRECTIVES": PUBLIC_POLICY}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# An admin session lasts a working day at most (seconds; SESSION_COOKIE_AGE in the environment overrides).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))

# The proxies in front of the app servers (nginx, Varnish, a load balancer): addresses or networks, comma-separated in
# the environment. A request whose direct peer is one of them is counted by the client address they forwarded in
# X-Forwarded-For (core/client_address.py), by every limit and the login lockout; empty: the direct peer is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Admin login: after 5 failed attempts for a user name or from an address, logins from there are refused (429) for
# 15 minutes; a successful login resets the count. Two-factor authentication: accounts/two_factor.py.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The lockout is a page of the admin in the user's language; wrong two-factor codes count as failures too.
AXES_LOCKOUT_CALLABLE = "accounts.two_factor.lockout_response"
# Members sign in with their e-mail address, staff at the admin with their user name: both count for the same account.
AXES_USERNAME_CALLABLE = "accounts.members.attempted_username"
# The address a failure counts for: the client's behind the TRUSTED_PROXIES, as for the rate limits.
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_address"
OTP_TOTP_ISSUER = "South–South Exchange"

# Public search: at most SEARCH_RATE_LIMIT requests per client address per minute (search/throttling.py).
SEARCH_RATE_LIMIT = int(os.environ.get("SEARCH_RATE_LIMIT", "60"))
# The editors' query report keeps anonymous daily counts of searches for this many days (search/query_log.py).
SEARCH_QUERY_RETENTION_DAYS = int(os.environ.get("SEARCH_QUERY_RETENTION_DAYS", "90"))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
SHOW_SAMPLE_NOTICE = os.environ.get("SHOW_SAMPLE_NOTICE", "true").lower() == "true"

# Exchange requests (exchange/): at most EXCHANGE_RATE_LIMIT submissions per client address per hour; a form sent
# back sooner than EXCHANGE_MIN_FILL_SECONDS after it was shown is a bot's; a form older than
# EXCHANGE_FORM_MAX_AGE seconds is shown again to be re-sent.
EXCHANGE_RATE_LIMIT = int(os.environ.get("EXCHANGE_RATE_LIMIT", "10"))
EXCHANGE_MIN_FILL_SECONDS = 3
EXCHANGE_FORM_MAX_AGE = 24 * 3600

# Member registration (django-allauth, accounts/members.py): sign-up with an e-mail address that must be verified
# before signing in; programme staff then approve the person as a member. Pages under /<language>/members/
# (core/paths.py). allauth's rate limits (sign-ups, failed sign-ins, password resets, confirmation e-mails) count in
# the "default" cache: with several server processes it must be a shared cache (Redis, or Django's database cache),
# or each process counts alone, as the search and exchange limits do. django-axes' lockout is kept in the database,
# so it holds across processes whatever the cache.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "member_status"
ACCOUNT_ADAPTER = "accounts.members.MemberAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.members.MemberDetailsForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_SESSION_REMEMBER = None  # "Remember me" offered: unticked, the session ends with the browser
# Failed sign-ins are counted by django-axes alone (AXES_FAILURE_LIMIT, in the database, shared by the admin's login
# and the members'); allauth's own counter would answer first with a different message and no lockout.
ACCOUNT_RATE_LIMITS = {"login_failed": None}

# The expert forum (forum/): a member's posts wait for a moderator until FORUM_PREMODERATED_POSTS of theirs have been
# approved; each member writes at most FORUM_RATE_LIMIT messages (threads, replies, reports) per hour.
FORUM_PREMODERATED_POSTS = int(os.environ.get("FORUM_PREMODERATED_POSTS", "3"))
FORUM_RATE_LIMIT = int(os.environ.get("FORUM_RATE_LIMIT", "20"))
