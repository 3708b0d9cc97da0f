"""REST routes: interaction callbacks and interaction webhooks (follow-ups, @original)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from .interactions import FakeInteraction
from .limits import DiscordError, check_choices, check_message, check_modal
from .models import FakeMessage, Reply
from .rest_messages import create_message, delete_message, edit_message
from .router import Req, router

if TYPE_CHECKING:
    from .server import FakeDiscord

PONG, CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 1, 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9
EPHEMERAL, LOADING = 64, 128


def _reply(type_: int, data: dict[str, Any], files: list[tuple[str, bytes]]) -> Reply:
    return Reply(
        type=type_,
        content=data.get("content"),
        embeds=list(data.get("embeds") or []),
        components=list(data.get("components") or []),
        flags=int(data.get("flags") or 0),
        files=list(files),
        custom_id=data.get("custom_id"),
        title=data.get("title"),
        choices=data.get("choices"),
        data=data,
    )


def _metadata(it: FakeInteraction) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "id": str(it.id),
        "type": it.type,
        "user": it.user.to_dict(),
        "authorizing_integration_owners": it.payload["authorizing_integration_owners"],
    }
    if it.type == 2:
        meta["name"] = it.payload["data"].get("name")
        meta["command_type"] = it.payload["data"].get("type", 1)
    if it.source_message is not None:
        meta["interacted_message_id"] = str(it.source_message.id)
    return meta


def _new_message(
    fake: FakeDiscord,
    it: FakeInteraction,
    data: dict[str, Any],
    files: list[tuple[str, bytes]],
    flags: int,
    validate: bool = True,
) -> FakeMessage:
    payload = {**data, "flags": flags}
    return create_message(
        fake,
        it.channel,
        fake.bot_user.id,
        payload,
        files,
        validate=validate,
        webhook_id=fake.application_id,
        interaction_metadata=_metadata(it),
        type=20 if it.type == 2 else 0,
        visible_to=it.user.id if flags & EPHEMERAL else None,
    )


@router.route("POST", "/interactions/{id}/{token}/callback")
async def callback(fake: FakeDiscord, req: Req, iid: str, token: str) -> Any:
    it = fake.interactions.get(int(iid))
    if it is None or it.token != token:
        raise DiscordError(404, 10062, "Unknown interaction")
    if time.time() - it.created_at > fake.interaction_deadline:
        it.late_callbacks += 1
        raise DiscordError(404, 10062, "Unknown interaction")
    if it.response is not None:
        raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
    body = req.body
    type_ = int(body.get("type", 0))
    data = body.get("data") or {}
    resource: dict[str, Any] = {"type": type_}
    if type_ == CHANNEL_MESSAGE:
        if it.type == 4:
            raise DiscordError(400, 50035, "Invalid Form Body")
        msg = _new_message(fake, it, data, req.files, int(data.get("flags") or 0))
        it.message, it.original_message_id = msg, msg.id
    elif type_ == DEFERRED_CHANNEL_MESSAGE:
        msg = _new_message(
            fake, it, {"content": ""}, [], LOADING | (int(data.get("flags") or 0) & EPHEMERAL), validate=False
        )
        it.message, it.original_message_id = msg, msg.id
    elif type_ in (DEFERRED_UPDATE, UPDATE_MESSAGE):
        if it.source_message is None:
            raise DiscordError(400, 40061, "This interaction has no message to update")
        it.message, it.original_message_id = it.source_message, it.source_message.id
        if type_ == UPDATE_MESSAGE:
            edit_message(fake, it.source_message, data, req.files)
    elif type_ == AUTOCOMPLETE_RESULT:
        if it.type != 4:
            raise DiscordError(400, 50035, "Invalid Form Body")
        check_choices(data.get("choices") or [])
    elif type_ == MODAL:
        if it.type in (4, 5):
            raise DiscordError(400, 50035, "Invalid Form Body")
        check_modal(data)
    else:
        raise DiscordError(
            400,
            50035,
            "Invalid Form Body",
            {
                "type": {
                    "_errors": [
                        {"code": "BASE_TYPE_CHOICES", "message": f"Value must be one of the valid types, not {type_}."}
                    ]
                }
            },
        )
    it.response = _reply(type_, data, req.files)
    it.responded.set()
    if it.message is not None:
        resource["message"] = it.message.to_dict(fake)
    info = {
        "id": str(it.id),
        "type": it.type,
        "response_message_id": str(it.original_message_id) if it.original_message_id else None,
        "response_message_loading": type_ == DEFERRED_CHANNEL_MESSAGE,
        "response_message_ephemeral": bool(it.message and it.message.ephemeral),
    }
    if req.query.get("with_response") in ("1", "true", "True"):
        return {"interaction": info, "resource": resource}
    return None


def _interaction_for(fake: FakeDiscord, app: str, token: str) -> FakeInteraction:
    it = fake.interactions_by_token.get(token)
    if it is None or int(app) != fake.application_id:
        raise DiscordError(404, 10015, "Unknown Webhook")
    if time.time() - it.created_at > fake.followup_lifetime:
        raise DiscordError(401, 50027, "Invalid Webhook Token")
    if it.response is None:
        raise DiscordError(404, 10015, "Unknown Webhook")
    return it


def _target(fake: FakeDiscord, it: FakeInteraction, mid: str) -> FakeMessage:
    msg_id = it.original_message_id if mid == "@original" else int(mid)
    msg = fake.messages.get(msg_id or 0)
    allowed = {it.original_message_id, *(m.id for m in it.followup_messages)}
    if msg is None or msg.deleted or msg.id not in allowed:
        raise DiscordError(404, 10008, "Unknown Message")
    return msg


W = r"/webhooks/(\d+)/([^/]+)"


@router.route("POST", W)
async def followup(fake: FakeDiscord, req: Req, app: str, token: str) -> Any:
    it = _interaction_for(fake, app, token)
    data = req.body
    original = it.original()
    if original is not None and original.flags & LOADING:
        # the first follow-up after a defer fills in the "thinking…" message (keeps its ephemerality)
        check_message(data, has_files=bool(req.files))
        msg = edit_message(fake, original, {k: v for k, v in data.items() if k != "flags"}, req.files)
    else:
        msg = _new_message(fake, it, data, req.files, int(data.get("flags") or 0))
    it.followup_messages.append(msg)
    it.followups.append(_reply(CHANNEL_MESSAGE, data, req.files))
    return msg.to_dict(fake) if req.query.get("wait") in ("1", "true", "True") else None


@router.route("GET", W + r"/messages/(@original|\d+)")
async def get_webhook_message(fake: FakeDiscord, req: Req, app: str, token: str, mid: str) -> Any:
    return _target(fake, _interaction_for(fake, app, token), mid).to_dict(fake)


@router.route("PATCH", W + r"/messages/(@original|\d+)")
async def edit_webhook_message(fake: FakeDiscord, req: Req, app: str, token: str, mid: str) -> Any:
    it = _interaction_for(fake, app, token)
    msg = _target(fake, it, mid)
    return edit_message(fake, msg, req.body, req.files).to_dict(fake)


@router.route("DELETE", W + r"/messages/(@original|\d+)")
async def delete_webhook_message(fake: FakeDiscord, req: Req, app: str, token: str, mid: str) -> Any:
    it = _interaction_for(fake, app, token)
    delete_message(fake, _target(fake, it, mid))
