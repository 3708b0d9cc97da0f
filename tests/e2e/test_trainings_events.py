"""The optional Scheduled Event mirror, and CE reminders that list upcoming trainings."""

from datetime import UTC, datetime, timedelta

from bot.services.trainings import TrainingService
from tests.e2e.test_trainings import FORM, setup_server, text_of
from tests.fakediscord.rest_events import _event_payload

MANAGE_EVENTS = 1 << 33


def soon():
    # Discord (and the fake) refuse events that start in the past by the wall clock, so these tests run "now".
    return datetime.now(UTC).replace(microsecond=0)


async def post_mirrored(h, start, capacity=None, title="Naloxone refresher"):
    options = {"event": True, **({"capacity": capacity} if capacity else {})}
    opened = await h.slash(h.admin, "training create", options)
    form = {**FORM, "training:title": title, "training:start": start.strftime("%Y-%m-%d %H:%M")}
    preview = await h.fake.submit_modal(h.admin, opened, form)
    done = await h.fake.click(h.admin, preview.original(), "training:post")
    assert "Posted training #" in done.response.content and "Creating its Scheduled Event" in done.response.content
    return await h.fake.wait_for(
        lambda: "Scheduled Event" in (text := done.original().content) and "Creating" not in text and text
    )


def events(h):
    return list(h.guild.scheduled_events.values())


async def test_mirror_is_created_updated_and_cancelled_with_the_training(timed_harness):
    now = soon()
    h = await timed_harness(now)
    await setup_server(h)
    start = (now + timedelta(days=3)).replace(second=0)
    said = await post_mirrored(h, start)
    assert "Posted training #" in said and "also a Discord Scheduled Event" in said
    [event] = events(h)
    assert event["entity_type"] == 3 and event["entity_metadata"]["location"] == FORM["training:location"]
    assert datetime.fromisoformat(event["scheduled_start_time"]) == start
    assert datetime.fromisoformat(event["scheduled_end_time"]) == start + timedelta(minutes=90)
    assert event["name"] == "Naloxone refresher" and event["status"] == 1
    tid = int(said.split("#")[1].split()[0])
    opened = await h.slash(h.admin, "training edit", {"id": tid})
    later = start + timedelta(days=1)
    preview = await h.fake.submit_modal(
        h.admin, opened, {"training:start": later.strftime("%Y-%m-%d %H:%M"), "training:details": "2h, 2, ethics"}
    )
    saved = await h.fake.click(h.admin, preview.original(), "training:save")
    await h.fake.wait_for(lambda: "Saved training" in (saved.original().content or ""))
    assert "Scheduled Event was not updated" not in saved.original().content
    [event] = events(h)
    assert datetime.fromisoformat(event["scheduled_start_time"]) == later
    assert datetime.fromisoformat(event["scheduled_end_time"]) == later + timedelta(hours=2)
    await h.slash(h.admin, "training cancel", {"id": tid, "reason": "Room unavailable"})
    await h.fake.wait_for(lambda: events(h)[0]["status"] == 4)


async def test_mirror_without_manage_events_still_posts_and_says_why(timed_harness):
    now = soon()
    h = await timed_harness(now)
    channel = await setup_server(h)
    h.guild.bot_role.permissions = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16)  # view, send, embed…
    said = await post_mirrored(h, now + timedelta(days=2))
    assert "Posted training #" in said and "mirror failed" in said and "Manage Events" in said
    assert "/training edit event:True" in said
    assert not events(h)
    card = h.fake.channel_messages(channel.id)[-1]
    assert "Naloxone refresher" in text_of(card)
    tid = int(said.split("#")[1].split()[0])
    # once the permission is granted, an edit adds the mirror (nothing else changed: nobody is told)
    h.guild.bot_role.permissions |= MANAGE_EVENTS
    await h.fake.click(h.alice, card, f"harbor:tr:going:{tid}")
    opened = await h.slash(h.admin, "training edit", {"id": tid, "event": True})
    preview = await h.fake.submit_modal(h.admin, opened, {})
    assert "A Discord Scheduled Event will be created" in preview.response.content
    added = await h.fake.click(h.admin, preview.original(), "training:save")
    assert "now has a Discord Scheduled Event" in added.response.content
    [event] = events(h)
    assert event["status"] == 1 and event["name"] == "Naloxone refresher"
    # and removes it again
    opened = await h.slash(h.admin, "training edit", {"id": tid, "event": False})
    preview = await h.fake.submit_modal(h.admin, opened, {})
    assert "Scheduled Event will be cancelled" in preview.response.content
    removed = await h.fake.click(h.admin, preview.original(), "training:save")
    assert "no longer has a Discord Scheduled Event" in removed.response.content
    assert events(h)[0]["status"] == 4
    assert not h.fake.dms(h.alice)


