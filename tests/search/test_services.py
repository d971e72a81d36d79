"""Embedding papers and rebuilding the vector index: only what is stale, at every start."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from dailypapers.papers.models import Paper
from dailypapers.search import jobs, selectors, services
from dailypapers.search.models import Embedding
from dailypapers.search.vectors import embeddings
from dailypapers.search.vectors import index as vectors

pytestmark = pytest.mark.django_db


def test_index_if_needed_embeds_then_does_nothing_the_second_time(corpus):
    first = services.index_if_needed()
    assert (
        first.embedded == 4
        and first.rebuilt
        and first.index.count == 4
        and first.index.kind == "flat"
    )
    second = services.index_if_needed()
    assert second.embedded == 0 and not second.rebuilt


def test_a_changed_abstract_is_embedded_again_a_vote_is_not(corpus):
    services.index_if_needed()
    Paper.objects.filter(pk=corpus["vision"]).update(upvote_count=99, modified_at=timezone.now())
    report = services.index_if_needed()
    assert (report.embedded, report.unchanged) == (0, 1)
    Paper.objects.filter(pk=corpus["vision"]).update(
        abstract="Penguins.", modified_at=timezone.now()
    )
    assert services.index_if_needed().embedded == 1


def test_a_different_model_or_dimension_forces_a_rebuild(corpus, settings):
    services.index_if_needed()
    meta_path = settings.SEARCH_INDEX_DIR / f"{embeddings.MODEL_NAME}.json"
    meta_path.write_text(meta_path.read_text().replace('"dim": 384', '"dim": 768'))
    assert services.index_if_needed().rebuilt
    assert vectors.read_meta(settings.SEARCH_INDEX_DIR, embeddings.MODEL_NAME).dim == 384
    Embedding.objects.update(model="an-older-model")
    report = services.index_if_needed()
    assert report.embedded == 4 and report.rebuilt


def test_index_command(corpus, capsys):
    call_command("index", "--no-progress", "--lexical")
    out = capsys.readouterr().out
    assert (
        "full-text index rebuilt" in out and "embedded 4 papers" in out and "4 vectors, flat" in out
    )


def test_following_builds_this_hosts_indexes_from_the_database_embedding_nothing(
    corpus, settings, tmp_path, capsys
):
    """An app server sharing no volume with the worker (docs/operations.md)."""
    services.index_if_needed()  # the worker: vectors stored, its own index files
    settings.SEARCH_INDEX_DIR = tmp_path / "app-server"
    before = Embedding.objects.values_list("pk", "embedded_at").order_by("pk")
    stored = list(before)
    call_command("index", "--follow")
    assert "keyword index: 4 papers indexed" in capsys.readouterr().out
    assert vectors.read_meta(settings.SEARCH_INDEX_DIR, embeddings.MODEL_NAME).count == 4
    assert list(before) == stored  # nothing embedded again
    call_command("index", "--follow")
    assert "4 vectors" in (out := capsys.readouterr().out) and "rebuilt" not in out
    Embedding.objects.filter(pk=stored[0][0]).delete()
    call_command("index", "--follow")
    assert "3 vectors, rebuilt" in capsys.readouterr().out


def test_a_rebuilt_index_gives_cached_pages_a_new_version_wherever_it_is_built(
    corpus, settings, tmp_path
):
    """The worker's round and an app server's following round alike: search
    pages cached before the rebuild must not be served after it."""
    from dailypapers.core import page_version

    def version():
        return page_version.cache().get(page_version.KEY)

    # The keyword index reads again what changed in its last two minutes
    # (keyword_index._OVERLAP), and these papers are that new.
    settings.SEARCH_KEYWORD_INDEX = False
    services.index_if_needed()
    settings.SEARCH_INDEX_DIR = tmp_path / "app-server"
    before = version()
    services.index_files_refresh()  # builds this host's vector index
    assert version() != before
    before = version()
    services.index_files_refresh()  # nothing new: nothing rebuilt
    assert version() == before


def test_following_refuses_what_only_the_worker_does(corpus):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--follow") as raised:
        call_command("index", "--follow", "--force")
    assert raised.value.returncode == 2


def test_the_worker_job_embeds_a_slice_at_a_time_and_publishes_each(corpus, monkeypatch):
    monkeypatch.setattr(jobs, "JOB_SLICE", 3)
    assert "embedded 3 papers" in jobs.index_round(None)
    assert selectors.vector_coverage() == (3, 4)  # search already uses these three
    assert "embedded 1 papers" in jobs.index_round(None)
    assert selectors.vector_coverage() == (4, 4)
    assert "embedded 0 papers" in jobs.index_round(None)


def test_featured_papers_are_embedded_first_then_the_newest(db, monkeypatch):
    from tests.factories import add_paper

    monkeypatch.setattr(services, "EMBED_BATCH", 2)  # several batches of each kind
    old_featured = add_paper("2401.00001", "Old and featured", day="2024-01-02")
    plain = [add_paper(f"2402.0000{n}", f"Plain {n}", "Never featured.") for n in range(3)]
    new_featured = add_paper("2403.00001", "New and featured", day="2024-03-02")
    also_featured = add_paper("2403.00002", "Also featured", day="2024-03-03")

    def embedded() -> list[int]:
        return list(
            Embedding.objects.order_by("embedded_at", "-paper_id").values_list(
                "paper_id", flat=True
            )
        )

    assert services.embeddings_refresh(limit=3) == (3, 0)
    assert set(embedded()) == {old_featured, new_featured, also_featured}
    assert services.embeddings_refresh(limit=2) == (2, 0)
    assert set(embedded()) - {old_featured, new_featured, also_featured} == {plain[2], plain[1]}
    assert services.embeddings_refresh() == (1, 0)


def test_the_worker_says_how_far_the_whole_collection_is_not_its_round(db, monkeypatch, caplog):
    from tests.factories import add_paper

    monkeypatch.setattr(services, "EMBED_BATCH", 2)
    monkeypatch.setattr(services, "PROGRESS_SECONDS", 0)
    for n in range(5):
        add_paper(f"2402.0000{n}", f"Paper {n}", "About walruses.")
    with caplog.at_level("INFO", logger="dailypapers.search.services"):
        assert services.embeddings_refresh(limit=4) == (4, 0)  # a round of the backlog
    lines = [r.getMessage() for r in caplog.records if "search by meaning" in r.getMessage()]
    assert lines[0].startswith("search by meaning: 2 of 5 papers embedded (")
    assert lines[-1].startswith("search by meaning: 4 of 5 papers embedded (")
    assert "papers/s, about" in lines[-1] and "min left)" in lines[-1]
    caplog.clear()
    with caplog.at_level("INFO", logger="dailypapers.search.services"):
        services.embeddings_refresh()
    assert any("5 of 5 papers embedded" in r.getMessage() for r in caplog.records)
