"""`dailypapers run` on a fresh data directory, as the README's first command runs it.

A real process: migrates, imports the whole real data set with a progress
bar, serves with gunicorn. The pages are then checked over HTTP against the
source files. On a PostgreSQL test run the same command runs against a
scratch PostgreSQL database instead of the embedded SQLite one.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from dailypapers.papers.identifiers import local_key_for
from tests.conftest import shared_data

SECRET = "run-test-" + uuid.uuid4().hex + uuid.uuid4().hex


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def scratch_database():
    """None for the embedded default; a fresh PostgreSQL database URL otherwise."""
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        yield None
        return
    import psycopg

    name = f"dp_run_{uuid.uuid4().hex[:10]}"
    admin = dict(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
    )
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        yield f"postgres://{auth}@{db['HOST']}:{admin['port']}/{name}"
    finally:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("run-data")
    port = free_port()
    with scratch_database() as database_url:
        env = {
            k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")
        }
        env.update(DAILYPAPERS_DATA_DIR=str(data_dir), DAILYPAPERS_SHARED_DATA=str(shared_data()))
        if database_url:
            env.update(DATABASE_URL=database_url, SECRET_KEY=SECRET)
        log = (data_dir / "run.log").open("w+")
        cli = Path(sys.executable).with_name("dailypapers")
        proc = subprocess.Popen(
            [str(cli), "run", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 240
            while True:
                assert proc.poll() is None, (
                    f"run exited: {(data_dir / 'run.log').read_text()[-3000:]}"
                )
                try:
                    if httpx.get(base + "/papers/", timeout=5).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the site did not come up in 240 s"
                time.sleep(0.5)
            with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as client:
                yield client, data_dir
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
    client, data_dir = site
    log = (data_dir / "run.log").read_text()
    assert "First start: importing the real data" in log
    assert re.search(r"Daily Papers: 100%\|.*\| 580/580", log)
    assert "Daily Papers: 580 file(s)" in log and "0 skipped" in log
    if not os.environ.get("DATABASE_URL"):
        assert (data_dir / "dailypapers.sqlite3").exists() and (data_dir / "secret_key").exists()


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
