"""/resource import and export, /mydata, and the scheduled digest and review list, end to end."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from bot.domain.errors import HarborError
from bot.services.resources import ResourceService
from tests.conftest import FakeClock
from tests.e2e.harness import Harness
from tests.e2e.test_resources import (
    APPROVE,
    configure,
    library_size,
    new_id,
    publish,
    search,
    submissions,
    submit,
    text_of,
)

HEADER = "title,url,description,tags\n"


async def run_import(h, user, body, filename="library.csv"):
    data = body.encode() if isinstance(body, str) else body
    it = await h.slash(user, "resource import", {"file": (filename, data, "text/csv")})
    if it.response.type == 5:  # deferred: the report is the first follow-up
        return (await it.wait_followups(1))[0]
    return it.response


async def test_import_reports_imported_duplicates_and_refused_rows(harness):
    h = harness
    await configure(h)
    existing = await publish(h, "Existing guide", "https://example.org/existing")
    body = (
        HEADER
        + 'Recovery coach toolkit,https://example.org/toolkit,Tools for coaches,"coaching, toolkit"\n'
        + "Same link again,https://EXAMPLE.org/toolkit/?utm_source=mail,,coaching\n"
        + "Existing one,https://example.org/existing#x,,guide\n"
        + "Bad link,javascript:alert(1),,x\n"
        + "No tags,https://example.org/notags,,\n"
        + '"Multi-line\ndescription",https://example.org/multi,"line one\nline two",multi\n'
        + "Too few fields,https://example.org/few\n"
        + "T" * 257
        + ",https://example.org/long-title,,x\n"
        + "Long description,https://example.org/long-desc,"
        + "d" * 1001
        + ",x\n"
    )
    report = await run_import(h, h.admin, body)
    assert report.ephemeral
    assert "Imported **2**" in report.content
    assert "row 3 (= row 2)" in report.content and f"row 4 (= #{existing}" in report.content
    assert "row 5:" in report.content and "only http and https" in report.content
    assert "row 6:" in report.content and "at least one tag" in report.content
    assert "row 8:" in report.content
    assert "row 9: The title is 257 characters" in report.content
    assert "row 10: The description is 1001 characters" in report.content
    _, detail = report.files[0]
    rows = list(csv.reader(io.StringIO(detail.decode())))
    assert rows[0] == ["row", "outcome", "detail"] and {r[0] for r in rows[1:]} == {"3", "4", "5", "6", "8", "9", "10"}
    assert "Recovery coach toolkit" in text_of((await search(h, h.alice, "toolkit")).response)
    # imports are approved entries: counted in tags, and the schedules exist for the server
    assert "`coaching` 1" in text_of((await h.slash(h.alice, "resource tags")).response)


async def test_import_refuses_whole_files_that_are_too_big_or_malformed(harness):
    h = harness
    await configure(h)
    row = "T,https://example.org/{},,x\n"
    too_many = HEADER + "".join(row.format(i) for i in range(5001))
    cases = [
        (too_many, "more than 5,000 rows"),
        (HEADER + "x" * (1024 * 1024), "the limit is 1 MB"),
        ("name,link\nA,https://example.org\n", "must name the columns"),
        (b"\xff\xfe\x00t\x00i", "not UTF-8"),
        ("", "must name the columns"),
    ]
    for body, says in cases:
        report = await run_import(h, h.admin, body)
        assert report.ephemeral and says in report.content, (says, report.content)
    not_csv = await run_import(h, h.admin, HEADER, filename="library.xlsx")
    assert "Attach a .csv" in not_csv.content
    assert await library_size(h) == 0
    exactly = HEADER + "".join(row.format(i) for i in range(5000))
    report = await run_import(h, h.admin, exactly)
    assert "Imported **5000**" in report.content


async def test_import_and_export_are_admin_only(harness):
    h = harness
    await configure(h)
    for who in (h.alice, h.mod):
        reply = await h.slash(who, "resource import", {"file": ("a.csv", HEADER.encode(), "text/csv")})
        assert reply.response.ephemeral and "admin" in reply.response.content.lower()
        reply = await h.slash(who, "resource export")
        assert "admin" in reply.response.content.lower()


async def test_export_is_the_approved_library_and_imports_back(harness):
    h = harness
    await configure(h)
    await publish(h, '=HYPERLINK("x") looks like a formula', "https://example.org/formula", "a, b")
    await publish(h, "Plain", "https://example.org/plain", "c", description="Line one\nline two")
    await submit(h, h.alice, "Pending one", "https://example.org/pending")
    it = await h.slash(h.admin, "resource export")
    reply = (await it.wait_followups(1))[0]
    name, body = reply.files[0]
    assert name.endswith(".csv") and "2 approved" in reply.content
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ['\'=HYPERLINK("x") looks like a formula', "Plain"]
    assert rows[1]["description"] == "Line one\nline two" and rows[0]["tags"] == "a, b"
    assert all("pending" not in r["url"] for r in rows)
    # the export imports into another server unchanged (here: as duplicates of itself)
    report = await run_import(h, h.admin, body)
    assert "Imported **0**" in report.content and "Skipped **2** duplicates" in report.content


async def test_mydata_exports_and_erases_resources(harness):
    h = harness
    ch = await configure(h)
    approved = new_id(await submit(h, h.alice, "Alice's approved guide", "https://example.org/alice"))
    await h.fake.click(h.mod, h.fake.channel_messages(ch["queue"].id)[-1], APPROVE.format(approved))
    pending = new_id(await submit(h, h.alice, "Alice's pending idea", "https://example.org/alice-pending"))
    other = await publish(h, "Mod's entry", "https://example.org/mods")
    await h.slash(h.alice, "resource save", {"id": other})
    await h.slash(h.bob, "resource save", {"id": other})
    export = await h.slash(h.alice, "mydata export")
    files = [f for r in [export.response, *await export.wait_followups(1)] for f in r.files]
    section = json.loads(files[0][1])["data"]["resources"]
    assert {s["id"] for s in section["submissions"]} == {approved, pending}
    assert [b["id"] for b in section["bookmarks"]] == [other]
    ask = await h.slash(h.alice, "mydata delete")
    assert "without your name" in ask.response.content
    await h.fake.click(h.alice, ask.original(), ask.response.components[0]["components"][0]["custom_id"])
    # the approved entry stays in the library without her name; the pending one is withdrawn
    assert await submissions(h, h.alice) == []
    assert "Alice's approved guide" in text_of((await h.slash(h.bob, "resource show", {"id": approved})).response)
    with pytest.raises(HarborError, match="no longer exists"):
        await h.bot.feature(ResourceService).pending(h.guild.id, pending)
    assert "No bookmarks" in text_of((await h.slash(h.alice, "resource saved")).response)
    assert "Mod's entry" in text_of((await h.slash(h.bob, "resource saved")).response)
    assert "Alice's approved guide" in text_of((await search(h, h.bob, "alice")).response)
    privacy = await h.slash(h.alice, "privacy")
    assert "bookmarks" in text_of(privacy.response).lower()


async def _timed_harness(fake_discord, tmp_path, clock):
    h = Harness(fake_discord, tmp_path / "h.db", clock=clock)
    await h.start()
    return h


async def test_weekly_digest_posts_new_entries_once_and_late_after_downtime(fake_discord, tmp_path):
    clock = FakeClock(datetime(2026, 3, 4, 12, 0, tzinfo=UTC))  # a Wednesday
    h = await _timed_harness(fake_discord, tmp_path, clock)
    try:
        ch = await configure(h)
        rid = await publish(h, "Harm reduction 101", "https://example.org/hr101")
        timers = h.bot.services.timers
        due = await timers.next_due(f"resources:digest:{h.guild.id}")
        assert due == datetime(2026, 3, 9, 16, 0, tzinfo=UTC)  # next Monday 16:00 UTC
        assert await timers.next_due(f"resources:stale:{h.guild.id}") == datetime(2026, 4, 1, 16, 0, tzinfo=UTC)
        clock.now = due
        await timers.fire_due()
        posts = h.fake.channel_messages(ch["library"].id)
        assert len(posts) == 1 and f"#{rid}" in text_of(posts[0]) and "Harm reduction 101" in text_of(posts[0])
        # nothing new → nothing posted
        clock.advance(days=7)
        await timers.fire_due()
        assert len(h.fake.channel_messages(ch["library"].id)) == 1
        # new entry, then the bot is down across three Mondays: one late digest on start-up
        newer = await publish(h, "Motivational interviewing primer", "https://example.org/mi")
        await h.stop()
        clock.advance(days=21)
        await h.start()
        posts = await h.fake.wait_for(
            lambda: len(h.fake.channel_messages(ch["library"].id)) == 2 and h.fake.channel_messages(ch["library"].id)
        )
        assert f"#{newer}" in text_of(posts[-1]) and "late" in text_of(posts[-1])
        assert f"#{rid}" not in text_of(posts[-1])
        await h.bot.services.timers.fire_due()
        assert len(h.fake.channel_messages(ch["library"].id)) == 2
    finally:
        await h.stop()


async def test_monthly_review_list_with_mark_reviewed_buttons(fake_discord, tmp_path):
    clock = FakeClock(datetime(2026, 3, 4, 12, 0, tzinfo=UTC))
    h = await _timed_harness(fake_discord, tmp_path, clock)
    try:
        ch = await configure(h)
        old = [await publish(h, f"Old sheet {i}", f"https://example.org/old/{i}") for i in range(3)]
        timers = h.bot.services.timers
        clock.now = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)
        fresh = await publish(h, "Fresh sheet", "https://example.org/fresh")
        await timers.fire_due()  # the late digest and the late monthly run
        queue = [m for m in h.fake.channel_messages(ch["queue"].id) if m.embeds]
        assert len(queue) == 1
        card = queue[0]
        text = text_of(card)
        assert all(f"#{rid}" in text for rid in old) and f"#{fresh}" not in text
        buttons = [c["custom_id"] for row in card.components for c in row["components"]]
        assert buttons == [f"harbor:res:reviewed:{rid}" for rid in old]
        refused = await h.fake.click(h.alice, card, buttons[0])
        assert "Only moderators" in refused.response.content
        await h.restart()
        done = await h.fake.click(h.mod, card, buttons[0])
        assert done.response.type == 7
        states = {c["custom_id"]: c.get("disabled", False) for row in card.components for c in row["components"]}
        assert states == {buttons[0]: True, buttons[1]: False, buttons[2]: False}
        await h.fake.click(h.mod, card, buttons[2])
        states = {c["custom_id"]: c.get("disabled", False) for row in card.components for c in row["components"]}
        assert states == {buttons[0]: True, buttons[1]: False, buttons[2]: True}
        # next month only the one not reviewed is listed again
        clock.now = datetime(2027, 4, 1, 16, 0, tzinfo=UTC)
        await h.bot.services.timers.fire_due()
        latest = [m for m in h.fake.channel_messages(ch["queue"].id) if m.embeds][-1]
        assert latest.id != card.id and f"#{old[1]}" in text_of(latest) and f"#{old[0]}" not in text_of(latest)
    finally:
        await h.stop()
