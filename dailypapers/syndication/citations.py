"""BibTeX and RIS records of papers, one or many.

arXiv papers follow arXiv's own BibTeX style (@misc with eprint,
archivePrefix and primaryClass); a DOI or journal reference is kept when the
paper has one. Keys are "familyYYYYfirstword" and made unique within a list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from dailypapers.core.site import absolute_url
from dailypapers.papers.models import Paper

_WORD = re.compile(r"[A-Za-z0-9]+")
_STOP = {"a", "an", "the", "on", "of", "for", "and", "in", "to", "with", "towards", "toward"}


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _family(paper: Paper) -> str:
    if not paper.authors:
        return "anon"
    first = paper.authors[0]
    name = first.get("family") or first["name"].split()[-1]
    return (_ascii(name).lower() or "anon").replace(" ", "")


def cite_key(paper: Paper) -> str:
    year = paper.published_at.year if paper.published_at else ""
    words = [w.lower() for w in _WORD.findall(_ascii(paper.title)) if w.lower() not in _STOP]
    return f"{_family(paper)}{year}{words[0] if words else 'paper'}"


def _bib_escape(text: str) -> str:
    # Braces keep BibTeX from re-casing; special characters are escaped.
    text = " ".join(text.split())
    for char, escaped in (("\\", r"\textbackslash{}"), ("{", r"\{"), ("}", r"\}"), ("&", r"\&"),
                          ("%", r"\%"), ("$", r"\$"), ("#", r"\#"), ("_", r"\_")):  # fmt: skip
        text = text.replace(char, escaped)
    return text


def bibtex(papers: Iterable[Paper]) -> str:
    entries, seen = [], {}
    for paper in papers:
        key = cite_key(paper)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key += chr(ord("a") + seen[key] - 2)
        fields = [("title", "{" + _bib_escape(paper.title) + "}")]
        if paper.author_names:
            fields.append(("author", " and ".join(_bib_escape(n) for n in paper.author_names)))
        if paper.published_at:
            fields.append(("year", str(paper.published_at.year)))
            fields.append(("month", paper.published_at.strftime("%b").lower()))
        if paper.arxiv_id:
            fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
            if paper.primary_category:
                fields.append(("primaryClass", paper.primary_category))
        if paper.doi:
            fields.append(("doi", _bib_escape(paper.doi)))
        if paper.journal_ref:
            fields.append(("note", _bib_escape(paper.journal_ref)))
        url = paper.arxiv_abs_url or absolute_url(paper.get_absolute_url())
        fields.append(("url", url))
        body = ",\n".join(
            f"  {name} = {value if name == 'title' else '{' + value + '}'}"
            for name, value in fields
        )
        entries.append(f"@misc{{{key},\n{body}\n}}\n")
    return "\n".join(entries)


def ris(papers: Iterable[Paper]) -> str:
    records = []
    for paper in papers:
        lines = ["TY  - ELEC" if not paper.journal_ref else "TY  - JOUR"]
        lines.append(f"TI  - {' '.join(paper.title.split())}")
        lines += [f"AU  - {name}" for name in paper.author_names]
        if paper.published_at:
            lines.append(f"PY  - {paper.published_at.year}")
            lines.append(f"DA  - {paper.published_at:%Y/%m/%d}")
        if paper.abstract:
            lines.append(f"AB  - {' '.join(paper.abstract.split())}")
        if paper.doi:
            lines.append(f"DO  - {paper.doi}")
        if paper.journal_ref:
            lines.append(f"JO  - {paper.journal_ref}")
        lines += [f"KW  - {c}" for c in paper.category_list]
        lines.append(f"UR  - {paper.arxiv_abs_url or absolute_url(paper.get_absolute_url())}")
        if paper.arxiv_id:
            lines.append(f"M3  - arXiv:{paper.arxiv_id}")
        lines.append("ER  - ")
        records.append("\r\n".join(lines))
    return "\r\n\r\n".join(records) + "\r\n"
