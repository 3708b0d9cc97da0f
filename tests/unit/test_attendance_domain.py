"""Attendance codes, their window, certificate codes, file limits, the audit pack's parts and the PDF."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import attendance as rules
from bot.domain.certificates import (
    FILE_CAP,
    CertificateError,
    CertificateText,
    PackFile,
    certificate_pdf,
    check_size,
    safe_name,
    split_pack,
)

START = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)


def test_codes_use_the_unambiguous_alphabet_and_read_back_forgivingly():
    for _ in range(200):
        code = rules.new_code()
        assert len(code) == 6 and not set(code) & set("01OIL")
        assert rules.normalise_code(f" {code[:3].lower()}-{code[3:]} ") == code
    verify = rules.new_verify_code()
    assert rules.normalise_verify_code(verify.lower().replace("-", " ")) == verify


@pytest.mark.parametrize("text", ["", "12345", "K7PM3QX", "K7PM0Q", "héllo!", "DROP TABLE", "K7PM 3"])
def test_junk_codes_are_refused_with_an_example(text):
    with pytest.raises(rules.AttendanceError, match="K7PM3Q"):
        rules.normalise_code(text)


@given(st.text(max_size=60))
def test_any_text_is_either_a_code_or_a_clear_refusal(text):
    try:
        code = rules.normalise_code(text)
    except rules.AttendanceError:
        return
    assert len(code) == 6 and set(code) <= set(rules.ALPHABET)


def test_window_opens_15_minutes_before_and_closes_30_after_the_end():
    window = rules.Window.of(START, 90)
    assert window.state(START - timedelta(minutes=16)) == "early"
    assert window.state(START - timedelta(minutes=15)) == "open"
    assert window.state(START + timedelta(minutes=120)) == "open"
    assert window.state(START + timedelta(minutes=121)) == "closed"
    assert rules.can_mark(START, 90, START + timedelta(days=14))
    assert not rules.can_mark(START, 90, START + timedelta(days=15))
    assert not rules.can_mark(START, 90, START - timedelta(minutes=16))


def test_file_limits():
    check_size(1)
    check_size(FILE_CAP)
    for size, used, says in ((0, 0, "empty"), (FILE_CAP + 1, 0, "up to 8.0 MB"), (10, 100 * 1024 * 1024, "storage")):
        with pytest.raises(CertificateError, match=says):
            check_size(size, used)


def test_pack_parts_keep_order_and_stay_under_the_limit():
    files = [PackFile(f"f{i}", b"x" * size) for i, size in enumerate([10, 3000, 3000, 10, 5000])]
    parts = split_pack(files, 6000)
    assert [f.path for part in parts for f in part] == [f.path for f in files]
    assert all(sum(len(f.data) + 1024 for f in part) <= 6000 or len(part) == 1 for part in parts)
    assert len(parts) == 3
    assert (
        safe_name("../../etc/passwd") == "passwd"
        and safe_name("a:b?.pdf") == "a_b_.pdf"
        and safe_name("..") == "certificate"
    )


@pytest.mark.parametrize("member", ["Alice Example", "Алёна Зоя 🌱", "Zoë O'Neil"])
def test_the_pdf_is_a_pdf_whatever_the_name(member):
    text = CertificateText(
        member, "Ethics refresher", date(2026, 12, 3), 1.5, "ethics", "Ada", "Peer Network", "HBR-K7PM-3QXA"
    )
    pdf = certificate_pdf(text)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert certificate_pdf(text) == pdf  # deterministic for the same text
