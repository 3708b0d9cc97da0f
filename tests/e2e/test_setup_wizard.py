"""`/setup wizard`: one panel with selects for every purpose and a checklist; it survives a restart."""

import discord


def _custom_ids(components):
    return [c["custom_id"] for row in components for c in row["components"]]


async def test_wizard_sets_channels_and_roles_across_pages_and_a_restart(harness):
    h = harness
    cases = h.guild.add_text_channel("cases")
    opened = await h.slash(h.admin, "setup wizard")
    assert opened.response.ephemeral
    assert "0 of 11 done" in opened.response.embeds[0]["title"]
    ids = _custom_ids(opened.response.components)
    assert "harbor:wiz:ch:cases" in ids and "harbor:wiz:page:1" in ids
    picked = await h.fake.select(h.admin, opened.original(), "harbor:wiz:ch:cases", [cases])
    assert picked.response.type == 7  # the panel was redrawn in place
    assert await h.bot.services.guild_config.channel(h.guild.id, "cases") == cases.id
    await h.restart()
    await h.fake.click(h.admin, opened.original(), "harbor:wiz:page:1")
    page = await h.fake.click(h.admin, opened.original(), "harbor:wiz:page:2")
    assert "harbor:wiz:role:moderator" in _custom_ids(page.response.components)
    await h.fake.select(h.admin, opened.original(), "harbor:wiz:role:moderator", [h.mod_role])
    assert await h.bot.services.guild_config.role(h.guild.id, "moderator") == h.mod_role.id
    assert "2 of 11 done" in opened.original().embeds[0]["title"]


async def test_wizard_refuses_a_forum_and_stores_nothing(harness):
    h = harness
    forum = h.guild.add_forum("f")
    opened = await h.slash(h.admin, "setup wizard")
    refused = await h.fake.select(h.admin, opened.original(), "harbor:wiz:ch:mod-queue", [forum])
    assert refused.response.ephemeral and "forum" in refused.response.content
    assert await h.bot.services.guild_config.all(h.guild.id) == {}


VIEW, SEND = 1 << 10, 1 << 11


def _overwrite(channel, target_id):
    return next(o for o in channel.overwrites if o["id"] == str(target_id))


def _labels(components):
    return {c["custom_id"]: c.get("label") for row in components for c in row["components"]}


def _bot_role(h):
    return next(r for r in h.guild.roles.values() if r.managed)


async def create(h, opened, custom_id):
    """Click a Create button and wait until the panel was redrawn without it (the click is deferred first)."""
    clicked = await h.fake.click(h.admin, opened.original(), custom_id)
    await h.fake.wait_for(lambda: custom_id not in _labels(opened.original().components))
    return clicked


async def _lower_bot(h, **allowed):
    """Take Administrator from Harbor's role, leaving ordinary permissions plus `allowed`."""
    role = _bot_role(h)
    perms = discord.Permissions(
        view_channel=True,
        send_messages=True,
        embed_links=True,
        attach_files=True,
        read_message_history=True,
        create_public_threads=True,
        create_private_threads=True,
        send_messages_in_threads=True,
        manage_threads=True,
        manage_messages=True,
        **allowed,
    )
    role.permissions = perms.value
    h.fake.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(h.guild.id), "role": role.to_dict()}, guild=h.guild)
    await h.fake.wait_for(lambda: not h.bot.get_guild(h.guild.id).me.guild_permissions.administrator)


async def test_create_it_for_me_makes_private_channels_and_roles_that_fit_them(harness):
    h = harness
    await _lower_bot(h, manage_channels=True, manage_roles=True)
    await h.slash(h.admin, "setup role", {"kind": "moderator", "role": h.mod_role.id})
    opened = await h.slash(h.admin, "setup wizard")
    labels = _labels(opened.response.components)
    assert labels["harbor:wiz:newch:3"] == "Create #cases" and "harbor:wiz:newch:0" in labels
    assert all(len(row["components"]) <= 5 for row in opened.response.components)
    assert len(opened.response.components) <= 5
    await h.restart()  # the buttons are restart-proof
    made = await create(h, opened, "harbor:wiz:newch:3")
    assert made.response.type == 6  # deferred, then the panel is redrawn in place
    cases_id = await h.bot.services.guild_config.channel(h.guild.id, "cases")
    cases = h.fake.channels[cases_id]
    assert cases.name == "cases" and cases.type == 0
    everyone = _overwrite(cases, h.guild.id)
    assert int(everyone["deny"]) & VIEW
    harbor = _overwrite(cases, h.fake.bot_user.id)
    assert harbor["type"] == 1 and int(harbor["allow"]) & VIEW and int(harbor["allow"]) & SEND
    assert int(_overwrite(cases, h.mod_role.id)["allow"]) & VIEW
    panel = opened.original()
    assert "harbor:wiz:newch:3" not in _labels(panel.components)
    assert f"✅ **cases** channel: <#{cases_id}>" in panel.embeds[0]["description"]
    # Harbor itself can work there although @everyone can't see it
    me = h.bot.get_guild(h.guild.id).me
    perms = h.bot.get_channel(cases_id).permissions_for(me)
    assert perms.view_channel and perms.send_messages and perms.manage_threads

    # The case-access role created afterwards joins Harbor's cases channel: read and reply, no top-level posts.
    await h.fake.click(h.admin, panel, "harbor:wiz:page:1")
    roles_page = await h.fake.click(h.admin, opened.original(), "harbor:wiz:page:2")
    assert _labels(roles_page.response.components)["harbor:wiz:newrole:2"] == "Create @case-access"
    await create(h, opened, "harbor:wiz:newrole:2")
    role_id = await h.bot.services.guild_config.role(h.guild.id, "case-access")
    role = h.guild.roles[role_id]
    assert role.name == "Case access" and role.permissions == 0
    assert role.position < _bot_role(h).position  # so Harbor can grant it
    access = _overwrite(cases, role_id)
    assert int(access["allow"]) & VIEW and int(access["deny"]) & SEND
    text = (await h.slash(h.admin, "setup check")).response.embeds[0]["description"]
    assert "(cases)" not in text and "case-access" not in text


