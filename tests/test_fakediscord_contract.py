"""Fake Discord: request bodies checked against Discord's OpenAPI description; channel and role creation."""

from __future__ import annotations

import discord
import pytest

from tests.fakediscord import FakeDiscord, schema

pytest_plugins = ["tests.fakediscord.pytest_plugin"]

BASIC = discord.Permissions(view_channel=True, send_messages=True, read_message_history=True)


def test_the_spec_rejects_what_discord_rejects_and_tolerates_only_the_listed_deviations():
    ok, found = schema.validate("POST", "/channels/1/messages", {"content": "hi", "tts": "yes"})
    assert ok and [(v.field, v.code) for v in found] == [("tts", "BASE_TYPE_INVALID")]
    _, found = schema.validate("POST", "/channels/1/messages", {"embeds": [{"title": "t" * 257}]})
    assert [(v.field, v.code) for v in found] == [("embeds.0.title", "BASE_TYPE_MAX_LENGTH")]
    assert "256 or fewer" in found[0].message
    _, found = schema.validate("POST", "/guilds/1/channels", {"type": 0})
    assert [(v.field, v.code) for v in found] == [("name", "BASE_TYPE_REQUIRED")]
    # discord.py's integer ids and upload numbers, type 16 and digit strings pass...
    assert schema.validate("POST", "/users/@me/channels", {"recipient_id": 123}) == (True, [])
    assert schema.validate("POST", "/channels/1/messages", {"attachments": [{"id": 0, "filename": "a.csv"}]}) == (
        True,
        [],
    )
    assert schema.validate("POST", "/guilds/1/roles", {"name": "r", "permissions": "1024"}) == (True, [])
    # ...but nothing else in their place
    _, found = schema.validate("POST", "/users/@me/channels", {"recipient_id": -1})
    assert found and found[0].field == "recipient_id"
    _, found = schema.validate("POST", "/guilds/1/roles", {"name": "r", "permissions": "all"})
    assert found and found[0].field == "permissions"
    _, found = schema.validate("POST", "/channels/1/messages", {"attachments": [{"id": "x"}]})
    assert found and found[0].field == "attachments.0.id"
    # operations without a JSON body in the spec are not counted as validated
    assert schema.validate("PUT", "/guilds/1/members/2/roles/3", {}) == (False, [])


async def test_a_violation_answers_discords_400_and_fails_the_test(fake_discord: FakeDiscord, running):
    fake = fake_discord
    guild = fake.add_guild("G")
    chan = guild.add_text_channel("general")
    bot = await running()
    route = discord.http.Route("POST", "/channels/{c}/messages", c=chan.id)
    before = fake.validated_requests
    with fake.expect_invalid_bodies() as seen, pytest.raises(discord.HTTPException) as exc:
        await bot.http.request(route, json={"content": "x", "flags": "loud"})
    assert exc.value.status == 400 and exc.value.code == 50035
    assert "flags" in exc.value.text and [v.field for v in seen] == ["flags"]
    assert fake.schema_violations == [] and fake.validated_requests == before + 1
    # outside expect_invalid_bodies() the same request is recorded and would fail the test at teardown
    with pytest.raises(discord.HTTPException):
        await bot.http.request(route, json={"content": "x", "flags": "loud"})
    assert [v.field for v in fake.schema_violations] == ["flags"]
    fake.schema_violations.clear()
    # a multipart body's payload_json is validated like a JSON body
    with fake.expect_invalid_bodies() as seen, pytest.raises(discord.HTTPException):
        await bot.get_channel(chan.id).send(  # type: ignore[union-attr]
            "file", file=discord.File(__file__), embed=discord.Embed(title="t" * 257)
        )
    assert [v.field for v in seen] == ["embeds.0.title"]


async def test_create_channel_and_role_follow_discords_permission_rules(fake_discord: FakeDiscord, running):
    fake = fake_discord
    owner = fake.add_user("owner")
    perms = BASIC | discord.Permissions(manage_channels=True)
    guild = fake.add_guild("G", owner=owner, bot_permissions=perms.value)
    guild.add_member(owner)
    chan_id = guild.add_text_channel("general").id
    bot = await running()
    g = bot.get_guild(guild.id)
    assert g is not None
    # no Manage Roles: roles can't be created, overwrites can't carry Manage Roles or bits Harbor lacks
    with pytest.raises(discord.Forbidden):
        await g.create_role(name="r")
    with pytest.raises(discord.Forbidden):
        await g.create_text_channel("x", overwrites={g.default_role: discord.PermissionOverwrite(ban_members=False)})
    assert not [c for c in guild.channels.values() if c.name == "x"]
    made = await g.create_text_channel(
        "Mod Log", overwrites={g.default_role: discord.PermissionOverwrite(view_channel=False), g.me: BASIC_OVERWRITE}
    )
    assert made.name == "mod-log" and made.id in guild.channels
    await fake.wait_for(lambda: bot.get_channel(made.id) is not None)  # CHANNEL_CREATE reached the client
    assert not made.permissions_for(g.default_role).view_channel and made.permissions_for(g.me).send_messages
    stored = guild.channels[made.id].overwrites
    assert {o["id"] for o in stored} == {str(guild.id), str(fake.bot_user.id)}
    await made.send("Harbor's own allow wins over @everyone's deny")
    # the fake's own checks apply overwrites: a channel hidden from the bot is Missing Access
    hidden = await g.create_text_channel(
        "hidden", overwrites={g.default_role: discord.PermissionOverwrite(view_channel=False)}
    )
    with pytest.raises(discord.Forbidden) as exc:
        await hidden.send("x")
    assert exc.value.code == 50001
    with pytest.raises(discord.HTTPException) as exc, fake.expect_invalid_bodies():
        await g.create_text_channel("y" * 101)
    assert exc.value.code == 50035

    # with Manage Roles: the role goes to the bottom, events reach the client, overwrites can be edited
    bot_role = next(r for r in guild.roles.values() if r.managed)
    bot_role.permissions = (perms | discord.Permissions(manage_roles=True)).value
    fake.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": bot_role.to_dict()}, guild=guild)
    await fake.wait_for(lambda: g.me.guild_permissions.manage_roles)
    role = await g.create_role(name="Case access", permissions=discord.Permissions.none())
    assert guild.roles[role.id].position == 1 < bot_role.position and guild.roles[role.id].permissions == 0
    await fake.wait_for(lambda: g.get_role(role.id) is not None)
    with pytest.raises(discord.Forbidden):  # more than Harbor has itself
        await g.create_role(name="admins", permissions=discord.Permissions(administrator=True))
    await made.set_permissions(role, overwrite=discord.PermissionOverwrite(view_channel=True))
    await fake.wait_for(lambda: bot.get_channel(made.id).permissions_for(role).view_channel)  # type: ignore[union-attr]
    with pytest.raises(discord.Forbidden):  # only administrators may put Manage Roles into an overwrite
        await made.set_permissions(role, overwrite=discord.PermissionOverwrite(manage_roles=True))
    await made.set_permissions(g.me, overwrite=discord.PermissionOverwrite(view_channel=True, send_messages=False))
    with pytest.raises(discord.Forbidden) as exc:  # the member overwrite now denies sending here
        await made.send("x")
    assert exc.value.code == 50013
    await bot.get_channel(chan_id).send("still fine elsewhere")  # type: ignore[union-attr]


BASIC_OVERWRITE = discord.PermissionOverwrite(view_channel=True, send_messages=True)
