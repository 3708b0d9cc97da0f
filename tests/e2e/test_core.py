"""Core commands end to end: the real discord.py client against the fake Discord, on a real SQLite file."""

import json
import logging

import pytest

from bot.services.guild_config import DEFAULT_CRISIS
from tests.e2e.harness import reply_text as _text


async def test_commands_synced_globally_once(harness):
    names = {c["name"] for c in harness.fake.synced_commands()}
    assert {"help", "crisis", "privacy", "profile", "setup", "mydata"} <= names
    setup = next(c for c in harness.fake.synced_commands() if c["name"] == "setup")
    assert setup["default_member_permissions"] == str(1 << 5)  # Manage Server
    syncs = [r for r in harness.fake.requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(syncs) == 1
    await harness.restart()
    syncs = [r for r in harness.fake.requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(syncs) == 1, "an unchanged command set is not synced again"


async def test_dev_guild_sync(fake_discord, tmp_path):
    from tests.e2e.harness import Harness

    h = Harness(fake_discord, tmp_path / "h.db")
    await h.start(dev_guild=h.guild.id)
    try:
        assert {c["name"] for c in fake_discord.synced_commands(h.guild)} >= {"help", "setup"}
    finally:
        await h.stop()


async def test_help_lists_what_the_caller_may_use(harness):
    member = await harness.slash(harness.alice, "help")
    assert member.response.ephemeral
    text = _text(member.response)
    assert "/profile timezone" in text and "/crisis" in text
    assert "/setup" not in text
    admin = await harness.slash(harness.admin, "help")
    assert "/setup channel" in _text(admin.response)


async def test_help_and_crisis_in_dms(harness):
    crisis = await harness.fake.slash(harness.alice, "crisis", guild=None)
    assert "988" in _text(crisis.response) and "1-800-662-4357" in _text(crisis.response)
    assert crisis.response.ephemeral
    help_ = await harness.fake.slash(harness.alice, "help", guild=None)
    assert "/setup" not in _text(help_.response)


async def test_profile_timezone(harness):
    choices = await harness.fake.autocomplete(
        harness.alice, "profile timezone", {"zone": "chica"}, focused="zone", guild=harness.guild
    )
    assert "America/Chicago" in [c["value"] for c in choices]
    assert (
        len(
            await harness.fake.autocomplete(
                harness.alice, "profile timezone", {"zone": ""}, focused="zone", guild=harness.guild
            )
        )
        <= 25
    )
    ok = await harness.slash(harness.alice, "profile timezone", {"zone": "america/chicago"})
    assert ok.response.ephemeral and "America/Chicago" in ok.response.content
    bad = await harness.slash(harness.alice, "profile timezone", {"zone": "America/Chicgo"})
    assert bad.response.ephemeral and "America/Chicago" in bad.response.content  # the hint
    show = await harness.slash(harness.alice, "profile show")
    assert "America/Chicago" in _text(show.response)
    other = await harness.slash(harness.bob, "profile show")
    assert "not set" in _text(other.response)


@pytest.mark.parametrize("zone", ["", " ", "Mars/Olympus", "x" * 64, "🦄", "../../etc/passwd"])
async def test_profile_timezone_bad_input_writes_nothing(harness, zone):
    if not zone:
        zone = "\u200b"
    reply = await harness.slash(harness.alice, "profile timezone", {"zone": zone})
    assert reply.response.ephemeral
    assert "not a time zone" in reply.response.content
    assert "not set" in _text((await harness.slash(harness.alice, "profile show")).response)


async def test_privacy_lists_each_feature(harness):
    reply = await harness.slash(harness.alice, "privacy")
    assert reply.response.ephemeral
    text = _text(reply.response)
    assert "/mydata export" in text and "time zone" in text.lower()


async def test_crisis_default_then_custom(harness):
    reply = await harness.slash(harness.alice, "crisis")
    assert DEFAULT_CRISIS.splitlines()[1] in _text(reply.response)
    opened = await harness.slash(harness.admin, "setup crisis")
    assert opened.response.type == 9
    field = opened.response.data["components"][0]
    custom_id = field.get("component", field.get("components", [{}])[0]).get("custom_id")
    await harness.fake.submit_modal(harness.admin, opened, {custom_id: "Call the warmline: 555-0100"})
    after = await harness.slash(harness.bob, "crisis")
    assert "warmline" in _text(after.response)
    # emptying restores the default
    opened = await harness.slash(harness.admin, "setup crisis")
    await harness.fake.submit_modal(harness.admin, opened, {custom_id: ""})
    assert "988" in _text((await harness.slash(harness.bob, "crisis")).response)


async def test_setup_is_hidden_from_members_by_default(harness):
    from tests.fakediscord import CommandNotAvailableError

    with pytest.raises(CommandNotAvailableError):
        await harness.slash(harness.alice, "setup show")


async def test_setup_refuses_non_admins_and_writes_nothing(harness):
    # A server admin can let anyone see /setup (Server Settings > Integrations); Harbor's own check still refuses.
    harness.guild.allow_command("setup", harness.alice, harness.mod_role)
    for who in (harness.alice, harness.mod):
        reply = await harness.slash(who, "setup channel", {"kind": "cases", "channel": harness.general.id})
        assert reply.response.ephemeral
        assert "admin" in reply.response.content.lower()
        reply = await harness.slash(who, "setup show")
        assert "admin" in reply.response.content.lower()
    assert await harness.bot.services.guild_config.all(harness.guild.id) == {}


async def test_setup_channel_role_show(harness):
    cases = harness.guild.add_text_channel("cases")
    reply = await harness.slash(harness.admin, "setup channel", {"kind": "cases", "channel": cases.id})
    assert reply.response.ephemeral and f"<#{cases.id}>" in reply.response.content
    reply = await harness.slash(harness.admin, "setup role", {"kind": "moderator", "role": harness.mod_role.id})
    assert f"<@&{harness.mod_role.id}>" in reply.response.content
    refused = await harness.slash(harness.admin, "setup role", {"kind": "trusted", "role": harness.guild.id})
    assert "@everyone" in refused.response.content
    show = await harness.slash(harness.admin, "setup show")
    text = _text(show.response)
    assert f"<#{cases.id}>" in text and f"<@&{harness.mod_role.id}>" in text
    # state survives a restart on the same file
    await harness.restart()
    show = await harness.slash(harness.admin, "setup show")
    assert f"<#{cases.id}>" in _text(show.response)


async def test_mydata_export_and_delete(harness):
    await harness.slash(harness.alice, "profile timezone", {"zone": "Europe/Berlin"})
    await harness.slash(harness.bob, "profile timezone", {"zone": "Asia/Tokyo"})
    export = await harness.slash(harness.alice, "mydata export")
    replies = [export.response, *await export.wait_followups(1)]
    files = [f for r in replies for f in r.files]
    assert len(files) == 1
    name, body = files[0]
    assert name.endswith(".json")
    document = json.loads(body)
    assert document["user_id"] == str(harness.alice.id)
    assert document["data"]["profile"]["timezone"] == "Europe/Berlin"
    assert "Asia/Tokyo" not in body.decode()
    ask = await harness.slash(harness.alice, "mydata delete")
    assert ask.response.ephemeral
    button = ask.response.components[0]["components"][0]["custom_id"]
    message = ask.original()
    await harness.restart()  # the button still works after a restart
    done = await harness.fake.click(harness.alice, message, button)
    assert "erased" in (done.response.content or "")
    assert "not set" in _text((await harness.slash(harness.alice, "profile show")).response)
    assert "Asia/Tokyo" in _text((await harness.slash(harness.bob, "profile show")).response)


async def test_undelivered_dm_is_mentioned_on_next_command(harness):
    harness.alice.dms_closed = True
    notifier = harness.bot.services.notifier
    assert await notifier.dm(harness.alice.id, purpose="check-in prompt", content="hi") is None
    sends = [r for r in harness.fake.requests if r.method == "POST" and r.path.endswith("/messages")]
    # a second DM is not even attempted: the invalid-request budget is spared
    assert await notifier.dm(harness.alice.id, purpose="check-in prompt", content="hi") is None
    assert len([r for r in harness.fake.requests if r.method == "POST" and r.path.endswith("/messages")]) == len(sends)
    reply = await harness.slash(harness.alice, "profile show")
    followups = await reply.wait_followups(1)
    assert "couldn't send you a DM" in followups[0].content and followups[0].ephemeral
    harness.alice.dms_closed = False
    assert await notifier.dm(harness.alice.id, purpose="check-in prompt", content="hi again") is not None


async def test_a_bug_gets_a_generic_reply_and_an_ids_only_log(harness, caplog, monkeypatch):
    async def broken(*args, **kwargs):
        raise RuntimeError("secret-case-text-must-not-be-logged")

    monkeypatch.setattr(harness.bot.services.profiles, "set_timezone", broken)
    with caplog.at_level(logging.ERROR):
        reply = await harness.slash(harness.alice, "profile timezone", {"zone": "UTC"})
    assert reply.response.ephemeral and "Something went wrong" in reply.response.content
    logged = [r for r in caplog.records if r.name == "bot.errors"]
    assert logged and str(harness.alice.id) in logged[0].getMessage()
    assert all("secret-case-text" not in r.getMessage() for r in caplog.records)


def _modal_ids(reply):
    ids = []
    for row in reply.data["components"]:
        inner = row.get("component") or row.get("components", [{}])[0]
        ids.append(inner["custom_id"])
    return ids


@pytest.mark.parametrize(
    ("days", "hours", "problem"),
    [
        ("90, sixty", "24", "sixty"),
        ("0", "24", "from 1 to 365"),
        (" , ", "24", "Give 1 to 6"),
        ("1,2,3,4,5,6,7", "24", "Give 1 to 6"),
        ("30", "200", "from 1 to 168"),
        ("٣٠", "24", "not a number"),
    ],
)
async def test_setup_reminders_validates_before_writing(harness, days, hours, problem):
    opened = await harness.slash(harness.admin, "setup reminders")
    day_id, hour_id = _modal_ids(opened.response)
    reply = await harness.fake.submit_modal(harness.admin, opened, {day_id: days, hour_id: hours})
    assert reply.response.ephemeral and problem in reply.response.content
    assert await harness.bot.services.guild_config.all(harness.guild.id) == {}


async def test_setup_reminders_stores_both_lists(harness):
    opened = await harness.slash(harness.admin, "setup reminders")
    day_id, hour_id = _modal_ids(opened.response)
    await harness.fake.submit_modal(harness.admin, opened, {day_id: "7, 90;30", hour_id: "1, 48"})
    config = harness.bot.services.guild_config
    assert await config.ce_reminder_days(harness.guild.id) == [90, 30, 7]
    assert await config.training_reminder_hours(harness.guild.id) == [48, 1]


async def test_setup_channel_refuses_a_forum_and_says_why(harness):
    forum = harness.guild.add_forum("queue-forum")
    reply = await harness.slash(harness.admin, "setup channel", {"kind": "mod-queue", "channel": forum.id})
    assert reply.response.ephemeral
    assert "forum" in reply.response.content and "text channel" in reply.response.content
    assert await harness.bot.services.guild_config.all(harness.guild.id) == {}
