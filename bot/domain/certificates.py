"""Certificates as files: the PDF of attendance (fpdf2), storage limits, and the ZIP audit pack.

Pure: no Discord, no database. Latin-1 text uses the PDF's built-in Helvetica (fast: nothing to embed);
anything else embeds matplotlib's bundled DejaVu (already a dependency), so names in any Latin, Greek or
Cyrillic script print; characters the font lacks (most emoji) are left out rather than printed as boxes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import logging
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from bot.domain.errors import HarborError

FILE_CAP = 8 * 1024 * 1024  # bytes per stored certificate
MEMBER_QUOTA = 100 * 1024 * 1024  # bytes of certificates per member
PDF_TYPE = "application/pdf"


class CertificateError(HarborError, ValueError):
    """A certificate file Harbor refuses to keep; the message says why and what to do."""


def mib(size: int) -> str:
    """Bytes as a short human figure: "7.9 MB", "312 KB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(size // 1024, 1)} KB"


def check_size(size: int, used: int = 0, *, quota: int | None = None) -> None:
    """Refuse an empty file, one over the per-file cap, or one that would pass the member's quota."""
    quota = MEMBER_QUOTA if quota is None else quota
    if size <= 0:
        msg = "That certificate file is empty (0 bytes); attach the PDF or photo again."
        raise CertificateError(msg)
    if size > FILE_CAP:
        msg = (
            f"That certificate is {mib(size)}; Harbor keeps files up to {mib(FILE_CAP)}. "
            "Export a smaller PDF or take a photo instead."
        )
        raise CertificateError(msg)
    if used + size > quota:
        msg = (
            f"Keeping this {mib(size)} file would pass your certificate storage of {mib(quota)} "
            f"({mib(used)} used). Remove old entries with `/ce remove` first."
        )
        raise CertificateError(msg)


