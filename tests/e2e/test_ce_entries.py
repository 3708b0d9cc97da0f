"""CE log, status (with chart), entries paging, remove and export end to end through the fake Discord."""

import csv
import io
import json
from datetime import date

import pytest

from bot.services.ce import CeService
from tests.e2e.test_ce_templates import text_of

PDF = ("certificate.pdf", b"%PDF-1.4 fake", "application/pdf")


async def entries_of(h, user):
    found = await h.bot.feature(CeService).entries_between(user.id, date.min, date.max)
    return sorted(found, key=lambda e: e.id)


async def planned(h, user):
    return [(t.id, t.key, t.due_at) for t in await h.bot.feature(CeService).planned_reminders(user.id)]


async def log(h, user, **options):
    values = {"title": "Ethics in peer support", "hours": 1.5, "date": "2026-05-01", **options}
    reply = await h.slash(user, "ce log", values)
    if reply.response.type == 5:  # deferred while the certificate downloads: the answer is the follow-up
        reply.response = (await reply.wait_followups(1))[0]
    return reply


@pytest.fixture
async def crs(harness):
    await harness.slash(harness.alice, "ce credential add", {"template": "PA CRS", "expires": "2027-06-30"})
    return harness


async def test_log_with_certificate_and_us_dates(crs):
    h = crs
    reply = await log(
        h,
        h.alice,
        title="Ética y límites 🧭",
        hours=2.5,
        date="May 1 2026",
        category="Ethics",
        provider="PCB ✨",
        certificate=PDF,
    )
    assert reply.response.ephemeral
    assert "2.5 h of ethics on 2026-05-01" in reply.response.content
    assert "**PA CRS** (2.5/30 h" in reply.response.content
    photo = await log(h, h.alice, date="1 May 2026", certificate=("cert.jpg", b"\xff\xd8\xff", "image/jpeg"))
    assert "Logged" in photo.response.content
    await log(h, h.alice, date="5/2/2026")
    rows = await entries_of(h, h.alice)
    assert [r.day.isoformat() for r in rows] == ["2026-05-01", "2026-05-01", "2026-05-02"]
    assert rows[0].title == "Ética y límites 🧭" and rows[0].provider == "PCB ✨"
    assert rows[0].quarters == 10 and rows[0].category == "ethics"
    assert rows[0].certificate_url.endswith("/certificate.pdf") and rows[1].certificate_url.endswith(".jpg")
    assert rows[2].category == "general" and rows[2].certificate_url is None


async def test_category_autocomplete_comes_from_the_members_templates(crs):
    h = crs
    await h.slash(h.alice, "ce credential add", {"template": "PA CPS", "expires": "2027-03-31"})
    values = {"title": "x", "hours": 1, "date": "x", "category": ""}
    choices = [
        c["value"] for c in await h.fake.autocomplete(h.alice, "ce log", values, focused="category", guild=h.guild)
    ]
    assert choices == ["general", "peer-specific", "ethics", "confidentiality"]  # soonest expiry first
    assert [
        c["value"] for c in await h.fake.autocomplete(h.bob, "ce log", values, focused="category", guild=h.guild)
    ] == ["general"]
    values["category"] = "peer"
    assert [
        c["value"] for c in await h.fake.autocomplete(h.alice, "ce log", values, focused="category", guild=h.guild)
    ] == ["peer-specific"]


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"hours": 0}, "more than 0"),
        ({"hours": -2}, "more than 0"),
        ({"hours": 40.25}, "more than 40"),
        ({"hours": 1.1}, "quarter-hour"),
        ({"date": "2099-01-01"}, "future"),
        ({"date": "12/31/1989"}, "before 1990"),
        ({"date": "someday"}, "not a date"),
        ({"date": "tomorrow"}, "future"),  # relative words are read (in the member's zone), then range-checked
        ({"date": "13/1/2026"}, "not a real calendar date"),  # US order: never silently read as 13 January
        ({"date": "2/30/2026"}, "not a real calendar date"),
        ({"category": "astrology"}, "not a category of your credentials"),
        ({"title": "x" * 201}, "1–200"),
        ({"title": "   "}, "1–200"),
        ({"provider": "p" * 201}, "at most 200"),
        ({"certificate": ("notes.txt", b"hello", "text/plain")}, "not a PDF or an image"),
        ({"certificate": ("setup.exe", b"MZ", "application/octet-stream")}, "not a PDF or an image"),
        ({"certificate": ("looks.pdf", b"<html>", "text/html")}, "not a PDF or an image"),
        ({"certificate": ("drawing.svg", b"<svg/>", "image/svg+xml")}, "not a PDF or an image"),
    ],
)
async def test_bad_log_input_writes_nothing(crs, options, words):
    h = crs
    timers_before = await planned(h, h.alice)
    assert len(timers_before) == 4
    reply = await log(h, h.alice, **options)
    assert reply.response.ephemeral
    assert words in reply.response.content and "e.g." in reply.response.content
    assert await entries_of(h, h.alice) == []
    assert await planned(h, h.alice) == timers_before


