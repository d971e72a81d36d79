"""The measures of benchmarks/search.py: its queries, and what it times and counts with them."""

from __future__ import annotations

import random
import re
import statistics
import time

import numpy as np

# Cells scanned a query, swept around the configured SEARCH_IVF_NPROBE: what
# recall each number buys and what it costs, to judge the setting by.
NPROBE_SWEEP = (16, 32, 64, 128, 256, 320, 384, 512)


def query_set(rows: list[dict], count: int, seed: int = 11) -> list[tuple[str, str, str]]:
    """Short topics (2-3 words of real titles), whole titles and arXiv ids, like
    real searches: (query, kind, the title of the paper it was taken from)."""
    from dailypapers.search.query import STOPWORDS

    rng = random.Random(seed)
    queries = []
    for i in range(count):
        row = rng.choice(rows)
        words = [
            w
            for w in re.findall(r"[A-Za-z][A-Za-z\-]+", row["title"])
            if w.lower() not in STOPWORDS
        ]
        kind = i % 10
        if kind < 6 and len(words) >= 2:
            start = rng.randrange(0, max(1, len(words) - 2))
            text, kind = " ".join(words[start : start + rng.choice((2, 3))]).lower(), "topic"
        elif kind < 9:
            text, kind = " ".join(row["title"].split()), "title"
        else:
            text, kind = row["id"], "id"
        queries.append((text, kind, " ".join(row["title"].split())))
    return queries


