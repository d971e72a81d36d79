"""Relevance-judged collections in the three common layouts.

* TREC: ``<DOC><DOCNO>id</DOCNO>text</DOC>`` documents (one or more files,
  under ``corpus/`` or beside), topics as ``<top><num>..</num><title>..``,
  qrels as ``qid iteration docid relevance``.
* SMART: ``.I id`` records with ``.T`` title, ``.W`` text and ``.A`` authors
  (``*.all``, ``cran.all.*``), queries the same way (``query.text``,
  ``cran.qry``), qrels as ``qid docid [grade]``. A third column is a grade
  (Cranfield: 1-4 relevant, -1 not); CACM's trailing ``0 0`` carry nothing.
  Cranfield's qrels number queries by position, not by their ``.I``: when the
  judged ids are not the queries' ids but are positions, positions are used.
* BEIR: ``corpus.jsonl`` (``_id, title, text``), ``queries.jsonl``
  (``_id, text``), ``qrels/test.tsv`` (``query-id corpus-id score``, header).

Relevance is binary (grade > 0); queries without a relevant document are dropped.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from dailypapers.core.errors import Invalid


class CollectionError(Invalid, ValueError):
    """Not a judged collection in a layout this reads."""


@dataclass
class Document:
    id: str
    title: str
    text: str
    authors: list[str] = field(default_factory=list)


@dataclass
class Collection:
    name: str
    layout: str
    documents: list[Document]
    queries: dict[str, str]
    qrels: dict[str, set[str]]

    def judged(self) -> dict[str, str]:
        return {q: text for q, text in self.queries.items() if self.qrels.get(q)}


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _squash(text: str) -> str:
    return " ".join(text.split())


def _smart_records(path: Path) -> list[tuple[str, dict[str, str]]]:
    records: list[tuple[str, dict[str, list[str]]]] = []
    tag = None
    for line in _read(path).splitlines():
        match = re.match(r"^\.([A-Z])(?:\s+(.*))?$", line)
        if match:
            tag = match.group(1)
            if tag == "I":
                records.append(((match.group(2) or "").strip(), defaultdict(list)))
                tag = None
            continue
        if records and tag:
            records[-1][1][tag].append(line)
    return [(rid, {k: "\n".join(v) for k, v in fields.items()}) for rid, fields in records]


def _strip_zeros(value: str) -> str:
    return value.lstrip("0") or "0"


def _load_smart(root: Path) -> Collection:
    docs_file = next(iter(sorted(root.glob("*.all*"))), None)
    query_file = next((p for p in (root / "query.text", root / "cran.qry") if p.exists()), None)
    qrels_file = next((p for p in (root / "qrels.text", root / "cranqrel") if p.exists()), None)
    if not (docs_file and query_file and qrels_file):
        raise CollectionError(
            f"{root}: SMART layout needs *.all, query.text/cran.qry and qrels.text/cranqrel"
        )
    documents = [
        Document(
            id=_strip_zeros(rid),
            title=_squash(fields.get("T", "")),
            text=_squash(fields.get("W", "")),
            authors=[_squash(a) for a in fields.get("A", "").splitlines() if a.strip()],
        )
        for rid, fields in _smart_records(docs_file)
    ]
    query_records = _smart_records(query_file)
    queries = {_strip_zeros(rid): _squash(fields.get("W", "")) for rid, fields in query_records}
    qrels: dict[str, set[str]] = defaultdict(set)
    for line in _read(qrels_file).splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        if len(parts) == 3 and not (parts[2].lstrip("-").isdigit() and int(parts[2]) > 0):
            continue
        qrels[_strip_zeros(parts[0])].add(_strip_zeros(parts[1]))
    judged = set(qrels)
    if judged - set(queries) and judged <= {str(i) for i in range(1, len(query_records) + 1)}:
        queries = {
            str(pos): _squash(fields.get("W", ""))
            for pos, (_, fields) in enumerate(query_records, 1)
        }
    return Collection(root.name, "smart", documents, queries, dict(qrels))


def _load_trec(root: Path) -> Collection:
    doc_files = sorted((root / "corpus").glob("*")) if (root / "corpus").is_dir() else []
    doc_files = doc_files or [
        p for p in root.glob("*") if p.is_file() and "<DOC>" in _read(p)[:2000]
    ]
    documents = []
    for path in doc_files:
        for match in re.finditer(
            r"<DOC>\s*<DOCNO>\s*(\S+)\s*</DOCNO>(.*?)</DOC>", _read(path), re.S
        ):
            body = re.sub(r"<[^>]+>", " ", match.group(2))
            documents.append(Document(id=match.group(1), title="", text=_squash(body)))
    topic_file = next(
        (
            p
            for p in sorted(root.glob("*.trec"))
            if "<top>" in _read(p)[:2000] and "query" in p.name and "light" not in p.name
        ),
        None,
    )
    topic_file = topic_file or next(
        (p for p in sorted(root.glob("*")) if p.is_file() and "<top>" in _read(p)[:2000]), None
    )
    if not documents or topic_file is None:
        raise CollectionError(f"{root}: TREC layout needs <DOC> documents and <top> topics")
    queries = {
        m.group(1): _squash(m.group(2))
        for m in re.finditer(
            r"<num>\s*(?:Number:)?\s*(\S+)\s*</num>\s*<title>(.*?)</title>", _read(topic_file), re.S
        )
    }
    qrels: dict[str, set[str]] = defaultdict(set)
    qrels_file = next((p for p in (root / "qrels", root / "qrels.txt") if p.exists()), None)
    if qrels_file is None:
        raise CollectionError(f"{root}: TREC layout needs a qrels file")
    for line in _read(qrels_file).splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[3].lstrip("-").isdigit() and int(parts[3]) > 0:
            qrels[parts[0]].add(parts[2])
    return Collection(root.name, "trec", documents, queries, dict(qrels))


def _load_beir(root: Path) -> Collection:
    documents = []
    for line in _read(root / "corpus.jsonl").splitlines():
        if line.strip():
            row = json.loads(line)
            documents.append(
                Document(
                    id=str(row["_id"]), title=row.get("title") or "", text=row.get("text") or ""
                )
            )
    queries = {}
    for line in _read(root / "queries.jsonl").splitlines():
        if line.strip():
            row = json.loads(line)
            queries[str(row["_id"])] = row["text"]
    qrels_file = next(
        iter(sorted((root / "qrels").glob("test.tsv")) or sorted((root / "qrels").glob("*.tsv"))),
        None,
    )
    if qrels_file is None:
        raise CollectionError(f"{root}: BEIR layout needs qrels/test.tsv")
    qrels: dict[str, set[str]] = defaultdict(set)
    for number, line in enumerate(_read(qrels_file).splitlines()):
        parts = line.split("\t")
        if number == 0 and not parts[-1].strip().lstrip("-").isdigit():
            continue  # header
        if len(parts) >= 3 and int(parts[2]) > 0:
            qrels[parts[0]].add(parts[1])
    return Collection(root.name, "beir", documents, queries, dict(qrels))


def load(path: Path) -> Collection:
    """A collection from a folder, its layout recognised by the files in it."""
    root = Path(path)
    if not root.is_dir():
        raise CollectionError(f"{root} is not a folder")
    if (root / "corpus.jsonl").exists():
        return _load_beir(root)
    if any(root.glob("*.all*")):
        return _load_smart(root)
    return _load_trec(root)
