"""The permission matrix, generated from the command tree: every restricted command × every lesser role.

Each run is refused ephemerally and leaves a byte-identical logical dump of the database. A command that
is not declared in `bot.permissions.COMMAND_ROLES`, or whose decorator disagrees, fails the test.
"""

from typing import Any

import discord
import pytest
from discord import app_commands

from bot.checks import ROLE_ATTRIBUTE
from bot.permissions import COMMAND_ROLES, LESSER

STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11


def _commands(bot) -> list[app_commands.Command]:
    return [c for c in bot.tree.walk_commands() if isinstance(c, app_commands.Command)]


def _value(h, option: dict[str, Any]) -> Any:
    if option.get("choices"):
        return option["choices"][0]["value"]
    kind = option["type"]
    if kind == STRING:
        return "Ethics refresher 2027-01-05"[: option.get("max_length", 100)]
    if kind == INTEGER:
        return int(option.get("min_value", 1))
    if kind == NUMBER:
        return float(option.get("min_value", 1))
    if kind == BOOLEAN:
        return True
    if kind in (USER, MENTIONABLE):
        return h.bob.id
    if kind == CHANNEL:
        return h.general.id
    if kind == ROLE:
        return h.mod_role.id
    if kind == ATTACHMENT:
        return ("data.csv", b"title,url\nA,https://example.org\n", "text/csv")
    raise AssertionError(f"no value for option type {kind}")


def _synced_options(h, qualified: str) -> list[dict[str, Any]]:
    parts = qualified.split()
    node: dict[str, Any] = next(c for c in h.fake.synced_commands() if c["name"] == parts[0])
    for part in parts[1:]:
        node = next(o for o in node.get("options", []) if o["name"] == part)
    return node.get("options", [])


async def _dump(h) -> list[tuple]:
    db = h.bot.services.db
    tables = [r["name"] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    dump: list[tuple] = []
    for table in tables:
        rows = await db.fetchall(f"SELECT * FROM {table}")  # table names come from sqlite_master
        dump.extend(sorted(((table, *tuple(row)) for row in rows), key=repr))
    return dump


async def test_every_command_declares_who_may_run_it(harness):
    declared = dict(COMMAND_ROLES)
    menus = [
        menu
        for kind in (discord.AppCommandType.message, discord.AppCommandType.user)
        for menu in harness.bot.tree.walk_commands(type=kind)
    ]
    for command in [*_commands(harness.bot), *menus]:
        name = command.qualified_name
        assert name in declared, f"/{name} is not declared in bot.permissions.COMMAND_ROLES"
        enforced = getattr(command.callback, ROLE_ATTRIBUTE, "member")
        assert enforced == declared.pop(name), f"/{name}: COMMAND_ROLES says {COMMAND_ROLES[name]}, code {enforced}"
    assert not declared, f"declared but not registered: {sorted(declared)}"


@pytest.fixture
async def roles(harness):
    h = harness
    trainer_role = h.guild.add_role("Trainers")
    trainer = h.fake.add_user("tess-trainer")
    h.guild.add_member(trainer, roles=[trainer_role.id])
    for kind, role in (("moderator", h.mod_role), ("trainer", trainer_role)):
        reply = await h.slash(h.admin, "setup role", {"kind": kind, "role": role.id})
        assert reply.response.ephemeral
    return {"member": h.alice, "moderator": h.mod, "trainer": trainer}


async def test_lesser_roles_are_refused_and_nothing_changes(harness, roles):
    h = harness
    cases = 0
    for command in _commands(h.bot):
        needed = COMMAND_ROLES[command.qualified_name]
        if needed == "member":
            continue
        options = {o["name"]: _value(h, o) for o in _synced_options(h, command.qualified_name) if o.get("required")}
        top = command.qualified_name.split()[0]
        for lesser in LESSER[needed]:
            user = roles[lesser]
            # A server admin may let anyone see the command (Integrations); Harbor's own check still refuses.
            h.guild.allow_command(top, user)
            before = await _dump(h)
            reply = await h.slash(user, command.qualified_name, options)
            assert reply.response is not None, f"/{command.qualified_name} as {lesser}: no answer"
            assert reply.response.ephemeral, f"/{command.qualified_name} as {lesser}: not ephemeral"
            text = (reply.response.content or "").lower()
            assert "only" in text or "can't" in text, f"/{command.qualified_name} as {lesser}: {text!r}"
            assert await _dump(h) == before, f"/{command.qualified_name} as {lesser} changed the database"
            cases += 1
    print(f"permission matrix: {cases} command × role refusals checked")
    assert cases >= 20
