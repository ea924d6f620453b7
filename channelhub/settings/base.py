"""Settings shared by every environment; each value that differs comes from the environment.

With no environment set this is the embedded default: SQLite in the project, Celery eager,
local-memory cache. ``DATABASE_URL`` and ``REDIS_URL`` / ``CELERY_BROKER_URL`` switch to
PostgreSQL and Redis.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A development key; production.py refuses to start with it.
INSECURE_DEV_SECRET_KEY = "django-insecure-channelhub-development-only-never-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The admin frame (django-unfold): before django.contrib.admin so its templates win.
    "unfold.apps.BasicAppConfig",  # templates and static only: the admin site is ours (ChannelHubAdminSite)
    "unfold.contrib.filters",
    "unfold.contrib.forms",
    "unfold.contrib.import_export",
    "unfold.contrib.simple_history",
    "channelhub.admin.apps.ChannelHubAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "channelhub.tenancy",
    "channelhub.partners",
    "channelhub.portal",
    "channelhub.notifications",
    "recruitment",
    "training",
    "cooperation",
    "evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before any view, form or filter: 400 for NUL characters in the path, query or form body
    # (PostgreSQL refuses them; they used to answer 500). After locale, so the message is translated.
    "channelhub.security.middleware.RejectUnusableTextMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication: resolves the current tenant and clears it after the response.
    "channelhub.tenancy.middleware.TenantMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "channelhub.urls"
WSGI_APPLICATION = "channelhub.wsgi.application"
AUTH_USER_MODEL = "tenancy.User"

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
                "channelhub.tenancy.context_processors.tenancy",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded documents are private: served only through views that check access.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:login"

# Where the site is reached: absolute links in e-mails sent outside a request (tasks, services).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ChannelHub <noreply@channelhub.local>")

# Redis: one URL feeds the broker, the result backend and the cache unless overridden.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL or None)
# No broker configured: run tasks in-process so the embedded default needs no services.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With acks_late, a task whose worker died (killed, out of memory, machine lost) goes back to the
# queue once Redis's visibility timeout has passed since it was handed out. The timeout must
# outlast the longest a task may run (the hard limit below), or a task still running would be
# handed to a second worker; a drill may shorten it through the environment.
CELERY_TASK_SOFT_TIME_LIMIT = 15 * 60
CELERY_TASK_TIME_LIMIT = 16 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", 20 * 60))}

# Sessions are read on every signed-in request: from the shared cache when there is one (Redis),
# written through to the database. A per-process cache (the embedded default) is not shared by
# the server's processes, so a sign-out in one would not reach the others: database only there.
# The admin's work-queue counts (sidebar badges) are kept this long unless a row of the tenant
# changes first (channelhub/admin/queues.py).
WORK_QUEUE_CACHE_SECONDS = 60
# The API keeps the count of a large list (5,000+ rows) until one of its rows changes; writes
# that bypass model signals show after this long (channelhub/api/counts.py). 0: always count.
API_COUNT_CACHE_SECONDS = 60
SESSION_ENGINE = os.environ.get("SESSION_ENGINE") or (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "channelhub",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "channelhub.api.authentication.ApiKeyAuthentication",
        "channelhub.api.authentication.TenantTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: every view states its roles (channelhub.api.permissions).
    "DEFAULT_PERMISSION_CLASSES": ["channelhub.api.permissions.HasTenantRole"],
    "DEFAULT_FILTER_BACKENDS": [
        "channelhub.api.filters.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "channelhub.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "channelhub.api.exceptions.exception_handler",
    # Parsers refuse NUL / lone surrogates / 1e400 / absurd nesting with a 400 naming the field;
    # renderers repair anything unencodable that still reaches a response (never a 500).
    "DEFAULT_PARSER_CLASSES": [
        "channelhub.api.parsers.JSONParser",
        "channelhub.api.parsers.FormParser",
        "channelhub.api.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "channelhub.api.renderers.JSONRenderer",
        "channelhub.api.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_RATES": {"token": "20/min", "anon": "60/min"},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "ChannelHub API",
    "DESCRIPTION": _(
        "Partner relationship management API. Authenticate with `Authorization: Token <token>` "
        "(from POST /api/v1/auth/token/) or `Authorization: Api-Key <key>`. Users in several "
        "tenants choose one with the `X-Tenant` header (the tenant slug)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "channelhub.tenancy.roles.Role",
        "ApiKeyRoleEnum": "channelhub.tenancy.models.ApiKey.ROLE_CHOICES",
        # Each app adds its own (ChapterConfig.api_enums, collected by channelhub/api/urls.py).
    },
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# Django 6 behaviour now: a URL typed without a scheme is https.
FORMS_URLFIELD_ASSUME_HTTPS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --------------------------------------------------------------------------- sign-in protection
# (security issue 6, items 3 and 4; one block, kept together on purpose.)
# django-axes counts failed sign-ins on every surface that calls authenticate(request=…): the
# admin login, the portal login and the API token exchange. Failures count per account AND
# per client address, separately: ten wrong passwords for one user name (from any number of
# addresses) lock that account, and ten failures from one address (whatever user names it
# tries) lock that address. Either lock refuses even the right password until the cool-off
# has passed since the last counted failure, or an owner unlocks the account
# (channelhub.tenancy.lockout.lockout_clear). The address is REMOTE_ADDR, as for the public
# form's rate limits: X-Forwarded-For is never trusted.
INSTALLED_APPS += ["axes"]
# Last, so it sees the flag the backend sets and turns it into the lockout page.
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    # First: refuses locked-out sign-ins before the password is checked (axes' standalone backend).
    "channelhub.tenancy.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own, not the pair
# Stored in the database: shared by every web node, and rolled back with each test.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_USERNAME_CALLABLE = "channelhub.tenancy.lockout.username_of"
# A retry during the lockout does not push its end further out: the page's "15 minutes" holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success does not wipe the failures: otherwise one's own account would reset an address's count.
AXES_RESET_ON_SUCCESS = False
AXES_DISABLE_ACCESS_LOG = True  # no row per successful sign-in: failures are what matter here
AXES_ENABLE_ADMIN = False  # attempts are platform data, never shown in a tenant's admin
AXES_LOCKOUT_CALLABLE = "channelhub.tenancy.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Password-reset requests (portal): per client address and per e-mail address, per hour.
PASSWORD_RESET_PER_ADDRESS_PER_HOUR = int(os.environ.get("PASSWORD_RESET_PER_ADDRESS_PER_HOUR", "10"))
PASSWORD_RESET_PER_EMAIL_PER_HOUR = int(os.environ.get("PASSWORD_RESET_PER_EMAIL_PER_HOUR", "3"))
# --------------------------------------------------------------------------- end of sign-in protection

# --------------------------------------------------------------------------- response hardening
# (security issue 6: CSP and request-body caps; channelhub/security/csp.py and body_limit.py)
# Content-Security-Policy on every response while DEBUG is off (tests and production): no CDN,
# no inline script anywhere. Inline style attributes are not needed either (bar widths use the
# w-N classes of static/css/widths.css), so style-src stays 'self'.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
# The API docs' renderer (Swagger UI, vendored by drf-spectacular-sidecar) injects <style>
# elements at run time; only that page gets that, and its scripts still come from 'self' only
# (Swagger UI's init script is a separate request). There is no Redoc page: its bundle loads
# its logo from a CDN, and nothing here may.
CONTENT_SECURITY_POLICY_PATHS = {
    "/api/v1/docs/": {"style-src": "'self' 'unsafe-inline'"},
    # The admin frame (django-unfold) drives its pages with Alpine.js, which evaluates its
    # x-… attribute expressions with Function() ('unsafe-eval'; Alpine's CSP build cannot run
    # unfold's templates), and sets a few style attributes. Scripts still load from 'self'
    # only, so no injected <script> runs; autoescaping keeps markup (and x-… attributes) out of
    # data. Staff-only pages; the portal and public pages keep the strict policy.
    "/admin/": {"script-src": "'self' 'unsafe-eval'", "style-src": "'self' 'unsafe-inline'"},
}
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "channelhub.security.csp.ContentSecurityPolicyMiddleware",
)
# Bodies over these sizes (bytes, from Content-Length) are refused with 413 before anything
# reads them. The public application form takes a licence and ten certificates of 10 MB each.
MAX_REQUEST_BODY_BYTES = int(os.environ.get("MAX_REQUEST_BODY_BYTES", str(2_621_440)))
MAX_UPLOAD_BODY_BYTES = int(os.environ.get("MAX_UPLOAD_BODY_BYTES", str(25 * 1024 * 1024)))
MAX_REQUEST_BODY_BYTES_PATHS = {
    "/apply/": int(os.environ.get("MAX_APPLICATION_BODY_BYTES", str(111 * 1024 * 1024))),
}
# After locale (the 413 page is translated), before anything that reads the body (CSRF, forms).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1,
    "channelhub.security.body_limit.RequestBodyLimitMiddleware",
)
# --------------------------------------------------------------------------- end of response hardening

# --------------------------------------------------------------------------------------
# The admin frame (django-unfold): everything it shows is ours or vendored by it; nothing
# loads from outside. Callables are resolved per request (title in the reader's language,
# sidebar with the person's lists and work-queue badges).
# --------------------------------------------------------------------------------------
UNFOLD = {
    "SITE_TITLE": "channelhub.admin.frame.site_title",
    "SITE_HEADER": "channelhub.admin.frame.site_header",
    "SITE_SUBHEADER": "channelhub.admin.frame.site_subheader",
    "SITE_URL": "/",
    "SITE_SYMBOL": "hub",
    "SITE_FAVICONS": [{"rel": "icon", "type": "image/svg+xml", "href": "channelhub.admin.frame.favicon"}],
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": True,
    "SHOW_BACK_BUTTON": True,
    "STYLES": ["channelhub.admin.frame.styles", "channelhub.admin.frame.widths"],
    "SCRIPTS": ["channelhub.admin.frame.scripts"],
    "COLORS": {
        # The brand green (Tailwind's emerald scale), as the portal uses it.
        "primary": {
            "50": "oklch(97.9% .021 166.113)",
            "100": "oklch(95% .052 163.051)",
            "200": "oklch(90.5% .093 164.15)",
            "300": "oklch(84.5% .143 164.978)",
            "400": "oklch(76.5% .177 163.223)",
            "500": "oklch(69.6% .17 162.48)",
            "600": "oklch(59.6% .145 163.225)",
            "700": "oklch(50.8% .118 165.612)",
            "800": "oklch(43.2% .095 166.913)",
            "900": "oklch(37.8% .077 168.94)",
            "950": "oklch(26.2% .051 172.552)",
        },
    },
    "DASHBOARD_CALLBACK": "channelhub.admin.frame.dashboard",
    "SIDEBAR": {
        "show_search": True,
        "command_search": True,
        "show_all_applications": False,
        "navigation": "channelhub.admin.frame.sidebar",
    },
    "COMMAND": {
        "search_models": False,  # unfold's model search would cache results per user, not per tenant
        "search_callback": "channelhub.admin.frame.command_search",
        "show_history": False,
    },
}
