"""Settings for the LLM comparison site: one module, driven by the environment.

Every value that differs between a laptop and production comes from an environment
variable; the defaults are safe for local development (SQLite, DEBUG on only when
asked for).
"""

import os
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers as cors_default_headers

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("DJANGO_REQUIRE_SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in production.")
    # Development only: a fixed, clearly-insecure key so `make run` works offline.
    SECRET_KEY = "django-insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "catalog",
    "comparisons",
    "sitecache",
    "api",
    "pricewatch",
]

MIDDLEWARE = [
    "config.middleware.ServerTimingMiddleware",
    # Outside SecurityMiddleware, so its HTTP -> HTTPS redirect carries these headers too.
    "config.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Answers CORS preflights before anything else runs (django-cors-headers; /api/ only).
    "corsheaders.middleware.CorsMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache, so cached pages are compressed too (config.middleware).
    "config.middleware.ResponseCompressionMiddleware",
    "sitecache.middleware.CatalogPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "api.middleware.RateLimitHeadersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# A database that stops answering costs a request seconds, not a worker: connecting gives
# up after DB_CONNECT_TIMEOUT seconds, a statement after DB_STATEMENT_TIMEOUT seconds (0:
# no limit; raise it for long maintenance commands), and the error is answered with the
# outage 503 (config.middleware.DatabaseUnavailableMiddleware).
DB_CONNECT_TIMEOUT = int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
DB_STATEMENT_TIMEOUT = float(os.environ.get("DB_STATEMENT_TIMEOUT", "10"))
# On PostgreSQL a watchdog also ends, from the client side, a statement a silent server
# leaves unanswered for DB_STATEMENT_TIMEOUT + DB_WATCHDOG_GRACE seconds (config.postgresql;
# the server's own statement_timeout cannot fire when the server has stopped answering).
DB_WATCHDOG_GRACE = float(os.environ.get("DB_WATCHDOG_GRACE", "3"))
# On PostgreSQL the reads every uncached page runs (catalog.prepared) are prepared
# statements, planned once per connection. Turn off behind a pooler in transaction mode
# that does not keep prepared statements per client (PgBouncer before 1.21).
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", True)


def with_timeouts(database: dict) -> dict:
    """`database` with DB_CONNECT_TIMEOUT and DB_STATEMENT_TIMEOUT applied: PostgreSQL's
    connect_timeout and statement_timeout (a startup option, so no query per connection;
    with it jit=off), SQLite's `timeout` (how long a statement waits for a locked
    database)."""
    options = database.setdefault("OPTIONS", {})
    engine = database.get("ENGINE", "")
    if "postgresql" in engine or "postgis" in engine:
        if engine == "django.db.backends.postgresql":
            database["ENGINE"] = "config.postgresql"  # adds the statement watchdog
        options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
        # A peer that vanished (host down, network cut) is noticed in about 30 s even on
        # an idle pooled connection, and unacknowledged writes give up after 10 s.
        options.setdefault("keepalives", 1)
        options.setdefault("keepalives_idle", 15)
        options.setdefault("keepalives_interval", 5)
        options.setdefault("keepalives_count", 3)
        options.setdefault("tcp_user_timeout", 10_000)
        startup = []
        if DB_STATEMENT_TIMEOUT > 0:
            startup.append(f"-c statement_timeout={int(DB_STATEMENT_TIMEOUT * 1000)}")
        # No JIT compilation: the site's queries read a few rows each, but a correlated
        # subquery (a model's cheapest price) inflates the planner's estimate past the
        # JIT threshold, and compiling then cost 90 ms of a 15 ms admin search (issue
        # #19, bench/admin_timings.py). Set PG_JIT=1 to leave the server's setting.
        if not env_bool("PG_JIT", False):
            startup.append("-c jit=off")
        if startup:
            options["options"] = " ".join([options.get("options", ""), *startup]).strip()
    elif "sqlite3" in engine and DB_STATEMENT_TIMEOUT > 0:
        options.setdefault("timeout", DB_STATEMENT_TIMEOUT)
    return database


DATABASES = {
    "default": with_timeouts(
        dj_database_url.config(
            default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
            # Checked before the first query of each request on a reused connection. On
            # PostgreSQL an idle connection with nothing to read passes without a round
            # trip; one the server ended gets Django's `SELECT 1` (config.postgresql).
            # Off, a connection the server dropped answers one request with the outage
            # 503 (and is then replaced) instead of being replaced silently.
            conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
        )
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# The cache's size is bounded, so a flood of distinct URLs evicts pages rather than
# growing memory: a cache in process memory (and Redis's outage fallback) keeps at most
# CACHE_MAX_ENTRIES entries, and no page or API body over PAGE_CACHE_MAX_ENTRY_BYTES is
# stored (it is served uncached). Redis is bounded by its own `maxmemory` with an LRU
# eviction policy (README, "Speed, caching and scaling out").
CACHE_MAX_ENTRIES = int(os.environ.get("CACHE_MAX_ENTRIES", "1000"))
PAGE_CACHE_MAX_ENTRY_BYTES = int(os.environ.get("PAGE_CACHE_MAX_ENTRY_BYTES", str(1024 * 1024)))


def redis_cache(location: str) -> dict:
    """The cache Redis at `location` gives every worker and host. While Redis is
    unreachable (refused, or silent for REDIS_TIMEOUT_SECONDS) each process serves from
    its own memory instead of failing, and tries Redis again every
    REDIS_OUTAGE_RETRY_SECONDS (sitecache.backends)."""
    timeout = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5"))
    return {
        "BACKEND": "sitecache.backends.FailoverRedisCache",
        "LOCATION": location,
        "OUTAGE_RETRY_SECONDS": float(os.environ.get("REDIS_OUTAGE_RETRY_SECONDS", "5")),
        "FALLBACK_MAX_ENTRIES": CACHE_MAX_ENTRIES,
        # Pages and API answers each process keeps decoded (sitecache.backends).
        "KEPT_MAX_BYTES": int(os.environ.get("CACHE_KEPT_MAX_BYTES", str(64 * 1024 * 1024))),
        "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
    }


if os.environ.get("REDIS_URL"):
    CACHES = {"default": redis_cache(os.environ["REDIS_URL"])}
else:
    CACHES = {
        "default": {
            "BACKEND": "sitecache.backends.LocalMemoryCache",
            "OPTIONS": {"MAX_ENTRIES": CACHE_MAX_ENTRIES},
        }
    }

# Worker processes per host (gunicorn reads the same variable). With more than one, a
# cache in each process's memory is reported by `manage.py check` (sitecache.checks).
WEB_CONCURRENCY = int(os.environ.get("WEB_CONCURRENCY") or "1")

# Whole-page cache for anonymous visitors, keyed on the catalog version (sitecache).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "86400"))
# The build of the code, part of every cached page's and API answer's key and ETag, so a
# deploy never serves what the previous build rendered (sitecache.build). Unset: a digest
# of the source files, computed once per process.
BUILD_ID = os.environ.get("BUILD_ID", "")
# How long a shared cache's copy of the catalog version lives before a hit reads the
# database again (sitecache.versioning): the bound on how long it can be wrong after a
# failure between a bump and its copy.
PAGE_CACHE_VERSION_SECONDS = float(os.environ.get("PAGE_CACHE_VERSION_SECONDS", "10"))
PAGE_CACHE_EXCLUDED_PREFIXES = ["/admin/", "/static/", "/api/"]
# Browsers and CDNs revalidate every time; a revalidation is a cheap 304.
PAGE_CACHE_CONTROL = os.environ.get("PAGE_CACHE_CONTROL", "public, max-age=0, must-revalidate")

# Responses under these paths are never compressed (BREACH: the admin carries an
# editor's session and CSRF tokens); see config.middleware.ResponseCompressionMiddleware.
COMPRESSION_EXCLUDED_PREFIXES = ["/admin/"]

# A record not reviewed for this many days is "stale" in the admin.
CATALOG_STALE_AFTER_DAYS = int(os.environ.get("CATALOG_STALE_AFTER_DAYS", "30"))
# Imports refuse larger files before reading them (a models.dev tree counts its .toml
# files together).
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
PRICE_WATCH_TOLERANCE = os.environ.get("PRICE_WATCH_TOLERANCE", "0")  # relative, e.g. 0.01
# Where an admin upload waits between preview and confirm (the system temp folder when
# empty). With several app hosts, or task workers on other hosts, point it at storage
# they share.
IMPORT_STAGING_DIR = os.environ.get("IMPORT_STAGING_DIR", "")

# Background tasks (django-tasks): an admin import's preview and apply run as tasks
# (catalog.tasks), outside the request. In production they wait in the database for a
# worker, `python manage.py db_worker` (README, "Import workers"). With DEBUG (`make run`)
# they run at once inside the request that enqueues them, so no worker is needed; set
# TASKS_BACKEND to a backend's dotted path to choose another.
IMMEDIATE_TASK_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"
DATABASE_TASK_BACKEND = "django_tasks_db.DatabaseBackend"
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND")
        or (IMMEDIATE_TASK_BACKEND if DEBUG else DATABASE_TASK_BACKEND),
    }
}

# Public site identity. SITE_URL (scheme://host[:port], no path) is the one source of
# absolute URLs: canonical and Open Graph links, sitemaps, the feed, robots.txt and API
# `next` links (sitecache.site_url); never the request's Host, which a visitor chooses
# among ALLOWED_HOSTS and which would otherwise end up in cached pages.
SITE_NAME = os.environ.get("SITE_NAME", "LLM Compare")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Proxies in front of the app (load balancer, CDN) that append the address they saw to
# X-Forwarded-For. API throttles and sign-in lockout count per client address
# (sitecache.client_address): the entry this many hops from the end of the header. 0, the
# default, ignores the header, which anyone can send. API_NUM_PROXIES and
# LOGIN_TRUST_X_FORWARDED_FOR=1 (one proxy) are older names for the same setting.
NUM_PROXIES = int(
    os.environ.get("NUM_PROXIES")
    or os.environ.get("API_NUM_PROXIES")
    or ("1" if env_bool("LOGIN_TRUST_X_FORWARDED_FOR") else "0")
)

# The partner API (api app): read-only, anonymous or with a partner key.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonymousRateThrottle",
        "api.throttling.PartnerRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "60/min"),
        "partner": os.environ.get("API_PARTNER_RATE", "1200/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "api.pagination.KeysetPagination",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    # Unused by our throttles (they count per sitecache.client_address); set for any DRF
    # code that reads it, so both agree.
    "NUM_PROXIES": NUM_PROXIES,
}
# Browsers may call the read-only API from other sites (django-cors-headers, under /api/
# only; pages, the admin and their cookies are never shared). API_CORS_ALLOWED_ORIGINS:
# comma-separated origins ("https://app.partner.example"), or "*" (the default) for any.
# Keys travel in a header, never a cookie, so no credentials mode is needed.
API_CORS_ALLOWED_ORIGINS = env_list("API_CORS_ALLOWED_ORIGINS", "*")
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = "*" in API_CORS_ALLOWED_ORIGINS
CORS_ALLOWED_ORIGINS = [origin for origin in API_CORS_ALLOWED_ORIGINS if origin != "*"]
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = [
    *cors_default_headers,
    "x-api-key",
    "if-none-match",
    "if-modified-since",
]
# What a script may read of an answer besides the CORS-safelisted headers.
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Last-Modified",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
]
# Switches the API throttles off (loopback load tests only: bench/run.py, bench/load.py).
API_THROTTLE_DISABLED = env_bool("API_THROTTLE_DISABLED", False)
# Cache-Control max-age of API responses (public catalog data), in seconds.
API_CACHE_MAX_AGE = int(os.environ.get("API_CACHE_MAX_AGE", "300"))

