import json
from pathlib import Path

import pytest

from bot.privacy import Scanner
from bot.privacy.metrics import Scores

CORPUS = Path(__file__).parents[1] / "data" / "scanner"


@pytest.fixture(scope="session")
def scanner() -> Scanner:
    return Scanner()


def load_split(name: str) -> list[dict]:
    with (CORPUS / f"{name}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def score_split(scanner: Scanner, name: str) -> Scores:
    """The scanner's scores over one labelled split."""
    result = Scores()
    for row in load_split(name):
        result.add(row, scanner.scan(row["text"]).findings)
    return result
