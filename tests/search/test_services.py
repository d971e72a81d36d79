"""Embedding papers and rebuilding the vector index: only what is stale, at every start."""

import numpy as np
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
    said = [r.getMessage() for r in caplog.records if "search by meaning" in r.getMessage()]
    assert said[-1].startswith("search by meaning: 5 of 5 papers embedded (")
    # The last line once, not again by ``finish``.
    assert sum("5 of 5 papers embedded" in line for line in said) == 1


# An abstract whose second half (past the first reading's 128 tokens) is
# about something its first half never names.
_LONG_ABSTRACT = (
    "We study the convergence of stochastic gradient descent for training deep "
    "neural networks with adaptive learning rates, momentum and weight decay. "
    * 5
    + "Applied to penguin colonies in Antarctica, the method counts emperor "
    "penguins from satellite images of their breeding grounds on sea ice. " * 4
)


def _window_and_vector(pk):
    row = Embedding.objects.get(paper_id=pk)
    return row.window, np.frombuffer(bytes(row.vector), dtype="<f2").astype(np.float32)


def test_a_backlog_is_read_to_128_tokens_first_then_cut_papers_again_whole(corpus, monkeypatch):
    from tests.factories import add_paper

    long = add_paper("2511.00009", "Optimisation notes", _LONG_ABSTRACT)
    monkeypatch.setattr(services, "QUICK_BACKLOG", 0)  # every paper waiting is a backlog
    assert services.embeddings_refresh() == (5, 0)
    window, first = _window_and_vector(long)
    assert window == embeddings.FIRST_READING
    # The short ones fit the first reading: nothing to read again.
    assert _window_and_vector(corpus["mi"])[0] == embeddings.WINDOW
    assert services._cut_papers().count() == 1

    report = services.index_if_needed()
    assert (report.embedded, report.reread, report.rebuilt) == (0, 1, True)
    assert "1 read again whole" in report.summary()
    window, whole = _window_and_vector(long)
    assert window == embeddings.WINDOW
    penguins = embeddings.embed_query("counting emperor penguins in satellite images")
    # Read whole, the paper is also about what its abstract says last.
    assert whole @ penguins > first @ penguins + 0.05
    assert services.index_if_needed().reread == 0


def test_without_a_backlog_papers_are_read_whole_at_once(corpus):
    from tests.factories import add_paper

    long = add_paper("2511.00009", "Optimisation notes", _LONG_ABSTRACT)
    report = services.index_if_needed()
    assert (report.embedded, report.reread) == (5, 0)
    assert _window_and_vector(long)[0] == embeddings.WINDOW


def test_papers_are_read_again_only_when_none_waits_within_the_rounds_size(corpus, monkeypatch):
    from tests.factories import add_paper

    monkeypatch.setattr(services, "QUICK_BACKLOG", 0)
    for n in range(3):
        add_paper(f"2511.0001{n}", f"Notes {n}", _LONG_ABSTRACT)
    report = services.index_if_needed(limit=5)
    assert (report.embedded, report.reread) == (5, 0)  # the round is full: none read again
    report = services.index_if_needed(limit=5)
    assert (report.embedded, report.reread) == (2, 3)  # the rest of the round reads again
    assert services._cut_papers().count() == 0


def test_the_rest_of_a_backlog_is_searchable_before_any_paper_is_read_again(
    corpus, monkeypatch, settings
):
    """Rereading in the round that ends the backlog held its last slice back
    from search until the rereading was done (a minute on a fresh site)."""
    from tests.factories import add_paper

    monkeypatch.setattr(services, "QUICK_BACKLOG", 0)
    for n in range(3):
        add_paper(f"2511.0001{n}", f"Notes {n}", _LONG_ABSTRACT)
    services.index_if_needed(limit=5)
    published_when_rereading = []
    reread = services.embeddings_reread

    def published_then_reread(**kwargs):
        meta = vectors.read_meta(settings.SEARCH_INDEX_DIR, embeddings.MODEL_NAME)
        published_when_rereading.append(meta.count)
        return reread(**kwargs)

    monkeypatch.setattr(services, "embeddings_reread", published_then_reread)
    report = services.index_if_needed(limit=5)
    assert (report.embedded, report.reread, report.rebuilt) == (2, 3, True)
    assert published_when_rereading == [7]
    assert report.index.count == 7


def test_a_paper_changed_before_it_is_read_again_is_embedded_anew(corpus, monkeypatch):
    from tests.factories import add_paper

    monkeypatch.setattr(services, "QUICK_BACKLOG", 0)
    long = add_paper("2511.00009", "Optimisation notes", _LONG_ABSTRACT)
    services.embeddings_refresh()
    Paper.objects.filter(pk=long).update(abstract="Penguins.", modified_at=timezone.now())
    assert services._cut_papers().count() == 0  # stale, not waiting to be read again
    report = services.index_if_needed()
    assert (report.embedded, report.reread) == (1, 0)
    row = Embedding.objects.get(paper_id=long)
    text = embeddings.document_text("Optimisation notes", "Penguins.")
    assert (row.text_hash, row.window) == (embeddings.text_hash(text), embeddings.WINDOW)


def test_a_vector_is_dated_before_its_paper_was_read(corpus, monkeypatch):
    """A paper changed while its batch is embedded is newer than the vector
    of its old text: it stays stale and is embedded again."""
    real_embedder = embeddings.embedder

    def change_while_embedding():
        Paper.objects.filter(pk=corpus["vision"]).update(
            abstract="Penguins.", modified_at=timezone.now()
        )
        return real_embedder()

    monkeypatch.setattr(embeddings, "embedder", change_while_embedding)
    services.embeddings_refresh()
    monkeypatch.setattr(embeddings, "embedder", real_embedder)
    assert list(services._stale_papers().values_list("pk", flat=True)) == [corpus["vision"]]
    assert services.embeddings_refresh() == (1, 0)