SPECTACULAR_SETTINGS = {
    "TITLE": "LLM Compare catalog API",
    "DESCRIPTION": "Read-only catalog of LLMs, providers, prices and benchmarks.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # One name for the choices both offering limit sources share.
    "ENUM_NAME_OVERRIDES": {"LimitSourceEnum": "catalog.models.LimitSource"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Production hardening; each is configurable because TLS may end at a proxy.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL", False) else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (config.middleware.SecurityHeadersMiddleware): no inline code
# anywhere; the admin needs none. The API docs pages (Swagger UI, ReDoc) ship an inline
# <style> and set style attributes, so only those paths get 'unsafe-inline' (for scripts
# too, unless the docs use drf-spectacular's SpectacularSwaggerSplitView).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
_API_DOCS_CSP = {
    "script-src": "'self' 'unsafe-inline'",
    "style-src": "'self' 'unsafe-inline'",
    "worker-src": "'self' blob:",
}
CSP_PATH_OVERRIDES = {"/api/docs/": _API_DOCS_CSP, "/api/redoc/": _API_DOCS_CSP}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Paths answered in JSON (errors included) rather than HTML.
API_PATH_PREFIX = "/api/"
# When the database is unreachable pages answer 503 with this Retry-After (seconds).
DATABASE_UNAVAILABLE_RETRY_AFTER = int(os.environ.get("DATABASE_UNAVAILABLE_RETRY_AFTER", "30"))

# Admin sign-in throttling (config.security): after this many failures for one username
# from one address (or many usernames from one address) within the window, sign-in is
# refused for the cooldown. Counters live in the cache: set REDIS_URL so every worker
# shares them.
LOGIN_FAILURES_PER_USER_AND_IP = int(os.environ.get("LOGIN_FAILURES_PER_USER_AND_IP", "5"))
LOGIN_FAILURES_PER_IP = int(os.environ.get("LOGIN_FAILURES_PER_IP", "50"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))
# Behind a reverse proxy, set NUM_PROXIES so throttling counts per client rather than per
# proxy.
