"""The public contract: types, allow-list, known names, truncation, redaction, sharing."""

import dataclasses
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.privacy import KINDS, MAX_CHARS, Finding, ScanResult


def test_result_types_are_frozen_slotted_dataclasses(scanner):
    result = scanner.scan("my client Dana Ruiz called 215-555-0134")
    assert isinstance(result, ScanResult)
    assert all(isinstance(f, Finding) for f in result.findings)
    for obj, field in ((result, "redacted"), (result.findings[0], "text")):
        assert dataclasses.is_dataclass(obj)
        assert not hasattr(obj, "__dict__")
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, field, "x")
    assert {f.kind for f in result.findings} <= set(KINDS)
    assert result.kinds == {"NAME", "PHONE"}


def test_redaction_reads_naturally(scanner):
    text = "Maria Lopez, 34, relapsed after her court date on 3/14"
    result = scanner.scan(text)
    assert result.redacted == "[NAME], 34, relapsed after her court date on [DATE]"
    assert not result.clean


def test_clean_text(scanner):
    result = scanner.scan("Day 90 today, 8mg at 3pm, step 4 with my sponsor.")
    assert result.clean
    assert result.findings == []
    assert result.redacted == "Day 90 today, 8mg at 3pm, step 4 with my sponsor."


def test_allow_list_is_case_insensitive(scanner):
    text = "Thanks to Keystone House for hosting, and to Oluwaseun"
    assert not scanner.scan(text).clean
    assert scanner.scan(text, allow=("keystone house", "OLUWASEUN")).clean
    assert scanner.scan(text, ("Keystone", "House", "oluwaseun")).clean


def test_a_single_string_is_one_word(scanner):
    assert scanner.scan("talked to Oluwaseun", allow="oluwaseun").clean
    assert not scanner.scan("talked to Oluwaseun", allow="o").clean


def test_allow_keeps_other_findings(scanner):
    result = scanner.scan("Oluwaseun called from 215-555-0134", allow=["oluwaseun"])
    assert [f.kind for f in result.findings] == ["PHONE"]


def test_known_names(scanner):
    assert scanner.scan("ask brightstar about it").clean
    assert scanner.scan("ask brightstar about it", names=["BrightStar"]).findings[0].text == "brightstar"
    # A known name that is also a word is found only capitalised.
    assert scanner.scan("there is hope", names=["Hope Adams"]).clean
    assert not scanner.scan("talked to Hope today", names=["Hope Adams"]).clean


def test_only_the_first_max_chars_are_scanned(scanner):
    text = "x " * MAX_CHARS + "call 215-555-0134"
    result = scanner.scan(text)
    assert result.truncated
    assert result.clean
    assert result.redacted == text
    assert not scanner.scan("call 215-555-0134").truncated


def test_shared_between_threads(scanner):
    texts = [f"my client Dana Ruiz, MRN {448800 + i}, lives at {i + 10} Elm St" for i in range(200)]
    expected = [scanner.scan(t).redacted for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(lambda t: scanner.scan(t).redacted, texts)) == expected


def test_standard_library_only_and_no_discord():
    code = (
        "import sys; from bot.privacy import Scanner; Scanner().scan('Dana, 3/14');"
        "mods = {m.split('.')[0] for m in sys.modules};"
        "print(sorted(m for m in mods - set(sys.stdlib_module_names) - {'bot'} if not m.startswith('_')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "text",
    [
        "1" * 4000,
        "a" * 4000,
        "1-" * 2000,
        "@" * 4000,
        "!?.,;:" * 700,
        "a." * 2000,
        "a@" * 2000,
        "Maria " * 700,
        "1 " * 2000,
        "www." * 1000,
        "ab:" * 1333,
        "$a" * 2000,
        "(" * 4000,
        "on 3/14 " * 500,
    ],
)
def test_hostile_input_is_linear(scanner, text):
    # Not a benchmark: a loose bound that catastrophic backtracking would blow through.
    start = time.perf_counter()
    scanner.scan(text)
    assert time.perf_counter() - start < 0.5
