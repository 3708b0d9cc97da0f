"""End-to-end tests of the fake Discord with a tiny real discord.py bot defined here."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fakediscord import (
    CommandNotAvailableError,
    FakeChannel,
    FakeDiscord,
    FakeGuild,
    FakeRole,
    FakeUser,
)

pytest_plugins = ["tests.fakediscord.pytest_plugin"]

ZONES = ["Europe/Berlin", "Europe/Paris", "America/New_York", "Asia/Tokyo"]


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    text = discord.ui.TextInput(label="Your feedback", custom_id="feedback:text", max_length=200)
    mood = discord.ui.Label(
        text="Mood",
        component=discord.ui.Select(
            custom_id="feedback:mood", options=[discord.SelectOption(label=m, value=m) for m in ("ok", "meh")]
        ),
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        mood = self.mood.component.values[0] if self.mood.component.values else "-"  # type: ignore[union-attr]
        await interaction.response.send_message(f"thanks: {self.text.value} / {mood}", ephemeral=True)


class PanelView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Feedback", custom_id="panel:feedback")
    async def feedback(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_modal(FeedbackModal())

    @discord.ui.button(label="Ack", custom_id="panel:ack")
    async def ack(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(content=f"acked by {interaction.user.name}", view=None)

    @discord.ui.select(custom_id="panel:pick", options=[discord.SelectOption(label=x, value=x) for x in "abc"])
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.send_message(f"picked {select.values}", ephemeral=True)


profile = app_commands.Group(name="profile", description="Your profile")


@profile.command(name="timezone", description="Set your time zone")
async def timezone(interaction: discord.Interaction, zone: str) -> None:
    await interaction.response.send_message(f"zone={zone}", ephemeral=True)


@timezone.autocomplete("zone")
async def zone_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=z, value=z) for z in ZONES if z.lower().startswith(current.lower())]


@profile.command(name="show", description="Show typed options")
async def show(
    interaction: discord.Interaction,
    member: discord.Member,
    count: int,
    ratio: float,
    flag: bool,
    channel: discord.TextChannel,
    role: discord.Role,
    file: discord.Attachment | None = None,
) -> None:
    data = (await file.read()).decode() if file else "-"
    await interaction.response.send_message(
        f"{member.display_name}|{count}|{ratio}|{flag}|{channel.name}|{role.name}|{data}"
        f"|perm={interaction.permissions.moderate_members}"
    )


admin = app_commands.Group(
    name="admin", description="Admin", default_permissions=discord.Permissions(moderate_members=True)
)
settings = app_commands.Group(name="settings", description="Settings", parent=admin)


@settings.command(name="set", description="Set a value")
async def settings_set(interaction: discord.Interaction, key: str, value: int) -> None:
    await interaction.response.send_message(f"{key}={value}")


@app_commands.command(name="panel", description="Post a panel")
async def panel(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("panel", view=PanelView())


@app_commands.command(name="dm", description="DM me")
@app_commands.allowed_contexts(guilds=True, dms=True)
async def dm(interaction: discord.Interaction) -> None:
    try:
        await interaction.user.send("hello in DM")
    except discord.Forbidden as exc:
        await interaction.response.send_message(f"dm closed {exc.code}", ephemeral=True)
    else:
        await interaction.response.send_message("sent", ephemeral=True)


@app_commands.command(name="thread", description="Open a private thread")
@app_commands.guild_only()
async def thread(interaction: discord.Interaction) -> None:
    assert isinstance(interaction.channel, discord.TextChannel)
    t = await interaction.channel.create_thread(name="case", type=discord.ChannelType.private_thread)
    await t.add_user(interaction.user)
    await t.send("welcome")
    await interaction.response.send_message(f"thread {t.id}", ephemeral=True)


@app_commands.command(name="file", description="Send a file")
async def file_cmd(interaction: discord.Interaction) -> None:
    await interaction.response.send_message(
        "report", file=discord.File(__import__("io").BytesIO(b"a,b\n1,2"), filename="report.csv")
    )


@app_commands.command(name="slow", description="Defer then follow up")
async def slow(interaction: discord.Interaction, delay: float = 0.0) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    await asyncio.sleep(delay)
    await interaction.followup.send("done")
    await interaction.followup.send("and more")


@app_commands.command(name="late", description="Answers too late")
async def late(interaction: discord.Interaction, delay: float) -> None:
    await asyncio.sleep(delay)
    try:
        await interaction.response.send_message("late")
    except discord.NotFound as exc:
        interaction.client.errors.append(exc.code)  # type: ignore[attr-defined]


@app_commands.command(name="toolong", description="Too long content")
async def toolong(interaction: discord.Interaction) -> None:
    try:
        await interaction.response.send_message("x" * 2001)
    except discord.HTTPException as exc:
        await interaction.response.send_message(f"rejected {exc.code}")


@app_commands.context_menu(name="Report to moderators")
async def report(interaction: discord.Interaction, message: discord.Message) -> None:
    await interaction.response.send_message(f"reported {message.content}", ephemeral=True)


class TinyBot(commands.Bot):
    def __init__(self, members: bool = True, message_content: bool = True) -> None:
        intents = discord.Intents.default()
        intents.members = members
        intents.message_content = message_content
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.1)
        self.errors: list[int] = []
        self.seen_messages: list[discord.Message] = []

    async def setup_hook(self) -> None:
        for cmd in (profile, admin, panel, dm, thread, file_cmd, slow, late, toolong, report):
            self.tree.add_command(cmd)
        self.add_view(PanelView())
        await self.tree.sync()

    async def on_message(self, message: discord.Message) -> None:
        self.seen_messages.append(message)


async def start_bot(fake: FakeDiscord, **kw) -> TinyBot:
    bot = TinyBot(**kw)
    bot._fake_task = asyncio.create_task(bot.start("fake-token"))  # type: ignore[attr-defined]
    await fake.wait_ready(timeout=10)
    await asyncio.wait_for(bot.wait_until_ready(), 10)
    return bot


@dataclass
class World:
    fake: FakeDiscord
    guild: FakeGuild
    alice: FakeUser
    bob: FakeUser
    mods: FakeRole
    general: FakeChannel


@pytest.fixture
def world(fake_discord: FakeDiscord):
    fake = fake_discord
    alice = fake.add_user("alice")
    bob = fake.add_user("bob")
    guild = fake.add_guild("Peer Network", owner=alice)
    mods = guild.add_role("Moderators", permissions=discord.Permissions(moderate_members=True).value)
    general = guild.add_text_channel("general")
    guild.add_member(bob, roles=[mods.id], nick="Bobby")
    return World(fake, guild, alice, bob, mods, general)


@pytest.fixture
async def bot(world):
    b = await start_bot(world.fake)
    yield b
    await b.close()


async def test_ready_and_world(world, bot: TinyBot):
    fake, guild, bob, mods = world.fake, world.guild, world.bob, world.mods
    g = bot.get_guild(guild.id)
    assert g is not None and g.chunked and g.member_count == 3
    assert g.get_member(bob.id).nick == "Bobby"  # type: ignore[union-attr]
    assert g.get_role(mods.id).permissions.moderate_members  # type: ignore[union-attr]
    assert {c["name"] for c in fake.synced_commands()} >= {"profile", "panel", "Report to moderators"}
    carol = fake.add_user("carol")
    guild.add_member(carol)
    await fake.wait_for(lambda: g.get_member(carol.id))
    news = guild.add_text_channel("news")
    await fake.wait_for(lambda: g.get_channel(news.id))


async def test_slash_options_and_autocomplete(world, bot: TinyBot):
    fake, guild, alice, bob = world.fake, world.guild, world.alice, world.bob
    mods, general = world.mods, world.general
    it = await fake.slash(bob, "profile timezone", {"zone": "Europe/Berlin"}, guild=guild, channel=general)
    assert it.response.type == 4 and it.response.content == "zone=Europe/Berlin" and it.response.ephemeral
    assert fake.channel_messages(general.id) == []  # ephemeral
    choices = await fake.autocomplete(bob, "profile timezone", {"zone": "eur"}, focused="zone", guild=guild)
    assert [c["value"] for c in choices] == ["Europe/Berlin", "Europe/Paris"]
    it = await fake.slash(
        bob,
        "profile show",
        {
            "member": bob,
            "count": 3,
            "ratio": 0.5,
            "flag": True,
            "channel": general,
            "role": mods,
            "file": ("notes.txt", b"hi there"),
        },
        guild=guild,
    )
    assert it.response.content == "Bobby|3|0.5|True|general|Moderators|hi there|perm=True"
    assert fake.channel_messages(general.id)[-1].content == it.response.content
    it = await fake.slash(alice, "admin settings set", {"key": "x", "value": 2}, guild=guild)
    assert it.response.content == "x=2"
    with pytest.raises(CommandNotAvailableError):
        await fake.slash(alice, "nope", guild=guild)
    with pytest.raises(AssertionError, match="unknown option"):
        await fake.slash(bob, "profile timezone", {"zone": "x", "bogus": 1}, guild=guild)
    with pytest.raises(AssertionError, match="missing required"):
        await fake.slash(bob, "profile timezone", {}, guild=guild)
    carol = fake.add_user("carol")
    guild.add_member(carol)
    with pytest.raises(CommandNotAvailableError, match="default_member_permissions"):
        await fake.slash(carol, "admin settings set", {"key": "x", "value": 2}, guild=guild)
    guild.allow_command("admin", carol)  # an admin's per-command override in Server Settings > Integrations
    it = await fake.slash(carol, "admin settings set", {"key": "y", "value": 3}, guild=guild)
    assert it.response.content == "y=3"
    with pytest.raises(CommandNotAvailableError, match="DMs"):
        await fake.slash(bob, "thread")


async def test_buttons_selects_modal(world, bot: TinyBot):
    fake, guild, alice, bob, general = world.fake, world.guild, world.alice, world.bob, world.general
    it = await fake.slash(bob, "panel", guild=guild, channel=general)
    msg = it.message
    assert msg is not None and not msg.ephemeral
    pick = await fake.select(bob, msg, "panel:pick", values=["b"])
    assert pick.response.content == "picked ['b']"
    opened = await fake.click(bob, msg, "panel:feedback")
    assert opened.response.type == 9 and opened.response.title == "Feedback"
    sub = await fake.submit_modal(bob, opened, {"feedback:text": "great", "feedback:mood": ["ok"]})
    assert sub.response.content == "thanks: great / ok" and sub.response.ephemeral
    with pytest.raises(AssertionError, match="required"):
        await fake.submit_modal(bob, opened, {})
    ack = await fake.click(alice, msg, "panel:ack")
    assert ack.response.type == 7 and msg.content == "acked by alice" and msg.components == []
    with pytest.raises(AssertionError, match="no component"):
        await fake.click(alice, msg, "panel:ack")


async def test_dm_thread_file_defer(world, bot: TinyBot):
    fake, guild, bob, general = world.fake, world.guild, world.bob, world.general
    it = await fake.slash(bob, "dm", guild=guild)
    assert it.response.content == "sent" and [m.content for m in fake.dms(bob)] == ["hello in DM"]
    bob.dms_closed = True
    it = await fake.slash(bob, "dm")  # in the bot's DM, allowed by contexts
    assert it.response.content == "dm closed 50007"
    it = await fake.slash(bob, "thread", guild=guild, channel=general)
    [t] = fake.threads(general.id)
    assert t.type == 12 and bob.id in t.members and it.response.content == f"thread {t.id}"
    assert [m.content for m in fake.channel_messages(t.id)] == ["welcome"]
    it = await fake.slash(bob, "file", guild=guild)
    assert it.response.files == [("report.csv", b"a,b\n1,2")] and it.message.attachments[0]["filename"] == "report.csv"
    it = await fake.slash(bob, "slow", guild=guild)
    assert it.response.type == 5
    ups = await it.wait_followups(2)
    assert [u.content for u in ups] == ["done", "and more"]
    assert it.original().content == "done" and it.original().ephemeral
    with fake.expect_invalid_bodies() as rejected:  # the command sends 2,001 characters on purpose
        it = await fake.slash(bob, "toolong", guild=guild)
    assert it.response.content == "rejected 50035" and [v.field for v in rejected] == ["data.content"]


async def test_message_events_and_context_menu(world, bot: TinyBot):
    fake, guild, alice, bob, general = world.fake, world.guild, world.alice, world.bob, world.general
    msg = await fake.post_message(bob, general, "hello bot")
    await fake.wait_for(lambda: any(m.content == "hello bot" for m in bot.seen_messages))
    it = await fake.message_context(alice, "Report to moderators", msg, guild=guild)
    assert it.response.content == "reported hello bot"
    await fake.edit_user_message(msg, "edited")
    await fake.wait_for(lambda: bot.get_channel(general.id) is not None)
    sent = await bot.get_channel(general.id).send("echo me", nonce="n1")  # type: ignore[union-attr]
    await fake.wait_for(lambda: any(m.id == sent.id for m in bot.seen_messages))


async def test_interaction_deadline_and_double_ack(world, bot: TinyBot):
    fake, guild, bob = world.fake, world.guild, world.bob
    start = time.monotonic()
    with pytest.raises(TimeoutError):
        await fake.slash(bob, "late", {"delay": 3.1}, guild=guild, timeout=3.3)
    await fake.wait_for(lambda: bot.errors, timeout=2)
    assert bot.errors[0] == 10062 and time.monotonic() - start < 5
    it = await fake.slash(bob, "late", {"delay": 0}, guild=guild)
    async with aiohttp.ClientSession() as session:  # a second callback, bypassing discord.py's own guard
        url = f"{fake.api_base}/interactions/{it.id}/{it.token}/callback?with_response=1"
        async with session.post(url, json={"type": 4, "data": {"content": "twice"}}) as resp:
            assert resp.status == 400 and resp.headers["Content-Type"] == "application/json"
            assert (await resp.json())["code"] == 40060


async def test_rate_limit_fail_next_unknown(world, bot: TinyBot):
    fake, guild, general = world.fake, world.guild, world.general
    chan = bot.get_channel(general.id)
    fake.global_rate_limit = 20
    await asyncio.gather(*(chan.send(f"m{i}") for i in range(40)))  # type: ignore[union-attr]
    assert fake.rate_limit_hits > 0
    assert len([m for m in fake.channel_messages(general.id) if m.content.startswith("m")]) == 40
    assert any(r.status == 429 for r in fake.requests)
    fake.global_rate_limit = None
    fake.fail_next("POST", r"/channels/\d+/messages", status=403, code=50013)
    with pytest.raises(discord.Forbidden):
        await chan.send("x")  # type: ignore[union-attr]
    await chan.send("y")  # type: ignore[union-attr]
    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/guilds/{g}/bans", g=guild.id))
    assert [r.path for r in fake.unhandled] == [f"/guilds/{guild.id}/bans"]
    fake.unhandled.clear()


async def test_restart_and_resume(world):
    fake, guild, bob, general = world.fake, world.guild, world.bob, world.general
    bot1 = await start_bot(fake)
    await bot1.close()
    bot2 = await start_bot(fake, members=False)
    try:
        assert bot2.get_guild(guild.id) is not None
        await fake.force_reconnect()
        await fake.wait_for(lambda: fake.gateway.resume_count == 1)
        guild.add_text_channel("after-resume")
        it = await fake.slash(bob, "profile timezone", {"zone": "Asia/Tokyo"}, guild=guild)
        assert it.response.content == "zone=Asia/Tokyo"
        msg = await fake.post_message(bob, general, "secret")
        await fake.wait_for(lambda: any(m.id == msg.id for m in bot2.seen_messages))
    finally:
        await bot2.close()
