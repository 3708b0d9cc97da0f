"""Turn what a member types into a safe SQLite FTS5 query, and the ranking weights.

Members type words, not FTS5 syntax: quotes, ``*``, ``-``, ``:``, ``^``, parentheses and the
operators ``AND``/``OR``/``NOT``/``NEAR`` are all treated as plain text. The text is split into
words exactly where FTS5's ``unicode61`` tokenizer splits (letters, digits and private-use characters
make words; everything else separates), and every word becomes a quoted prefix term ``"word"*``.
Terms are implicitly AND-ed, so every word must match the start of some word in the entry;
bm25 then ranks title matches above tag matches above description matches.
"""

from __future__ import annotations

import unicodedata

MAX_TERMS = 12
MAX_TERM_LENGTH = 64
# bm25 column weights, in the FTS table's column order: title, description, tags.
WEIGHTS = (10.0, 1.0, 4.0)


def words(text: str) -> list[str]:
    """The words FTS5's unicode61 tokenizer would see in `text` (letters, numbers, private use)."""
    found: list[str] = []
    current: list[str] = []
    for char in text or "":
        category = unicodedata.category(char)
        if category[0] in "LN" or category == "Co":
            current.append(char)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found


def fts_query(text: str, *, prefix: bool = True) -> str | None:
    """A MATCH expression for `text` that never raises a syntax error; None when it holds no words."""
    terms: list[str] = []
    for word in words(text):
        term = word[:MAX_TERM_LENGTH].replace('"', '""')
        quoted = f'"{term}"' + ("*" if prefix else "")
        if quoted not in terms:
            terms.append(quoted)
        if len(terms) == MAX_TERMS:
            break
    return " ".join(terms) if terms else None


def title_query(text: str) -> str | None:
    """Like `fts_query`, restricted to the title column (for autocomplete)."""
    query = fts_query(text)
    return None if query is None else "{title} : (" + query + ")"
