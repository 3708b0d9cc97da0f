"""Fake Discord: intents, permissions, idempotency, threads, moderation and field limits."""

from __future__ import annotations

import datetime as dt

import discord
import pytest

from tests.fakediscord import FakeDiscord

pytest_plugins = ["tests.fakediscord.pytest_plugin"]

SEND = discord.Permissions(view_channel=True, send_messages=True, read_message_history=True)


async def test_intents_hide_content_and_member_events(fake_discord: FakeDiscord, running):
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    guild = fake.add_guild("G", owner=alice)
    chan = guild.add_text_channel("general")
    bot = await running(members=False, message_content=False)
    g = bot.get_guild(guild.id)
    assert g is not None and g.member_count == 2 and g.get_member(alice.id) is None
    guild.add_member(bob)
    plain = await fake.post_message(alice, chan, "secret words")
    mention = await fake.post_message(alice, chan, f"<@{fake.bot_user.id}> hi")
    dm = await fake.post_message(alice, fake.dm_channel(alice), "dm text")
    await fake.wait_for(lambda: len(bot.seen_messages) == 3)
    by_id = {m.id: m.content for m in bot.seen_messages}
    assert by_id == {plain.id: "", mention.id: mention.content, dm.id: "dm text"}
    assert g.get_member(bob.id) is None  # no GUILD_MEMBER_ADD without the members intent


async def test_nonce_idempotency_and_limits(fake_discord: FakeDiscord, running):
    fake = fake_discord
    guild = fake.add_guild("G")
    chan = guild.add_text_channel("general")
    bot = await running()
    channel = bot.get_channel(chan.id)
    first = await channel.send("once", nonce="abc")  # type: ignore[union-attr]
    again = await channel.send("once", nonce="abc")  # type: ignore[union-attr]
    assert first.id == again.id and len(fake.channel_messages(chan.id)) == 1
    route = discord.http.Route("POST", "/channels/{c}/messages", c=chan.id)
    # bodies the spec rejects on purpose: answered like Discord, without failing this test of the fake
    with fake.expect_invalid_bodies() as rejected:
        with pytest.raises(discord.HTTPException) as exc:  # discord.py checks this too; the fake must as well
            await bot.http.request(route, json={"embeds": [{"title": str(i)} for i in range(11)]})
        assert exc.value.code == 50035 and "embeds" in exc.value.text
        with pytest.raises(discord.HTTPException) as exc:
            await bot.http.request(route, json={"content": "x" * 2001})
        assert exc.value.code == 50035 and "2000 or fewer" in exc.value.text
        with pytest.raises(discord.HTTPException) as exc:
            await channel.send(embed=discord.Embed(description="d" * 4097))  # type: ignore[union-attr]
        assert exc.value.code == 50035
        view = discord.ui.View()
        view.add_item(discord.ui.Button(label="x" * 81, custom_id="long"))
        with pytest.raises(discord.HTTPException) as exc:
            await channel.send("label", view=view)  # type: ignore[union-attr]
        assert exc.value.code == 50035 and "label" in exc.value.text
    # the spec allows 4,000 characters of content (Nitro users' limit); limits.py holds bots to 2,000
    assert [v.field for v in rejected] == [
        "embeds",
        "embeds.0.description",
        "components.0.components.0.label",
    ]
    with pytest.raises(discord.HTTPException) as exc:  # valid by the spec; the fake's own rule answers 50006
        await bot.http.request(route, json={"content": ""})
    assert exc.value.code == 50006
    msgs = [await channel.send(str(i)) for i in range(3)]  # type: ignore[union-attr]
    await channel.delete_messages(msgs)  # type: ignore[union-attr]
    assert all(m.deleted for m in fake.channel_messages(chan.id)[1:])
    fetched = await channel.fetch_message(first.id)  # type: ignore[union-attr]
    assert fetched.content == "once"


