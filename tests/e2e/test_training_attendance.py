"""Attendance codes, trainer marking, CE credit + PDF certificates at the end, /training verify; end to end."""

import csv
import io
import json
import re
import sqlite3
import sys
import zipfile
from datetime import UTC, datetime

from tests.e2e.test_trainings import post, setup_server, text_of

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # the training starts 2026-12-03 18:30 UTC and lasts 90 min
ETHICS = {"training:details": "90 min, 1.5, ethics", "training:title": "Ethics refresher"}


def code_in(reply):
    found = re.search(r"/training attend ([A-Z0-9]{6})", reply.content or "")
    assert found, reply.content
    return found.group(1)


async def attend(h, user, code):
    reply = await h.slash(user, "training attend", {"code": code})
    assert reply.response.ephemeral
    return reply.response.content


async def ce_log(h, user, options):
    reply = await h.slash(user, "ce log", options)
    if reply.response.type == 5:  # deferred while the certificate downloads: the answer is the follow-up
        reply.response = (await reply.wait_followups(1))[0]
    return reply


async def certificates(h, user):
    return [m for m in h.fake.dms(user) if any(name.endswith(".pdf") for name, _ in m.files)]


async def test_code_attend_mark_end_credit_certificate_verify(timed_harness):
    h = await timed_harness(NOW)
    board = await setup_server(h)
    alice, bob, carmen, dev, eun, farah = h.members
    await h.slash(alice, "ce credential add", {"template": "PA CRS", "expires": "2027-06-30"})
    tid = await post(h, h.admin, values=ETHICS)

    # a member cannot see or make the code
    refused = await h.slash(bob, "training code", {"id": tid})
    assert refused.response.ephemeral and "trainer" in refused.response.content
    panel = await h.slash(h.admin, "training code", {"id": tid})
    assert panel.response.ephemeral
    code = code_in(panel.response)
    assert not set(code) & set("01OIL")
    again = await h.slash(h.admin, "training code", {"id": tid})
    assert code_in(again.response) == code  # shown again, not replaced
    assert "opens" in await attend(h, alice, code)  # a day early

    h.clock.advance(hours=30, minutes=20)  # 10 minutes before the start: the window is open
    spaced = f"{code[:3].lower()}-{code[3:].lower()}"
    assert "Recorded your attendance" in await attend(h, alice, spaced)
    assert "already recorded" in await attend(h, alice, code)
    early = await h.slash(alice, "training certificate", {"id": tid})
    assert early.response.ephemeral and "issued when the training ends" in early.response.content
    assert "No training here has the code" in await attend(h, bob, "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY")
    assert "not an attendance code" in await attend(h, bob, "hello!")

    rotated = await h.fake.click(h.admin, panel.original(), f"harbor:tr:rotate:{tid}")
    new_code = code_in(rotated.response)
    assert new_code != code
    assert "replaced" in await attend(h, carmen, code)
    assert "Recorded" in await attend(h, carmen, new_code)
    # another trainer cannot take this training's attendance
    trainers = h.guild.add_role("Trainers")
    tess = h.fake.add_user("tess")
    h.guild.add_member(tess, roles=[trainers.id])
    await h.slash(h.admin, "setup role", {"kind": "trainer", "role": trainers.id})
    other = await h.slash(tess, "training code", {"id": tid})
    assert other.response.ephemeral and "Only the training's trainer" in other.response.content

    # the trainer marks dev (and carmen again) with the member select
    picker = await h.fake.click(h.admin, panel.original(), f"harbor:tr:markpick:{tid}")
    marked = await h.fake.select(h.admin, picker.original(), f"harbor:tr:mark:{tid}", [dev, carmen])
    assert f"Marked present: <@{dev.id}>" in marked.response.content
    assert f"Already recorded: <@{carmen.id}>" in marked.response.content

    # the end: everyone recorded gets a CE entry and a PDF by DM, once
    h.clock.advance(minutes=100)
    assert await h.bot.services.timers.fire_due() >= 1
    for user in (alice, carmen, dev):
        await h.fake.wait_for(lambda user=user: h.fake.dms(user))
    assert [len(await certificates(h, u)) for u in (alice, carmen, dev, bob)] == [1, 1, 1, 0]
    dm = (await certificates(h, alice))[0]
    name, pdf = dm.files[0]
    assert name == f"certificate-{tid}.pdf"
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000
    verify_code = re.search(r"HBR-[A-Z0-9]{4}-[A-Z0-9]{4}", dm.content).group(0)
    entries = await h.slash(alice, "ce entries")
    assert "Ethics refresher" in text_of(entries.response) and "Peer Network" in text_of(entries.response)
    status = await h.slash(alice, "ce status")
    assert "1.5" in text_of(status.response)

    checked = await h.slash(bob, "training verify", {"code": verify_code.lower().replace("-", " ")})
    assert checked.response.ephemeral
    shown = text_of(checked.response)
    assert "verified" in shown and "alice" in shown and "Ethics refresher" in shown and "1.5" in shown
    unknown = await h.slash(bob, "training verify", {"code": "HBR-AAAA-BBBB"})
    assert "No certificate" in unknown.response.content

    # the certificate again, privately, for its holder only
    choices = await h.fake.autocomplete(alice, "training certificate", {"id": ""}, focused="id", guild=h.guild)
    assert [c["value"] for c in choices] == [tid]
    assert await h.fake.autocomplete(bob, "training certificate", {"id": ""}, focused="id", guild=h.guild) == []
    again = await h.slash(alice, "training certificate", {"id": tid})
    assert again.response.ephemeral and again.response.files == [(name, pdf)]
    for user, training_id in ((bob, tid), (alice, tid + 999)):
        refused = await h.slash(user, "training certificate", {"id": training_id})
        assert refused.response.ephemeral and not refused.response.files
        assert "no attendance recorded" in refused.response.content

    # nothing doubles, not even after a restart
    assert await h.bot.services.timers.fire_due() == 0
    await h.restart()
    await h.bot.services.timers.fire_due()
    assert len(await certificates(h, alice)) == 1
    entries = await h.slash(alice, "ce entries")
    assert text_of(entries.response).count("Ethics refresher") == 1

    # late but inside the 30 minutes after the end: credited at once (one timer); after that: expired
    assert "certificate of attendance by DM now" in await attend(h, bob, new_code)
    await h.bot.services.timers.fire_due()
    await h.fake.wait_for(lambda: h.fake.dms(bob))
    assert len(await certificates(h, bob)) == 1
    h.clock.advance(minutes=31)
    assert "expired" in await attend(h, farah, new_code)
    # the trainer can still mark eun-ji afterwards; she is credited once
    panel = await h.slash(h.admin, "training code", {"id": tid})
    assert "closed" in panel.response.content
    picker = await h.fake.click(h.admin, panel.original(), f"harbor:tr:markpick:{tid}")
    marked = await h.fake.select(h.admin, picker.original(), f"harbor:tr:mark:{tid}", [eun])
    assert "on their way" in marked.response.content
    await h.bot.services.timers.fire_due()
    await h.fake.wait_for(lambda: h.fake.dms(eun))
    assert len(await certificates(h, eun)) == 1
    listed = await h.slash(alice, "training list")
    assert "Ethics refresher" not in text_of(listed.response)  # ended
    card = h.fake.channel_messages(board.id)[-1]
    assert "Ended: Ethics refresher" in text_of(card)
    assert all(c.get("disabled") for row in card.components for c in row["components"])  # no RSVP after the end

    # the roster for the CE provider: every attendee (marked ones who never answered too) with the hours earned
    roster = await h.slash(h.admin, "training roster", {"id": tid})
    sent = (await roster.wait_followups(1))[0]
    assert "5 attended" in sent.content
    rows = list(csv.reader(io.StringIO(sent.files[0][1].decode("utf-8-sig"))))
    assert rows[0] == ["name", "user_id", "rsvp", "attended", "ce_hours"]
    by_id = {int(r[1]): r for r in rows[1:]}
    assert {u.id for u in (alice, bob, carmen, dev, eun)} <= set(by_id)
    assert by_id[dev.id][3:] == ["yes", "1.5"] and by_id[dev.id][2] == "none"
    assert farah.id not in by_id


