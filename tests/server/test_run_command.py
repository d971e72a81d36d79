"""`dailypapers run` on a fresh data directory, as the README's first command runs it.

A real process: migrates, imports the whole real data set with a progress
bar, serves with gunicorn. The pages are then checked over HTTP against the
source files. On a PostgreSQL test run the same command runs against a
scratch PostgreSQL database instead of the embedded SQLite one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import time

import httpx
import psutil
import pytest
from bs4 import BeautifulSoup

from dailypapers.papers.identifiers import local_key_for
from tests.conftest import shared_data
from tests.ingest.arxiv_fixtures import add_cs_harvest
from tests.processes import Site, free_port, scratch_database, wait_until_up
from tests.replay import ANY, ReplayServer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("run-data")
    port = free_port()
    with ReplayServer() as arxiv, scratch_database() as database_url:
        # The worker's daily arXiv ingest runs at once and reads from the replay server.
        add_cs_harvest(
            arxiv,
            first_query={
                "verb": "ListRecords",
                "metadataPrefix": "arXiv",
                "set": "cs",
                "from": ANY,
            },
        )
        s = Site(
            data_dir,
            database_url,
            DAILYPAPERS_SHARED_DATA=str(shared_data()),
            ARXIV_OAI_URL=arxiv.url + "/oai",
            ARXIV_CATEGORIES="cs.LG",
            ARXIV_INGEST_AT="00:00",
            ARXIV_MIN_INTERVAL="0",
            # Embedding the 9,917 papers would keep a core busy for minutes.
            SEARCH_EMBEDDINGS="0",
            # Where gunicorn would put its control socket by default.
            HOME=str(data_dir / "home"),
            XDG_RUNTIME_DIR="",
        )
        log = (data_dir / "run.log").open("w+")
        proc = s.start(
            "run", "--port", str(port), "--workers", "2", stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, proc, data_dir / "run.log", seconds=240)
            s.up_at = time.time()
            s.pid = proc.pid
            s.port = port
            with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as client:
                yield client, s
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
            log.close()


def authors(count: int) -> str:
    return f"{count} author{'s' if count != 1 else ''}"


def cards(html: str):
    soup = BeautifulSoup(html, "html.parser")
    for card in soup.select("article.card"):
        yield (
            card["data-paper"],
            card.select_one(".card-title a").get_text(strip=True),
            card.select_one(".author-count").get_text(strip=True),
            int(card.select_one(".upvote-count").get_text()),
        )


def test_first_start_imports_with_progress_and_a_summary(site):
    client, s = site
    data_dir = s.data_dir
    log = (data_dir / "run.log").read_text()
    assert "First start: importing the real data" in log
    assert re.search(r"Daily Papers: 100%\|.*\| 580/580", log)
    assert "Daily Papers: 580 file(s)" in log and "0 skipped" in log
    if not s.database_url:
        assert (data_dir / "dailypapers.sqlite3").exists() and (data_dir / "secret_key").exists()


def test_the_worker_runs_the_daily_arxiv_ingest(site):
    _, s = site
    deadline = time.monotonic() + 60
    while not s.scalar("SELECT last_success_at FROM server_jobstate WHERE name = 'arxiv-daily'"):
        assert time.monotonic() < deadline, (s.data_dir / "run.log").read_text()[-2000:]
        time.sleep(0.5)
    summary = s.scalar("SELECT last_summary FROM server_jobstate WHERE name = 'arxiv-daily'")
    assert "46 records" in summary
    assert s.scalar("SELECT count(*) FROM papers_listing WHERE status = 'candidate'") > 0


def test_the_acceptance_day(site):
    client, _ = site
    entries = json.loads((shared_data() / "hf_daily_papers" / "2025-10-08.json").read_text())
    expected = sorted(
        (
            (
                e["paper"]["id"],
                " ".join(e["paper"]["title"].split()),
                authors(len(e["paper"]["authors"])),
                e["paper"]["upvotes"],
            )
            for e in entries
        ),
        key=lambda row: -row[3],
    )
    response = client.get("/papers/date/2025-10-08")
    assert response.status_code == 200
    assert list(cards(response.text)) == expected


def test_the_acceptance_paper(site):
    client, _ = site
    soup = BeautifulSoup(client.get("/papers/2510.06217").text, "html.parser")
    names = [li.get_text() for li in soup.select(".author-list li")]
    assert names == [
        "Jiaru Zou",
        "Soumya Roy",
        "Vinay Kumar Verma",
        "Ziyi Wang",
        "David Wipf",
        "Pan Lu",
        "Sumit Negi",
        "James Zou",
        "Jingrui He",
    ]


def test_every_seed_paper_is_reachable_with_the_pages_values(site):
    client, _ = site
    seeds = json.loads((shared_data() / "seed_papers.json").read_text())["papers"]
    for seed in seeds:
        response = client.get(f"/papers/dp-{local_key_for(seed['title'])}")
        assert response.status_code == 200, seed["title"]
        soup = BeautifulSoup(response.text, "html.parser")
        assert soup.select_one(".upvote-count").get_text() == str(seed["upvotes"])
        heading = soup.select_one("#authors-h").get_text()
        if seed["authors_count"]:
            assert heading == authors(seed["authors_count"])
        if seed["published"]:  # where the page showed no date, another source may know it
            assert soup.select_one(".paper-dates time")["datetime"] == seed["published"]


def test_static_files_are_served_hashed(site):
    client, _ = site
    html = client.get("/papers/").text
    css = re.search(r'href="(/static/dailypapers/site\.[0-9a-f]{12}\.css)"', html)
    assert css and client.get(css.group(1)).status_code == 200
    # Compressed once by collectstatic, kept for a year (the name changes with the file).
    for encoding in ("br", "gzip"):
        response = client.get(css.group(1), headers={"Accept-Encoding": encoding})
        assert response.headers["Content-Encoding"] == encoding
        assert "max-age=315360000" in response.headers["Cache-Control"]


def test_links_in_feeds_the_api_and_mails_point_where_the_site_runs(site):
    client, s = site
    base = str(client.base_url).rstrip("/")
    assert base != "http://127.0.0.1:8000"
    rss = client.get("/feeds/daily.rss").text
    assert re.search(rf"<guid[^>]*>{re.escape(base)}/papers/", rss)
    assert client.get("/api/papers/2510.06217").json()["url"] == f"{base}/papers/2510.06217"
    client.get("/papers/")
    token = client.cookies["csrftoken"]
    response = client.post(
        "/digest/subscribe",
        data={"email": "reader@example.org"},
        headers={"X-CSRFToken": token},
        follow_redirects=False,
    )
    assert response.status_code == 302
    deadline = time.monotonic() + 30
    while not list((s.data_dir / "sent-mail").glob("*.log")):
        assert time.monotonic() < deadline, "no confirmation mail"
        time.sleep(0.2)
    (mail,) = (s.data_dir / "sent-mail").glob("*.log")
    assert f"{base}/digest/confirm/" in mail.read_text()


def test_the_servers_control_socket_is_in_the_data_directory(site):
    _, s = site
    assert (s.data_dir / "gunicorn.ctl").exists()
    assert not (s.data_dir / "home" / ".gunicorn").exists()


def test_the_worker_gives_the_pages_the_cpu_first(site):
    _, s = site
    children = psutil.Process(s.pid).children()  # gunicorn's workers and the worker
    worker = [p for p in children if "worker" in p.cmdline()]
    servers = [p for p in children if p not in worker]
    assert len(worker) == 1 and worker[0].nice() == 10
    assert servers and all(p.nice() == 0 for p in servers)


def test_each_web_worker_listens_on_a_socket_of_its_own(site):
    """SO_REUSEPORT: the kernel spreads connections over the workers, where on
    one shared socket a single worker took them all (docs/decisions.md)."""
    _, s = site
    sockets = {}
    for proc in psutil.Process(s.pid).children(recursive=True):
        try:
            connections = proc.net_connections(kind="tcp")
        except psutil.NoSuchProcess:  # one of the worker's jobs, ended meanwhile
            continue
        for conn in connections:
            if conn.status == psutil.CONN_LISTEN and conn.laddr.port == s.port:
                sockets[proc.pid] = os.readlink(f"/proc/{proc.pid}/fd/{conn.fd}")
    assert len(sockets) == 2 and len(set(sockets.values())) == 2, sockets


def test_a_query_longer_than_any_limit_gets_the_sites_own_answer(site):
    client, _ = site
    long = "attention " * 1000  # 10,000 characters
    api = client.get("/api/papers/search", params={"q": long})
    assert api.status_code == 422 and api.headers["content-type"].startswith("application/json")
    assert "q" in str(api.json()["detail"])
    page = client.get("/papers/search", params={"q": long})
    assert page.status_code == 200 and "attention" in page.text


def test_featured_papers_get_arxivs_categories_in_the_background(site):
    client, s = site
    job = "SELECT {} FROM server_jobstate WHERE name = 'arxiv-metadata'"
    deadline = time.monotonic() + 240
    while not s.scalar(job.format("last_success_at")):
        assert time.monotonic() < deadline, (s.data_dir / "run.log").read_text()[-2000:]
        time.sleep(1)
    finished = s.scalar(job.format("last_finished_at"))
    if isinstance(finished, str):  # SQLite keeps UTC as text
        finished = dt.datetime.fromisoformat(finished).replace(tzinfo=dt.UTC)
    assert finished.timestamp() > s.up_at  # the site answered before the job was done
    # The shared arXiv file covers papers announced from March 2025 to July 2026.
    covered = "l.status = 'featured' AND l.day BETWEEN '2025-03-01' AND '2026-07-31'"
    featured = s.scalar(f"SELECT count(DISTINCT l.paper_id) FROM papers_listing l WHERE {covered}")
    with_categories = s.scalar(
        "SELECT count(DISTINCT l.paper_id) FROM papers_listing l JOIN papers_paper p "
        f"ON p.id = l.paper_id WHERE {covered} AND p.categories <> ''"
    )
    assert with_categories > 0.55 * featured, (with_categories, featured)  # 62% measured
    assert client.get("/feeds/category/cs.CL.rss").text.count("<item>") == 50
    # arXiv's metadata leaves the acceptance day as the Daily Papers file has it.
    test_the_acceptance_day(site)