def percentiles(samples: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(samples, n=100)
    return q[49] * 1000, q[94] * 1000


def timed_searches(queries: list[tuple[str, str, str]], mode: str) -> tuple[float, float]:
    from dailypapers.search import hybrid
    from dailypapers.search.query import SearchQuery
    from dailypapers.search.vectors import embeddings

    embeddings._query_vector.cache_clear()
    hybrid.ranked_ids(SearchQuery(text="warm up the model", mode=mode))
    embeddings._query_vector.cache_clear()
    samples = []
    for text, _, _ in queries:
        started = time.perf_counter()
        hybrid.ranked_ids(SearchQuery(text=text, mode=mode))
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def ann_recall_and_scan(
    queries: list[tuple[str, str, str]], ids: np.ndarray, matrix: np.ndarray
) -> dict:
    from django.conf import settings

    from dailypapers.search import hybrid
    from dailypapers.search.backends import lexical_backend
    from dailypapers.search.query import SearchQuery
    from dailypapers.search.vectors import embeddings

    index = hybrid.ready_index()
    texts = [text for text, _, _ in queries]
    vectors_ = np.stack([embeddings.embedder().embed([q])[0] for q in texts])
    exact_top, scan_times, hybrid_scan = [], [], []
    for text, vector in zip(texts, vectors_, strict=True):
        started = time.perf_counter()
        scores = matrix @ vector
        top = np.argpartition(-scores, 100)[:100]
        exact_ranked = [(int(ids[i]), float(scores[i])) for i in top[np.argsort(-scores[top])]]
        scan_times.append(time.perf_counter() - started)
        exact_top.append({pk for pk, _ in exact_ranked[:10]})
        # Hybrid with a linear scan in place of the ANN index, for the baseline.
        started = time.perf_counter()
        query = SearchQuery(text=text)
        lexical = lexical_backend().search(
            terms=query.terms, filters=query.filters, limit=100, hybrid=True
        )
        embeddings.embedder().embed([text])
        scores = matrix @ vector
        top = np.argpartition(-scores, 100)[:100]
        hybrid.weighted(lexical, [(int(ids[i]), float(scores[i])) for i in top], vector_weight=0.5)
        hybrid_scan.append(time.perf_counter() - started)
    # The same queries at several numbers of cells scanned; the configured one is "ann".
    configured = settings.SEARCH_IVF_NPROBE
    efforts = {}
    for nprobe in sorted({*NPROBE_SWEEP, configured}):
        recalls, times = [], []
        for vector, exact in zip(vectors_, exact_top, strict=True):
            started = time.perf_counter()
            approx = [pk for pk, _ in index.search(vector, 10, nprobe=nprobe)]
            times.append(time.perf_counter() - started)
            recalls.append(len(set(approx) & exact) / 10)
        efforts[nprobe] = (statistics.mean(recalls), percentiles(times))
    recall, ann = efforts[configured]
    return {
        "recall@10": recall,
        "ann": ann,
        "scan": percentiles(scan_times),
        "hybrid_scan": percentiles(hybrid_scan),
        "kind": index.meta.kind,
        "effort_name": "nprobe",
        "effort": configured,
        "efforts": efforts,
        "budget": settings.SEARCH_POSTINGS_BUDGET,
    }


def known_item(queries: list[tuple[str, str, str]]) -> dict[str, dict[str, float]]:
    """How often a query's own paper (its title) is in the top 10, with the
    postings budget (past it, the keyword index's exact ranking, or the
    database's bounded one) and without it, per mode and kind of query: what
    the budget costs in quality at this scale (the judged collections are
    too small to reach it). Hybrid also fused by min-max, the fusion before
    fusion by distribution, and without feedback, as baselines in the same
    run. Feedback reads the best papers' vectors back from the vector index
    (the benchmark's database stores none)."""
    from django.conf import settings
    from django.test import override_settings

    from dailypapers.papers.models import Paper
    from dailypapers.search import hybrid
    from dailypapers.search.query import SearchQuery

    budget = settings.SEARCH_POSTINGS_BUDGET
    fusion = settings.SEARCH_FUSION
    feedback = settings.SEARCH_FEEDBACK_DOCS
    variants = {
        f"budget {budget}, keyword index": (budget, True),
        f"budget {budget}, database only": (budget, False),
        "budget off": (0, False),
    }
    runs = [(mode, mode, fusion, feedback, variants) for mode in ("lexical", "hybrid")]
    exact = {k: v for k, v in variants.items() if k != f"budget {budget}, database only"}
    if fusion != "weighted":
        runs.append(("hybrid", "hybrid fused by min-max", "weighted", feedback, exact))
    runs.append(("hybrid", "hybrid without feedback", fusion, 0, exact))
    out = {}
    for mode, name, scale, docs, chosen in runs:
        for label, (value, keyword_index) in chosen.items():
            # Each setting comes back as configured, even when a search fails
            # (setting them by hand had put the keyword index back on always).
            with override_settings(
                SEARCH_FUSION=scale,
                SEARCH_FEEDBACK_DOCS=docs,
                SEARCH_POSTINGS_BUDGET=value,
                SEARCH_KEYWORD_INDEX=keyword_index,
            ):
                hits: dict[str, list[bool]] = {"topic": [], "title": []}
                for text, kind, title in queries:
                    if kind not in hits:
                        continue
                    top = hybrid.ranked_ids(SearchQuery(text=text, mode=mode))[0][:10]
                    titles = {
                        " ".join(t.split())
                        for t in Paper.objects.filter(pk__in=top).values_list("title", flat=True)
                    }
                    hits[kind].append(title in titles)
            out[f"{name}, {label}"] = {k: statistics.mean(v) for k, v in hits.items()}
    return out


def own_paper_losses(queries: list[tuple[str, str, str]]) -> dict[str, float | int]:
    """Where the keyword side and hybrid search part on topic queries: those
    whose own paper the keyword side puts in the top 10 and hybrid does not
    ("lost"), the reverse ("gained"), and how many lost papers are not among
    the 100 papers nearest the query by meaning at all. Two title words need
    not describe their paper ("lighting dimming" of "Lighting Up or Dimming
    Down?"): such a paper is found by its words alone, and a fusion that
    weighs meaning ranks papers both sides found above it. Also the share of
    each top 10 holding every query word in its title or abstract: how
    literally each reads a query. Settings as shipped."""
    from dailypapers.papers.models import Paper
    from dailypapers.search import hybrid
    from dailypapers.search.highlight import stem
    from dailypapers.search.query import SearchQuery

    def stems(text: str) -> set[str]:
        return {stem(w) for w in re.findall(r"\w+", text)}

    def ranked(text: str, mode: str, depth: int) -> dict[int, tuple[str, str]]:
        ids = hybrid.ranked_ids(SearchQuery(text=text, mode=mode))[0][:depth]
        return {
            pk: (" ".join(title.split()), abstract)
            for pk, title, abstract in Paper.objects.filter(pk__in=ids).values_list(
                "pk", "title", "abstract"
            )
        }

    lost = gained = unseen = 0
    literal: dict[str, list[float]] = {"lexical": [], "hybrid": []}
    for text, kind, title in queries:
        if kind != "topic":
            continue
        words = {stem(w) for w in SearchQuery(text=text).terms}
        found = {}
        for mode in literal:
            papers = ranked(text, mode, 10)
            found[mode] = title in {t for t, _ in papers.values()}
            held = [words <= stems(f"{t} {a}") for t, a in papers.values()]
            literal[mode].append(statistics.mean(held) if held else 0.0)
        if found["lexical"] and not found["hybrid"]:
            lost += 1
            unseen += title not in {t for t, _ in ranked(text, "vector", 100).values()}
        gained += found["hybrid"] and not found["lexical"]
    return {
        "lost": lost,
        "gained": gained,
        "lost, not among the 100 nearest by meaning": unseen,
        **{f"{mode} top 10 holding every word": statistics.mean(v) for mode, v in literal.items()},
    }


def for_you_timing(
    ids: np.ndarray, matrix: np.ndarray, *, signals: int = 1000, rounds: int = 50
) -> dict:
    """A member with ``signals`` saved papers at this scale: how long the
    worker takes to train their model, and the "For you" page's ranking
    (candidates from the featured papers of the last 30 days and from the
    vector index, then the model), p50 / p95. The collection's papers get
    what the page reads of a real site: 1,500 featured in the last 30 days
    (50 a day, as Daily Papers), and stored vectors for those papers and the
    member's (the index holds them all)."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from dailypapers.library import selectors, services
    from dailypapers.library.models import Entry
    from dailypapers.papers.models import Listing, Paper
    from dailypapers.search.models import Embedding
    from dailypapers.search.vectors import embeddings

    rng = np.random.default_rng(17)
    rows = rng.choice(len(ids), size=1500 + signals, replace=False)
    featured, liked = rows[:1500], rows[1500:]
    today = timezone.localdate()
    now = timezone.now()
    Listing.objects.bulk_create(
        [Listing(paper_id=int(ids[r]), day=today - dt.timedelta(days=n % 30), source="daily_papers",
                 submitted_at=now - dt.timedelta(days=n % 30)) for n, r in enumerate(featured)],
        batch_size=1000,
    )  # fmt: skip
    for n, r in enumerate(featured):
        Paper.objects.filter(pk=int(ids[r])).update(
            trending_key=float(n), published_at=now - dt.timedelta(days=n % 30)
        )
    Embedding.objects.bulk_create(
        [Embedding(paper_id=int(ids[r]), model=embeddings.MODEL_NAME, text_hash="bench",
                   vector=matrix[r].astype("<f2").tobytes(), window=embeddings.WINDOW,
                   embedded_at=now) for r in rows],
        batch_size=1000,
    )  # fmt: skip
    member = get_user_model().objects.create_user("bench-member", "bench@example.org")
    Entry.objects.bulk_create(
        [Entry(user=member, paper_id=int(ids[r]), saved_at=now) for r in liked], batch_size=1000
    )
    trains = []
    for _ in range(5):
        started = time.perf_counter()
        taste = services.taste_train(user=member)
        trains.append(time.perf_counter() - started)
    selectors.for_you(user=member)
    pages = []
    for _ in range(rounds):
        started = time.perf_counter()
        feed = selectors.for_you(user=member)
        pages.append(time.perf_counter() - started)
    return {
        "kind": taste.kind,
        "signals": taste.positives,
        "train_p50_s": statistics.median(trains),
        "page": percentiles(pages),
        "picks": len(feed.picks),
    }
