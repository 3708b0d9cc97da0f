"""The one normalisation every string entering Harbor gets at the edge (options, modal fields, CSV cells)."""

from __future__ import annotations

import re
import unicodedata

# C0 controls and DEL, except tab and newline: NUL in particular would cut the text short in SQLite.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Drop control characters (keeping newline and tab), turn CR LF into LF, and compose to Unicode NFC."""
    value = value.replace("\r\n", "\n")
    return unicodedata.normalize("NFC", _CONTROLS.sub("", value))
