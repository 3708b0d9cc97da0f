"""Compare natural-language date-time parsers on Harbor's phrases (trainings, announcements).

Reference: Friday 2027-03-05 10:00 in America/New_York (US DST starts 2027-03-14, ends 2027-11-07).
Each phrase has the local wall-clock time a member means; a parser scores when it returns exactly that.
Phrases the member cannot mean (None) score when the parser returns nothing.
Run: .venv/bin/python bench/when_parsers.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

NOW = datetime(2027, 3, 5, 10, 0)  # local wall clock, naive

PHRASES: list[tuple[str, datetime | None]] = [
    ("tomorrow 18:30", datetime(2027, 3, 6, 18, 30)),
    ("tomorrow at 6pm", datetime(2027, 3, 6, 18, 0)),
    ("tomorrow 6:30 pm", datetime(2027, 3, 6, 18, 30)),
    ("next tue 6pm", datetime(2027, 3, 9, 18, 0)),
    ("next tuesday 6pm", datetime(2027, 3, 9, 18, 0)),
    ("tuesday 6pm", datetime(2027, 3, 9, 18, 0)),
    ("tue 6pm", datetime(2027, 3, 9, 18, 0)),
    ("wed 6:30pm", datetime(2027, 3, 10, 18, 30)),
    ("thu 12pm", datetime(2027, 3, 11, 12, 0)),
    ("sat 10am", datetime(2027, 3, 6, 10, 0)),
    ("next monday 9am", datetime(2027, 3, 8, 9, 0)),
    ("next friday 6pm", datetime(2027, 3, 12, 18, 0)),
    ("friday 7pm", datetime(2027, 3, 5, 19, 0)),
    ("2027-03-09 6pm", datetime(2027, 3, 9, 18, 0)),
    ("2027-03-09 6 pm", datetime(2027, 3, 9, 18, 0)),
    ("2027-03-09 18:00", datetime(2027, 3, 9, 18, 0)),
    ("2027-04-01T18:00", datetime(2027, 4, 1, 18, 0)),
    ("2027/03/20 19:00", datetime(2027, 3, 20, 19, 0)),
    ("20.03.2027 19:00", datetime(2027, 3, 20, 19, 0)),
    ("3/20 7pm", datetime(2027, 3, 20, 19, 0)),
    ("3/20/2027 7:00 pm", datetime(2027, 3, 20, 19, 0)),
    ("march 20 7pm", datetime(2027, 3, 20, 19, 0)),
    ("march 20th at 7pm", datetime(2027, 3, 20, 19, 0)),
    ("20 march 2027 19:00", datetime(2027, 3, 20, 19, 0)),
    ("apr 1 6pm", datetime(2027, 4, 1, 18, 0)),
    ("1 apr 18:00", datetime(2027, 4, 1, 18, 0)),
    ("April 1, 2027 at 6:00 PM", datetime(2027, 4, 1, 18, 0)),
    ("Tuesday, March 9 at 6pm", datetime(2027, 3, 9, 18, 0)),
    ("9 mar 2027 6pm", datetime(2027, 3, 9, 18, 0)),
    ("today 5pm", datetime(2027, 3, 5, 17, 0)),
    ("today at 17:00", datetime(2027, 3, 5, 17, 0)),
    ("6pm", datetime(2027, 3, 5, 18, 0)),
    ("noon tomorrow", datetime(2027, 3, 6, 12, 0)),
    ("tomorrow noon", datetime(2027, 3, 6, 12, 0)),
    ("in 2 hours", datetime(2027, 3, 5, 12, 0)),
    ("in 30 minutes", datetime(2027, 3, 5, 10, 30)),
    ("in 90 minutes", datetime(2027, 3, 5, 11, 30)),
    ("in an hour", datetime(2027, 3, 5, 11, 0)),
    ("in 3 days", datetime(2027, 3, 8, 10, 0)),
    ("in 1 week", datetime(2027, 3, 12, 10, 0)),
    # DST edges (the wall-clock value; Harbor's zone step decides what a gap or overlap means)
    ("march 13 6pm", datetime(2027, 3, 13, 18, 0)),
    ("march 15 6pm", datetime(2027, 3, 15, 18, 0)),
    ("2027-03-14 1:30am", datetime(2027, 3, 14, 1, 30)),
    ("2027-03-14 2:30am", datetime(2027, 3, 14, 2, 30)),
    ("2027-03-14 3:30am", datetime(2027, 3, 14, 3, 30)),
    ("2027-11-07 1:30am", datetime(2027, 11, 7, 1, 30)),
    ("nov 7 2027 3pm", datetime(2027, 11, 7, 15, 0)),
    # not a time at all
    ("soon", None),
    ("asdf qwerty", None),
    ("next blursday", None),
]


def dateparser_parser() -> Callable[[str], datetime | None]:
    import dateparser

    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": NOW,
        "DATE_ORDER": "MDY",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
    }

    def parse(text: str) -> datetime | None:
        return dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]

    return parse


def parsedatetime_parser() -> Callable[[str], datetime | None]:
    import parsedatetime

    cal = parsedatetime.Calendar(version=parsedatetime.VERSION_CONTEXT_STYLE)

    def parse(text: str) -> datetime | None:
        result, context = cal.parseDT(text, sourceTime=NOW)
        return result if context.hasDateOrTime else None

    return parse


def dateutil_parser() -> Callable[[str], datetime | None]:
    from dateutil import parser

    def parse(text: str) -> datetime | None:
        try:
            return parser.parse(text, default=NOW.replace(hour=0, minute=0), fuzzy=False)
        except (ValueError, OverflowError):
            return None

    return parse


def harbor_parser() -> Callable[[str], datetime | None]:
    from bot.domain.when import parse_local

    def parse(text: str) -> datetime | None:
        try:
            return parse_local(text, NOW)
        except ValueError:
            return None

    return parse


def main() -> None:
    candidates = {
        "dateparser": dateparser_parser,
        "parsedatetime": parsedatetime_parser,
        "dateutil.parser": dateutil_parser,
        "harbor (bot.domain.when)": harbor_parser,
    }
    print(f"{len(PHRASES)} phrases, reference {NOW:%a %Y-%m-%d %H:%M} local")
    for name, factory in candidates.items():
        start = time.perf_counter()
        try:
            parse = factory()
        except ImportError as exc:
            print(f"{name}: not installed ({exc})")
            continue
        setup = time.perf_counter() - start
        right, wrong = 0, []
        timings = []
        for text, expected in PHRASES:
            t0 = time.perf_counter()
            got = parse(text)
            timings.append(time.perf_counter() - t0)
            if got is not None:
                got = got.replace(tzinfo=None, second=0, microsecond=0)
            if got == expected:
                right += 1
            else:
                wrong.append(f"{text!r} -> {got}")
        timings.sort()
        print(
            f"{name}: {right}/{len(PHRASES)} right; import+setup {setup * 1000:.0f} ms; "
            f"median {timings[len(timings) // 2] * 1000:.2f} ms, max {timings[-1] * 1000:.1f} ms"
        )
        for line in wrong:
            print(f"    wrong: {line}")


if __name__ == "__main__":
    main()