async def test_mirror_refused_beyond_100_active_events(timed_harness):
    now = soon()
    h = await timed_harness(now)
    channel = await setup_server(h)
    start = (now + timedelta(days=1)).isoformat()
    for i, status in enumerate([1, 2] * 50 + [3]):  # 100 scheduled or active, and one completed (not counted)
        body = {"name": f"e{i}", "scheduled_start_time": start, "entity_type": 2, "status": status}
        h.guild.scheduled_events[10_000 + i] = _event_payload(h.fake, h.guild, 10_000 + i, body)
    said = await post_mirrored(h, now + timedelta(days=2))
    assert "Posted training #" in said and "100 active Scheduled Events" in said
    assert len(events(h)) == 101 and h.fake.channel_messages(channel.id)
    del h.guild.scheduled_events[10_000]  # one slot frees up: the next one is mirrored
    said = await post_mirrored(h, now + timedelta(days=2), title="Ethics refresher")
    assert "also a Discord Scheduled Event" in said


async def test_ce_reminder_lists_upcoming_trainings_in_missing_categories(timed_harness):
    h = await timed_harness(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    await setup_server(h)
    for title, details, start in [
        ("Ethics in peer work", "3h, 3, Ethics", "2026-05-10 18:00"),
        ("Keeping it confidential", "2h, 2, confidentiality", "2026-05-12 18:00"),
        ("Naloxone practice", "1h, 1, harm reduction", "2026-05-14 18:00"),
        ("Social hour", "1h", "2026-05-15 18:00"),
    ]:
        opened = await h.slash(h.admin, "training create")
        form = {**FORM, "training:title": title, "training:details": details, "training:start": start}
        preview = await h.fake.submit_modal(h.admin, opened, form)
        await h.fake.click(h.admin, preview.original(), "training:post")
    upcoming = await h.bot.feature(TrainingService).upcoming(h.guild.id)
    cancelled = next(t.id for t in upcoming if t.title == "Keeping it confidential")
    await h.slash(h.admin, "training cancel", {"id": cancelled, "reason": "Trainer unavailable"})
    reply = await h.slash(h.alice, "ce credential add", {"template": "PA CRS", "expires": "2026-07-31"})
    assert "Added" in reply.response.content
    # 30 h logged in general hours: only the ethics (6) and confidentiality (3) minimums are missing
    await h.slash(h.alice, "ce log", {"title": "Conference", "hours": 30, "date": "2026-03-01"})
    h.clock.now = datetime(2026, 5, 2, 14, 0, 30, tzinfo=UTC)
    await h.bot.services.timers.fire_due()
    dm = await h.fake.wait_for(lambda: [m for m in h.fake.dms(h.alice) if m.embeds])
    text = dm[-1].embeds[0]["description"]
    assert "Upcoming trainings that would count" in text
    ethics = int(datetime(2026, 5, 10, 18, 0, tzinfo=UTC).timestamp())
    assert f"<t:{ethics}:F> — Ethics in peer work · 3 h Ethics · `/training info id:" in text
    assert "Keeping it confidential" not in text  # cancelled
    assert "Naloxone practice" not in text and "Social hour" not in text  # no missing category, no CE