async def test_announcements_are_read_by_all_and_posted_by_staff(harness):
    h = harness
    trainers = h.guild.add_role("Trainers")
    await h.slash(h.admin, "setup role", {"kind": "trainer", "role": trainers.id})
    opened = await h.slash(h.admin, "setup wizard")
    await create(h, opened, "harbor:wiz:newch:0")
    chan = h.fake.channels[await h.bot.services.guild_config.channel(h.guild.id, "announcements")]
    everyone = _overwrite(chan, h.guild.id)
    assert not int(everyone["deny"]) & VIEW and int(everyone["deny"]) & SEND
    assert int(_overwrite(chan, trainers.id)["allow"]) & SEND


async def test_create_refuses_without_manage_channels_or_roles_and_creates_nothing(harness):
    h = harness
    await _lower_bot(h)
    before_channels, before_roles = set(h.guild.channels), set(h.guild.roles)
    opened = await h.slash(h.admin, "setup wizard")
    refused = await h.fake.click(h.admin, opened.original(), "harbor:wiz:newch:1")
    assert refused.response.ephemeral and "Manage Channels" in refused.response.content
    await h.fake.click(h.admin, opened.original(), "harbor:wiz:page:1")
    await h.fake.click(h.admin, opened.original(), "harbor:wiz:page:2")
    refused = await h.fake.click(h.admin, opened.original(), "harbor:wiz:newrole:0")
    assert refused.response.ephemeral and "Manage Roles" in refused.response.content
    assert set(h.guild.channels) == before_channels and set(h.guild.roles) == before_roles
    assert await h.bot.services.guild_config.all(h.guild.id) == {}
    assert not [r for r in h.fake.requests if r.method == "POST" and r.path.startswith("/guilds/")]


async def test_a_deleted_channel_is_flagged_and_can_be_created_again(harness):
    h = harness
    old = h.guild.add_text_channel("mod-log")
    await h.slash(h.admin, "setup channel", {"kind": "mod-log", "channel": old.id})
    old.deleted = True
    h.fake.dispatch("CHANNEL_DELETE", old.to_dict(), guild=h.guild)
    await h.fake.wait_for(lambda: h.bot.get_channel(old.id) is None)
    opened = await h.slash(h.admin, "setup wizard")
    assert "⚠️ **mod-log** channel: was deleted" in opened.response.embeds[0]["description"]
    await create(h, opened, "harbor:wiz:newch:1")
    new_id = await h.bot.services.guild_config.channel(h.guild.id, "mod-log")
    assert new_id != old.id and int(_overwrite(h.fake.channels[new_id], h.guild.id)["deny"]) & VIEW
    again = await h.fake.click(h.admin, opened.original(), "harbor:wiz:page:1")  # the panel still works
    assert again.response.type == 7
    shown = await h.slash(h.admin, "setup show")  # Harbor's note of what it created is not a setting
    assert "setup.created" not in str(shown.response.embeds) and f"<#{new_id}>" in str(shown.response.embeds)


async def test_create_grants_only_what_harbor_has_and_check_names_the_rest(harness):
    h = harness
    await h.slash(h.admin, "setup role", {"kind": "moderator", "role": h.mod_role.id})
    role = _bot_role(h)
    role.permissions = discord.Permissions(
        view_channel=True, send_messages=True, read_message_history=True, manage_channels=True
    ).value
    h.guild.everyone.permissions = discord.Permissions(view_channel=True, read_message_history=True).value
    for changed in (role, h.guild.everyone):
        h.fake.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(h.guild.id), "role": changed.to_dict()}, guild=h.guild)
    await h.fake.wait_for(lambda: not h.bot.get_guild(h.guild.id).me.guild_permissions.administrator)
    opened = await h.slash(h.admin, "setup wizard")
    await create(h, opened, "harbor:wiz:newch:1")  # mod-log: Harbor lacks Embed Links and Attach Files
    chan = h.fake.channels[await h.bot.services.guild_config.channel(h.guild.id, "mod-log")]
    mods = int(_overwrite(chan, h.mod_role.id)["allow"])
    assert mods & VIEW and mods & SEND and not mods & (1 << 14) and not mods & (1 << 15)
    text = (await h.slash(h.admin, "setup check")).response.embeds[0]["description"]
    line = next(x for x in text.splitlines() if f"<#{chan.id}> (mod-log)" in x)
    assert "Harbor lacks Embed Links, Attach Files" in line
