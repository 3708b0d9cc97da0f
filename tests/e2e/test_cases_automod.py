"""`/setup automod`: Harbor's AutoMod keyword rules — block, custom message, no alert, all but the cases channel."""

import asyncio
import re

import discord

from bot.domain.automod import MAX_EXEMPT_CHANNELS, RULE_PREFIX
from bot.services.automod import AutomodService
from tests.fakediscord.models import snowflake
from tests.helpers import eventually, listeners_done

KEYWORD = 1


async def automod(h, user, **options):
    it = await h.slash(user, "setup automod", options)
    if it.response.type == 5:  # deferred: the answer is the follow-up
        (reply,) = await it.wait_followups(1)
        return reply.ephemeral, reply.content
    return it.response.ephemeral, it.response.content


def server_rule(h, name, word):
    """A keyword rule an admin made in Discord's settings (not Harbor's)."""
    rid = snowflake()
    h.guild.automod_rules[rid] = {
        "id": str(rid),
        "guild_id": str(h.guild.id),
        "creator_id": str(h.admin.id),
        "name": name,
        "event_type": 1,
        "trigger_type": KEYWORD,
        "trigger_metadata": {"keyword_filter": [word], "regex_patterns": [], "allow_list": []},
        "actions": [{"type": 1, "metadata": {}}],
        "enabled": True,
        "exempt_roles": [],
        "exempt_channels": [],
    }


def harbor_rules(h):
    return [r for r in h.guild.automod_rules.values() if r["name"].startswith(RULE_PREFIX)]


async def cases_channel(h):
    cases = h.guild.add_text_channel("cases")
    await h.slash(h.admin, "setup channel", {"kind": "cases", "channel": cases.id})
    return cases


async def test_rules_block_with_a_message_and_no_alert_everywhere_but_the_cases_channel(harness):
    h = harness
    ephemeral, text = await automod(h, h.admin)
    assert ephemeral and "cases channel first" in text
    assert harbor_rules(h) == []
    cases = await cases_channel(h)
    ephemeral, text = await automod(h, h.admin)
    assert ephemeral and "AutoMod is on" in text and "no alert" in text, text
    rules = harbor_rules(h)
    assert 1 <= len(rules) <= 6
    others = {c.id for c in h.guild.channels.values() if not c.is_thread and c.type != 4} - {cases.id}
    for rule in rules:
        assert rule["trigger_type"] == KEYWORD and rule["event_type"] == 1 and rule["enabled"]
        assert rule["creator_id"] == str(h.fake.bot_user.id)
        patterns = rule["trigger_metadata"]["regex_patterns"]
        assert 1 <= len(patterns) <= 10 and all(len(p) <= 260 for p in patterns)
        assert [a["type"] for a in rule["actions"]] == [1]  # block only: no alert (2), no timeout (3)
        assert 0 < len(rule["actions"][0]["metadata"]["custom_message"]) <= 150
        assert {int(c) for c in rule["exempt_channels"]} == others
    patterns = [p for r in rules for p in r["trigger_metadata"]["regex_patterns"]]
    for leak in ("215-555-0134", "dana.ruiz@example.com", "123-45-6789", "MRN: 00482913"):
        assert any(re.search(p, leak) for p in patterns), leak
    assert not any(re.search(p, "day 90, 8mg at 3pm, step 4") for p in patterns)


async def test_running_again_updates_harbors_rules_and_off_removes_only_them(harness):
    h = harness
    await cases_channel(h)
    server_rule(h, "No slurs", "badword")
    await automod(h, h.admin)
    first = {r["id"]: r for r in harbor_rules(h)}
    later = h.guild.add_text_channel("later")
    await h.fake.wait_for(lambda: h.bot.get_channel(later.id))
    ephemeral, text = await automod(h, h.admin, state="on")
    assert ephemeral and f"0 created, {len(first)} updated" in text, text
    second = {r["id"]: r for r in harbor_rules(h)}
    assert second.keys() == first.keys()  # PATCHed in place, none added
    assert all(str(later.id) in [str(c) for c in r["exempt_channels"]] for r in second.values())
    patches = [r for r in h.fake.requests if r.method == "PATCH" and "/auto-moderation/rules/" in r.path]
    assert len(patches) == len(first)
    ephemeral, text = await automod(h, h.admin, state="off")
    assert ephemeral and f"Removed Harbor's {len(first)}" in text
    assert harbor_rules(h) == []
    assert [r["name"] for r in h.guild.automod_rules.values()] == ["No slurs"]  # the server's own rule stays
    _, text = await automod(h, h.admin, state="off")
    assert "nothing to remove" in text


