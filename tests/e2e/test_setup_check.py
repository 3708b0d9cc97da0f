"""`/setup check`: Harbor inspects its own permissions in every configured channel and says how to fix gaps."""

import discord

from tests.e2e.test_setup_wizard import create


def _description(reply) -> str:
    return reply.response.embeds[0]["description"]


async def test_unset_channels_are_listed_with_the_command_that_fixes_them(harness):
    reply = await harness.slash(harness.admin, "setup check")
    assert reply.response.ephemeral
    text = _description(reply)
    assert "**cases** channel: not set — `/setup channel kind:cases`" in text
    assert "lacks" not in text  # the bot is an administrator in this server


async def test_missing_permissions_and_role_order_are_named(harness):
    h = harness
    cases = h.guild.add_text_channel("cases")
    case_role = h.guild.add_role("Case access", position=5)
    for kind, value in (("cases", cases.id),):
        await h.slash(h.admin, "setup channel", {"kind": kind, "channel": value})
    await h.slash(h.admin, "setup role", {"kind": "case-access", "role": case_role.id})
    bot_role = next(r for r in h.guild.roles.values() if r.managed)
    limited = discord.Permissions(view_channel=True, send_messages=True, manage_roles=True)
    bot_role.permissions = limited.value
    h.fake.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(h.guild.id), "role": bot_role.to_dict()}, guild=h.guild)
    await h.fake.wait_for(lambda: not h.bot.get_guild(h.guild.id).me.guild_permissions.administrator)
    text = _description(await h.slash(h.admin, "setup check"))
    line = next(x for x in text.splitlines() if f"<#{cases.id}> (cases): Harbor lacks" in x)
    # @everyone grants Embed Links here; what the bot's own role lacks is named
    assert "Harbor lacks Create Private Threads, Manage Threads, Manage Messages" in line
    assert "Embed Links" not in line
    assert "Harbor lacks Moderate Members" in text
    assert f"<@&{case_role.id}> (case-access): is above Harbor's own role" in text


async def test_attach_files_manage_server_and_manage_events_are_checked_with_fixes(harness):
    h = harness
    news = h.guild.add_text_channel("news")
    await h.slash(h.admin, "setup channel", {"kind": "announcements", "channel": news.id})
    h.guild.everyone.permissions = discord.Permissions(view_channel=True, read_message_history=True).value
    h.fake.dispatch(
        "GUILD_ROLE_UPDATE", {"guild_id": str(h.guild.id), "role": h.guild.everyone.to_dict()}, guild=h.guild
    )
    bot_role = next(r for r in h.guild.roles.values() if r.managed)
    bot_role.permissions = discord.Permissions(
        view_channel=True, send_messages=True, embed_links=True, moderate_members=True
    ).value
    h.fake.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(h.guild.id), "role": bot_role.to_dict()}, guild=h.guild)
    await h.fake.wait_for(lambda: not h.bot.get_guild(h.guild.id).me.guild_permissions.administrator)
    text = _description(await h.slash(h.admin, "setup check"))
    line = next(x for x in text.splitlines() if f"<#{news.id}> (announcements)" in x)
    assert "Harbor lacks Attach Files" in line and "Embed Links" not in line
    assert "Harbor lacks Manage Server — needed to keep Harbor's AutoMod rules" in text
    assert "Harbor lacks Manage Events — needed to mirror trainings as server events" in text
    assert "Moderate Members" not in text
    assert "**case-access** role: not set" in text


async def test_a_fully_permitted_setup_checks_out(harness):
    h = harness
    opened = await h.slash(h.admin, "setup wizard")
    for page, ids in ((0, range(4)), (1, range(4, 7))):
        if page:
            await h.fake.click(h.admin, opened.original(), "harbor:wiz:page:1")
        for i in ids:
            await create(h, opened, f"harbor:wiz:newch:{i}")
    await h.fake.click(h.admin, opened.original(), "harbor:wiz:page:2")
    for i in range(4):
        await create(h, opened, f"harbor:wiz:newrole:{i}")
    assert "11 of 11 done" in opened.original().embeds[0]["title"]
    assert "✅ Everything checks out" in _description(await h.slash(h.admin, "setup check"))


async def test_a_private_purpose_in_a_channel_every_member_can_read_is_named(harness):
    h = harness
    queue = h.guild.add_text_channel("reports")
    await h.slash(h.admin, "setup channel", {"kind": "mod-queue", "channel": queue.id})
    text = _description(await h.slash(h.admin, "setup check"))
    assert f"<#{queue.id}> (mod-queue): every member can see it; it should be for moderators only" in text
    assert "@everyone: deny View Channel" in text
    # hidden from @everyone (the moderators' role may still read it): the line goes away
    hidden = {"id": str(h.guild.id), "type": 0, "allow": "0", "deny": str(discord.Permissions(view_channel=True).value)}
    queue.overwrites = [hidden]
    h.fake.dispatch("CHANNEL_UPDATE", queue.to_dict(), guild=h.guild)
    await h.fake.wait_for(
        lambda: not h.bot.get_channel(queue.id).permissions_for(h.bot.get_guild(h.guild.id).default_role).view_channel
    )
    assert "every member can see it" not in _description(await h.slash(h.admin, "setup check"))