def sha256(data: bytes) -> str:
    """Hex SHA-256 of a file (export metadata; lets an auditor check a copy)."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class CertificateText:
    """What a certificate of attendance says."""

    member: str
    training: str
    day: date
    hours: float
    category: str
    trainer: str
    provider: str
    verify_code: str


# What a certificate can print beyond Latin-1: Latin Extended, IPA, Greek, Cyrillic, punctuation, € and ™.
_RANGES = [*range(0x20, 0x250), *range(0x370, 0x530), *range(0x2000, 0x2070), 0x20AC, 0x2122]


def _subset(source: Path, target: Path) -> None:
    from fontTools import subset  # fpdf2's own dependency

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # it warns about every table it drops
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_RANGES)
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


@cache
def _font_files() -> tuple[str, str] | None:
    """DejaVu Sans regular and bold, cut once per process to the scripts above (a 10th of the size).

    fpdf2 parses the whole font for every document; on the full 750 KB DejaVu that is ~0.6 s a PDF, on the
    cut one about a third of it (bench/certificates.py). The full fonts are used if cutting fails.
    """
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return None
    cut = Path(tempfile.mkdtemp(prefix="harbor-fonts-"))
    try:
        _subset(regular, cut / "regular.ttf")
        _subset(bold, cut / "bold.ttf")
    except Exception:  # a font tool failure must not stop certificates; the full fonts still work
        return (str(regular), str(bold))
    return (str(cut / "regular.ttf"), str(cut / "bold.ttf"))


def _printable(text: str, codepoints: set[int] | None) -> str:
    if codepoints is None:  # core font: Latin-1 only
        return text.encode("latin-1", "ignore").decode("latin-1")
    return "".join(c for c in text if ord(c) in codepoints or c in " \n")


def _latin1(cert: CertificateText) -> bool:
    text = "".join((cert.member, cert.training, cert.category, cert.trainer, cert.provider, cert.verify_code))
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def certificate_pdf(cert: CertificateText) -> bytes:
    """A one-page landscape Letter PDF certificate of attendance (deterministic for the same text)."""
    from fpdf import FPDF  # imported on first use: start-up never builds a PDF

    pdf = FPDF(orientation="L", unit="mm", format="Letter")
    pdf.set_auto_page_break(auto=False)
    pdf.set_creator("Harbor")
    pdf.set_title(f"Certificate of attendance: {cert.training}"[:200])
    pdf.set_creation_date(datetime.combine(cert.day, datetime.min.time(), tzinfo=UTC))
    # Helvetica (built into every PDF reader) when the text is Latin-1: ~10x faster than embedding a TTF.
    fonts = None if _latin1(cert) else _font_files()
    family, codepoints = "Helvetica", None
    if fonts is not None:
        pdf.add_font("DejaVu", "", fonts[0])
        pdf.add_font("DejaVu", "B", fonts[1])
        family = "DejaVu"
    pdf.add_page()
    if fonts is not None:
        pdf.set_font(family, "", 12)
        codepoints = set(pdf.current_font.cmap)  # type: ignore[union-attr]

    def line(text: str, size: float, *, bold: bool = False, height: float = 10) -> None:
        pdf.set_font(family, "B" if bold else "", size)
        pdf.multi_cell(0, height, _printable(text, codepoints), align="C", new_x="LMARGIN", new_y="NEXT")

    width, height = pdf.w, pdf.h
    pdf.set_draw_color(40, 80, 120)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, width - 20, height - 20)
    pdf.set_line_width(0.3)
    pdf.rect(14, 14, width - 28, height - 28)
    pdf.set_y(30)
    line("Certificate of Attendance", 30, bold=True, height=16)
    pdf.ln(6)
    line("This certifies that", 14)
    line(cert.member[:100], 24, bold=True, height=14)
    line("attended", 14)
    line(cert.training[:200], 20, bold=True, height=12)
    pdf.ln(4)
    line(f"on {cert.day:%B} {cert.day.day}, {cert.day.year}", 14)
    category = f" · category: {cert.category}" if cert.category else ""
    hours = f"{cert.hours:g} continuing-education hour{'s' if cert.hours != 1 else ''}"
    line((hours if cert.hours else "no continuing-education hours") + category, 14)
    line(f"Trainer: {cert.trainer[:100]} · Provider: {cert.provider[:100]}", 12)
    pdf.set_y(height - 42)
    line(f"Verification code: {cert.verify_code}", 13, bold=True, height=8)
    line(f"Anyone in {cert.provider[:80]} can confirm it with /training verify {cert.verify_code}", 10, height=6)
    return bytes(pdf.output())


@dataclass(frozen=True, slots=True)
class PackFile:
    """One file for the audit pack: its path inside the ZIP and its bytes."""

    path: str
    data: bytes


def safe_name(name: str) -> str:
    """A file name safe inside a ZIP on every system: no folders, no control or reserved characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c if c.isalnum() or c in "._- " else "_" for c in base).strip(" .")
    return cleaned[:100] or "certificate"


def split_pack(files: list[PackFile], limit: int) -> list[list[PackFile]]:
    """Group files into parts whose stored sizes stay under `limit` bytes (first come first; order kept).

    Certificates are already compressed (PDF, JPEG), so a part's ZIP is about the sum of its files plus a
    small header per file; the 1 KB per file margin covers that. A single file never exceeds the 8 MB cap,
    which is under Discord's smallest upload limit.
    """
    parts: list[list[PackFile]] = [[]]
    used = 0
    for file in files:
        size = len(file.data) + 1024
        if parts[-1] and used + size > limit:
            parts.append([])
            used = 0
        parts[-1].append(file)
        used += size
    return parts


def zip_bytes(files: list[PackFile]) -> bytes:
    """A ZIP of the files (deflated; PDFs and photos barely shrink, CSV and JSON do)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            info = zipfile.ZipInfo(file.path, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, file.data)
    return out.getvalue()
