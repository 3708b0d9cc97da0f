"""The resource library's rules: field limits, tags, drafts, and CSV import/export (pure; no discord).

Limits fit what Discord shows: a title fits an embed title (256), a description fits an embed field
(1,000 of its 1,024), at most 10 tags of at most 30 characters each, and a link of at most 512.
Every function here validates completely before anything is written by its caller.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.csv_safety import safe_cell, unsafe_cell
from bot.domain.errors import HarborError
from bot.domain.urls import UrlError, normalise_url

TITLE_MAX = 256
DESCRIPTION_MAX = 1000
TAGS_MAX = 10
TAG_MAX = 30
TAGS_TEXT_MAX = TAGS_MAX * (TAG_MAX + 2)
CSV_MAX_BYTES = 1024 * 1024
CSV_MAX_ROWS = 5000
CSV_COLUMNS = ("title", "url", "description", "tags")
STALE_AFTER = timedelta(days=365)
DIGEST_WINDOW = timedelta(days=7)
_TAG = re.compile(r"^[^\W_][\w-]*$")
_SPACES = re.compile(r"\s+")


class ResourceInputError(HarborError, ValueError):
    """Input a member must fix; the message says what is wrong and gives an example."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A validated resource: the link as given (normalised) and its tags, ready to store."""

    title: str
    url: str
    description: str
    tags: tuple[str, ...]

    @property
    def tags_text(self) -> str:
        """The tags as members type them: comma separated."""
        return ", ".join(self.tags)


def _clean(text: str) -> str:
    # Control characters (other than newlines in descriptions) never belong in a library entry.
    return "".join(c for c in text if c in "\n" or unicodedata.category(c)[0] != "C").strip()


def parse_tags(text: str) -> tuple[str, ...]:
    """Comma-separated tags → lower-case, hyphenated, de-duplicated; 1 to 10 tags of ≤ 30 characters."""
    tags: list[str] = []
    for part in (text or "").split(","):
        tag = _SPACES.sub("-", _clean(part).lstrip("#").strip().lower())
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            msg = f"The tag “{tag[:40]}” is longer than {TAG_MAX} characters; use short tags like `naloxone`."
            raise ResourceInputError(msg)
        if not _TAG.match(tag):
            msg = (
                f"The tag “{tag[:40]}” may hold only letters, digits and hyphens; "
                "write e.g. `harm-reduction, naloxone`."
            )
            raise ResourceInputError(msg)
        if tag not in tags:
            tags.append(tag)
    if not tags:
        msg = "Give at least one tag, separated by commas, e.g. `harm-reduction, naloxone`."
        raise ResourceInputError(msg)
    if len(tags) > TAGS_MAX:
        msg = f"At most {TAGS_MAX} tags, please (you gave {len(tags)})."
        raise ResourceInputError(msg)
    return tuple(tags)


def validate(title: str, url: str, description: str, tags: str) -> Draft:
    """Check and normalise every field of a submission; `ResourceInputError` on the first problem."""
    clean_title = _SPACES.sub(" ", _clean(title or ""))
    if not clean_title:
        msg = "Give the resource a title, e.g. `Naloxone: how to respond to an overdose`."
        raise ResourceInputError(msg)
    if len(clean_title) > TITLE_MAX:
        msg = f"The title is {len(clean_title)} characters; keep it to {TITLE_MAX}."
        raise ResourceInputError(msg)
    clean_description = _clean(description or "")
    if len(clean_description) > DESCRIPTION_MAX:
        msg = f"The description is {len(clean_description)} characters; keep it to {DESCRIPTION_MAX}."
        raise ResourceInputError(msg)
    try:
        link = normalise_url(url)
    except UrlError as exc:
        msg = f"That link won't do: {exc}."
        raise ResourceInputError(msg) from None
    return Draft(clean_title, link, clean_description, parse_tags(tags))


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row of an import: its row number in the file (the header is row 1) and its outcome."""

    row: int
    draft: Draft | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class CsvImport:
    """Every data row of an import file, validated; duplicates inside the file are refused as such."""

    rows: list[CsvRow] = field(default_factory=list)
    duplicates_in_file: dict[int, int] = field(default_factory=dict)  # row → the earlier row with that link

    @property
    def valid(self) -> list[CsvRow]:
        """Rows that can be imported (not refused, not a repeat of an earlier row)."""
        return [r for r in self.rows if r.draft is not None and r.row not in self.duplicates_in_file]

    @property
    def refused(self) -> list[CsvRow]:
        """Rows refused with a reason."""
        return [r for r in self.rows if r.error is not None]


def parse_csv(data: bytes) -> CsvImport:
    """Parse and validate an import file; the whole file is refused when it is too big or malformed."""
    if len(data) > CSV_MAX_BYTES:
        msg = f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is 1 MB ({CSV_MAX_ROWS:,} rows)."
        raise ResourceInputError(msg)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        msg = "The file is not UTF-8 text; save it as “CSV UTF-8” and try again."
        raise ResourceInputError(msg) from None
    if "\x00" in text:
        msg = "The file contains NUL bytes; it does not look like a CSV text file."
        raise ResourceInputError(msg)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in CSV_COLUMNS if c not in header]
        if missing:
            msg = f"The first row must name the columns `title,url,description,tags` (missing: {', '.join(missing)})."
            raise ResourceInputError(msg)
        index = {name: header.index(name) for name in CSV_COLUMNS}
        result = CsvImport()
        seen: dict[str, int] = {}
        for row, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            if len(result.rows) >= CSV_MAX_ROWS:
                msg = f"The file has more than {CSV_MAX_ROWS:,} rows; split it into smaller files."
                raise ResourceInputError(msg)
            if len(record) < len(header):
                result.rows.append(CsvRow(row, None, f"has {len(record)} fields; expected {len(header)}"))
                continue
            values = {name: unsafe_cell(record[i]) for name, i in index.items()}
            try:
                draft = validate(values["title"], values["url"], values["description"], values["tags"])
            except ResourceInputError as exc:
                result.rows.append(CsvRow(row, None, str(exc)))
                continue
            result.rows.append(CsvRow(row, draft))
            if draft.url in seen:
                result.duplicates_in_file[row] = seen[draft.url]
            else:
                seen[draft.url] = row
    except csv.Error as exc:
        msg = f"The file is not valid CSV near line {reader.line_num}: {exc}."
        raise ResourceInputError(msg) from None
    return result


def export_csv(rows: Iterable[tuple[int, str, str, str, Iterable[str], datetime | None]]) -> bytes:
    """CSV (UTF-8 with BOM, for spreadsheets) of id, title, url, description, tags, approved_at.

    Cells that a spreadsheet would run as a formula are prefixed with `'`; `parse_csv` removes it.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["id", *CSV_COLUMNS, "approved_at"])
    for rid, title, url, description, tags, approved in rows:
        writer.writerow(
            [
                rid,
                safe_cell(title),
                safe_cell(url),
                safe_cell(description),
                safe_cell(", ".join(tags)),
                approved.isoformat(timespec="seconds") if approved else "",
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def stale_before(now: datetime) -> datetime:
    """Entries last reviewed before this moment are due for a review."""
    return now - STALE_AFTER
