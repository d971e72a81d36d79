"""The production layout of docs/operations.md, for real: PostgreSQL and Redis,
two app servers and one worker, each a process with a data directory of its
own. A vote or a comment made on one app server shows on the other's cached
pages at the next request; the worker embeds the papers, and both app
servers search by meaning without a restart: app server A reads the indexes
the worker builds on a volume they share, app server B shares no volume and
its own `dailypapers index --follow --loop` builds them from the database."""

from __future__ import annotations

import http.client
import re
import subprocess
import time
from urllib.parse import urlsplit

import httpx
import pytest
import redis

from dailypapers.search.vectors.embeddings import MODEL_NAME
from dailypapers.search.vectors.index import read_meta
from tests.conftest import shared_data
from tests.processes import Site, free_port, scratch_database, wait_until_up

pytestmark = [pytest.mark.slow, pytest.mark.postgres_only]

REDIS_URL = "redis://127.0.0.1:6379/9"
DAYS = ("2025-06-10", "2025-06-11")
PAPER = "2506.08007"  # featured on 2025-06-10
WAITING = "Keyword search only for now"
HOST = "papers.example.org"


def visitor(base: str) -> httpx.Client:
    """A visitor not signed in, coming through the proxy both servers are behind."""
    return httpx.Client(base_url=base, headers={"Host": HOST}, timeout=30)


def _serve(site: Site, port: int) -> subprocess.Popen:
    log = (site.data_dir / "run.log").open("w")
    return site.start(
        "run", "--no-import", "--no-worker", "--port", str(port), stdout=log, stderr=log
    )


@pytest.fixture(scope="module")
def layout(tmp_path_factory):
    root = tmp_path_factory.mktemp("scale-out")
    shared_redis = redis.Redis.from_url(REDIS_URL)
    shared_redis.flushdb()
    common = {
        "CACHE_URL": REDIS_URL,
        # The indexes' folder, on a volume every process mounts.
        "SEARCH_INDEX_DIR": str(root / "indexes"),
        # Nothing of the outside world: no arXiv, no metadata file.
        "ARXIV_OAI_URL": "http://127.0.0.1:9/oai",
        "ARXIV_METADATA_FILE": "",
        "HOME": str(root / "home"),
        # Behind one proxy both app servers answer for one host name.
        "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "TRUSTED_PROXY_COUNT": "1",
        "XDG_RUNTIME_DIR": "",
    }
    with scratch_database() as url:
        worker = Site(root / "worker", url, **common)
        worker.data_dir.mkdir()
        worker.run("migrate")
        days = [str(shared_data() / "hf_daily_papers" / f"{day}.json") for day in DAYS]
        worker.run("import", "daily-papers", *days)
        apps, procs, followers = [], [], []
        try:
            for name in ("app-a", "app-b"):
                own = {"SEARCH_INDEX_DIR": str(root / name / "search")} if name == "app-b" else {}
                site = Site(root / name, url, **{**common, **own})
                site.data_dir.mkdir()
                port = free_port()
                procs.append(_serve(site, port))
                apps.append(f"http://127.0.0.1:{port}")
                wait_until_up(apps[-1], procs[-1], site.data_dir / "run.log", seconds=120)
                if own:
                    log = (site.data_dir / "follow.log").open("w")
                    followers.append(
                        site.start(
                            "index",
                            "--follow",
                            "--loop",
                            "--interval",
                            "2",
                            stdout=log,
                            stderr=subprocess.STDOUT,
                        )
                    )
            yield worker, apps, procs
        finally:
            for proc in procs + followers:
                proc.terminate()
            for proc in procs + followers:
                proc.wait(timeout=60)
            shared_redis.flushdb()


