"""REST routes: guild scheduled events and auto-moderation rules."""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .gateway import AUTO_MODERATION_CONFIGURATION, GUILD_SCHEDULED_EVENTS
from .limits import DiscordError, FormErrors, not_found
from .models import FakeGuild, snowflake
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


@router.route("POST", "/guilds/{id}/auto-moderation/rules")
async def create_rule(fake: FakeDiscord, req: Req, gid: str) -> Any:
    guild = get_guild(fake, gid)
    require(fake, guild.id, MANAGE_GUILD)
    body = req.body
    err = FormErrors()
    for key in ("name", "event_type", "trigger_type", "actions"):
        if body.get(key) is None:
            err.add([key], "BASE_TYPE_REQUIRED", "This field is required")
    err.max_len(["name"], body.get("name"), 100)
    keywords = (body.get("trigger_metadata") or {}).get("keyword_filter") or []
    err.max_items(["trigger_metadata", "keyword_filter"], keywords, 1000)
    for i, k in enumerate(keywords):
        err.max_len(["trigger_metadata", "keyword_filter", i], k, 60)
    err.raise_if_any()
    rid = snowflake()
    rule = {
        "id": str(rid),
        "guild_id": str(guild.id),
        "creator_id": str(fake.bot_user.id),
        "enabled": False,
        "exempt_roles": [],
        "exempt_channels": [],
        "trigger_metadata": {},
        **body,
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
    rule.update(req.body)
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
