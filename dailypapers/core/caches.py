"""The caches every app process shares (settings.CACHES).

"default" holds rate-limit and login-throttle counts; "pages" the pages kept
for visitors who are not signed in (pages/page_cache.py). Both are tables in
the database unless ``url`` names a Redis server, as it should with several
app servers.

django-ratelimit prefers a cache with atomic increments (Redis); the
database cache counts by read-then-write, so simultaneous requests of one
user may each miss the other's hit and exceed a limit by at most their own
number. That keeps a limit's purpose (bounding abuse) without adding a
server to the embedded default (settings silence django-ratelimit's check).
"""

from __future__ import annotations

DATABASE = "django.core.cache.backends.db.DatabaseCache"
REDIS = "django.core.cache.backends.redis.RedisCache"


def shared_caches(*, url: str, page_seconds: int, page_entries: int) -> dict:
    if url:
        redis = {"BACKEND": REDIS, "LOCATION": url}
        return {
            "default": {**redis, "KEY_PREFIX": "dp"},
            "pages": {**redis, "KEY_PREFIX": "dp-pages", "TIMEOUT": page_seconds},
        }
    return {
        "default": {"BACKEND": DATABASE, "LOCATION": "dailypapers_cache"},
        # A table of its own: culling it when full must not drop rate-limit counts.
        "pages": {
            "BACKEND": DATABASE,
            "LOCATION": "dailypapers_pages",
            "TIMEOUT": page_seconds,
            "OPTIONS": {"MAX_ENTRIES": page_entries, "CULL_FREQUENCY": 4},
        },
    }
