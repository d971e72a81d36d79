"""LaTeX in arXiv metadata turned into the text a reader expects.

arXiv titles, abstracts and author names carry TeX accents (``Bal\\'azs``),
escaped specials (``50\\%``) and text macros (``\\emph{...}``). Those become
Unicode; math between ``$`` signs is left as written, for a math renderer.
A general LaTeX parser (pylatexenc) was measured here: it crashed on real
abstracts (``\\href`` with a missing argument) and is far slower than the
import budget allows, so this handles the forms that occur in metadata.
"""

from __future__ import annotations

import re
import unicodedata

_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}
_LETTERS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
}
_ESCAPES = {"&": "&", "%": "%", "_": "_", "#": "#", "$": "$", "{": "{", "}": "}", " ": " "}
_TEXT_MACROS = "textbf|textit|emph|texttt|textsc|textrm|textsf|mathrm|text|url|mbox"

# \'a  \'{a}  {\'a}  \'\i  \"{\i}  \c c
_ACCENT_RE = re.compile(
    r"\{?\\([" + re.escape("'`^\"~=.") + r"]|[uvHckrdb](?=[\s{]))\s*"
    r"(?:\{\s*(\\[ij]|[A-Za-z])\s*\}|(\\[ij](?![A-Za-z])|[A-Za-z]))\}?"
)
_LETTER_RE = re.compile(r"\{?\\(ss|ae|AE|oe|OE|aa|AA|[oOlLij])(?![A-Za-z])\}?(?:\{\})?")
_ESCAPE_RE = re.compile(r"\\([&%_#${} ])")
_MACRO_RE = re.compile(r"\\(?:" + _TEXT_MACROS + r")\s*\{([^{}]*)\}")
# Old-style font switches: {\em text}, {\bf text}.
_SWITCH_RE = re.compile(r"\{\\(?:em|it|bf|rm|sl|sc|tt|sf)\s+([^{}]*)\}")
_MATH_RE = re.compile(r"(\$\$.*?\$\$|\$[^$]*\$)", re.DOTALL)


def _accent(match: re.Match) -> str:
    base = match.group(2) or match.group(3)
    base = {"\\i": "i", "\\j": "j"}.get(base, base)
    return unicodedata.normalize("NFC", base + _ACCENTS[match.group(1)])


def _text_part(text: str) -> str:
    if "\\" not in text:
        return text
    text = _ACCENT_RE.sub(_accent, text)
    text = _LETTER_RE.sub(lambda m: _LETTERS[m.group(1)], text)
    for _ in range(3):  # nested \emph{\textbf{...}}
        text, count = _MACRO_RE.subn(r"\1", text)
        text, switched = _SWITCH_RE.subn(r"\1", text)
        if not count and not switched:
            break
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(1)], text)


def latex_to_text(text: str) -> str:
    """Accents, escapes and text macros to Unicode; ``$math$`` untouched."""
    if not text or "\\" not in text:
        return text
    parts = _MATH_RE.split(text)
    # Odd indexes are the math segments kept by the capturing split.
    return "".join(part if i % 2 else _text_part(part) for i, part in enumerate(parts))
