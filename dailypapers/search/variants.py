"""Words written two ways: "finetuning" finds the papers that write "fine-tuning".

The indexes read "fine-tuning" as two words and "finetuning" as one, and
"optimisation" and "optimization" as two words their stemmers do not fold
together, so a query found only the papers that write its word the way it
was typed: of 74,728 arXiv CS papers 6,974 write "fine-tuning" (or "fine
tuning") and never "finetuning", 576 only "finetuning"; 7,960 write
"optimization" and 207 "optimisation". Lucene joins hyphenated words when
it indexes them (its word delimiter filter); here the three indexes stay as
they are and a typed query asks for the other form as well: a word the
papers also write hyphenated asks for its parts, a hyphenated word for its
joined form, a word with a British or American ending for the other
spelling, each when at least half as many papers write the other form as
write the one typed. Below that the other form finds few papers, outranks
the form typed (BM25 weighs a rarer word more) and, for a hyphenated
word, costs precision: "dataset" would ask for every paper saying "data"
and "set" to find the 1% that write "data-set".

Which words the papers write hyphenated is counted with the words for
spelling (vocabulary.vocabulary_refresh), and so are the words another
spelling is looked up among; how many papers write a word joined is the
keyword index's own count. A long text (a pasted abstract, related papers)
is read as written: it says its subject in many words.
"""

from __future__ import annotations

import re

from dailypapers.search.backends import lexical_backend
from dailypapers.search.models import Compound, Word
from dailypapers.search.query import STOPWORDS, SearchQuery

# Letters and digits joined by hyphens; the possessive ++ never gives back
# a word's letters to look for a hyphen inside it (four times as fast).
_HYPHENATED = re.compile(r"(?<![^\W_])[^\W_]++(?:-[^\W_]++)+")
# The hyphen and the non-breaking hyphen, as "-".
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})
MAX_PARTS = 4
MAX_CHARS = 64  # Compound.word's length
# The other form is asked for when at least this share of the papers
# writing the typed form write it. BM25 weighs a rarer word more, so papers
# writing a form a tenth as common would rank above those writing the word
# as typed: at a tenth, Vaswani's few papers saying "analog" came before
# its many saying "analogue" (two queries .08 and .03 lower in nDCG@10
# than at half). At half, a rarer form weighs at most ln 2 more.
OTHER_SHARE = 0.5
# Another spelling one paper writes is not asked for (a typo, as often as not).
MIN_PAPERS = 2
# British and American endings ("isation" and "ization"), each read both ways.
_REGIONAL_ENDINGS = (
    ("isation", "ization"),
    ("isations", "izations"),
    ("ise", "ize"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("ising", "izing"),
    ("iser", "izer"),
    ("isers", "izers"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("ysing", "yzing"),
    ("our", "or"),
    ("ours", "ors"),
    ("oured", "ored"),
    ("ouring", "oring"),
    ("oural", "oral"),
    ("ourhood", "orhood"),
    ("ourhoods", "orhoods"),
    ("lled", "led"),
    ("lling", "ling"),
    ("ller", "ler"),
    ("llers", "lers"),
    ("tre", "ter"),
    ("tres", "ters"),
    ("ogue", "og"),
    ("ogues", "ogs"),
    ("ence", "ense"),
)
# Letters before the ending: "four" is not "for".
_MIN_STEM = 3


def hyphenated(text: str) -> list[tuple[str, ...]]:
    """The hyphenated words of ``text`` as their parts, case folded: "GPT-4"
    is ("gpt", "4"), "state-of-the-art" four parts; numbers alone ("2-3")
    and words of more than MAX_PARTS parts are not words."""
    found = []
    # No hyphenated word holds a space: only the pieces of text holding a
    # hyphen are searched (a fifth of the time of searching the whole text).
    pieces = [piece for piece in text.translate(_HYPHENS).split() if "-" in piece]
    for match in (m for piece in pieces for m in _HYPHENATED.findall(piece)):
        parts = tuple(match.casefold().split("-"))
        joined = "".join(parts)
        if len(parts) <= MAX_PARTS and len(joined) <= MAX_CHARS and not joined.isdigit():
            found.append(parts)
    return found


def search_terms(query: SearchQuery) -> list[str]:
    """``query``'s terms and, for a typed query, the other forms of its words
    (the module's docstring)."""
    terms = query.terms
    if not terms or not query.is_typed:
        return terms
    typed = {t for t in terms if t.isalnum()}
    other = _hyphenation(query, typed) + _regional(typed)
    return terms + [w for w in dict.fromkeys(other) if w not in STOPWORDS and w not in typed]


def _hyphenation(query: SearchQuery, typed: set[str]) -> list[str]:
    joined_typed = {"".join(parts) for parts in hyphenated(query.words_text)}
    rows = {
        word: (parts, papers)
        for word, parts, papers in Compound.objects.filter(
            word__in=sorted(typed | joined_typed)
        ).values_list("word", "parts", "papers")
    }
    if not rows and not joined_typed:
        return []
    engine = lexical_backend()

    def joined_papers(word: str) -> int:
        return max(engine.word_papers((word,)), default=0)

    other: list[str] = []
    for word in sorted(typed & rows.keys()):
        parts, papers = rows[word]
        if papers >= OTHER_SHARE * joined_papers(word):
            other += parts.split()
    for word in sorted(joined_typed - typed):
        papers = joined_papers(word)
        if papers and papers >= OTHER_SHARE * rows.get(word, ("", 0))[1]:
            other.append(word)
    return other


def regional(word: str) -> set[str]:
    """``word`` with its ending spelt the other side of the Atlantic
    ("optimisation" and "optimization", "modelling" and "modeling"): every
    such spelling, real or not; the papers' words decide which are."""
    found = set()
    for british, american in _REGIONAL_ENDINGS:
        for ending, other in ((british, american), (american, british)):
            if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
                found.add(word[: -len(ending)] + other)
    return found - {word}


def _regional(typed: set[str]) -> list[str]:
    spellings = {word: regional(word) for word in typed if word.isalpha()}
    asked = set(spellings) | {s for found in spellings.values() for s in found}
    if not asked:
        return []
    held = Word.objects.papers_holding(asked)
    pairs = [
        (word, spelt)
        for word, found in sorted(spellings.items())
        for spelt in sorted(found)
        if held.get(spelt, 0) >= max(MIN_PAPERS, OTHER_SHARE * held.get(word, 0))
    ]
    if not pairs:
        return []
    # A spelling the index's stemmer folds in is found already (SQLite's
    # Porter stemmer keeps "modelling" apart from "modeling", PostgreSQL's
    # Snowball does not).
    words = tuple(dict.fromkeys(w for pair in pairs for w in pair))
    stems = dict(zip(words, lexical_backend().word_stems(words), strict=True))
    return [spelt for word, spelt in pairs if stems[spelt] != stems[word]]