async def test_entries_count_toward_every_credential_whose_cycle_contains_them(crs):
    h = crs
    await h.slash(h.alice, "ce credential add", {"template": "NAADAC NCAC I", "expires": "2028-09-30"})
    both = await log(h, h.alice, date="2026-10-01", hours=4)
    assert "PA CRS" in both.response.content and "NAADAC NCAC I" in both.response.content
    only_crs = await log(h, h.alice, date="2025-08-01", hours=2)
    assert "PA CRS" in only_crs.response.content and "NAADAC" not in only_crs.response.content
    none = await log(h, h.alice, date="2024-01-01", hours=2)
    assert "counts toward none" in none.response.content


async def test_status_per_credential_with_chart(crs):
    h = crs
    await h.slash(h.alice, "ce credential add", {"template": "PA CPS", "expires": "2027-03-31"})
    await log(h, h.alice, hours=6, category="ethics")
    await log(h, h.alice, hours=3, category="confidentiality")
    await log(h, h.alice, hours=21)
    reply = await h.slash(h.alice, "ce status")
    assert reply.response.ephemeral
    embeds = reply.response.embeds
    assert [e["title"] for e in embeds] == ["PA CPS", "PA CRS"]
    crs_text = text_of(type(reply.response)(type=4, embeds=[embeds[1]]))
    assert "**30** of 30 h" in crs_text and "✅ 6 of 6 h" in crs_text and "requirements met" in crs_text
    cps_text = text_of(type(reply.response)(type=4, embeds=[embeds[0]]))
    assert "**30** of 36 h" in cps_text and "⬜ 0 of 24 h" in cps_text and "Renewal window" in cps_text
    assert "24 h peer-specific" in cps_text and "in " in cps_text and "day" in cps_text
    assert "behind" in cps_text or "on track" in cps_text
    chart = (await reply.wait_followups(1))[0]
    assert chart.ephemeral and chart.files[0][0] == "ce-progress.png"
    assert chart.files[0][1].startswith(b"\x89PNG")
    credential = await h.fake.autocomplete(
        h.alice, "ce status", {"credential": "cps"}, focused="credential", guild=h.guild
    )
    one = await h.slash(h.alice, "ce status", {"credential": credential[0]["value"]})
    assert [e["title"] for e in one.response.embeds] == ["PA CPS"]
    nothing = await h.slash(h.bob, "ce status")
    assert nothing.response.ephemeral and "no credentials yet" in nothing.response.content
    assert "/ce credential add" in nothing.response.content


async def test_entries_paged_after_restart_and_remove_own_only(crs):
    h = crs
    for day in range(1, 13):
        await log(h, h.alice, title=f"Session {day}", date=f"2026-04-{day:02d}", hours=1)
    await log(h, h.bob, title="Bob's training", hours=1)
    first = await h.slash(h.alice, "ce entries")
    assert first.response.ephemeral
    assert "Session 12" in text_of(first.response) and "Session 2" not in text_of(first.response)
    assert "Page 1 of 2" in first.response.embeds[0]["footer"]["text"]
    prev_button, next_button = first.response.components[0]["components"]
    assert prev_button["disabled"] and not next_button["disabled"]
    await h.restart()
    second = await h.fake.click(h.alice, first.original(), next_button["custom_id"])
    page2 = second.response
    assert "Session 1\n" in text_of(page2) + "\n" and "Page 2 of 2" in page2.embeds[0]["footer"]["text"]
    # own entries only, by autocomplete and by id
    mine = await h.fake.autocomplete(h.alice, "ce remove", {"entry": "session 1"}, focused="entry", guild=h.guild)
    assert {c["name"].split(" ", 4)[-1] for c in mine} == {"Session 1", "Session 10", "Session 11", "Session 12"}
    bobs = (await entries_of(h, h.bob))[0].id
    stolen = await h.slash(h.alice, "ce remove", {"entry": str(bobs)})
    assert "not one of your CE entries" in stolen.response.content and stolen.response.ephemeral
    assert len(await entries_of(h, h.bob)) == 1
    target = next(c for c in mine if c["name"].endswith("Session 10"))
    done = await h.slash(h.alice, "ce remove", {"entry": target["value"]})
    assert "Removed" in done.response.content
    assert "Session 10" not in [r.title for r in await entries_of(h, h.alice)]
    nonsense = await h.slash(h.alice, "ce remove", {"entry": "nonsense"})
    assert "not one of your CE entries" in nonsense.response.content and "/ce entries" in nonsense.response.content


