"""CE reminders on the durable scheduler, with a fake clock; and CE data in /mydata."""

import json
import re
from datetime import UTC, datetime

import pytest

from bot.services.ce import CeService
from tests.helpers import listeners_done


@pytest.fixture
async def timed(timed_harness):
    return await timed_harness(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))


def ce(h):
    return h.bot.feature(CeService)


async def reminders(h, user):
    """The member's pending CE reminders as (lead days or "moved", due time in UTC), soonest first."""
    return [(t.key.rsplit(":", 1)[-1], t.due_at.isoformat()) for t in await ce(h).planned_reminders(user.id)]


def dm_text(message):
    return "\n".join([message.content] + [e.get("description", "") for e in message.embeds])


async def add_crs(h, user, expires="2026-07-31"):
    reply = await h.slash(user, "ce credential add", {"template": "PA CRS", "expires": expires})
    assert "Added" in reply.response.content, reply.response.content
    return max(c.id for c in await ce(h).credentials(user.id))


async def test_reminders_at_nine_local_say_what_is_missing_and_stop_when_met(timed):
    h = timed
    await h.slash(h.alice, "profile timezone", {"zone": "America/Chicago"})
    cid = await add_crs(h, h.alice)
    assert await reminders(h, h.alice) == [
        ("90", "2026-05-02T14:00:00+00:00"),
        ("60", "2026-06-01T14:00:00+00:00"),
        ("30", "2026-07-01T14:00:00+00:00"),
        ("7", "2026-07-24T14:00:00+00:00"),
    ]
    keys = [t.key for t in await ce(h).planned_reminders(h.alice.id)]
    assert keys == [f"ce:reminder:{cid}:{d}" for d in (90, 60, 30, 7)]
    await h.slash(h.alice, "ce log", {"title": "Ethics", "hours": 6, "date": "2026-03-01", "category": "ethics"})
    h.clock.now = datetime(2026, 5, 2, 14, 0, 30, tzinfo=UTC)
    assert await h.bot.services.timers.fire_due() >= 1
    dms = h.fake.dms(h.alice)
    assert len(dms) == 1
    text = dm_text(dms[0])
    assert "CE reminder" in dms[0].embeds[0]["title"] and "PA CRS" in text
    assert "• 3 h confidentiality" in text and "• 24 h in total" in text and "ethics" not in text.split("missing")[1]
    assert "late" not in text
    assert "training" not in text.lower()  # no trainings table yet: nothing is said about trainings
    await h.bot.services.timers.fire_due()
    assert len(h.fake.dms(h.alice)) == 1
    # completing the requirements cancels the remaining reminders
    await h.slash(
        h.alice, "ce log", {"title": "Confidentiality", "hours": 3, "date": "2026-05-01", "category": "confidentiality"}
    )
    assert len(await reminders(h, h.alice)) == 3
    conference = await h.slash(h.alice, "ce log", {"title": "Conference", "hours": 21, "date": "2026-05-01"})
    assert await reminders(h, h.alice) == []
    h.clock.advance(days=40)
    await h.bot.services.timers.fire_due()
    assert len(h.fake.dms(h.alice)) == 1
    # removing an entry makes it unmet again: the reminders still ahead come back
    entry = re.search(r"Logged `#(\d+)`", conference.response.content)[1]
    await h.slash(h.alice, "ce remove", {"entry": entry})
    assert [d for d, _ in await reminders(h, h.alice)] == ["30", "7"]


async def test_time_zone_change_moves_reminders(timed):
    h = timed
    await add_crs(h, h.alice)
    assert (await reminders(h, h.alice))[0] == ("90", "2026-05-02T09:00:00+00:00")  # UTC until set
    await h.slash(h.alice, "profile timezone", {"zone": "Asia/Tokyo"})
    await listeners_done("harbor_timezone_changed")
    assert (await reminders(h, h.alice))[0] == ("90", "2026-05-02T00:00:00+00:00")
    assert len(await reminders(h, h.alice)) == 4


async def test_lead_days_change_replans(timed):
    h = timed
    await add_crs(h, h.alice)
    await add_crs(h, h.bob, "2026-12-31")
    opened = await h.slash(h.admin, "setup reminders")
    ids = []
    for row in opened.response.data["components"]:
        field = row.get("component") or row["components"][0]
        ids.append(field["custom_id"])
    await h.fake.submit_modal(h.admin, opened, {ids[0]: "120, 45, 10", ids[1]: "24"})
    await listeners_done("harbor_reminders_changed")
    assert [d for d, _ in await reminders(h, h.alice)] == ["120", "45", "10"]
    assert [d for d, _ in await reminders(h, h.bob)] == ["120", "45", "10"]


