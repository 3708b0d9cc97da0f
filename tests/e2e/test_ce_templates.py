"""CE templates and credentials end to end through the fake Discord."""

import pytest

from bot.services.ce import CeService


def text_of(reply):
    parts = [reply.content or ""]
    for embed in reply.embeds:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
        parts.append(embed.get("footer", {}).get("text", ""))
    return "\n".join(parts)


async def templates(h):
    """Every template the admin can pick here (built-ins and this server's), as autocomplete shows them."""
    return [c["name"] for c in await template_choices(h, h.admin)]


async def credentials(h, user):
    return [c["name"] for c in await credential_choices(h, user)]


async def credential_choices(h, user):
    return await h.fake.autocomplete(
        user, "ce credential remove", {"credential": ""}, focused="credential", guild=h.guild
    )


async def pending_reminders(h, user):
    return len(await h.bot.feature(CeService).planned_reminders(user.id))


async def template_choices(h, user, typed="", command="ce credential add"):
    options = {"template": typed} if command != "ce credential add" else {"template": typed, "expires": "x"}
    return await h.fake.autocomplete(user, command, options, focused="template", guild=h.guild)


async def test_builtins_listed_with_source_and_board_note(harness):
    reply = await harness.slash(harness.alice, "ce template list")
    assert reply.response.ephemeral
    text = text_of(reply.response)
    for name in ("PA CRS", "PA CFRS", "PA CPS", "MT CBHPSS", "NAADAC NCAC I", "NAADAC NCAC II"):
        assert f"**{name}**" in text
    assert "30 h / 24 months incl. ethics 6, confidentiality 3 h" in text
    assert "36 h / 24 months incl. peer-specific 24, ethics 3 h" in text
    assert "20 h / 12 months, expires 12-31" in text
    assert "https://www.pacertboard.org" in text and "last verified" in text
    assert text.lower().count("verify with your board") >= 6


async def test_admin_adds_lists_and_removes_a_server_template(harness):
    h = harness
    reply = await h.slash(
        h.admin,
        "ce template add",
        {
            "name": "NJ CPRS 🌊",
            "cycle_months": 24,
            "total_hours": 30,
            "categories": "ethics=6, cultural competence=2",
            "renewal_window_days": 60,
            "source": "https://example.org/nj-cprs",
            "last_verified": "May 1 2026",
        },
    )
    assert reply.response.ephemeral
    assert "NJ CPRS 🌊" in reply.response.content and "cultural-competence 2" in reply.response.content
    names = [c["name"] for c in await template_choices(h, h.alice)]
    assert any("NJ CPRS 🌊" in n and "(this server)" in n for n in names)
    assert any(n.startswith("PA CRS") for n in names)
    listed = text_of((await h.slash(h.bob, "ce template list")).response)
    assert "NJ CPRS 🌊" in listed and "last verified 2026-05-01" in listed
    # only this server's templates are offered for removal
    removable = await template_choices(h, h.admin, command="ce template remove")
    assert [c["name"].split(" — ")[0] for c in removable] == ["NJ CPRS 🌊"]
    done = await h.slash(h.admin, "ce template remove", {"template": removable[0]["value"]})
    assert "removed" in done.response.content
    assert not any("NJ CPRS" in c["name"] for c in await template_choices(h, h.alice))


async def test_members_cannot_add_or_remove_templates(harness):
    h = harness
    before = await templates(h)
    for who in (h.alice, h.mod):
        reply = await h.slash(who, "ce template add", {"name": "Mine", "cycle_months": 12, "total_hours": 10})
        assert reply.response.ephemeral and "admin" in reply.response.content.lower()
        reply = await h.slash(who, "ce template remove", {"template": "PA CRS"})
        assert "admin" in reply.response.content.lower()
    assert await templates(h) == before


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"categories": "ethics"}, "needs a number"),
        ({"categories": "ethics=6, ethics=2"}, "twice"),
        ({"categories": "ethics=40"}, "more than the"),
        ({"cycle_months": 0}, "1–120"),
        ({"total_hours": 0}, "more than 0"),
        ({"total_hours": 2.1}, "quarter-hour"),
        ({"renewal_window_days": 1000}, "0–730"),
        ({"source": "not a link"}, "web link"),
        ({"last_verified": "someday"}, "not a date"),
        ({"last_verified": "next week"}, "future"),
        ({"last_verified": "2030-01-01"}, "future"),
        ({"name": "pa crs"}, "already exists"),
        ({"name": "x" * 101}, "1–100"),
    ],
)
async def test_bad_template_input_writes_nothing(harness, options, words):
    h = harness
    before = await templates(h)
    values = {"name": "NJ CPRS", "cycle_months": 24, "total_hours": 30, **options}
    reply = await h.slash(h.admin, "ce template add", values)
    assert reply.response.ephemeral
    assert words in reply.response.content and "e.g." in reply.response.content
    assert await templates(h) == before