async def test_export_csv_with_bom_and_json(crs):
    h = crs
    await h.slash(
        h.alice, "ce credential add", {"template": "NAADAC NCAC I", "expires": "2028-09-30", "number": "N-77"}
    )
    await log(
        h,
        h.alice,
        title='Boundaries, "quotes" & ünïcode 🌈',
        provider="NAADAC",
        date="2026-10-01",
        hours=2,
        category="ethics",
        certificate=PDF,
    )
    await log(h, h.alice, title='=HYPERLINK("x")', date="2025-08-01", hours=1)
    await log(h, h.bob, title="not alice's", date="2026-10-01", hours=1)
    reply = await h.slash(h.alice, "ce export")
    assert reply.response.ephemeral
    name, body = reply.response.files[0]
    assert name.endswith(".csv") and body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert list(rows[0]) == [
        "member",
        "credential",
        "credential_number",
        "cycle_start",
        "cycle_end",
        "title",
        "provider",
        "date",
        "hours",
        "category",
        "certificate",
    ]
    assert {(r["credential"], r["date"]) for r in rows} == {
        ("PA CRS", "2026-10-01"),
        ("PA CRS", "2025-08-01"),
        ("NAADAC NCAC I", "2026-10-01"),
    }
    unicode_row = next(r for r in rows if r["credential"] == "NAADAC NCAC I")
    assert unicode_row["title"] == 'Boundaries, "quotes" & ünïcode 🌈' and unicode_row["hours"] == "2.0"
    assert unicode_row["member"] == "alice" and unicode_row["credential_number"] == "N-77"
    assert unicode_row["certificate"].endswith("certificate.pdf")
    assert next(r for r in rows if r["date"] == "2025-08-01")["title"].startswith("'=")
    assert "not alice's" not in body.decode("utf-8-sig")
    as_json = await h.slash(h.alice, "ce export", {"format": "json"})
    doc = json.loads(as_json.response.files[0][1])
    assert len(doc["rows"]) == 3 and doc["rows"][0]["member"] == "alice"
    empty = await h.slash(h.bob, "ce export")
    assert "add a credential first" in empty.response.content and not empty.response.files


async def test_entries_of_one_credential_cycle_and_unknown_credentials(crs):
    h = crs
    await h.slash(h.alice, "ce credential add", {"template": "MT CBHPSS", "expires": "2026-12-31"})
    await log(h, h.alice, title="In both", date="2026-03-01")
    await log(h, h.alice, title="Only CRS", date="2025-09-01")
    mt = await h.fake.autocomplete(h.alice, "ce entries", {"credential": "mt"}, focused="credential", guild=h.guild)
    scoped = await h.slash(h.alice, "ce entries", {"credential": mt[0]["value"]})
    text = text_of(scoped.response)
    assert "MT CBHPSS (expires 2026-12-31), this cycle" in text and "In both" in text and "Only CRS" not in text
    everything = text_of((await h.slash(h.alice, "ce entries")).response)
    assert "In both" in everything and "Only CRS" in everything
    for command in ("ce entries", "ce status"):
        bad = await h.slash(h.alice, command, {"credential": "NAADAC NCAC I"})
        assert bad.response.ephemeral and "not one of your credentials" in bad.response.content


async def test_long_server_template_names_fit_discords_choice_limit(crs):
    h = crs
    await h.slash(h.admin, "ce template add", {"name": "N" * 100, "cycle_months": 12, "total_hours": 10})
    choices = await h.fake.autocomplete(
        h.alice, "ce credential add", {"template": "nnn", "expires": "x"}, focused="template", guild=h.guild
    )
    assert len(choices) == 1 and len(choices[0]["name"]) <= 100
