"""Result types of the confidentiality scanner."""

from __future__ import annotations

from dataclasses import dataclass

#: Every kind of identifier the scanner reports (HIPAA Safe Harbor, grouped for chat text).
KINDS: tuple[str, ...] = (
    "NAME",
    "DATE",
    "AGE",
    "PHONE",
    "EMAIL",
    "URL",
    "IP",
    "SSN",
    "ID",
    "ADDRESS",
    "GEO",
    "FACILITY",
    "HANDLE",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One identifier found in a text.

    Attributes:
        kind: one of :data:`KINDS`.
        start: index of the first character in the scanned text.
        end: index one past the last character, so ``text == scanned[start:end]``.
        text: the characters found.
        reason: why, in a few words a member can act on ("looks like a phone number").
    """

    kind: str
    start: int
    end: int
    text: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What :meth:`bot.privacy.Scanner.scan` found in one text.

    Attributes:
        findings: ordered, non-overlapping findings.
        redacted: the text with every finding replaced by ``[KIND]``.
        truncated: True when the text was longer than the scanned prefix; the rest was not scanned.
    """

    findings: list[Finding]
    redacted: str
    truncated: bool = False

    @property
    def clean(self) -> bool:
        """True when nothing was found."""
        return not self.findings

    @property
    def kinds(self) -> frozenset[str]:
        """The kinds found: what a moderation log may record (never the words)."""
        return frozenset(f.kind for f in self.findings)