async def test_bot_permissions_and_role_hierarchy(fake_discord: FakeDiscord, running):
    fake = fake_discord
    owner, bob = fake.add_user("owner"), fake.add_user("bob")
    perms = SEND | discord.Permissions(manage_roles=True, moderate_members=True)
    guild = fake.add_guild("G", owner=owner, bot_permissions=perms.value)
    low = guild.add_role("Low")
    high = guild.add_role("High", position=10)  # moved above the bot's role
    chan = guild.add_text_channel("general")
    guild.add_member(bob)
    quiet = fake.add_guild("Quiet", bot_permissions=discord.Permissions(view_channel=True).value)
    quiet.everyone.permissions = discord.Permissions(view_channel=True).value
    quiet_chan = quiet.add_text_channel("general")
    bot = await running()
    g = bot.get_guild(guild.id)
    member = g.get_member(bob.id)  # type: ignore[union-attr]
    await member.add_roles(g.get_role(low.id))  # type: ignore[union-attr, arg-type]
    assert low.id in guild.members[bob.id].roles
    with pytest.raises(discord.Forbidden):
        await member.add_roles(g.get_role(high.id))  # type: ignore[union-attr, arg-type]
    until = discord.utils.utcnow() + dt.timedelta(minutes=10)
    await member.timeout(until)  # type: ignore[union-attr]
    assert guild.members[bob.id].communication_disabled_until is not None
    await fake.wait_for(lambda: g.get_member(bob.id).is_timed_out())  # type: ignore[union-attr]
    with pytest.raises(discord.Forbidden):
        await g.get_member(owner.id).timeout(until)  # type: ignore[union-attr]
    with pytest.raises(discord.Forbidden) as exc:
        await bot.get_channel(quiet_chan.id).send("hi")  # type: ignore[union-attr]
    assert exc.value.code == 50013
    with pytest.raises(discord.Forbidden):
        await bot.get_channel(chan.id).create_thread(name="t", type=discord.ChannelType.private_thread)  # type: ignore[union-attr]
    assert fake.invalid_requests == 4  # 403s count towards Discord's invalid-request limit


async def test_threads_events_automod_ephemeral(fake_discord: FakeDiscord, running):
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    guild = fake.add_guild("G", owner=alice)
    chan = guild.add_text_channel("general")
    guild.add_member(bob)
    bot = await running()
    channel = bot.get_channel(chan.id)
    root = await channel.send("root")  # type: ignore[union-attr]
    thread = await root.create_thread(name="discussion")
    assert thread.id == root.id and fake.threads(chan.id)[0].type == 11
    await thread.edit(archived=True, locked=True)
    [t] = fake.threads(chan.id)
    assert t.archived and t.locked
    with pytest.raises(discord.HTTPException) as exc:
        await thread.send("nope")
    assert exc.value.code == 50083
    start = discord.utils.utcnow() + dt.timedelta(days=1)
    g = bot.get_guild(guild.id)
    event = await g.create_scheduled_event(  # type: ignore[union-attr]
        name="Peer circle",
        start_time=start,
        end_time=start + dt.timedelta(hours=1),
        entity_type=discord.EntityType.external,
        location="Online",
        privacy_level=discord.PrivacyLevel.guild_only,
    )
    assert guild.scheduled_events[event.id]["name"] == "Peer circle"
    with pytest.raises(discord.HTTPException):
        await g.create_scheduled_event(  # type: ignore[union-attr]
            name="Past",
            start_time=discord.utils.utcnow() - dt.timedelta(days=1),
            end_time=discord.utils.utcnow(),
            entity_type=discord.EntityType.external,
            location="x",
            privacy_level=discord.PrivacyLevel.guild_only,
        )
    rule = await g.create_automod_rule(  # type: ignore[union-attr]
        name="names",
        event_type=discord.AutoModRuleEventType.message_send,
        trigger=discord.AutoModTrigger(keyword_filter=["badword"]),
        actions=[discord.AutoModRuleAction(custom_message="no")],
        enabled=True,
    )
    assert [r["name"] for r in guild.automod_rules.values()] == ["names"] and rule.enabled
    it = await fake.slash(alice, "slow", guild=guild)
    await it.wait_followups(2)
    with pytest.raises(AssertionError, match="ephemeral"):
        await fake.click(bob, it.original(), "anything")


async def test_late_world_changes_and_member_queries(fake_discord: FakeDiscord, running):
    fake = fake_discord
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    guild = fake.add_guild("G", owner=alice)
    guild.add_member(bob)
    bot = await running()
    g = bot.get_guild(guild.id)
    found = await g.query_members(query="bo")  # type: ignore[union-attr]  # REQUEST_GUILD_MEMBERS
    assert [m.id for m in found] == [bob.id]
    later = fake.add_guild("Later", owner=bob)
    await fake.wait_for(lambda: bot.get_guild(later.id))
    guild.update_member(bob, nick="B")
    await fake.wait_for(lambda: g.get_member(bob.id).nick == "B")  # type: ignore[union-attr]
    guild.remove_member(bob)
    await fake.wait_for(lambda: g.get_member(bob.id) is None)  # type: ignore[union-attr]
