"""`/setup wizard`: one panel with selects for every purpose and a checklist; it survives a restart."""


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