async def test_cancelled_training_refuses_codes_and_drops_the_end_timer(timed_harness):
    h = await timed_harness(NOW)
    await setup_server(h)
    tid = await post(h, h.admin, values=ETHICS)
    code = code_in((await h.slash(h.admin, "training code", {"id": tid})).response)
    await h.slash(h.admin, "training cancel", {"id": tid, "reason": "Trainer is ill"})
    h.clock.advance(hours=30, minutes=20)
    assert "was cancelled" in await attend(h, h.alice, code)
    again = await h.slash(h.admin, "training code", {"id": tid})
    assert again.response.ephemeral and "cancelled" in again.response.content
    h.clock.advance(hours=3)
    await h.bot.services.timers.fire_due()
    assert not h.fake.dms(h.alice)


async def test_a_crash_after_the_credit_commits_never_doubles_the_entry(timed_harness):
    from bot.services.attendance import AttendanceService, Names

    h = await timed_harness(NOW)
    await setup_server(h)
    tid = await post(h, h.admin, values=ETHICS)
    code = code_in((await h.slash(h.admin, "training code", {"id": tid})).response)
    h.clock.advance(hours=30, minutes=30)
    await attend(h, h.alice, code)
    await attend(h, h.bob, code)
    # a run that committed alice's credit, then died before any DM (the end timer never finished)
    service = h.bot.feature(AttendanceService)
    training = await service.training(tid)
    first = await service.credit(training, h.alice.id, Names("alice", "ada-admin", "Peer Network"))
    assert first is not None
    assert await service.credit(training, h.alice.id, Names("alice", "ada-admin", "Peer Network")) is None
    await h.restart()
    h.clock.advance(hours=2)
    await h.bot.services.timers.fire_due()
    await h.fake.wait_for(lambda: h.fake.dms(h.alice) and h.fake.dms(h.bob))
    assert len(await certificates(h, h.alice)) == 1
    assert first.verify_code in (await certificates(h, h.alice))[0].content  # the committed code, not a new one
    for user in (h.alice, h.bob):
        entries = await h.slash(user, "ce entries")
        assert text_of(entries.response).count("Ethics refresher") == 1