def member_session(worker: Site) -> str:
    code = (
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, "
        "get_user_model\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "user = get_user_model().objects.create_user('ada', 'ada@example.org', 'long pass 42')\n"
        "session = SessionStore()\n"
        "session[SESSION_KEY] = str(user.pk)\n"
        "session[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "session[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "session.create()\n"
        "print(session.session_key)\n"
    )
    return worker.run("shell", "-c", code).stdout.strip().splitlines()[-1]


def vectors_indexed(folder) -> int:
    """How many vectors the vector index in ``folder`` holds (its meta file)."""
    meta = read_meta(folder, MODEL_NAME)
    return meta.count if meta else 0


def upvotes(page: str) -> int:
    return int(re.search(r'class="upvote-count">(\d+)<', page).group(1))


def test_a_vote_and_a_comment_on_one_app_server_show_on_the_other(layout):
    worker, (a, b), _ = layout
    paper = f"/papers/{PAPER}"
    on_a, on_b = visitor(a), visitor(b)
    # Cached on A, and B serves the same cached page (one Redis).
    on_a.get(paper)
    before = on_a.get(paper)
    assert before.headers.get("X-Cache") == "hit"
    assert on_b.get(paper).headers.get("X-Cache") == "hit"
    member = httpx.Client(
        base_url=b, headers={"Host": HOST}, cookies={"sessionid": member_session(worker)}
    )
    page = member.get(paper).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    paper_id = re.search(r'action="/votes/(\d+)"', page).group(1)
    voted = member.post(f"/votes/{paper_id}", data={"up": "1", "csrfmiddlewaretoken": token})
    assert voted.status_code == 302
    after = on_a.get(paper)
    assert after.headers.get("X-Cache") != "hit"
    assert upvotes(after.text) == upvotes(before.text) + 1
    commented = member.post(
        f"/comments/on/{paper_id}",
        data={"body": "Seen from the other server", "csrfmiddlewaretoken": token},
    )
    assert commented.status_code == 302
    assert "Seen from the other server" in on_a.get(paper).text
    day = on_a.get(f"/papers/date/{DAYS[0]}").text
    assert upvotes(day) >= 1


def test_an_app_server_keeps_an_idle_connection_as_long_as_a_proxy_would(layout):
    """A proxy reuses its idle connections to the app servers for as long as
    its own idle time (60 s for nginx's upstream keep-alive). At gunicorn's
    default of 2 s the server closed them first, and a request sent down one
    just closed failed: "Server disconnected without sending a response"."""
    _, apps, _ = layout
    address = urlsplit(apps[0])
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.request("GET", "/papers/", headers={"Host": HOST})
    assert connection.getresponse().read()
    socket = connection.sock
    time.sleep(4)  # gunicorn looks for expired connections every second
    connection.request("GET", "/papers/", headers={"Host": HOST})
    answer = connection.getresponse()
    assert answer.status == 200 and answer.read()
    assert connection.sock is socket
    connection.close()


def test_the_worker_builds_the_indexes_and_both_app_servers_take_them_without_a_restart(
    layout,
):
    worker, apps, procs = layout
    query = "/papers/search?q=reinforcement+learning+reasoning"
    clients = {app: visitor(app) for app in apps}
    for app in apps:
        assert WAITING in clients[app].get(query).text
    log = (worker.data_dir / "worker.log").open("w")
    proc = worker.start("worker", "--loop", stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 240
        waiting = set(apps)
        while waiting:
            assert proc.poll() is None, (worker.data_dir / "worker.log").read_text()[-3000:]
            assert time.monotonic() < deadline, (
                "app servers still search by keywords only: "
                + (worker.data_dir / "worker.log").read_text()[-3000:]
            )
            waiting = {app for app in waiting if WAITING in clients[app].get(query).text}
            time.sleep(2)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    assert all(p.poll() is None for p in procs)  # the same processes, never restarted
    for app in apps:
        page = clients[app].get(query).text
        assert "results for" in page or "result for" in page
    root = worker.data_dir.parent
    # A reads the shared volume: its own data directory holds no index.
    assert not (root / "app-a" / "search").exists()
    # B's follower builds B's own copy from the database, up to every vector
    # the worker stored (its next round, 2 s, after the worker's last slice).
    stored = worker.scalar("SELECT count(*) FROM search_embedding")
    assert stored > 0
    deadline = time.monotonic() + 60
    while vectors_indexed(root / "app-b" / "search") != stored:
        assert time.monotonic() < deadline, (root / "app-b" / "follow.log").read_text()[-3000:]
        time.sleep(1)
    assert (root / "app-b" / "search" / "keywords.json").exists()
