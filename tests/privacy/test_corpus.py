"""PRODUCT.md accuracy targets, asserted on the held-out test split (templates never used for tuning)."""

import importlib.util

import pytest

from bot.privacy.metrics import Scores

from .conftest import CORPUS, load_split, score_split

STRICT_KINDS = ["PHONE", "EMAIL", "URL", "IP", "SSN", "DATE", "AGE", "ID", "ADDRESS"]


@pytest.fixture(scope="module")
def scores(scanner) -> Scores:
    return score_split(scanner, "test")


def test_corpus_shape():
    for split in ("dev", "test"):
        rows = load_split(split)
        assert len(rows) >= 500
        phi = sum(r["phi"] for r in rows)
        assert abs(phi - len(rows) / 2) <= len(rows) * 0.05
        assert sum(r["lower"] for r in rows) >= 0.15 * len(rows)
        for r in rows:
            for s in r["spans"]:
                assert r["text"][s["start"] : s["end"]] == s["text"]


def test_dev_and_test_templates_are_disjoint():
    spec = importlib.util.spec_from_file_location("scanner_templates", CORPUS / "templates.py")
    templates = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(templates)
    assert not set(templates.DEV_PHI) & set(templates.TEST_PHI)
    assert not set(templates.DEV_CLEAN) & set(templates.TEST_CLEAN)


@pytest.mark.parametrize("kind", STRICT_KINDS)
def test_recall_strict_kinds(scores, kind):
    assert scores.recall(kind) >= 0.98, (kind, scores.recall(kind))


@pytest.mark.parametrize("kind", ["GEO", "FACILITY"])
def test_recall_places(scores, kind):
    assert scores.recall(kind) >= 0.85, (kind, scores.recall(kind))


def test_name_recall(scores):
    assert scores.name_recall(lower=False) >= 0.90
    assert scores.name_recall(lower=True) >= 0.80


def test_messages_held_and_redacted(scores):
    assert scores.held_rate >= 0.99
    assert scores.redacted_rate >= 0.90


def test_clean_messages_rarely_held(scores):
    assert scores.false_hold_rate <= 0.05


def test_span_precision(scores):
    assert scores.span_precision >= 0.90