async def test_refusals_no_manage_server_and_too_many_keyword_rules(harness):
    h = harness
    await cases_channel(h)
    for i in range(5):
        server_rule(h, f"Server rule {i}", f"word{i}")
    ephemeral, text = await automod(h, h.admin)
    assert ephemeral and "already has 5 keyword AutoMod rule" in text and "Discord allows 6" in text
    assert harbor_rules(h) == []
    role = h.guild.bot_role
    role.permissions = int(discord.Permissions(view_channel=True, send_messages=True, manage_threads=True).value)
    h.fake.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(h.guild.id), "role": role.to_dict()}, guild=h.guild)
    await h.fake.wait_for(lambda: not h.bot.get_guild(h.guild.id).me.guild_permissions.manage_guild)
    ephemeral, text = await automod(h, h.admin)
    assert ephemeral and "Manage Server" in text and "Nothing was changed" in text
    ephemeral, text = await automod(h, h.admin, state="off")
    assert ephemeral and "Manage Server" in text
    await h.slash(h.admin, "setup role", {"kind": "moderator", "role": h.mod_role.id})
    h.guild.allow_command("setup", h.mod_role)  # an admin let moderators see /setup (for the allow-list)
    refused = await h.slash(h.mod, "setup automod", {})
    assert refused.response.ephemeral and "Only server admins" in refused.response.content


async def test_more_than_fifty_channels_are_exempted_by_category_or_reported(harness):
    h = harness
    cases = await cases_channel(h)
    lobby = h.guild.add_category("Lobby")
    for i in range(MAX_EXEMPT_CHANNELS + 5):
        h.guild.add_text_channel(f"room-{i}", category=lobby)
    await h.fake.wait_for(lambda: len(h.bot.get_guild(h.guild.id).channels) >= MAX_EXEMPT_CHANNELS + 7)
    _, text = await automod(h, h.admin)
    assert "AutoMod is on" in text and "could not be exempted" not in text
    for rule in harbor_rules(h):
        exempt = {int(c) for c in rule["exempt_channels"]}
        assert len(exempt) <= MAX_EXEMPT_CHANNELS and lobby.id in exempt and cases.id not in exempt
    for i in range(MAX_EXEMPT_CHANNELS + 5):  # loose channels a category cannot stand in for
        h.guild.add_text_channel(f"loose-{i}")
    await h.fake.wait_for(lambda: len(h.bot.get_guild(h.guild.id).channels) >= 2 * MAX_EXEMPT_CHANNELS + 12)
    _, text = await automod(h, h.admin)
    assert "could not be exempted" in text and "blocks these patterns there too" in text
    assert all(len(r["exempt_channels"]) == MAX_EXEMPT_CHANNELS for r in harbor_rules(h))


async def test_the_fake_enforces_discords_automod_limits(harness):
    h = harness
    base = {"name": "x", "event_type": 1, "trigger_type": KEYWORD, "actions": [{"type": 1, "metadata": {}}]}
    bad = [
        {"trigger_metadata": {"regex_patterns": [r"\d"] * 11}},
        {"trigger_metadata": {"regex_patterns": ["a" * 261]}},
        {"trigger_metadata": {"regex_patterns": [r"\d{3}(?=-)"]}},
        {"trigger_metadata": {"regex_patterns": [r"(a)\1"]}},
        {"exempt_channels": [h.general.id] * 51},
        {"actions": [{"type": 1, "metadata": {"custom_message": "x" * 151}}]},
        {"actions": [{"type": 2, "metadata": {"channel_id": "1"}}]},
    ]
    with h.fake.expect_invalid_bodies():  # some of these the spec itself rejects: sent on purpose
        for extra in bad:
            try:
                await h.bot.http.create_auto_moderation_rule(h.guild.id, reason=None, **{**base, **extra})
            except discord.HTTPException as exc:
                assert exc.status == 400 and exc.code == 50035
            else:
                raise AssertionError(f"the fake accepted {extra}")
    assert h.guild.automod_rules == {}


