"""Check-ins end to end: the real discord.py client against the fake Discord, on a real SQLite file."""

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.db.checkins import CheckinRepository
from tests.conftest import FakeClock
from tests.e2e.harness import Harness


def _text(reply):
    parts = [reply.content or ""]
    for embed in reply.embeds:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


def _ids(components):
    out = []
    for row in components:
        for c in row.get("components", []):
            if c.get("custom_id"):
                out.append(c["custom_id"])
    return out


def _labels(components):
    return [c.get("label") for row in components for c in row.get("components", [])]


def _repo(h):
    return CheckinRepository(h.bot.services.db)


async def _checkin(h, user, mood):
    opened = await h.slash(user, "checkin now")
    message = opened.original()
    button = next(i for i in _ids(message.components) if i.endswith(f":{mood}"))
    return await h.fake.click(user, message, button)


async def test_checkin_now_mood_streak_and_private_note(harness, caplog):
    opened = await harness.slash(harness.alice, "checkin now")
    assert opened.response.ephemeral
    assert _labels(opened.response.components) == ["😞 1", "🙁 2", "😐 3", "🙂 4", "😄 5"]
    with caplog.at_level(logging.INFO):
        clicked = await harness.fake.click(harness.alice, opened.original(), _ids(opened.response.components)[3])
        assert "1-day streak" in clicked.response.content
        note_button = next(i for i in _ids(clicked.response.components) if ":note:" in i)
        # another member cannot use alice's buttons, nor see them
        with pytest.raises(AssertionError, match="cannot see"):
            await harness.fake.click(harness.bob, opened.original(), note_button)
        modal = await harness.fake.click(harness.alice, opened.original(), note_button)
        assert modal.response.type == 9
        field = modal.response.data["components"][0]
        custom_id = field.get("component", field.get("components", [{}])[0]).get("custom_id")
        done = await harness.fake.submit_modal(harness.alice, modal, {custom_id: "secret-note-text rough shift"})
        assert done.response.ephemeral and "privately" in done.response.content
    assert all("secret-note-text" not in r.getMessage() for r in caplog.records)
    rows = await harness.bot.services.db.fetchall("SELECT mood, note FROM checkins WHERE user_id = ?",
                                                  (harness.alice.id,))
    assert [(r["mood"], r["note"]) for r in rows] == [(4, "secret-note-text rough shift")]
    # a note over 1000 characters is refused and nothing changes
    modal = await harness.fake.click(harness.alice, opened.original(), note_button)
    long = await harness.fake.submit_modal(harness.alice, modal, {custom_id: "x" * 1000})
    assert long.response.ephemeral
