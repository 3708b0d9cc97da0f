"""REST routes: guild scheduled events and auto-moderation rules."""

from __future__ import annotations

import re
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .gateway import AUTO_MODERATION_CONFIGURATION, GUILD_SCHEDULED_EVENTS
from .limits import DiscordError, FormErrors, not_found
from .models import ADMINISTRATOR, FakeGuild, snowflake
from .rest_guilds import get_guild
from .rest_messages import CREATE_EVENTS, MANAGE_EVENTS, MANAGE_GUILD, require
from .router import Req, router

if TYPE_CHECKING:
    from .server import FakeDiscord

MAX_LIVE_EVENTS = 100  # Discord: scheduled or active events per guild


def _event_payload(fake: FakeDiscord, guild: FakeGuild, eid: int, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(eid),
        "guild_id": str(guild.id),
        "channel_id": body.get("channel_id"),
        "creator_id": str(fake.bot_user.id),
        "creator": fake.bot_user.to_dict(),
        "name": body.get("name"),
        "description": body.get("description"),
        "scheduled_start_time": body.get("scheduled_start_time"),
        "scheduled_end_time": body.get("scheduled_end_time"),
        "privacy_level": body.get("privacy_level", 2),
        "status": body.get("status", 1),
        "entity_type": body.get("entity_type"),
        "entity_id": None,
        "entity_metadata": body.get("entity_metadata"),
        "user_count": 0,
        "image": None,
        "recurrence_rule": body.get("recurrence_rule"),
    }


def _check_event(body: dict[str, Any], creating: bool) -> None:
    err = FormErrors()
    if creating:
        for key in ("name", "scheduled_start_time", "entity_type", "privacy_level"):
            if body.get(key) is None:
                err.add([key], "BASE_TYPE_REQUIRED", "This field is required")
    err.max_len(["name"], body.get("name"), 100)
    err.max_len(["description"], body.get("description"), 1000)
    if body.get("entity_type") == 3:
        if not (body.get("entity_metadata") or {}).get("location"):
            err.add(["entity_metadata", "location"], "BASE_TYPE_REQUIRED", "This field is required")
        if not body.get("scheduled_end_time"):
            err.add(["scheduled_end_time"], "BASE_TYPE_REQUIRED", "This field is required")
    start = body.get("scheduled_start_time")
    if creating and start and datetime.fromisoformat(start).timestamp() < time.time():
        err.add(["scheduled_start_time"], "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST", "Cannot schedule event in the past.")
    err.raise_if_any()


@router.route("POST", "/guilds/{id}/scheduled-events")
async def create_event(fake: FakeDiscord, req: Req, gid: str) -> Any:
    guild = get_guild(fake, gid)
    require(fake, guild.id, MANAGE_EVENTS | CREATE_EVENTS, any_of=True)
    _check_event(req.body, True)
    live = [e for e in guild.scheduled_events.values() if e.get("status") in (1, 2)]
    if len(live) >= MAX_LIVE_EVENTS:
        raise DiscordError(400, 30038, f"Maximum number of guild scheduled events reached ({MAX_LIVE_EVENTS})")
    eid = snowflake()
    guild.scheduled_events[eid] = _event_payload(fake, guild, eid, req.body)
    fake.dispatch(
        "GUILD_SCHEDULED_EVENT_CREATE", guild.scheduled_events[eid], guild=guild, intent=GUILD_SCHEDULED_EVENTS
    )
    return guild.scheduled_events[eid]


@router.route("GET", "/guilds/{id}/scheduled-events")
async def list_events(fake: FakeDiscord, req: Req, gid: str) -> Any:
    return list(get_guild(fake, gid).scheduled_events.values())


@router.route("GET", "/guilds/{id}/scheduled-events/{id}")
async def get_event(fake: FakeDiscord, req: Req, gid: str, eid: str) -> Any:
    event = get_guild(fake, gid).scheduled_events.get(int(eid))
    if event is None:
        raise not_found(10070, "Guild Scheduled Event")
    return event


@router.route("PATCH", "/guilds/{id}/scheduled-events/{id}")
async def patch_event(fake: FakeDiscord, req: Req, gid: str, eid: str) -> Any:
    guild = get_guild(fake, gid)
    event = await get_event(fake, req, gid, eid)
    require(fake, guild.id, MANAGE_EVENTS)
    _check_event({**event, **req.body}, False)
    event.update({k: v for k, v in req.body.items() if k in event})
    fake.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", event, guild=guild, intent=GUILD_SCHEDULED_EVENTS)
    return event