async def test_ce_log_keeps_the_certificate_and_the_audit_pack_has_every_file(timed_harness, monkeypatch, tmp_path):
    h = await timed_harness(NOW)
    alice = h.alice
    await h.slash(alice, "ce credential add", {"template": "PA CRS", "expires": "2027-06-30"})
    pdf = b"%PDF-1.4 " + bytes(range(256)) * 40
    logged = await ce_log(
        h,
        alice,
        {
            "title": "Ethics webinar",
            "hours": 2,
            "date": "2026-11-01",
            "certificate": ("ethics.pdf", pdf, "application/pdf"),
        },
    )
    assert logged.response.ephemeral and "keeps your certificate" in logged.response.content
    h.fake.cdn.clear()  # Discord's link expires: Harbor's copy does not
    for options, says in (
        ({"certificate": ("empty.pdf", b"", "application/pdf")}, "empty"),
        ({"certificate": ("huge.pdf", b"%PDF" + b"0" * (8 * 1024 * 1024), "application/pdf")}, "up to 8.0 MB"),
    ):
        bad = await h.slash(alice, "ce log", {"title": "Bad", "hours": 1, "date": "2026-11-02", **options})
        assert bad.response.ephemeral and says in bad.response.content, bad.response.content
    monkeypatch.setattr("bot.domain.certificates.MEMBER_QUOTA", 12_000)
    over = await h.slash(
        alice, "ce log", {"title": "Over", "hours": 1, "date": "2026-11-03", "certificate": ("b.pdf", pdf, None)}
    )
    assert "storage" in over.response.content
    listed = await h.slash(alice, "ce entries")
    assert "Bad" not in text_of(listed.response) and "Over" not in text_of(listed.response)
    assert "certificate kept" in text_of(listed.response)  # Harbor's copy, not the expired Discord link
    monkeypatch.undo()

    plain = await h.slash(alice, "ce export", {"format": "csv"})
    assert "certificates/" in plain.response.files[0][1].decode("utf-8-sig")
    pack = await h.slash(alice, "ce export", {"format": "zip"})
    replies = await pack.wait_followups(1)
    name, body = replies[0].files[0]
    assert name.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(body))
    names = archive.namelist()
    assert any(n.endswith(".csv") for n in names) and any(n.endswith(".json") for n in names)
    stored = [n for n in names if n.startswith("certificates/")]
    assert len(stored) == 1 and archive.read(stored[0]) == pdf
    rows = json.loads(archive.read(next(n for n in names if n.endswith(".json"))))["rows"]
    assert rows[0]["certificate"] == stored[0]
    # the files live in the database file, so a backup carries them
    await h.bot.services.db.backup(tmp_path / "copy.db")
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("SELECT data FROM certificate_files").fetchall() == [(pdf,)]


