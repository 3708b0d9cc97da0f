"""PRODUCT.md targets on the test half of the hand-written real-writing corpus (tests/data/scanner/real)."""

import pytest

from bot.privacy.metrics import Scores

from .conftest import load_split, score_split

STRICT_KINDS = ["PHONE", "EMAIL", "URL", "IP", "SSN", "DATE", "AGE", "ID", "ADDRESS"]


@pytest.fixture(scope="module")
def scores(scanner) -> Scores:
    return score_split(scanner, "real/test")


def test_real_corpus_shape():
    rows = load_split("real/dev") + load_split("real/test")
    assert len(rows) >= 500
    clean = sum(not r["spans"] for r in rows)
    assert 0.5 <= clean / len(rows) <= 0.7
    for r in rows:
        assert r["note"]
        for s in r["spans"]:
            assert r["text"][s["start"] : s["end"]] == s["text"]
    dev = {r["template"] for r in load_split("real/dev")}
    test = {r["template"] for r in load_split("real/test")}
    assert not dev & test


@pytest.mark.parametrize("kind", STRICT_KINDS)
def test_real_recall_strict_kinds(scores, kind):
    if scores.gold[kind]:
        assert scores.recall(kind) >= 0.98, (kind, scores.recall(kind))


@pytest.mark.parametrize("kind", ["GEO", "FACILITY"])
def test_real_recall_places(scores, kind):
    assert scores.recall(kind) >= 0.85, (kind, scores.recall(kind))


def test_real_name_recall(scores):
    assert scores.name_recall(lower=False) >= 0.90
    assert scores.name_recall(lower=True) >= 0.80


def test_real_held_and_redacted(scores):
    assert scores.held_rate >= 0.99
    assert scores.redacted_rate >= 0.90


def test_real_clean_rarely_held(scores):
    assert scores.false_hold_rate <= 0.05


def test_real_span_precision(scores):
    assert scores.span_precision >= 0.90