@router.route("DELETE", "/guilds/{id}/scheduled-events/{id}")
async def delete_event(fake: FakeDiscord, req: Req, gid: str, eid: str) -> Any:
    guild = get_guild(fake, gid)
    event = await get_event(fake, req, gid, eid)
    require(fake, guild.id, MANAGE_EVENTS)
    del guild.scheduled_events[int(eid)]
    fake.dispatch("GUILD_SCHEDULED_EVENT_DELETE", event, guild=guild, intent=GUILD_SCHEDULED_EVENTS)


# Discord's AutoMod limits: per-type rule counts, trigger metadata sizes, exemptions, actions.
_RULES_PER_TYPE = {1: 6, 3: 1, 4: 1, 5: 1, 6: 1}  # keyword: 6; spam, keyword preset, mention spam, profile: 1
# Rust's `regex` crate (Discord's engine) has no look-around, back-references, atomic groups or possessives.
_NOT_RUST = re.compile(r"\(\?<?[=!]|\\[1-9]|\\k<|\(\?P=|\(\?>|[*+?}]\+|\(\?\(")


def _check_rule(guild: FakeGuild, rule: dict[str, Any], rid: int | None) -> None:
    err = FormErrors()
    for key in ("name", "event_type", "trigger_type", "actions"):
        if rule.get(key) is None:
            err.add([key], "BASE_TYPE_REQUIRED", "This field is required")
    err.max_len(["name"], rule.get("name"), 100)
    kind = rule.get("trigger_type")
    same = [r for i, r in guild.automod_rules.items() if i != rid and r.get("trigger_type") == kind]
    if kind in _RULES_PER_TYPE and len(same) >= _RULES_PER_TYPE[kind]:
        err.add(
            ["trigger_type"],
            "AUTO_MODERATION_MAX_RULES_OF_TYPE_EXCEEDED",
            f"Maximum number of rules of this type reached ({_RULES_PER_TYPE[kind]}).",
        )
    meta = rule.get("trigger_metadata") or {}
    keywords = meta.get("keyword_filter") or []
    err.max_items(["trigger_metadata", "keyword_filter"], keywords, 1000)
    for i, k in enumerate(keywords):
        err.max_len(["trigger_metadata", "keyword_filter", i], k, 60)
    patterns = meta.get("regex_patterns") or []
    err.max_items(["trigger_metadata", "regex_patterns"], patterns, 10)
    for i, pattern in enumerate(patterns):
        err.max_len(["trigger_metadata", "regex_patterns", i], pattern, 260)
        try:
            re.compile(pattern)
            valid = not _NOT_RUST.search(pattern.replace("\\\\", ""))
        except re.error:
            valid = False
        if not valid:
            err.add(["trigger_metadata", "regex_patterns", i], "AUTO_MODERATION_INVALID_REGEX", "Invalid regex.")
    allow = meta.get("allow_list") or []
    err.max_items(["trigger_metadata", "allow_list"], allow, 100 if kind == 1 else 1000)
    for i, a in enumerate(allow):
        err.max_len(["trigger_metadata", "allow_list", i], a, 60)
    err.max_items(["exempt_channels"], rule.get("exempt_channels"), 50)
    err.max_items(["exempt_roles"], rule.get("exempt_roles"), 20)
    for i, channel_id in enumerate(rule.get("exempt_channels") or []):
        if int(channel_id) not in guild.channels:
            err.add(["exempt_channels", i], "CHANNEL_INVALID", "Unknown channel.")
    actions = rule.get("actions") or []
    if rule.get("actions") is not None and not actions:
        err.add(["actions"], "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.")
    for i, action in enumerate(actions):
        data = action.get("metadata") or {}
        if action.get("type") not in (1, 2, 3, 4):
            err.add(["actions", i, "type"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4}.")
        if action.get("type") == 1:
            err.max_len(["actions", i, "metadata", "custom_message"], data.get("custom_message"), 150)
        if action.get("type") == 2 and int(data.get("channel_id") or 0) not in guild.channels:
            err.add(["actions", i, "metadata", "channel_id"], "CHANNEL_INVALID", "Unknown channel.")
        timeout = int(data.get("duration_seconds") or 0)
        if action.get("type") == 3 and (kind not in (1, 6) or not 0 < timeout <= 2419200):
            err.add(["actions", i, "metadata", "duration_seconds"], "BASE_TYPE_BAD_INT", "Invalid timeout.")
    err.raise_if_any()


@router.route("POST", "/guilds/{id}/auto-moderation/rules")
async def create_rule(fake: FakeDiscord, req: Req, gid: str) -> Any:
    guild = get_guild(fake, gid)
    require(fake, guild.id, MANAGE_GUILD)
    _check_rule(guild, req.body, None)
    rid = snowflake()
    rule = {
        "id": str(rid),
        "guild_id": str(guild.id),
        "creator_id": str(fake.bot_user.id),
        "enabled": False,
        "exempt_roles": [],
        "exempt_channels": [],
        "trigger_metadata": {},
        **req.body,
    }
    guild.automod_rules[rid] = rule
    fake.dispatch("AUTO_MODERATION_RULE_CREATE", rule, guild=guild, intent=AUTO_MODERATION_CONFIGURATION)
    return rule


@router.route("GET", "/guilds/{id}/auto-moderation/rules")
async def list_rules(fake: FakeDiscord, req: Req, gid: str) -> Any:
    return list(get_guild(fake, gid).automod_rules.values())


@router.route("PATCH", "/guilds/{id}/auto-moderation/rules/{id}")
async def patch_rule(fake: FakeDiscord, req: Req, gid: str, rid: str) -> Any:
    guild = get_guild(fake, gid)
    rule = guild.automod_rules.get(int(rid))
    if rule is None:
        raise not_found(10066, "Auto Moderation Rule")
    require(fake, guild.id, MANAGE_GUILD)
    # trigger_type and event_type cannot change; the rest is validated as the merged rule would be.
    body = {k: v for k, v in req.body.items() if k not in ("trigger_type", "id", "guild_id", "creator_id")}
    _check_rule(guild, {**rule, **body}, int(rid))
    rule.update(body)
    fake.dispatch("AUTO_MODERATION_RULE_UPDATE", rule, guild=guild, intent=AUTO_MODERATION_CONFIGURATION)
    return rule


@router.route("DELETE", "/guilds/{id}/auto-moderation/rules/{id}")
async def delete_rule(fake: FakeDiscord, req: Req, gid: str, rid: str) -> Any:
    guild = get_guild(fake, gid)
    require(fake, guild.id, MANAGE_GUILD)
    rule = guild.automod_rules.pop(int(rid), None)
    if rule is None:
        raise not_found(10066, "Auto Moderation Rule")
    fake.dispatch("AUTO_MODERATION_RULE_DELETE", rule, guild=guild, intent=AUTO_MODERATION_CONFIGURATION)


AUTO_MODERATION_EXECUTION = 1 << 21


def automod_block(fake: FakeDiscord, guild: FakeGuild, user: Any, channel: Any, content: str) -> dict[str, Any] | None:
    """Discord's AutoMod on a member's new message: the first enabled keyword rule that applies and matches.

    Members with Administrator or Manage Server are exempt, as are the rule's exempt roles and channels (a
    thread counts as its parent channel, a channel as its category too). A blocked message is never created;
    AUTO_MODERATION_ACTION_EXECUTION goes to bots with that intent, without the words (no Message Content).
    """
    if not content or guild.permissions_for(user.id) & (ADMINISTRATOR | MANAGE_GUILD):
        return None
    member = guild.members.get(user.id)
    places = {channel.id}
    parent = fake.channels.get(channel.parent_id or 0)
    if parent is not None:
        places.add(parent.id)
        if parent.parent_id:
            places.add(parent.parent_id)
    for rule in guild.automod_rules.values():
        if not rule.get("enabled") or rule.get("event_type") != 1 or rule.get("trigger_type") != 1:
            continue
        if {int(c) for c in rule.get("exempt_channels") or []} & places:
            continue
        if {int(r) for r in rule.get("exempt_roles") or []} & set(member.roles if member else []):
            continue
        meta = rule.get("trigger_metadata") or {}
        found = [m.group(0) for p in meta.get("regex_patterns") or [] if (m := re.search(p, content))]
        found += [k for k in meta.get("keyword_filter") or [] if k.strip("*").lower() in content.lower()]
        allowed = {a.lower() for a in meta.get("allow_list") or []}
        found = [f for f in found if f.lower() not in allowed]
        if not found:
            continue
        action = next((a for a in rule.get("actions") or [] if a.get("type") == 1), None)
        fake.automod_blocked.append({"rule": rule["id"], "user": user.id, "channel": channel.id, "action": action})
        fake.dispatch(
            "AUTO_MODERATION_ACTION_EXECUTION",
            {
                "guild_id": str(guild.id),
                "action": action or {"type": 1, "metadata": {}},
                "rule_id": rule["id"],
                "rule_trigger_type": 1,
                "user_id": str(user.id),
                "channel_id": str(channel.id),
                "content": "",
                "matched_keyword": None,
                "matched_content": "",
            },
            guild=guild,
            intent=AUTO_MODERATION_EXECUTION,
        )
        return rule
    return None
