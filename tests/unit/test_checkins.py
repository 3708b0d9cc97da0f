"""Check-ins: pure rules (schedules, streaks, nudges, notes, summaries) and the repository on real SQLite."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.db.checkins import CheckinRepository
from bot.domain import checkins as rules
from bot.domain.mood_chart import render_mood_chart

# -- schedules -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "at", "weekday", "expected"),
    [
        ("daily", "09:00", None, ("daily", "09:00", None)),
        ("daily", "9am", None, ("daily", "09:00", None)),
        ("weekdays", "9:30 pm", None, ("weekdays", "21:30", None)),
        ("weekly", "18:00", "fri", ("weekly", "18:00", 4)),
        ("weekly", "6pm", "Sunday", ("weekly", "18:00", 6)),
        ("daily", "07:05", "monday", ("daily", "07:05", None)),  # a weekday is ignored unless weekly
        ("off", "whatever", None, ("off", None, None)),
    ],
)
def test_parse_schedule_accepts_common_forms(cadence, at, weekday, expected):
    request = rules.parse_schedule(cadence, at, weekday, "America/Chicago")
    assert (request.cadence, request.at, request.weekday) == expected
    assert (request.recurrence is None) == (cadence == "off")
    if request.recurrence:
        assert request.recurrence.tz == "America/Chicago"


@pytest.mark.parametrize(
    ("cadence", "at", "weekday", "message"),
    [
        ("daily", "25:00", None, "00:00–23:59"),
        ("daily", "9:75", None, "e.g. 09:00"),
        ("daily", "13pm", None, "1–12"),
        ("daily", "noonish", None, "Example: `/checkin schedule daily 09:00`"),
        ("weekly", "18:00", None, "needs a weekday"),
        ("weekly", "18:00", "  ", "needs a weekday"),
        ("weekly", "18:00", "fr", "not a weekday"),
        ("hourly", "18:00", None, "not a cadence"),
    ],
)
def test_parse_schedule_refuses_nonsense_with_an_example(cadence, at, weekday, message):
    with pytest.raises(rules.CheckinError, match=message.replace("(", r"\(").replace(")", r"\)")):
        rules.parse_schedule(cadence, at, weekday, "UTC")


@given(st.text(max_size=30), st.one_of(st.none(), st.text(max_size=15)))
def test_parse_schedule_only_ever_raises_checkin_error(at, weekday):
    for cadence in rules.CADENCES:
        try:
            request = rules.parse_schedule(cadence, at, weekday, "Europe/Berlin")
        except rules.CheckinError as exc:
            assert str(exc)
        else:
            assert request.cadence == cadence
            if request.at is not None:
                hour, minute = map(int, request.at.split(":"))
                assert 0 <= hour <= 23 and 0 <= minute <= 59


# -- streaks -----------------------------------------------------------------------------------------------

TODAY = date(2026, 3, 11)  # a Wednesday


@pytest.mark.parametrize(
    ("offsets", "cadence", "expected"),
    [
        ([], "daily", 0),
        ([0], "daily", 1),
        ([0, 1, 2], "daily", 3),
        ([1, 2, 3], "daily", 3),  # today not answered yet: the streak stands
        ([0, 2, 3], "daily", 1),  # a gap breaks it
        ([2, 3], "daily", 0),
        ([0, 1, 2, 5], "weekdays", 4),  # Wed Tue Mon, (weekend skipped), Fri
        ([0, 1, 2, 3], "weekdays", 4),  # a Sunday check-in counts for the Friday
        ([0, 7, 14], "weekly", 3),
        ([1, 9], "weekly", 2),
        ([0, 15], "weekly", 1),
    ],
)
def test_streak(offsets, cadence, expected):
    days = [TODAY - timedelta(days=o) for o in offsets]
    assert rules.streak(days, TODAY, cadence) == expected


@given(st.sets(st.integers(min_value=0, max_value=60), max_size=40))
def test_streak_is_bounded_and_duplicates_do_not_count(offsets):
    days = [TODAY - timedelta(days=o) for o in offsets]
    count = rules.streak(days + days, TODAY, "daily")
    assert 0 <= count <= len(offsets)
    assert count == rules.streak(days, TODAY, "daily")


def test_streak_text():
    assert rules.streak_text(0, "daily") == "a fresh start"
    assert rules.streak_text(3, "daily") == "3-day streak"
    assert rules.streak_text(2, "weekly") == "2-week streak"


# -- nudges, notes, moods ------------------------------------------------------------------------------------

SENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("following", "expected"),
    [
        (None, SENT + rules.NUDGE_AFTER),
        (SENT + timedelta(days=1), SENT + rules.NUDGE_AFTER),
        (SENT + timedelta(hours=6), SENT + timedelta(hours=3)),  # always before the next prompt
    ],
)
def test_nudge_due(following, expected):
    assert rules.nudge_due(SENT, following) == expected


def test_notes_are_optional_and_bounded():
    assert rules.check_note("   ") is None
    assert rules.check_note("  tired but ok  ") == "tired but ok"
    assert rules.check_note("x" * rules.NOTE_MAX) == "x" * rules.NOTE_MAX
    with pytest.raises(rules.CheckinError, match="at most 1000"):
        rules.check_note("x" * (rules.NOTE_MAX + 1))


@pytest.mark.parametrize("bad", [0, 6, -1])
def test_mood_range(bad):
    with pytest.raises(rules.CheckinError):
        rules.check_mood(bad)


def test_mood_labels_have_faces():
    assert [rules.mood_label(m) for m in rules.MOODS] == ["😞 1", "🙁 2", "😐 3", "🙂 4", "😄 5"]


@pytest.mark.parametrize(("days", "ok"), [(0, False), (1, True), (90, True), (91, False)])
def test_pause_days(days, ok):
    if ok:
        assert rules.check_pause_days(days) == days
    else:
        with pytest.raises(rules.CheckinError):
            rules.check_pause_days(days)


def test_summary_suppression_and_shares():
    small = rules.Summary(7, 4, 10, {1: 5, 5: 5}, 3)
    assert small.suppressed
    big = rules.Summary(30, 5, 8, {1: 2, 4: 6}, 0)
    assert not big.suppressed and big.share(4) == 0.75
    lines = rules.summary_lines(big)
    assert lines[0] == "**5** members answered **8** check-ins"
    assert any("75%" in line for line in lines) and any("25%" in line for line in lines)


def test_mood_chart_is_a_png():
    points = [(SENT + timedelta(days=i), 1 + i % 5) for i in range(10)]
    png = render_mood_chart(points, "America/Chicago", 30, 3.0, "2-day streak", SENT + timedelta(days=10))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000


# -- repository ------------------------------------------------------------------------------------------


async def test_prompt_is_created_once_per_firing_and_earlier_open_ones_count_as_missed(db):
    repo = CheckinRepository(db)
    now = SENT
    first, missed = await repo.open_prompt(1, 9, timer_id=10, due=now, late=False, now=now)
    assert missed == 0 and first.status == "open"
    again, missed = await repo.open_prompt(1, 9, timer_id=10, due=now, late=False, now=now)
    assert again.id == first.id and missed == 0  # a re-run after a crash finds the same prompt
    second, missed = await repo.open_prompt(
        1, 9, timer_id=11, due=now + timedelta(days=1), late=True, now=now + timedelta(days=1)
    )
    assert missed == 1 and second.late
    assert (await repo.prompt(first.id)).status == "missed"
    assert (await repo.prefs(1)).missed_in_row == 0  # no row yet: preferences default


async def test_recording_answers_prompts_resets_the_missed_run_and_refuses_double_answers(db):
    repo = CheckinRepository(db)
    await repo.set_schedule(1, 9, "daily", "09:00", None, "UTC", SENT)
    p1, _ = await repo.open_prompt(1, 9, 10, SENT, False, SENT)
    p2, _ = await repo.open_prompt(1, 9, 11, SENT, False, SENT)
    assert (await repo.prefs(1)).missed_in_row == 1
    saved = await repo.record(1, None, 4, p2.id, SENT.date(), SENT)
    assert saved.answered_prompts == [p2.id] and not saved.duplicate
    assert (await repo.prefs(1)).missed_in_row == 0
    twice = await repo.record(1, None, 2, p2.id, SENT.date(), SENT)
    assert twice.duplicate and twice.checkin_id == saved.checkin_id
    late_answer = await repo.record(1, None, 3, p1.id, SENT.date(), SENT)  # a missed prompt can still be answered
    assert late_answer.answered_prompts == [p1.id]
    other = await repo.record(2, 9, 5, p1.id, SENT.date(), SENT)  # someone else's prompt id: a plain check-in
    assert other.answered_prompts == [] and (await repo.get(2, other.checkin_id)).prompt_id is None
    assert await repo.get(2, saved.checkin_id) is None
    assert not await repo.set_note(2, saved.checkin_id, "not mine")


async def test_pause_closes_open_prompts(db):
    repo = CheckinRepository(db)
    await repo.open_prompt(1, 9, 10, SENT, False, SENT)
    assert await repo.set_pause(1, SENT + timedelta(days=3), SENT) == 1
    _, missed = await repo.open_prompt(1, 9, 11, SENT, False, SENT)
    assert missed == 0
    assert (await repo.prefs(1)).paused(SENT) and not (await repo.prefs(1)).paused(SENT + timedelta(days=3))


async def test_buddies_one_each_and_other_invitations_lapse(db):
    repo = CheckinRepository(db)
    a_b = await repo.invite(1, 2, 9, SENT)
    c_b = await repo.invite(3, 2, 9, SENT)
    a_d = await repo.invite(1, 4, 9, SENT)
    assert (await repo.accept(a_b.id, SENT)).status == "active"
    assert await repo.link(c_b.id) is None and await repo.link(a_d.id) is None
    assert await repo.buddy_of(1) == 2 and await repo.buddy_of(2) == 1
    e_a = await repo.invite(5, 1, 9, SENT)
    assert await repo.accept(e_a.id, SENT) is None  # 1 already has a buddy
    with pytest.raises(Exception, match="UNIQUE"):
        await repo.invite(2, 1, 9, SENT)  # one link per pair, either direction


async def test_erase_removes_everything_in_both_directions(db):
    repo = CheckinRepository(db)
    link = await repo.invite(2, 1, 9, SENT)
    await repo.accept(link.id, SENT)
    await repo.invite(1, 3, 9, SENT)
    prompt, _ = await repo.open_prompt(1, 9, 10, SENT, False, SENT)
    saved = await repo.record(1, 9, 2, prompt.id, SENT.date(), SENT)
    await repo.set_note(1, saved.checkin_id, "private")
    await repo.set_buddy_prefs(1, SENT, low=True, missed=3)
    await repo.record(2, 9, 4, None, SENT.date(), SENT)
    exported = await repo.export(1)
    assert exported["checkins"][0]["note"] == "private" and len(exported["buddies"]) == 2
    assert exported["settings"]["tell_buddy_missed"] == 3
    assert await repo.erase(1) == 5  # check-in, prompt, preferences, two links
    assert await repo.export(1) == {"settings": None, "checkins": [], "prompts": [], "buddies": []}
    assert await repo.buddy_of(2) is None
    assert len((await repo.export(2))["checkins"]) == 1


async def test_window_counts_only_the_guild_and_the_window(db):
    repo = CheckinRepository(db)
    for user, mood in enumerate((1, 2, 3, 4, 5, 5), start=1):
        await repo.record(user, 9, mood, None, SENT.date(), SENT)
    await repo.record(7, 8, 1, None, SENT.date(), SENT)  # another guild
    await repo.record(8, 9, 1, None, SENT.date(), SENT - timedelta(days=10))  # too old for 7 days
    counts = await repo.window(9, SENT - timedelta(days=7))
    assert (counts.respondents, counts.checkins) == (6, 6)
    assert counts.by_mood == {1: 1, 2: 1, 3: 1, 4: 1, 5: 2}
    assert (await repo.window(9, SENT - timedelta(days=30))).respondents == 7


async def test_pacer_spaces_requests():
    import time

    from bot.services.notify import Pacer

    pacer = Pacer(rate=100)
    start = time.monotonic()
    for _ in range(5):
        await pacer.take(2)
    assert time.monotonic() - start >= 0.08  # 10 requests at 100/s: the last may go at 90 ms
