"""Settings, all read from the environment.

The embedded default needs nothing: a data directory (``DAILYPAPERS_DATA_DIR``,
default ``./data``) holds the SQLite database and a generated secret key.
Production sets ``DATABASE_URL`` (PostgreSQL) and ``SECRET_KEY``; the code is
the same. Every variable is listed in docs/configuration.md.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from whitenoise.compress import Compressor

from dailypapers.core import secret_key
from dailypapers.core.caches import shared_caches
from dailypapers.core.env import env_bool, env_choice, env_float, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent

DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(env_str("DAILYPAPERS_DATA_DIR", "data")).resolve()
# Real data imported on the first start of the embedded default.
SHARED_DATA_DIR = Path(
    env_str("DAILYPAPERS_SHARED_DATA", str(REPO_DIR.parent / "shared" / "data"))
).resolve()

DATABASE_URL = env_str("DATABASE_URL")
EMBEDDED = not DATABASE_URL

SECRET_KEY = secret_key.resolve(
    env_value=env_str("SECRET_KEY"), debug=DEBUG, embedded=EMBEDDED, data_dir=DATA_DIR
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = env_str("SITE_NAME", "Daily Papers")
# Absolute root used in emails and feeds, where there is no request to ask.
SITE_ROOT = env_str("SITE_ROOT", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.syndication",
    "django_htmx",
    "django_ratelimit",
    "ninja",
    "csp",
    # Before allauth: its templates restyle allauth's pages.
    "dailypapers.pages",
    "allauth",
    "allauth.account",
    # The apps, lowest layer first (docs/architecture.md); scheduled jobs
    # run in this order when several are due.
    "dailypapers.mail",
    "dailypapers.accounts",
    "dailypapers.papers",
    "dailypapers.ingest",
    "dailypapers.search",
    "dailypapers.community",
    "dailypapers.library",
    "dailypapers.digests",
    "dailypapers.syndication",
    "dailypapers.api",
    "dailypapers.server",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Inside CSRF (a served page may set its cookie) and conditional GET (304
    # from its ETag), before all that a cached page does not need.
    "dailypapers.pages.page_cache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Turns a rate limit hit anywhere into RATELIMIT_VIEW's 429.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "dailypapers.urls"
WSGI_APPLICATION = "dailypapers.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

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
                "dailypapers.pages.context_processors.site",
                "dailypapers.pages.page_cache.csrf_placeholder",
            ],
        },
    },
]


def _database() -> dict:
    if DATABASE_URL:
        return dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "dailypapers.sqlite3",
        "OPTIONS": {
            # WAL lets the web processes read while the worker writes; IMMEDIATE
            # takes the write lock at BEGIN so two writers queue on the busy
            # timeout instead of failing with "database is locked" mid-transaction.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA cache_size=-32000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20, minimum=1),
        },
        # Kept between requests: opening one cost more than a cached page.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        # Tests use a file in the data directory, not Django's in-memory default:
        # connections (threads, the live server) then share real locking and WAL.
        "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches shared by every app process (core/caches.py): database tables
# (`dailypapers run` creates them), or Redis with CACHE_URL=redis://host:port/db.
CACHE_URL = env_str("CACHE_URL")
# The longest a page is kept; the site's own changes show at once anyway.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600, minimum=0)
PAGE_CACHE_MAX_ENTRIES = env_int("PAGE_CACHE_MAX_ENTRIES", 5_000, minimum=100)
CACHES = shared_caches(
    url=CACHE_URL, page_seconds=PAGE_CACHE_SECONDS, page_entries=PAGE_CACHE_MAX_ENTRIES
)
# Rate limits on the database cache: why that is enough, core/caches.py.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# Limits per client address: behind this many reverse proxies (each appending
# to X-Forwarded-For), the address the nearest one saw; 0 trusts no header.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
RATELIMIT_IP_META_KEY = "dailypapers.core.ratelimit.client_ip"
ACCOUNT_ADAPTER = "dailypapers.accounts.adapter.AccountAdapter"

# Accounts (django-allauth): sign-up by email with a mandatory verification
# link, sign-in by username or email, password reset; answers never reveal
# whether an email has an account.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "papers:feed"
ACCOUNT_LOGOUT_REDIRECT_URL = "papers:feed"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if env_bool("SECURE_PROXY_SSL_HEADER", False) else "http"
# allauth's format: "<count>/<period><unit>/<key>"; "ip" per client address,
# "key" per account or email. Login throttling is the login_failed limit.
ACCOUNT_RATE_LIMITS = {
    "login": env_str("RATE_LIMIT_LOGIN", "30/m/ip"),
    "login_failed": env_str("RATE_LIMIT_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    "signup": env_str("RATE_LIMIT_SIGNUP", "10/h/ip"),
    "reset_password": env_str("RATE_LIMIT_PASSWORD_RESET", "20/m/ip,5/h/key"),
    "confirm_email": "1/3m/key",
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Static files get hashed names from `collectstatic`, which `dailypapers run`
# does when they changed (server/static_files.py); a production install runs
# it after each upgrade (docs/operations.md). Tests use plain storage
# (tests/conftest.py). Source maps, read by developer tools alone, are not
# compressed: that took most of collectstatic's time.
WHITENOISE_MANIFEST_STRICT = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

# Email: every message goes through the outbox (dailypapers/mail), which
# keeps it until delivered: at once if the server answers, else by the
# worker, with retries. Delivery is SMTP when EMAIL_HOST is set, otherwise a
# file in the data directory for each message, so an operator can read it.
EMAIL_BACKEND = "dailypapers.mail.backend.OutboxBackend"
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 8, minimum=1)
MAIL_RETRY_SECONDS = env_float("MAIL_RETRY_SECONDS", 60.0, minimum=0)
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
else:
    MAIL_DELIVERY_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "sent-mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Sent only on HTTPS responses (SecurityMiddleware), so plain-HTTP installs are
# unaffected.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
# No inline script or style anywhere: every script is a static file, htmx is
# configured (base.html) not to inject its indicator style or evaluate code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True
# Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER=1 so Django
# trusts X-Forwarded-Proto and marks cookies secure.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Feed pages.
FEED_PAGE_SIZE = env_int("DAILYPAPERS_FEED_PAGE_SIZE", 50, minimum=1)

# arXiv ingest. arXiv asks for one connection and 3 s between requests.
ARXIV_API_URL = env_str("ARXIV_API_URL", "https://export.arxiv.org/api/query")
ARXIV_OAI_URL = env_str("ARXIV_OAI_URL", "https://oaipmh.arxiv.org/oai")
ARXIV_MIN_INTERVAL = env_float("ARXIV_MIN_INTERVAL", 3.0, minimum=0)
ARXIV_RETRIES = env_int("ARXIV_RETRIES", 5, minimum=0)
ARXIV_BACKOFF = env_float("ARXIV_BACKOFF", 5.0, minimum=0)
ARXIV_CONTACT_EMAIL = env_str("ARXIV_CONTACT_EMAIL")
# Categories the daily ingest follows; their new papers become candidates.
ARXIV_CATEGORIES = env_list("ARXIV_CATEGORIES", ["cs.AI", "cs.CL", "cs.CV", "cs.LG"])
# The daily ingest runs at this UTC time, after arXiv's announcement (20:00 US
# Eastern), and looks back this many days so late or re-dated records are caught.
ARXIV_INGEST_AT = env_str("ARXIV_INGEST_AT", "02:00")
# A file of arXiv metadata records (the snapshot's layout) that the worker
# reads once to give the papers the site has arXiv's categories, authors and
# dates (the Daily Papers files have none of these); new papers are not
# added from it. Empty: none. Default: the one in the shared data, if there.
_metadata = env_str(
    "ARXIV_METADATA_FILE", str(SHARED_DATA_DIR / "arxiv" / "arxiv_cs_2025-03_2026-07.jsonl.gz")
)
ARXIV_METADATA_FILE = Path(_metadata) if _metadata else None
ARXIV_INGEST_LOOKBACK_DAYS = env_int("ARXIV_INGEST_LOOKBACK_DAYS", 3, minimum=1)
# Search. Vectors are embedded in the background by the worker; until they
# exist search is keyword-only and says so.
SEARCH_EMBEDDINGS = env_bool("SEARCH_EMBEDDINGS", True)
# The indexes the worker publishes and app processes read; app servers with
# data directories of their own share one folder (docs/operations.md).
SEARCH_INDEX_DIR = Path(env_str("SEARCH_INDEX_DIR", str(DATA_DIR / "search"))).resolve()
# Fusion: "distribution" (scores on their list's mean +- 3 deviations, mixed
# with SEARCH_VECTOR_WEIGHT), "weighted" (min-max, mixed the same way) or "rrf"
# (reciprocal rank, k=60); chosen by measurement (docs/search-quality.md).
SEARCH_FUSION = env_choice("SEARCH_FUSION", "distribution", ("distribution", "weighted", "rrf"))
SEARCH_VECTOR_WEIGHT = env_float("SEARCH_VECTOR_WEIGHT", 0.5, minimum=0)
# Candidates taken from each index before fusion.
SEARCH_CANDIDATES = env_int("SEARCH_CANDIDATES", 100, minimum=10)
# Cosine similarity under which a paper found by meaning alone is not shown
# (calibrated for the shipped model on nonsense queries and the judged
# collections: docs/search-quality.md); 0 shows every neighbour.
SEARCH_VECTOR_FLOOR = env_float("SEARCH_VECTOR_FLOOR", 0.4, minimum=0)
# Pseudo relevance feedback of a hybrid search: the query's vector moved this
# share of the way to the mean of the first ranking's best few papers' vectors,
# then searched again (docs/search-quality.md); 0 papers turns it off.
SEARCH_FEEDBACK_DOCS = env_int("SEARCH_FEEDBACK_DOCS", 4, minimum=0)
SEARCH_FEEDBACK_WEIGHT = env_float("SEARCH_FEEDBACK_WEIGHT", 0.4, minimum=0, maximum=1)
# Below this many vectors the index is an exact scan; above, an approximate
# one (IVF-PQ: k-means cells of 4-bit codes, SEARCH_IVF_NPROBE of them scanned
# a query, the best candidates re-ranked exactly; search/vectors/index.py).
SEARCH_ANN_MIN_VECTORS = env_int("SEARCH_ANN_MIN_VECTORS", 50_000, minimum=1)
SEARCH_IVF_NPROBE = env_int("SEARCH_IVF_NPROBE", 320, minimum=1)
# Keyword search ranks at most about this many matching postings (PostgreSQL
# a third of it): past it, papers holding every query word come first, then
# the ranking of the rarer words (search/backends/budget.py). 0 turns the
# budget off. See docs/search-quality.md.
SEARCH_POSTINGS_BUDGET = env_int("SEARCH_POSTINGS_BUDGET", 30_000, minimum=0)
# Relative weights of the title, the text (title and abstract) and the authors
# in keyword ranking, chosen on the judged collections (docs/search-quality.md).
SEARCH_FIELD_WEIGHTS = tuple(float(w) for w in env_list("SEARCH_FIELD_WEIGHTS", ["1", "1", "1"]))
# A keyword index the worker keeps beside the database (tantivy, in
# SEARCH_INDEX_DIR/keywords) ranks queries past the postings budget exactly
# instead of in part (search/backends/keyword_index.py).
SEARCH_KEYWORD_INDEX = env_bool("SEARCH_KEYWORD_INDEX", True)

# "For you" (library/): papers featured or published in the last
# FOR_YOU_DAYS days, at most FOR_YOU_CANDIDATES of each kind, ranked by the
# member's model (its newest FOR_YOU_MAX_SIGNALS positives; scores are
# cosines, within -1 and 1). A followed author's paper gains 2, so comes
# before any other; a followed category's paper gains FOR_YOU_CATEGORY_BONUS,
# a nudge (a category holds thousands of papers a month).
FOR_YOU_DAYS = env_int("FOR_YOU_DAYS", 30, minimum=1)
FOR_YOU_CANDIDATES = env_int("FOR_YOU_CANDIDATES", 2000, minimum=10)
FOR_YOU_MAX_SIGNALS = env_int("FOR_YOU_MAX_SIGNALS", 5000, minimum=1)
FOR_YOU_CATEGORY_BONUS = env_float("FOR_YOU_CATEGORY_BONUS", 0.1, minimum=0)
# A member's digest has a "For you" section of at most this many papers (0: none).
DIGEST_FOR_YOU = env_int("DIGEST_FOR_YOU", 5, minimum=0)

# Community. Rate limits are "<count>/<unit>" per signed-in user (django-ratelimit).
RATE_LIMIT_VOTE = env_str("RATE_LIMIT_VOTE", "120/m")
RATE_LIMIT_COMMENT = env_str("RATE_LIMIT_COMMENT", "10/m")
RATE_LIMIT_SUBMIT = env_str("RATE_LIMIT_SUBMIT", "20/h")
RATELIMIT_VIEW = "dailypapers.pages.errors.rate_limited"
# Submissions: how many papers one user may submit per day, and how old (by
# arXiv publication) a paper may be before only curators can feature it.
SUBMISSION_DAILY_CAP = env_int("SUBMISSION_DAILY_CAP", 5, minimum=0)
SUBMISSION_MAX_AGE_DAYS = env_int("SUBMISSION_MAX_AGE_DAYS", 14, minimum=0)
# Trending (papers.trending, the "About ranking" page): a paper's engagement,
# upvotes plus TRENDING_COMMENT_WEIGHT per comment, halves in value every
# TRENDING_HALF_LIFE_HOURS after it was first featured. After changing either,
# run `dailypapers trending`.
TRENDING_HALF_LIFE_HOURS = env_float("TRENDING_HALF_LIFE_HOURS", 36.0, minimum=1)
TRENDING_COMMENT_WEIGHT = env_float("TRENDING_COMMENT_WEIGHT", 2.0, minimum=0)
COMMENT_MAX_LENGTH = 10_000

# Email digests (digests/): how many trending papers by default, how many
# filter matches at most, the local hour they go out after their period, the
# sending pace, retries of temporary SMTP failures (exponential from
# DIGEST_RETRY_SECONDS), how long a worker's claim on a message lasts, and the
# shared secret of the bounce webhook (unset: the webhook refuses everything).
DIGEST_TOP_N = env_int("DIGEST_TOP_N", 10, minimum=0)
DIGEST_MAX_MATCHES = env_int("DIGEST_MAX_MATCHES", 20, minimum=0)
DIGEST_SEND_HOUR = env_int("DIGEST_SEND_HOUR", 7, minimum=0)
DIGEST_MAX_PER_SECOND = env_float("DIGEST_MAX_PER_SECOND", 50.0, minimum=0)
DIGEST_MAX_ATTEMPTS = env_int("DIGEST_MAX_ATTEMPTS", 8, minimum=1)
DIGEST_RETRY_SECONDS = env_float("DIGEST_RETRY_SECONDS", 60.0, minimum=0)
DIGEST_LEASE_SECONDS = env_int("DIGEST_LEASE_SECONDS", 300, minimum=1)
DIGEST_WEBHOOK_SECRET = env_str("DIGEST_WEBHOOK_SECRET")
RATE_LIMIT_SUBSCRIBE = env_str("RATE_LIMIT_SUBSCRIBE", "10/h")

# `dailypapers run` starts the worker for scheduled jobs unless this is off.
RUN_WORKER = env_bool("DAILYPAPERS_RUN_WORKER", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # faiss announces which CPU build it loaded, at INFO, in every process.
        "faiss": {"level": "WARNING"},
    },
}