async def test_with_automod_on_a_leak_in_a_case_thread_never_arrives_and_other_channels_are_untouched(harness):
    from tests.e2e.test_cases_new import CLEAN, open_case, ready

    h = harness
    cases = await ready(h)
    await open_case(h, h.alice, CLEAN)
    (thread,) = h.fake.threads(cases.id)
    await automod(h, h.admin)
    leak = await h.fake.post_message(h.bob, thread, "Her cell is 215-555-0134")
    assert leak.id not in h.fake.messages and len(h.fake.automod_blocked) == 1
    blocked = h.fake.automod_blocked[0]
    assert blocked["channel"] == thread.id and blocked["action"]["metadata"]["custom_message"]
    clean = await h.fake.post_message(h.bob, thread, "Call the front desk after 3pm, day 90 is close.")
    elsewhere = await h.fake.post_message(h.bob, h.general, "My cell is 215-555-0134, text me about carpool")
    assert clean.id in h.fake.messages and elsewhere.id in h.fake.messages
    assert len(h.fake.automod_blocked) == 1
    await h.fake.post_message(h.bob, thread, "ok")
    assert not clean.deleted and not elsewhere.deleted  # Harbor never reads #general
    assert not [m for m in h.fake.dms(h.bob) if "removed" in (m.content or "")]  # AutoMod stopped it first
    # Harbor's own scan still catches what the patterns leave to it (a name and a town)
    named = await h.fake.post_message(h.bob, thread, "Dana Ruiz from Riverside came back to group.")
    await h.fake.wait_for(lambda: named.deleted)


async def test_a_channel_made_while_the_exemptions_are_being_updated_is_exempted_too(harness):
    h = harness
    service = h.bot.feature(AutomodService)
    service.delay = 0.05
    await cases_channel(h)
    await automod(h, h.admin)
    provision, late = service.provision, []

    async def provision_then_a_channel_appears(guild):
        result = await provision(guild)
        if not late:  # after this update read the channels, another one is created
            late.append(h.guild.add_text_channel("made-meanwhile"))
            await eventually(lambda: h.bot.get_channel(late[0].id), what="the bot saw the new channel")
            await asyncio.sleep(0)  # the listener task is created with the cache update; let it start
            await listeners_done("guild_channel_create")
        return result

    service.provision = provision_then_a_channel_appears
    h.guild.add_text_channel("first-change")
    await h.fake.wait_for(
        lambda: bool(late) and all(str(late[0].id) in map(str, r["exempt_channels"]) for r in harbor_rules(h))
    )


async def test_exemptions_follow_new_channels_and_a_new_cases_channel(harness):
    h = harness
    h.bot.feature(AutomodService).delay = 0.05
    first = await cases_channel(h)
    await automod(h, h.admin)
    added = h.guild.add_text_channel("added-later")

    def exempt_everywhere(channel_id):
        return all(str(channel_id) in [str(c) for c in r["exempt_channels"]] for r in harbor_rules(h))

    await h.fake.wait_for(lambda: exempt_everywhere(added.id))
    second = h.guild.add_text_channel("cases-2")
    await h.fake.wait_for(lambda: exempt_everywhere(second.id))
    await h.slash(h.admin, "setup channel", {"kind": "cases", "channel": second.id})
    await h.fake.wait_for(lambda: exempt_everywhere(first.id) and not exempt_everywhere(second.id))
    await automod(h, h.admin, state="off")
    service = h.bot.feature(AutomodService)
    for task in list(service._pending.values()):
        await task
    before = len(h.fake.requests)
    service.channels_changed(h.guild.id)  # what a new channel triggers
    await asyncio.gather(*service._pending.values())
    assert not [r for r in h.fake.requests[before:] if "auto-moderation" in r.path]  # off stays off
    assert harbor_rules(h) == []
