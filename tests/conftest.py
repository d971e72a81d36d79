from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

TEST_DATA = Path(__file__).parent / "data"
DAY_FILES = TEST_DATA / "hf_daily_papers"
SEED_FILE = TEST_DATA / "seed_papers.json"


def pytest_collection_modifyitems(config, items):
    """scripts/test (what CI runs) runs the whole suite on SQLite and then on
    PostgreSQL. Tests marked postgres_only run only on PostgreSQL; tests
    marked no_database (the same whatever the database) only on the first run."""
    from django.db import connection

    unwanted = "no_database" if connection.vendor == "postgresql" else "postgres_only"
    left = [item for item in items if item.get_closest_marker(unwanted)]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = [item for item in items if item not in left]


def shared_data() -> Path:
    """The full real data set (../shared/data), present on developer machines and CI."""
    path = settings.SHARED_DATA_DIR
    if not (path / "hf_daily_papers").is_dir():
        pytest.fail(f"the shared real data is missing at {path} (set DAILYPAPERS_SHARED_DATA)")
    return path


@pytest.fixture
def day_files(tmp_path: Path) -> Path:
    """A writable copy of the test day files, for tests that corrupt some."""
    target = tmp_path / "hf_daily_papers"
    shutil.copytree(DAY_FILES, target)
    return target


@pytest.fixture
def imported(db):
    """The saved page and the test day files, imported."""
    from dailypapers.ingest.services import daily_papers_import, seed_import

    seed_import(path=SEED_FILE, show_progress=False)
    daily_papers_import(paths=[DAY_FILES], show_progress=False)


def load_day(name: str) -> list[dict]:
    return json.loads((DAY_FILES / f"{name}.json").read_text())


def load_seed() -> list[dict]:
    return json.loads(SEED_FILE.read_text())["papers"]


@pytest.fixture(autouse=True)
def _mail_kept_in_memory(settings):
    # Django's test environment keeps sent mail in memory (mail.outbox);
    # what the site's outbox delivers goes there too, unless a test says.
    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Hashed static names need `collectstatic` first, which `dailypapers run`
    # does; tests serve the files as they are in the source tree.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request, django_db_blocker):
    # Rate-limit counts and cached pages live in database cache tables, which
    # a transactional test's flush does not empty (they are not a model's
    # tables): without this, sign-ups in one browser test would count against
    # the next, and its pages show the last one's papers.
    yield
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        from django.core.cache import caches

        with django_db_blocker.unblock():
            for cache in caches.all():
                cache.clear()


@pytest.fixture(autouse=True)
def _own_index_dir(settings, tmp_path):
    """Each test has its own vector index folder: an index one test built must
    not change what another one's pages show or query."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """What a process keeps about the stored data (how many papers hold a
    word) describes another collection in each test's database."""
    from dailypapers.core.cache import forget_all

    forget_all()


@pytest.fixture
def live_site(transactional_db, live_server):
    from dailypapers.ingest.services import daily_papers_import, seed_import

    seed_import(path=SEED_FILE, show_progress=False)
    daily_papers_import(paths=[DAY_FILES], show_progress=False)
    return live_server.url


@pytest.fixture
def paper(db):
    """A paper featured on FEATURED_AT's day."""
    from tests.factories import FEATURED_AT, make_paper

    return make_paper("2510.06217", title="Attention is all you need again", day=FEATURED_AT.date())


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("ada", "ada@example.org", "correct horse 42")


@pytest.fixture
def other(django_user_model):
    return django_user_model.objects.create_user("bob", "bob@example.org", "correct horse 43")


def _member_of(group: str, username: str):
    """A fixture: a member of ``group`` (community.roles)."""

    @pytest.fixture
    def member_of(django_user_model):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.org", f"correct horse {username}"
        )
        user.groups.add(Group.objects.get(name=group))
        return user

    return member_of


curator = _member_of("Curators", "cura")
moderator = _member_of("Moderators", "mod")


@pytest.fixture
def corpus(db):
    """A few papers whose words and meanings tests can rely on."""
    from tests.factories import add_paper

    return {
        "mi": add_paper(
            "2501.00001",
            "Estimating mutual information with neural networks",
            "We propose an estimator of mutual information between high-dimensional variables.",
            authors=("Claude Shannon", "Ada Lovelace"),
            categories=("cs.IT", "cs.LG"),
            published="2025-01-10",
            code_url="https://github.com/a/mi",
        ),
        "rate": add_paper(
            "2502.00002",
            "Rate-distortion theory for language models",
            "Information theory meets large language models through rate distortion.",
            authors=("Thomas Cover",),
            categories=("cs.IT",),
            published="2025-02-10",
        ),
        "vision": add_paper(
            "2503.00003",
            "Segmenting cells in microscopy images",
            "A convolutional network segments biological cells in fluorescence microscopy.",
            authors=("Grace Hopper",),
            categories=("cs.CV",),
            published="2025-03-10",
            upvotes=50,
        ),
        "rl": add_paper(
            "2504.00004",
            "Policy optimisation for robot control",
            "Reinforcement learning trains robots to grasp objects; estimation of value functions.",
            authors=("Richard Sutton",),
            categories=("cs.RO", "cs.LG"),
            published="2025-04-10",
            code_url="https://gitlab.com/b/rl",
        ),
    }
