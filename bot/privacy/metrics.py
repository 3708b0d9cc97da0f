"""Accuracy measures of the scanner over a labelled corpus (used by the tests and ``bench/scanner.py``).

Definitions:

* A gold span is **found** when findings of the same kind cover every letter and digit of it
  (punctuation and spaces at its edges may be left out).
* A gold span is **redacted** when findings of any kind cover every letter and digit of it.
* A message with gold spans is **held** when the scanner reports anything, **fully redacted** when
  every gold span is redacted. A clean message is **falsely held** when the scanner reports anything.
* A finding is **correct** (span precision) when it overlaps some gold span; per kind, when it overlaps
  a gold span of its own kind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.privacy.model import KINDS, Finding


def _covered(text: str, start: int, end: int, findings: Iterable[Finding]) -> bool:
    mask = [False] * (end - start)
    for f in findings:
        for i in range(max(start, f.start), min(end, f.end)):
            mask[i - start] = True
    return all(mask[i - start] or not text[i].isalnum() for i in range(start, end))


@dataclass
class Scores:
    """Counts gathered over a corpus; the properties turn them into rates."""

    gold: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    name_gold: Counter[bool] = field(default_factory=Counter)
    name_found: Counter[bool] = field(default_factory=Counter)
    findings: int = 0
    findings_correct: int = 0
    phi_messages: int = 0
    held: int = 0
    fully_redacted: int = 0
    clean_messages: int = 0
    falsely_held: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, row: Mapping[str, Any], findings: Sequence[Finding]) -> None:
        """Score the findings of one corpus row (``text``, ``spans``, ``lower``)."""
        text = row["text"]
        spans = row["spans"]
        for f in findings:
            self.predicted[f.kind] += 1
            self.findings += 1
            overlapping = [g for g in spans if g["start"] < f.end and f.start < g["end"]]
            if overlapping:
                self.findings_correct += 1
            if any(g["kind"] == f.kind for g in overlapping):
                self.correct[f.kind] += 1
            if not overlapping:
                self.false_alarms.append((row["id"], f.kind, f.text))
        if not spans:
            self.clean_messages += 1
            self.falsely_held += bool(findings)
            return
        self.phi_messages += 1
        self.held += bool(findings)
        all_redacted = True
        for g in spans:
            kind = g["kind"]
            self.gold[kind] += 1
            same = [f for f in findings if f.kind == kind]
            ok = _covered(text, g["start"], g["end"], same)
            self.found[kind] += ok
            if kind == "NAME":
                self.name_gold[bool(row.get("lower"))] += 1
                self.name_found[bool(row.get("lower"))] += ok
            if not ok:
                self.misses.append((row["id"], kind, g["text"]))
            all_redacted &= ok or _covered(text, g["start"], g["end"], findings)
        self.fully_redacted += all_redacted

    def recall(self, kind: str) -> float:
        """Share of gold spans of ``kind`` found."""
        return self.found[kind] / self.gold[kind] if self.gold[kind] else float("nan")

    def precision(self, kind: str) -> float:
        """Share of findings of ``kind`` that overlap a gold span of that kind."""
        return self.correct[kind] / self.predicted[kind] if self.predicted[kind] else float("nan")

    def f1(self, kind: str) -> float:
        """Harmonic mean of :meth:`precision` and :meth:`recall`."""
        p, r = self.precision(kind), self.recall(kind)
        return 2 * p * r / (p + r) if p + r else 0.0

    def name_recall(self, lower: bool) -> float:
        """NAME recall in normal (``lower=False``) or all-lower-case messages."""
        return self.name_found[lower] / self.name_gold[lower] if self.name_gold[lower] else float("nan")

    @property
    def span_precision(self) -> float:
        """Share of findings that overlap some gold span (any kind)."""
        return self.findings_correct / self.findings if self.findings else 1.0

    @property
    def held_rate(self) -> float:
        """Share of messages with identifiers that the scanner holds."""
        return self.held / self.phi_messages if self.phi_messages else float("nan")

    @property
    def redacted_rate(self) -> float:
        """Share of messages with identifiers whose every gold span is redacted."""
        return self.fully_redacted / self.phi_messages if self.phi_messages else float("nan")

    @property
    def false_hold_rate(self) -> float:
        """Share of clean messages the scanner would hold."""
        return self.falsely_held / self.clean_messages if self.clean_messages else float("nan")

    def kinds(self) -> list[str]:
        """The kinds present in gold or predictions, in :data:`KINDS` order."""
        return [k for k in KINDS if self.gold[k] or self.predicted[k]]
