"""Turn what a member types into a safe SQLite FTS5 query, and the ranking weights.

Members type words, not FTS5 syntax: quotes, ``*``, ``-``, ``:``, ``^``, parentheses and the
operators ``AND``/``OR``/``NOT``/``NEAR`` are all treated as plain text. The text is split into
words exactly where FTS5's ``unicode61`` tokenizer splits (letters, digits and private-use characters
make words; everything else separates), and every word becomes a quoted term ``"word"``.
Terms are implicitly AND-ed; bm25 ranks title matches above tag matches above description matches.

Prefix matching is search-as-you-type: the *last* word is a prefix term (``"nalox"*`` finds
"naloxone"), as are earlier words cut short with a trailing ``*`` … except that a prefix needs at
least two characters, since ``"a"*`` would match most of the index for nothing. Very common function
words ("the", "and", "of" …) are dropped when the query has other words: they are in nearly every entry,
so they narrow nothing and only cost time.
"""

from __future__ import annotations

import unicodedata

MAX_TERMS = 12
MAX_TERM_LENGTH = 64
MIN_PREFIX = 2
STOPWORDS = frozenset(
    "a an and are as at be by for from how in is it of on or the this to what when who with your you".split()
)
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
    found = words(text)
    if not found:
        return None
    content = [w for w in found if w.lower() not in STOPWORDS] or found
    starred = set()
    if prefix:
        starred.add(len(content) - 1)
        position = 0
        for index, word in enumerate(content):
            # A word typed with a trailing "*" asks for a prefix wherever it stands.
            position = text.find(word, position) + len(word)
            if text[position : position + 1] == "*":
                starred.add(index)
    terms: list[str] = []
    for index, word in enumerate(content):
        term = word[:MAX_TERM_LENGTH].replace('"', '""')
        quoted = f'"{term}"' + ("*" if index in starred and len(term) >= MIN_PREFIX else "")
        if quoted not in terms:
            terms.append(quoted)
        if len(terms) == MAX_TERMS:
            break
    return " ".join(terms)


def title_query(text: str) -> str | None:
    """Like `fts_query`, restricted to the title column (for autocomplete)."""
    query = fts_query(text)
    return None if query is None else "{title} : (" + query + ")"


def compact(text: str, max_length: int) -> str:
    """`text` reduced to its words (keeping a `*` typed after a word) and cut, at a word, to `max_length`.

    `fts_query(compact(text, n))` equals `fts_query(text)` whenever the words fit, so a paging button can
    carry the query in its custom id (nothing is stored) and every page runs the same search.
    """
    parts: list[str] = []
    position = 0
    for word in words(text):
        position = text.find(word, position) + len(word)
        parts.append(word + ("*" if text[position : position + 1] == "*" else ""))
    kept = ""
    for part in parts:
        candidate = f"{kept} {part}" if kept else part
        if len(candidate) > max_length:
            break
        kept = candidate
    return kept or (parts[0][:max_length] if parts else "")
