"""Build interaction data as Discord does: command lookup, typed options, resolved data, modal submits."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from .models import FakeChannel, FakeGuild, FakeMember, FakeRole, FakeUser

if TYPE_CHECKING:
    from .server import FakeDiscord

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11


class CommandNotAvailableError(AssertionError):
    """The user could not invoke this command in Discord's client (unknown, hidden or wrong context)."""


def find_command(fake: FakeDiscord, name: str, guild: FakeGuild | None, type_: int = 1) -> dict[str, Any]:
    """Look ``name`` up among the commands the bot synced (guild commands first, then global)."""
    candidates = (fake.commands.get(guild.id, []) if guild else []) + fake.commands.get(None, [])
    for cmd in candidates:
        if cmd["name"] == name and cmd.get("type", 1) == type_:
            if "guild_id" in cmd and guild is None:
                continue
            _check_available(cmd, guild)
            return cmd
    synced = sorted({c["name"] for c in candidates})
    raise CommandNotAvailableError(f"command {name!r} (type {type_}) is not synced here; synced: {synced}")


def _check_available(cmd: dict[str, Any], guild: FakeGuild | None) -> None:
    contexts = cmd.get("contexts")
    if guild is None:
        allowed = 1 in contexts if contexts is not None else cmd.get("dm_permission", True) is not False
        if not allowed:
            raise CommandNotAvailableError(f"command {cmd['name']!r} is not available in DMs")
    elif contexts is not None and 0 not in contexts:
        raise CommandNotAvailableError(f"command {cmd['name']!r} is not available in guilds")


def check_member_permissions(cmd: dict[str, Any], guild: FakeGuild | None, user: FakeUser) -> None:
    required = cmd.get("default_member_permissions")
    if guild is None or required in (None, ""):
        return
    required = int(required)
    allowed = guild.command_overrides.get(cmd["name"], set())
    member = guild.members.get(user.id)
    if allowed & {user.id, guild.id, *(member.roles if member else [])}:
        return
    if guild.permissions_for(user.id) & required != required:
        raise CommandNotAvailableError(
            f"{user.name} lacks default_member_permissions={required} for {cmd['name']!r} (Discord hides it;"
            " guild.allow_command() models an admin's override)"
        )


class OptionBuilder:
    """Converts test-supplied python values into option payloads plus ``resolved`` data."""

    def __init__(self, fake: FakeDiscord, guild: FakeGuild | None) -> None:
        self.fake, self.guild = fake, guild
        self.resolved: dict[str, dict[str, Any]] = {}

    def _res(self, kind: str, key: int, value: dict[str, Any]) -> None:
        self.resolved.setdefault(kind, {})[str(key)] = value

    def add_user(self, user: FakeUser | FakeMember | int) -> int:
        if isinstance(user, FakeMember):
            user = user.user
        if isinstance(user, int):
            user = self.fake.users[user]
        self._res("users", user.id, user.to_dict())
        if self.guild and user.id in self.guild.members:
            m = self.guild.members[user.id].to_dict(permissions=self.guild.permissions_for(user.id))
            m.pop("user")
            self._res("members", user.id, m)
        return user.id

    def add_role(self, role: FakeRole | int) -> int:
        if isinstance(role, int):
            assert self.guild is not None, "roles need a guild"
            role = self.guild.roles[role]
        self._res("roles", role.id, role.to_dict())
        return role.id

    def add_channel(self, chan: FakeChannel | int, user: FakeUser | None = None) -> int:
        if isinstance(chan, int):
            chan = self.fake.channels[chan]
        perms = self.guild.permissions_for(user.id) if self.guild and user else 0
        self._res("channels", chan.id, chan.to_dict(permissions=perms))
        return chan.id

    def add_attachment(self, value: Any) -> int:
        if isinstance(value, dict):
            att = value
        else:
            name, data, *rest = value
            att = self.fake.attachment(name, data, rest[0] if rest else None)
        self._res("attachments", int(att["id"]), att)
        return int(att["id"])

    def convert(self, opt: dict[str, Any], value: Any, user: FakeUser, path: str) -> Any:
        t = opt["type"]
        if t == STRING:
            assert isinstance(value, str), f"{path}: expected str, got {value!r}"
            lo, hi = opt.get("min_length", 0), opt.get("max_length", 6000)
            assert lo <= len(value) <= hi, f"{path}: length must be within {lo}..{hi}"
        elif t == INTEGER:
            assert isinstance(value, int) and not isinstance(value, bool), f"{path}: expected int, got {value!r}"
            assert -(2**53) <= value <= 2**53, f"{path}: integer out of range"
        elif t == NUMBER:
            assert isinstance(value, int | float) and not isinstance(value, bool), f"{path}: expected number"
        elif t == BOOLEAN:
            assert isinstance(value, bool), f"{path}: expected bool, got {value!r}"
        elif t == USER:
            return str(self.add_user(value))
        elif t == ROLE:
            return str(self.add_role(value))
        elif t == CHANNEL:
            cid = self.add_channel(value, user)
            types = opt.get("channel_types")
            ctype = self.fake.channels[cid].type
            assert not types or ctype in types, f"{path}: channel type {ctype} not in {types}"
            return str(cid)
        elif t == MENTIONABLE:
            return str(self.add_role(value) if isinstance(value, FakeRole) else self.add_user(value))
        elif t == ATTACHMENT:
            return str(self.add_attachment(value))
        if t in (INTEGER, NUMBER):
            lo, hi = opt.get("min_value"), opt.get("max_value")
            assert lo is None or value >= lo, f"{path}: must be >= {lo}"
            assert hi is None or value <= hi, f"{path}: must be <= {hi}"
        if opt.get("choices"):
            allowed = [c["value"] for c in opt["choices"]]
            assert value in allowed, f"{path}: {value!r} is not one of the choices {allowed}"
        return value

    def build(
        self, cmd: dict[str, Any], path: list[str], values: dict[str, Any], user: FakeUser, focused: str | None = None
    ) -> list[dict[str, Any]]:
        """Options for ``cmd`` with subcommand ``path`` (e.g. ["timezone"] or ["group", "sub"])."""
        defs = cmd.get("options") or []
        wrappers: list[dict[str, Any]] = []
        for part in path:
            sub = next((o for o in defs if o["name"] == part and o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)), None)
            assert sub is not None, (
                f"{cmd['name']}: no subcommand (group) {part!r}; have "
                f"{[o['name'] for o in defs if o['type'] in (1, 2)]}"
            )
            wrappers.append({"name": part, "type": sub["type"], "options": []})
            defs = sub.get("options") or []
        assert not any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in defs), (
            f"{cmd['name']} {' '.join(path)}: a subcommand is required; have {[o['name'] for o in defs]}"
        )
        by_name = {o["name"]: o for o in defs}
        leaf: list[dict[str, Any]] = []
        full = " ".join([cmd["name"], *path])
        for key, value in values.items():
            assert key in by_name, f"/{full}: unknown option {key!r}; have {sorted(by_name)}"
            opt = by_name[key]
            if key == focused:
                assert opt.get("autocomplete"), f"/{full}: option {key!r} has no autocomplete"
                leaf.append({"name": key, "type": opt["type"], "value": str(value), "focused": True})
                continue
            leaf.append({"name": key, "type": opt["type"], "value": self.convert(opt, value, user, f"/{full} {key}")})
        if focused is None:
            missing = [o["name"] for o in defs if o.get("required") and o["name"] not in values]
            assert not missing, f"/{full}: missing required option(s) {missing}"
        else:
            assert focused in values, f"focused option {focused!r} needs a value"
        if not wrappers:
            return leaf
        wrappers[-1]["options"] = leaf
        for outer, inner in itertools.pairwise(wrappers):
            outer["options"] = [inner]
        return [wrappers[0]]


