"""Writes of the search app: embedding papers, (re)building the vector index,
refreshing the keyword index and the words spelling suggestions are drawn from."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone

from dailypapers.core import page_version
from dailypapers.core.progress import progress_bar
from dailypapers.papers.models import Paper
from dailypapers.search.backends import keyword_index
from dailypapers.search.models import Embedding
from dailypapers.search.vectors import embeddings
from dailypapers.search.vectors import index as vectors

log = logging.getLogger(__name__)
EMBED_BATCH = 256
PROGRESS_SECONDS = 15
# More papers than this waiting to be embedded (about 10 s of the first
# reading on two cores) are read to 128 tokens first.
QUICK_BACKLOG = 1_000


@dataclass
class IndexReport:
    embedded: int = 0
    unchanged: int = 0
    reread: int = 0
    index: vectors.IndexMeta | None = None
    rebuilt: bool = False

    def summary(self) -> str:
        built = "rebuilt" if self.rebuilt else "up to date"
        size = f"{self.index.count} vectors, {self.index.kind}" if self.index else "no vectors"
        again = f", {self.reread} read again whole" if self.reread else ""
        return (
            f"embedded {self.embedded} papers ({self.unchanged} unchanged{again}); "
            f"index {built}: {size}"
        )


def _current(**conditions) -> Exists:
    return Exists(
        Embedding.objects.filter(
            paper_id=OuterRef("pk"),
            model=embeddings.MODEL_NAME,
            embedded_at__gte=OuterRef("modified_at"),
            **conditions,
        )
    )


def _stale_papers():
    """Papers without a current vector: new, changed since embedding, or of another model."""
    return Paper.objects.filter(~_current())


def _cut_papers():
    """Papers whose current vector read only the first reading's tokens."""
    return Paper.objects.filter(_current(window__lt=embeddings.WINDOW))


def _in_order(papers) -> Iterator[list[tuple[int, str, str]]]:
    """``papers`` in batches, those featured on a day first (what readers
    see and search for), then the rest, each newest first: search by meaning
    covers what matters soonest while a fresh site embeds its backlog."""
    for part in (
        papers.filter(trending_key__isnull=False),
        papers.filter(trending_key__isnull=True),
    ):
        below = None
        while True:
            batch = part if below is None else part.filter(pk__lt=below)
            rows = list(batch.order_by("-pk").values_list("pk", "title", "abstract")[:EMBED_BATCH])
            if not rows:
                break
            below = rows[-1][0]
            yield rows


