"""Code, model and project links found in abstracts.

Abstracts come with URLs glued to punctuation, wrapped in parentheses, or
followed by LaTeX debris such as ``...attention-llm{entropy-guided-llm}``.
A URL never legitimately contains ``{``, ``}``, ``\\`` or ``|`` unescaped
(RFC 3986), so the URL ends at the first of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

CODE = "code"
HUGGINGFACE = "huggingface"
PROJECT = "project"
REFERENCE = "reference"

_CODE_HOSTS = {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com"}
_HF_HOSTS = {"huggingface.co", "hf.co"}
# Links that point at the paper itself or a citation, not at a project.
_REFERENCE_HOSTS = {"doi.org", "dx.doi.org", "arxiv.org", "creativecommons.org"}

_CANDIDATE = re.compile(
    r"(?:https?://|www\.|(?<![\w./-])(?:github\.com|gitlab\.com|huggingface\.co)/)[^\s<>\"'`]+",
    re.IGNORECASE,
)
_MARKERS = ("http", "HTTP", "www.", "github.com", "gitlab.com", "huggingface.co")
_HARD_STOP = re.compile(r"[{}\\|^\[\]]")
_TRAILING = ".,;:!?'\"*"
_PAIRS = {")": "(", "]": "[", "}": "{"}


@dataclass(frozen=True)
class Link:
    kind: str
    url: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "url": self.url}


def clean_url(raw: str) -> str:
    url = _HARD_STOP.split(raw, maxsplit=1)[0]
    while url:
        last = url[-1]
        if last in _TRAILING:
            url = url[:-1]
        elif last in _PAIRS and url.count(last) > url.count(_PAIRS[last]):
            url = url[:-1]
        else:
            break
    if not url.lower().startswith(("http://", "https://")):
        url = "https://" + url
    return url


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


# "code ... available at <doi/zenodo link>": the reference is where the code is.
_CODE_CONTEXT = re.compile(r"\b(code|implementation|software|source)\b[^.]*$", re.IGNORECASE)


def classify(url: str, context: str = "") -> str:
    """Kind of ``url``; ``context`` is the text of its sentence before it."""
    host = _host(url)
    path_parts = [p for p in urlsplit(url).path.split("/") if p]
    if host in _CODE_HOSTS and len(path_parts) >= 2:
        return CODE
    if host in _HF_HOSTS:
        return HUGGINGFACE
    if host in _REFERENCE_HOSTS:
        return CODE if _CODE_CONTEXT.search(context) else REFERENCE
    return PROJECT


def is_valid(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = parts.hostname or ""
    return parts.scheme in ("http", "https") and "." in host and len(url) <= 500


# Every match of _CANDIDATE starts with one of these, in any case.
_STARTS = ("http", "www.", "github.com/", "gitlab.com/", "huggingface.co/")


def _candidates(text: str) -> Iterator[re.Match]:
    """What ``_CANDIDATE.finditer(text)`` finds, tried only where a match can start.

    Finding the possible starts with str.find and matching only there costs
    a tenth of scanning the whole abstract with the regex. Case is folded by
    lower(), which keeps positions only for ASCII text.
    """
    if not text.isascii():
        yield from _CANDIDATE.finditer(text)
        return
    lowered = text.lower()
    starts = set()
    for literal in _STARTS:
        at = lowered.find(literal)
        while at >= 0:
            starts.add(at)
            at = lowered.find(literal, at + 1)
    end = 0
    for at in sorted(starts):
        if at < end:
            continue
        match = _CANDIDATE.match(text, at)
        if match:
            end = match.end()
            yield match


def extract_links(text: str) -> list[Link]:
    """Every distinct, cleaned link in ``text``, in order of appearance."""
    if not text or not any(marker in text for marker in _MARKERS):
        return []  # most abstracts: skip the regex
    seen: set[str] = set()
    found: list[Link] = []
    for match in _candidates(text):
        url = clean_url(match.group(0))
        if url in seen or not is_valid(url):
            continue
        seen.add(url)
        context = text[max(0, match.start() - 120) : match.start()]
        found.append(Link(classify(url, context), url))
    return found