async def test_due_while_down_is_delivered_late_once(timed):
    h = timed
    await add_crs(h, h.alice)
    await h.stop()
    h.clock.now = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)  # two days after the 90-day reminder
    await h.start()
    assert await h.bot.services.timers.fire_due() >= 1
    dms = h.fake.dms(h.alice)
    assert "late — Harbor was offline" in dm_text(dms[0])
    await h.restart()
    assert await h.bot.services.timers.fire_due() == 0
    assert len(h.fake.dms(h.alice)) == 1
    assert [d for d, _ in await reminders(h, h.alice)] == ["60", "30", "7"]


async def test_a_reminder_rechecks_before_sending(timed):
    h = timed
    cid = await add_crs(h, h.alice)
    # the credential vanishes behind the scheduler's back (its data erased, its reminders left): no DM
    await ce(h).erase_user(h.alice.id)
    assert cid not in [c.id for c in await ce(h).credentials(h.alice.id)]
    assert len(await reminders(h, h.alice)) == 4
    h.clock.now = datetime(2026, 5, 2, 9, 1, tzinfo=UTC)
    assert await h.bot.services.timers.fire_due() >= 1
    assert h.fake.dms(h.alice) == []


async def test_mydata_export_and_delete_cover_ce(timed):
    h = timed
    await add_crs(h, h.alice)
    await h.slash(h.alice, "ce credential add", {"template": "PA CPS", "expires": "2027-03-31", "number": "CPS-77"})
    await h.slash(h.alice, "ce log", {"title": "Ética 🌱", "hours": 1.25, "date": "2026-03-01", "provider": "PCB"})
    await add_crs(h, h.bob)
    export = await h.slash(h.alice, "mydata export")
    body = next(r for r in [export.response, *await export.wait_followups(1)] if r.files).files[0][1]
    data = json.loads(body)["data"]["continuing_education"]
    assert {c["template"] for c in data["credentials"]} == {"PA CRS", "PA CPS"}
    assert any(c["number"] == "CPS-77" for c in data["credentials"])
    assert data["entries"][0]["title"] == "Ética 🌱" and data["entries"][0]["hours"] == 1.25
    privacy = await h.slash(h.alice, "privacy")
    assert "CE credentials" in "\n".join(
        [privacy.response.content or ""]
        + [f"{f['name']} {f['value']}" for e in privacy.response.embeds for f in e.get("fields", [])]
        + [e.get("description", "") for e in privacy.response.embeds]
    )
    ask = await h.slash(h.alice, "mydata delete")
    await h.fake.click(h.alice, ask.original(), ask.response.components[0]["components"][0]["custom_id"])
    assert "no credentials yet" in (await h.slash(h.alice, "ce credential list")).response.content
    entries = await h.slash(h.alice, "ce entries")
    assert "No entries yet" in entries.response.embeds[0]["description"]
    assert await reminders(h, h.alice) == []
    assert len(await reminders(h, h.bob)) == 4
    h.clock.now = datetime(2026, 5, 3, tzinfo=UTC)
    await h.bot.services.timers.fire_due()
    assert h.fake.dms(h.alice) == [] and len(h.fake.dms(h.bob)) == 1


async def test_a_zone_changed_behind_the_planners_back_is_honoured_when_it_fires(timed):
    h = timed
    await add_crs(h, h.alice)
    # set without the command (no re-plan): the handler notices 09:00 UTC is no longer 09:00 local
    await h.bot.services.profiles.set_timezone(h.alice.id, "America/Los_Angeles", h.clock())
    h.clock.now = datetime(2026, 5, 2, 9, 0, 30, tzinfo=UTC)
    await h.bot.services.timers.fire_due()
    assert h.fake.dms(h.alice) == []
    moved = await reminders(h, h.alice)
    assert moved[0] == ("moved", "2026-05-02T16:00:00+00:00")  # 09:00 PDT
    h.clock.now = datetime(2026, 5, 2, 16, 0, 30, tzinfo=UTC)
    await h.bot.services.timers.fire_due()
    assert len(h.fake.dms(h.alice)) == 1


async def test_daily_sweep_replans_after_lead_days_change_elsewhere(timed):
    h = timed
    await add_crs(h, h.alice)
    # changed without the modal (e.g. by another tool): the daily sweep picks it up
    await h.bot.services.guild_config.set(h.guild.id, "reminders.ce_days", [14], by=h.admin.id)
    assert len(await reminders(h, h.alice)) == 4
    h.clock.advance(days=1)
    await h.bot.services.timers.fire_due()
    assert [d for d, _ in await reminders(h, h.alice)] == ["14"]
