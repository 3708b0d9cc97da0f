"""Confidentiality scanner: finds identifiers of the people members serve, offline.

>>> from bot.privacy import Scanner
>>> Scanner().scan("my client Dana Ruiz, DOB 4/2/1988, called from 215-555-0134").redacted
'my client [NAME], DOB [DATE], called from [PHONE]'

Pure standard library plus word lists shipped under ``data/``; never imports discord.
"""

from bot.privacy.model import KINDS, Finding, ScanResult
from bot.privacy.scanner import MAX_CHARS, Scanner

__all__ = ["KINDS", "MAX_CHARS", "Finding", "ScanResult", "Scanner"]
