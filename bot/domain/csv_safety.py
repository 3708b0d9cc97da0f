"""Spreadsheet-formula safety for CSV cells, in one place (resources export/import, CE export, rosters)."""

from __future__ import annotations

# A cell starting with one of these would run as a formula in Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Prefix `'` to a cell a spreadsheet would run as a formula, so it stays text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def unsafe_cell(value: str) -> str:
    """Undo `safe_cell` (for re-import), leaving any other leading apostrophe alone."""
    return value[1:] if value.startswith("'") and value[1:2] and value[1] in FORMULA_STARTS else value