async def test_builtin_and_in_use_templates_cannot_be_removed(harness):
    h = harness
    builtin = await h.slash(h.admin, "ce template remove", {"template": "PA CRS"})
    assert "built into Harbor" in builtin.response.content
    await h.slash(h.admin, "ce template add", {"name": "Local", "cycle_months": 12, "total_hours": 10})
    local = next(c for c in await template_choices(h, h.alice, "local"))
    await h.slash(h.alice, "ce credential add", {"template": local["value"], "expires": "2027-01-31"})
    await h.slash(h.bob, "ce credential add", {"template": "local", "expires": "2027-02-28"})
    refused = await h.slash(h.admin, "ce template remove", {"template": local["value"]})
    assert "used by 2 credentials" in refused.response.content
    assert len(await templates(h)) == 7
    unknown = await h.slash(h.admin, "ce template remove", {"template": "Nope"})
    assert "not a CE template" in unknown.response.content and "e.g." in unknown.response.content


async def test_credential_add_list_and_privacy(harness):
    h = harness
    crs = next(c for c in await template_choices(h, h.alice, "crs") if c["name"].startswith("PA CRS"))
    reply = await h.slash(
        h.alice, "ce credential add", {"template": crs["value"], "expires": "6/30/2027", "number": "CRS-0042"}
    )
    assert reply.response.ephemeral
    assert "PA CRS" in reply.response.content and "2027-06-30" in reply.response.content
    assert "Cycle 2025-07-01 → 2027-06-30" in text_of(reply.response)
    await h.slash(h.alice, "ce credential add", {"template": "NAADAC NCAC I", "expires": "Jan 31 2028"})
    listed = await h.slash(h.alice, "ce credential list")
    assert listed.response.ephemeral
    text = text_of(listed.response)
    assert "CRS-0042" in text and "NAADAC NCAC I" in text and "2026-02-01 → 2028-01-31" in text
    assert "CRS-0042" not in text_of((await h.slash(h.bob, "ce credential list")).response)
    # nothing about it was posted in the channel
    assert all("CRS-0042" not in m.content for m in h.fake.channel_messages(h.general.id))
    assert len(await credentials(h, h.alice)) == 2


@pytest.mark.parametrize(
    ("template", "expires", "words"),
    [
        ("PA CRS", "2020-01-01", "in the past"),
        ("PA CRS", "someday", "not a date"),
        ("PA CRS", "2050-01-01", "years away"),
        ("Unknown board", "2027-01-01", "not a CE template"),
        ("MT CBHPSS", "2027-06-30", "expire on Dec 31"),
    ],
)
async def test_bad_credential_input_writes_nothing(harness, template, expires, words):
    reply = await harness.slash(harness.alice, "ce credential add", {"template": template, "expires": expires})
    assert reply.response.ephemeral
    assert words in reply.response.content and "e.g." in reply.response.content
    assert await credentials(harness, harness.alice) == []
    assert await pending_reminders(harness, harness.alice) == 0


async def test_credential_remove_confirms_and_survives_restart(harness):
    h = harness
    await h.slash(h.alice, "ce credential add", {"template": "MT CBHPSS", "expires": "12/31/2027"})
    await h.slash(h.bob, "ce credential add", {"template": "PA CPS", "expires": "2027-03-31"})
    choices = await credential_choices(h, h.alice)
    assert [c["name"] for c in choices] == ["MT CBHPSS (expires 2027-12-31)"]
    bobs = await credential_choices(h, h.bob)
    stolen = await h.slash(h.alice, "ce credential remove", {"credential": bobs[0]["value"]})
    assert "not one of your credentials" in stolen.response.content
    ask = await h.slash(h.alice, "ce credential remove", {"credential": choices[0]["value"]})
    assert ask.response.ephemeral and "Remove **MT CBHPSS" in ask.response.content
    assert len(await credentials(h, h.alice)) == 1  # nothing happens before the confirm
    assert await pending_reminders(h, h.alice) == 4
    yes, cancel = ask.response.components[0]["components"]
    changed_mind = await h.slash(h.alice, "ce credential remove", {"credential": choices[0]["value"]})
    cancelled = await h.fake.click(h.alice, changed_mind.original(), cancel["custom_id"])
    assert "nothing was changed" in cancelled.response.content
    assert len(await credentials(h, h.alice)) == 1 and await pending_reminders(h, h.alice) == 4
    button = yes["custom_id"]
    message = ask.original()
    await h.restart()
    done = await h.fake.click(h.alice, message, button)
    assert "removed" in done.response.content
    assert await credentials(h, h.alice) == []
    assert len(await credentials(h, h.bob)) == 1
    assert await pending_reminders(h, h.alice) == 0
    assert await pending_reminders(h, h.bob) == 4