async def test_mydata_exports_and_erases_attendance_and_certificates(timed_harness):
    h = await timed_harness(NOW)
    await setup_server(h)
    tid = await post(h, h.admin, values=ETHICS)
    code = code_in((await h.slash(h.admin, "training code", {"id": tid})).response)
    h.clock.advance(hours=30, minutes=30)
    await attend(h, h.alice, code)
    h.clock.advance(hours=2)
    await h.bot.services.timers.fire_due()
    dm = (await h.fake.wait_for(lambda: h.fake.dms(h.alice)))[-1]
    verify_code = re.search(r"HBR-[A-Z0-9]{4}-[A-Z0-9]{4}", dm.content).group(0)

    export = await h.slash(h.alice, "mydata export")
    replies = [export.response, *await export.wait_followups(1)]
    data = json.loads(next(body for r in replies for _, body in r.files))["data"]
    assert data["training_attendance"][0]["verify_code"] == verify_code
    files = data["certificates"]["files"]
    assert files[0]["origin"] == "training" and files[0]["data_base64"]
    privacy = await h.slash(h.alice, "privacy")
    assert "certificate" in text_of(privacy.response).lower()

    ask = await h.slash(h.alice, "mydata delete")
    button = next(c["custom_id"] for row in ask.response.components for c in row["components"])
    await h.fake.click(h.alice, ask.original(), button)
    gone = await h.slash(h.bob, "training verify", {"code": verify_code})
    assert "No certificate" in gone.response.content
    after = await h.slash(h.alice, "mydata export")
    replies = [after.response, *await after.wait_followups(1)]
    data = json.loads(next(body for r in replies for _, body in r.files))["data"]
    assert data["training_attendance"] == [] and data["certificates"]["files"] == []


async def test_a_large_audit_pack_comes_in_parts_under_the_upload_limit(timed_harness, monkeypatch):
    h = await timed_harness(NOW)
    alice = h.alice
    await h.slash(alice, "ce credential add", {"template": "PA CRS", "expires": "2027-06-30"})
    files = {}
    for day in (1, 2, 3):
        data = b"%PDF-1.4 " + bytes([day]) * 30_000
        files[day] = data
        cert = (f"c{day}.pdf", data, "application/pdf")
        done = await ce_log(
            h, alice, {"title": f"Course {day}", "hours": 1, "date": f"2026-11-0{day}", "certificate": cert}
        )
        assert "keeps your certificate" in done.response.content
    monkeypatch.setattr(sys.modules["cogs.ce._cog"], "PACK_PART_LIMIT", 40_000)
    pack = await h.slash(alice, "ce export", {"format": "zip"})
    replies = await pack.wait_followups(3)
    names = [r.files[0][0] for r in replies]
    assert [n.endswith(f"-part{i}of3.zip") for i, n in enumerate(names, start=1)] == [True] * 3
    found = {}
    for reply in replies:
        archive = zipfile.ZipFile(io.BytesIO(reply.files[0][1]))
        found.update({n: archive.read(n) for n in archive.namelist() if n.startswith("certificates/")})
    assert sorted(found.values()) == sorted(files.values())


async def test_guessing_codes_is_slowed_and_old_trainings_get_their_end_timer(timed_harness):
    h = await timed_harness(NOW)
    await setup_server(h)
    tid = await post(h, h.admin, values=ETHICS)
    code = code_in((await h.slash(h.admin, "training code", {"id": tid})).response)
    h.clock.advance(hours=30, minutes=30)
    wrong = [c for c in ("AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD", "EEEEEE", "FFFFFF", "GGGGGG") if c != code][:6]
    said = [await attend(h, h.bob, c) for c in wrong]
    assert all("No training here" in s for s in said[:5]) and "several wrong codes" in said[5]
    assert "Recorded" in await attend(h, h.bob, code)  # the right code still works
    # a training made before end timers existed: the timer is created at start-up
    db = h.bot.services.db
    await db.execute("UPDATE timers SET status = 'cancelled' WHERE event = 'training.end'")
    await h.stop()
    h.clock.advance(hours=3)  # Harbor was down when the training ended
    await h.start()
    assert (
        await h.bot.services.db.fetchval(
            "SELECT count(*) FROM timers WHERE event = 'training.end' AND status = 'pending'"
        )
        == 1
    )
    await h.bot.services.timers.fire_due()
    await h.fake.wait_for(lambda: h.fake.dms(h.bob))
    sent = await certificates(h, h.bob)
    assert len(sent) == 1 and "late — Harbor was offline" in sent[0].content
