import json
from pathlib import Path

import pytest

from bot.privacy import Scanner

CORPUS = Path(__file__).parents[1] / "data" / "scanner"


@pytest.fixture(scope="session")
def scanner() -> Scanner:
    return Scanner()


def load_split(name: str) -> list[dict]:
    with (CORPUS / f"{name}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]