class _Progress:
    """The worker's line on the console while it embeds: every papers' share,
    not the round's (a round embeds a slice of the backlog), the rate and
    the time left, at most every PROGRESS_SECONDS."""

    def __init__(self, *, waiting: int, enabled: bool, done: str = "embedded") -> None:
        self.enabled = enabled
        self.done = done
        if enabled:
            self.papers = Paper.objects.count()
            self.waiting = waiting
            self.started = self.shown = time.monotonic()
            self.said = -1  # papers done at the last line shown

    def update(self, done: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or done == self.said:
            return
        if now - self.shown < PROGRESS_SECONDS and not force:
            return
        self.shown, self.said = now, done
        rate = done / max(now - self.started, 1e-9)
        left = self.waiting - done
        minutes = f"about {left / rate / 60:.0f} min left" if rate and left else "done"
        log.info(
            "search by meaning: %s of %s papers %s (%.1f papers/s, %s)",
            f"{self.papers - left:,}",
            f"{self.papers:,}",
            self.done,
            rate,
            minutes,
        )

    def finish(self, done: int) -> None:
        self.update(done, force=True)


def _rounds(papers, *, waiting: int, limit: int | None, desc: str, show_progress: bool, done: str):
    """Batches of ``papers`` (``waiting`` of them) in order, at most ``limit``
    papers in all, with the progress bar or the worker's console line; each
    with the time just before it was read, which its vectors are dated: a
    paper changed after that is newer than its vector, so stale."""
    total = waiting if limit is None else min(limit, waiting)
    bar = progress_bar(total=total, desc=desc, unit="paper", enabled=show_progress)
    console = _Progress(waiting=waiting, enabled=not show_progress and total > 0, done=done)
    handled = 0
    batches = _in_order(papers)
    while handled < total:
        read_at = timezone.now()
        rows = next(batches, [])[: total - handled]
        if not rows:
            break
        yield read_at, rows
        handled += len(rows)
        bar.update(len(rows))
        console.update(handled)
    bar.close()
    console.finish(handled)


def embeddings_refresh(*, show_progress: bool = False, limit: int | None = None) -> tuple[int, int]:
    """Embed every stale paper (at most ``limit``, featured and newest first);
    returns (embedded, unchanged text).

    With a backlog (a fresh site, a bulk import) papers are read to the
    first reading's 128 tokens, a third of the cost of the model's window,
    so search covers them by meaning sooner; ``embeddings_reread`` reads the
    cut ones again whole when nothing waits. Otherwise they are read whole
    at once."""
    stale = _stale_papers()
    waiting = stale.count()
    first = embeddings.FIRST_READING if waiting > QUICK_BACKLOG else embeddings.WINDOW
    embedded = unchanged = 0
    model = None
    for read_at, rows in _rounds(
        stale,
        waiting=waiting,
        limit=limit,
        desc="Embedding papers",
        show_progress=show_progress,
        done="embedded",
    ):
        model = model or embeddings.embedder()
        texts = {pk: embeddings.document_text(title, abstract) for pk, title, abstract in rows}
        hashes = {pk: embeddings.text_hash(text) for pk, text in texts.items()}
        # By primary key alone, as EmbeddingQuerySet.vectors reads (why: there).
        known = {
            pk: text_hash
            for pk, model_name, text_hash in Embedding.objects.filter(
                paper_id__in=texts
            ).values_list("paper_id", "model", "text_hash")
            if model_name == embeddings.MODEL_NAME
        }
        same = [pk for pk in texts if known.get(pk) == hashes[pk]]
        if same:  # text unchanged (only counts moved): keep the vector
            Embedding.objects.filter(paper_id__in=same).update(embedded_at=read_at)
        todo = [pk for pk in texts if pk not in same]
        if todo:
            todo_texts = [texts[pk] for pk in todo]
            vectors_ = model.embed(todo_texts, max_tokens=first)
            # Read whole, every text fits; read first, those it cut are marked.
            windows = (
                [
                    first if tokens > first else embeddings.WINDOW
                    for tokens in model.tokens(todo_texts)
                ]
                if first < embeddings.WINDOW
                else [embeddings.WINDOW] * len(todo)
            )
            Embedding.objects.bulk_create(
                [
                    Embedding(
                        paper_id=pk,
                        model=embeddings.MODEL_NAME,
                        text_hash=hashes[pk],
                        vector=vector.astype("<f2").tobytes(),
                        window=window,
                        embedded_at=read_at,
                    )
                    for pk, vector, window in zip(todo, vectors_, windows, strict=True)
                ],
                update_conflicts=True,
                unique_fields=["paper"],
                update_fields=["model", "text_hash", "vector", "window", "embedded_at"],
            )
        embedded += len(todo)
        unchanged += len(same)
    return embedded, unchanged


def embeddings_reread(*, show_progress: bool = False, limit: int | None = None) -> int:
    """Read again whole, at the model's window, the papers the first reading
    cut (at most ``limit``, featured and newest first); how many.

    A paper changed meanwhile stays stale (``_rounds``): ``embeddings_refresh``
    embeds its new text."""
    cut = _cut_papers()
    reread = 0
    model = None
    for read_at, rows in _rounds(
        cut,
        waiting=cut.count(),
        limit=limit,
        desc="Reading papers whole",
        show_progress=show_progress,
        done="read whole",
    ):
        model = model or embeddings.embedder()
        texts = [embeddings.document_text(title, abstract) for _, title, abstract in rows]
        vectors_ = model.embed(texts, max_tokens=embeddings.WINDOW)
        # A row deleted meanwhile is not written; a paper changed meanwhile
        # is newer than read_at, so stale whatever is written here.
        reread += Embedding.objects.bulk_update(
            [
                Embedding(
                    paper_id=pk,
                    vector=vector.astype("<f2").tobytes(),
                    window=embeddings.WINDOW,
                    embedded_at=read_at,
                )
                for (pk, _, _), vector in zip(rows, vectors_, strict=True)
            ],
            ["vector", "window", "embedded_at"],
        )
    return reread


def _source_state() -> str:
    state = Embedding.objects.filter(model=embeddings.MODEL_NAME).aggregate(
        n=Count("pk"), last=Max("embedded_at")
    )
    return f"{state['n']}:{state['last'].isoformat() if state['last'] else '-'}"


def _vector_batches(size: int = 20_000) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    last = 0
    while True:
        rows = list(
            Embedding.objects.filter(model=embeddings.MODEL_NAME, paper_id__gt=last)
            .order_by("paper_id")
            .values_list("paper_id", "vector")[:size]
        )
        if not rows:
            return
        last = rows[-1][0]
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        matrix = np.frombuffer(b"".join(bytes(r[1]) for r in rows), dtype="<f2").reshape(
            -1, embeddings.DIM
        )
        yield ids, matrix.astype(np.float32)


def index_refresh(*, force: bool = False) -> tuple[vectors.IndexMeta | None, bool]:
    """Rebuild the vector index if the vectors or the model changed; (meta, rebuilt)."""
    directory = settings.SEARCH_INDEX_DIR
    source = _source_state()
    meta = vectors.read_meta(directory, embeddings.MODEL_NAME)
    count = int(source.split(":", 1)[0])
    kind = vectors.kind_for(count, ann_min_vectors=settings.SEARCH_ANN_MIN_VECTORS)
    if not force and meta and (meta.source, meta.dim, meta.kind) == (source, embeddings.DIM, kind):
        return meta, False
    meta = vectors.build(
        directory=directory,
        model=embeddings.MODEL_NAME,
        dim=embeddings.DIM,
        batches=_vector_batches(),
        count=count,
        source=source,
        ann_min_vectors=settings.SEARCH_ANN_MIN_VECTORS,
    )
    log.info("vector index rebuilt: %s vectors (%s)", meta.count, meta.kind)
    for path in vectors.forget_other_models(directory, keep=embeddings.MODEL_NAME):
        log.info("removed the index of an earlier model: %s", path)
    # This host's searches now find by meaning what they did not.
    page_version.changed()
    return meta, True


def index_if_needed(
    *, show_progress: bool = False, force: bool = False, limit: int | None = None
) -> IndexReport:
    """Embed what is stale (at most ``limit``), then rebuild the index if anything changed.

    Safe at every start: with nothing stale and the index current it only reads.
    """
    report = IndexReport()
    if settings.SEARCH_EMBEDDINGS:
        report.embedded, report.unchanged = embeddings_refresh(
            show_progress=show_progress, limit=limit
        )
        # Papers are read again whole only when none waits to be embedded.
        room = None if limit is None else limit - report.embedded - report.unchanged
        published = False
        if room is None or room > 0:
            if report.embedded:
                # The papers just embedded are searchable by meaning before any
                # is read again: the round's rereading would hold back the last
                # slice of a backlog by as long as it takes.
                report.index, report.rebuilt = index_refresh(force=force)
                published = True
            report.reread = embeddings_reread(show_progress=show_progress, limit=room)
        if report.reread or not published:
            report.index, rebuilt = index_refresh(force=force and not published)
            report.rebuilt = report.rebuilt or rebuilt
        if report.embedded and not report.rebuilt:
            # The search page says how far embedding is.
            page_version.changed()
    return report


def index_files_refresh() -> str:
    """This host's copies of the search indexes brought up to what the
    database holds, embedding nothing; a one-line summary. For an app server
    that shares no volume with the worker (docs/operations.md): the worker
    stores every paper's vector in the database, and both indexes are built
    from the database, so following it needs no other channel."""
    done = [keyword_index_refresh()]
    if settings.SEARCH_EMBEDDINGS:
        meta, rebuilt = index_refresh()
        count = meta.count if meta else 0
        done.append(f"vector index: {count} vectors{', rebuilt' if rebuilt else ''}")
    return "; ".join(done)


def keyword_index_refresh(*, full: bool = False) -> str:
    """Index the papers added or changed since the keyword index's last round
    (all of them with ``full``); a one-line summary."""
    if not settings.SEARCH_KEYWORD_INDEX:
        return "keyword index off (SEARCH_KEYWORD_INDEX)"
    try:
        indexed, total = keyword_index.refresh(full=full)
    except keyword_index.KeywordIndexBusy:
        return "keyword index: another process is bringing it up to date"
    if indexed:
        page_version.changed()
    return f"keyword index: {indexed} papers indexed, {total} in all"
