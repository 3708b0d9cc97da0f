"""Pure logic for case posts: the fields of a case, scanning them all, and rendering the post."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import HarborError
from bot.privacy import Finding, Scanner

FIELDS = ("title", "situation", "tried", "question")
LABELS = {"title": "Title", "situation": "Situation", "tried": "What has been tried", "question": "Question for peers"}
LIMITS = {"title": 90, "situation": 1500, "tried": 1000, "question": 500}
YES = frozenset({"yes", "y", "true", "1", "anonymous", "anon"})
NO = frozenset({"", "no", "n", "false", "0"})


@dataclass(frozen=True, slots=True)
class CaseDraft:
    """The text of a case as submitted (kept in memory only, never stored)."""

    title: str
    situation: str
    tried: str
    question: str
    anonymous: bool

    def field(self, name: str) -> str:
        """One field's text by name."""
        return str(getattr(self, name))


@dataclass(frozen=True, slots=True)
class FieldFinding:
    """One scanner finding in one field."""

    field: str
    finding: Finding


def parse_anonymous(text: str) -> bool:
    """Read yes/no (and a few spellings) as a bool; HarborError otherwise."""
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise HarborError("For “anonymous”, write yes or no.")


def make_draft(title: str, situation: str, tried: str, question: str, anonymous: str) -> CaseDraft:
    """Validate the modal's values: nothing empty or only whitespace, each within its limit."""
    values = {
        "title": title.strip(),
        "situation": situation.strip(),
        "tried": tried.strip(),
        "question": question.strip(),
    }
    for name, value in values.items():
        if name != "tried" and not value:
            raise HarborError(f"“{LABELS[name]}” is empty; write something there. Nothing was posted.")
        if len(value) > LIMITS[name]:
            raise HarborError(
                f"“{LABELS[name]}” is too long ({len(value)} characters; at most {LIMITS[name]}). Nothing was posted."
            )
    return CaseDraft(**values, anonymous=parse_anonymous(anonymous))


def scan_draft(
    scanner: Scanner, draft: CaseDraft, allow: tuple[str, ...] = (), keep: frozenset[str] = frozenset()
) -> list[FieldFinding]:
    """Every finding in every field, except fragments the author marked "not an identifier" (`keep`)."""
    found: list[FieldFinding] = []
    for name in FIELDS:
        result = scanner.scan(draft.field(name), allow)
        found.extend(FieldFinding(name, f) for f in result.findings if f.text not in keep)
    return found


def redacted(draft: CaseDraft, findings: list[FieldFinding]) -> CaseDraft:
    """The draft with each finding replaced by ``[KIND]``."""
    values: dict[str, str] = {}
    for name in FIELDS:
        text = draft.field(name)
        for ff in sorted((f for f in findings if f.field == name), key=lambda f: f.finding.start, reverse=True):
            text = text[: ff.finding.start] + f"[{ff.finding.kind}]" + text[ff.finding.end :]
        values[name] = text
    return CaseDraft(**values, anonymous=draft.anonymous)


def post_body(draft: CaseDraft) -> str:
    """The text of the case post in its thread."""
    parts = [f"**{LABELS['situation']}**\n{draft.situation}"]
    if draft.tried:
        parts.append(f"**{LABELS['tried']}**\n{draft.tried}")
    parts.append(f"**{LABELS['question']}**\n{draft.question}")
    return "\n\n".join(parts)


ALLOW_MAX_WORDS = 100
ALLOW_MAX_CHARS = 40


def clean_allow_word(text: str) -> str:
    """A server allow-list entry: 1–40 characters of letters, spaces, hyphens, apostrophes or dots."""
    word = " ".join(text.split())
    if not word or len(word) > ALLOW_MAX_CHARS:
        raise HarborError(f"Give a word or short name of 1 to {ALLOW_MAX_CHARS} characters.")
    if any(not (c.isalpha() or c in " -'.") for c in word):
        raise HarborError("Allow-list entries are words (letters, spaces, hyphens, apostrophes); no digits.")
    return word
