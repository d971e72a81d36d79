"""Calibrating the similarity floor: how close nonsense comes to real papers.

Every query has nearest neighbours by meaning, however unrelated. On the
site's default data (the real Daily Papers days, about 9,900 papers, in a
scratch SQLite database, embedded by the shipped model), this prints for 20
nonsense strings and 20 real topic queries the cosine of their nearest
paper, and how many results the search page shows for each at several
floors. The floor must leave every nonsense string without results and keep
the real queries' results; its cost on the judged collections is measured by
`dailypapers eval --sweep` (docs/search-quality.md).

    .venv/bin/python benchmarks/nonsense.py [--floors 0,0.3,0.35,0.4,0.45] [--data-dir DIR]

``--data-dir`` keeps the database and its vectors for the next run (the
first embeds for about 15 minutes on two busy cores; the import and the
embedding skip what is already there).

The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._default_site import default_site  # noqa: E402

NONSENSE = [
    "xqzvbn",
    "asdfgh jkl",
    "qwertyuiop",
    "zxcvbnm asdf",
    "blorft snizzle",
    "kjdfhg skdjfh",
    "mnbvcx lkjhg",
    "fjfjfj dkdkdk",
    "qqqq wwww eeee",
    "grumblewock frabjous",
    "plotz vorn quib",
    "xylq trem barfo",
    "ooga booga",
    "jjjj kkkk llll",
    "hjkl hjkl",
    "florp",
    "zorbly wazzle",
    "gnarflex vorpt",
    "wubbalub zint",
    "snorkeldink",
]
REAL = [
    "diffusion models for video generation",
    "mixture of experts",
    "reinforcement learning from human feedback",
    "speculative decoding",
    "vision language models",
    "retrieval augmented generation",
    "long context language models",
    "text to speech",
    "multi-agent systems",
    "3d gaussian splatting",
    "chain of thought reasoning",
    "image editing",
    "code generation benchmarks",
    "quantization of large language models",
    "robot manipulation policies",
    "protein structure",
    "mathematical reasoning",
    "hallucination detection",
    "world models",
    "tokenization",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floors", default="0,0.3,0.35,0.4,0.45")
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    floors = [float(f) for f in args.floors.split(",")]
    default_site(args.data_dir)
    from django.test.utils import override_settings

    from dailypapers.search import hybrid
    from dailypapers.search.query import SearchQuery
    from dailypapers.search.vectors import embeddings

    index = hybrid.ready_index()

    def nearest(text: str) -> float:
        return float(index.search(embeddings.embed_query(text), 1)[0][1])

    def shown(text: str, floor: float) -> int:
        with override_settings(SEARCH_VECTOR_FLOOR=floor):
            return len(hybrid.ranked_ids(SearchQuery(text=text)).ids)

    result: dict = {"papers": index.meta.count, "model": embeddings.MODEL_NAME, "floors": {}}
    for name, queries in (("nonsense", NONSENSE), ("real", REAL)):
        cosines = {text: round(nearest(text), 3) for text in queries}
        print(f"{name}: nearest cosine", json.dumps(cosines))
        result[f"{name}_nearest_max"] = max(cosines.values())
        result[f"{name}_nearest_min"] = min(cosines.values())
    for floor in floors:
        counts = {
            name: [shown(text, floor) for text in queries]
            for name, queries in (("nonsense", NONSENSE), ("real", REAL))
        }
        row = {
            "nonsense_with_results": sum(1 for n in counts["nonsense"] if n),
            "nonsense_results": counts["nonsense"],
            "real_without_results": sum(1 for n in counts["real"] if not n),
            "real_results_median": sorted(counts["real"])[len(REAL) // 2],
        }
        print(f"floor {floor}: {row}")
        result["floors"][str(floor)] = row
    print(json.dumps(result))


if __name__ == "__main__":
    main()
