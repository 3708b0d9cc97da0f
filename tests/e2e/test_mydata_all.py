"""Every feature takes part in /mydata: a member who used all of Harbor exports it all, then erases it all.

After the erase, no column that names a member may still name her, except what a feature documents as
kept (its DataSection's `kept`): nothing of that kind arises in this flow.
"""

import json
import re

from tests.e2e.harness import reply_text

MEMBER_COLUMNS = ("user_id", "inviter_id", "invitee_id", "avoided_id", "author_id", "decided_by", "updated_by")


def _ids(components):
    return [c["custom_id"] for row in components for c in row.get("components", []) if c.get("custom_id")]


async def _use_everything(h):
    a, b = h.alice, h.bob
    await h.slash(a, "profile timezone", {"zone": "America/Chicago"})
    # check-ins: a mood, a schedule, a buddy
    opened = await h.slash(a, "checkin now")
    await h.fake.click(a, opened.original(), next(i for i in _ids(opened.original().components) if i.endswith(":4")))
    await h.slash(a, "checkin schedule", {"cadence": "daily", "time": "9am"})
    await h.slash(a, "checkin buddy invite", {"member": b.id})
    invite = h.fake.dms(b)[-1]
    await h.fake.click(b, invite, next(i for i in _ids(invite.components) if i.endswith(":yes")))
    # pairing: opt in and keep someone out of her pairs
    await h.slash(a, "pairing join")
    await h.slash(a, "pairing avoid", {"member": h.members[2].id})
    # continuing education: a credential and an entry
    await h.slash(a, "ce credential add", {"template": "PA CRS", "expires": "2027-06-30"})
    await h.slash(a, "ce log", {"title": "Ethics in peer support", "hours": 1.5, "date": "2026-05-01"})
    # resources: a pending submission and a bookmark of an approved entry
    queue = h.guild.add_text_channel("mod-queue")
    await h.slash(h.admin, "setup channel", {"kind": "mod-queue", "channel": queue.id})
    await h.slash(h.admin, "setup role", {"kind": "moderator", "role": h.mod_role.id})
    added = {}
    for who, url in ((h.mod, "https://example.org/naloxone"), (a, "https://example.org/worksheet")):
        form = await h.slash(who, "resource add")
        added[who.id] = await h.fake.submit_modal(
            who, form, {"resource:title": f"Guide {who.name}", "resource:url": url, "resource:tags": "harm-reduction"}
        )
    published = re.search(r"Published as \*\*#(\d+)\*\*", added[h.mod.id].response.content)
    approved = int(published[1])  # a moderator's submission is published at once
    await h.slash(a, "resource save", {"id": approved})
    # announcements: as a trainer, one scheduled for tomorrow
    trainers = h.guild.add_role("Trainers")
    board = h.guild.add_text_channel("announcements")
    await h.slash(h.admin, "setup role", {"kind": "trainer", "role": trainers.id})
    await h.slash(h.admin, "setup channel", {"kind": "announcements", "channel": board.id})
    h.guild.update_member(a, roles=[trainers.id])
    form = await h.slash(a, "announce new")
    shown = await h.fake.submit_modal(
        a, form, {"announce:text": "Group moves to Room 5", "announce:when": "tomorrow 9am"}
    )
    await h.fake.click(a, shown.original(), "announce:preview:post")
    # case discussion: accept the agreement, open a case
    from tests.e2e.test_cases_new import CLEAN, open_case, ready

    await ready(h, a)
    await open_case(h, a, CLEAN)


async def _rows_naming(h, user_id):
    db = h.bot.services.db
    found = {}
    for table in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'"):
        name = table["name"]
        columns = [c["name"] for c in await db.fetchall(f"PRAGMA table_info('{name}')")]
        for column in set(columns) & set(MEMBER_COLUMNS):
            count = await db.fetchval(f"SELECT count(*) FROM {name} WHERE {column} = ?", (user_id,))
            if count:
                found[f"{name}.{column}"] = count
    return found


async def test_a_member_who_used_everything_exports_and_erases_it_all(harness):
    h = harness
    await _use_everything(h)
    before = await _rows_naming(h, h.alice.id)
    for table in (
        "profiles",
        "checkins",
        "checkin_members",
        "checkin_buddies",
        "pairing_members",
        "pairing_avoids",
        "ce_credentials",
        "ce_entries",
        "resources",
        "resource_bookmarks",
        "announcements",
    ):
        assert any(key.startswith(f"{table}.") for key in before), f"the flow stored nothing in {table}"

    export = await h.slash(h.alice, "mydata export")
    replies = [export.response, *await export.wait_followups(1)]
    document = json.loads(next(body for r in replies for _, body in r.files))
    data = document["data"]
    assert data["profile"]["timezone"] == "America/Chicago"
    for section, value in data.items():
        if section in ("settings_changed", "undelivered_dms"):
            continue  # she changed no settings and every DM reached her
        assert value, f"section {section!r} exported nothing for a member who used it"
    assert str(h.bob.id) not in json.dumps(data.get("profile"))

    ask = await h.slash(h.alice, "mydata delete")
    done = await h.fake.click(h.alice, ask.original(), _ids(ask.response.components)[0])
    assert "erased" in reply_text(done.response)
    assert await _rows_naming(h, h.alice.id) == {}
    # her buddy's own data stays; their link to her is gone
    assert await _rows_naming(h, h.bob.id)
    bob = await h.fake.slash(h.bob, "mydata export", guild=None)
    body = next(f for r in [bob.response, *await bob.wait_followups(1)] for f in r.files)[1]
    assert json.loads(body)["data"]["checkins"]["buddies"] == []