def iter_components(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for c in components:
        out.append(c)
        out.extend(iter_components(c.get("components") or []))
        for key in ("component", "accessory"):
            if isinstance(c.get(key), dict):
                out.extend(iter_components([c[key]]))
    return out


def modal_submit_components(modal: dict[str, Any], values: dict[str, Any]) -> list[dict[str, Any]]:
    """Mirror the modal's layout (action rows / Label type 18 / text displays) with the submitted values."""
    known = {c["custom_id"]: c for c in iter_components(modal.get("components") or []) if "custom_id" in c}
    unknown = set(values) - set(known)
    assert not unknown, f"modal {modal.get('custom_id')!r} has no field(s) {sorted(unknown)}; has {sorted(known)}"

    def leaf(c: dict[str, Any]) -> dict[str, Any]:
        cid = c["custom_id"]
        out: dict[str, Any] = {"type": c["type"], "custom_id": cid}
        if "id" in c:
            out["id"] = c["id"]
        if c["type"] == 4:
            value = values.get(cid, c.get("value") or "")
            assert isinstance(value, str), f"text input {cid!r} takes a str"
            if c.get("required", True):
                assert value, f"text input {cid!r} is required"
            if value:
                lo, hi = c.get("min_length", 0), c.get("max_length", 4000)
                assert lo <= len(value) <= hi, f"text input {cid!r}: length must be within {lo}..{hi}"
            out["value"] = value
        else:
            vals = values.get(cid, [])
            vals = [vals] if isinstance(vals, str) else [str(v) for v in vals]
            if c.get("required", True):
                assert len(vals) >= max(1, c.get("min_values", 1)), f"select {cid!r} is required"
            out["values"] = vals
        return out

    def walk(c: dict[str, Any]) -> dict[str, Any] | None:
        base = {"type": c["type"], **({"id": c["id"]} if "id" in c else {})}
        if c["type"] == 1:
            return {**base, "components": [leaf(x) for x in c.get("components") or [] if "custom_id" in x]}
        if c["type"] == 18:
            return {**base, "component": leaf(c["component"])}
        if "custom_id" in c:
            return leaf(c)
        return base if c["type"] == 10 else None

    return [x for x in (walk(c) for c in modal.get("components") or []) if x is not None]
