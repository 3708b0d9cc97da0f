"""Generate the labelled scanner corpus: ``dev.jsonl`` and ``test.jsonl`` beside this file.

Deterministic (fixed seeds). Needs Faker at dev time only (``pip install faker``); the generated files
are committed and the tests read them, so the test suite does not need Faker.

Each line: ``{"id", "text", "spans": [{"kind", "start", "end", "text"}], "phi", "lower", "template"}``.
Half the messages of each split hold identifiers, half are clean with hard negatives (doses, times,
step numbers, durations, ages under 90, drug slang, group names, Hope/Grace/Will/Faith); about a
fifth are written all in lower case. Dev and test use disjoint templates (``templates.py``).

Run: ``python tests/data/scanner/generate.py``.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import templates
import values

HERE = Path(__file__).parent
SLOT = re.compile(r"\{(f:)?([A-Za-z]+)\}")
PER_SPLIT = 300  # messages with identifiers per split; as many clean ones
LOWER_SHARE = 0.2


def render(template: str, rng: random.Random) -> tuple[str, list[dict]]:
    """Fill one template; return the text and its gold spans."""
    out: list[str] = []
    spans: list[dict] = []
    pos = 0
    length = 0
    for m in SLOT.finditer(template):
        lit = template[pos : m.start()]
        out.append(lit)
        length += len(lit)
        if m.group(1):
            value = values.filler(m.group(2), rng)
            out.append(value)
            length += len(value)
        else:
            for text, kind in values.GENERATORS[m.group(2)](rng):
                if kind:
                    spans.append({"kind": kind, "start": length, "end": length + len(text), "text": text})
                out.append(text)
                length += len(text)
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), spans


def build(split: str, phi: list[str], clean: list[str], seed: int) -> list[dict]:
    """Build one split: PER_SPLIT messages with identifiers and PER_SPLIT clean ones."""
    rng = random.Random(seed)
    rows: list[dict] = []
    for i in range(2 * PER_SPLIT):
        has_phi = i % 2 == 0
        pool = phi if has_phi else clean
        t_index = (i // 2) % len(pool)
        text, spans = render(pool[t_index], rng)
        lower = rng.random() < LOWER_SHARE and len(text.lower()) == len(text)
        if lower:
            text = text.lower()
            for s in spans:
                s["text"] = text[s["start"] : s["end"]]
        rows.append(
            {
                "id": f"{split}-{i:04d}",
                "text": text,
                "spans": spans,
                "phi": bool(spans),
                "lower": lower,
                "template": f"{split}-{'phi' if has_phi else 'clean'}-{t_index}",
            }
        )
    return rows


def main() -> None:
    """Write dev.jsonl and test.jsonl."""
    for split, phi, clean, seed in (
        ("dev", templates.DEV_PHI, templates.DEV_CLEAN, 1001),
        ("test", templates.TEST_PHI, templates.TEST_CLEAN, 2002),
    ):
        rows = build(split, phi, clean, seed)
        with (HERE / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(
            f"{split}: {len(rows)} messages, {sum(r['phi'] for r in rows)} with identifiers, "
            f"{sum(r['lower'] for r in rows)} lower case"
        )


if __name__ == "__main__":
    main()
