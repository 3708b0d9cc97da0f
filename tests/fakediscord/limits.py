"""Discord's field limits and error responses (400 code 50035 "Invalid Form Body")."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

IS_COMPONENTS_V2 = 1 << 15


class DiscordError(Exception):
    """Raised by route handlers; turned into Discord's JSON error body."""

    def __init__(self, status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status, self.code, self.message, self.errors = status, code, message, errors


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON response whose Content-Type is exactly application/json (discord.py compares it verbatim)."""
    resp = web.Response(body=json.dumps(data).encode(), status=status, headers=headers)
    resp.headers["Content-Type"] = "application/json"
    return resp


def error_response(exc: DiscordError) -> web.Response:
    body: dict[str, Any] = {"message": exc.message, "code": exc.code}
    if exc.errors:
        body["errors"] = exc.errors
    return json_response(body, exc.status)


def not_found(code: int, what: str) -> DiscordError:
    return DiscordError(404, code, f"Unknown {what}")


class FormErrors:
    """Collects Discord-style nested form errors."""

    def __init__(self) -> None:
        self.errors: dict[str, Any] = {}

    def add(self, path: list[str | int], code: str, message: str) -> None:
        node = self.errors
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def max_len(self, path: list[str | int], value: Any, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def max_items(self, path: list[str | int], value: Any, limit: int) -> None:
        if isinstance(value, list) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def raise_if_any(self) -> None:
        if self.errors:
            raise DiscordError(400, 50035, "Invalid Form Body", self.errors)


def _check_embeds(err: FormErrors, embeds: list[dict[str, Any]]) -> None:
    err.max_items(["embeds"], embeds, 10)
    total = 0
    for i, e in enumerate(embeds):
        p: list[str | int] = ["embeds", i]
        err.max_len([*p, "title"], e.get("title"), 256)
        err.max_len([*p, "description"], e.get("description"), 4096)
        err.max_len([*p, "footer", "text"], (e.get("footer") or {}).get("text"), 2048)
        err.max_len([*p, "author", "name"], (e.get("author") or {}).get("name"), 256)
        fields = e.get("fields") or []
        err.max_items([*p, "fields"], fields, 25)
        for j, f in enumerate(fields):
            err.max_len([*p, "fields", j, "name"], f.get("name"), 256)
            err.max_len([*p, "fields", j, "value"], f.get("value"), 1024)
            total += len(f.get("name") or "") + len(f.get("value") or "")
        total += sum(len(e.get(k) or "") for k in ("title", "description"))
        total += len((e.get("footer") or {}).get("text") or "") + len((e.get("author") or {}).get("name") or "")
    if total > 6000:
        err.add(["embeds"], "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")


def _check_component(err: FormErrors, p: list[str | int], c: dict[str, Any]) -> None:
    t = c.get("type")
    if "custom_id" in c:
        err.max_len([*p, "custom_id"], c["custom_id"], 100)
    if t == 2:
        err.max_len([*p, "label"], c.get("label"), 80)
        if c.get("style") == 5 and not c.get("url"):
            err.add([*p, "url"], "BASE_TYPE_REQUIRED", "This field is required")
        elif c.get("style") not in (5, 6) and not c.get("custom_id"):
            err.add([*p, "custom_id"], "BASE_TYPE_REQUIRED", "This field is required")
    elif t in (3, 5, 6, 7, 8):
        err.max_len([*p, "placeholder"], c.get("placeholder"), 150)
        opts = c.get("options") or []
        err.max_items([*p, "options"], opts, 25)
        for j, o in enumerate(opts):
            err.max_len([*p, "options", j, "label"], o.get("label"), 100)
            err.max_len([*p, "options", j, "value"], o.get("value"), 100)
            err.max_len([*p, "options", j, "description"], o.get("description"), 100)
    elif t == 4:
        err.max_len([*p, "label"], c.get("label"), 45)
        err.max_len([*p, "placeholder"], c.get("placeholder"), 100)
        err.max_len([*p, "value"], c.get("value"), 4000)
    elif t == 18:
        err.max_len([*p, "label"], c.get("label"), 45)
        err.max_len([*p, "description"], c.get("description"), 100)
    elif t == 10:
        err.max_len([*p, "content"], c.get("content"), 4000)
    for j, child in enumerate(c.get("components") or []):
        _check_component(err, [*p, "components", j], child)
    if isinstance(c.get("component"), dict):
        _check_component(err, [*p, "component"], c["component"])
    if isinstance(c.get("accessory"), dict):
        _check_component(err, [*p, "accessory"], c["accessory"])


def check_components(err: FormErrors, components: list[dict[str, Any]], flags: int = 0, modal: bool = False) -> None:
    if not flags & IS_COMPONENTS_V2 and not modal:
        err.max_items(["components"], components, 5)
    for i, row in enumerate(components):
        p: list[str | int] = ["components", i]
        if row.get("type") == 1 and not modal:
            children = row.get("components") or []
            if len(children) > 5:
                err.add([*p, "components"], "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
            if any(ch.get("type") != 2 for ch in children) and len(children) > 1:
                err.add(
                    [*p, "components"],
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                    "The specified component exceeds the maximum width",
                )
        _check_component(err, p, row)


def check_message(payload: dict[str, Any], *, has_files: bool = False, edit: bool = False) -> None:
    """Validate a create/edit message payload like Discord does; raises DiscordError(50035 / 50006)."""
    err = FormErrors()
    content = payload.get("content")
    if content is not None and not isinstance(content, str):
        err.add(["content"], "STRING_TYPE_CONVERT", "Could not interpret value as string.")
    err.max_len(["content"], content, 2000)
    embeds = payload.get("embeds") or []
    _check_embeds(err, embeds)
    flags = int(payload.get("flags") or 0)
    components = payload.get("components") or []
    check_components(err, components, flags)
    if flags & IS_COMPONENTS_V2 and (content or embeds):
        err.add(
            ["content"],
            "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
            "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2",
        )
    err.raise_if_any()
    if not edit and not (
        content or embeds or components or has_files or payload.get("sticker_ids") or payload.get("poll")
    ):
        raise DiscordError(400, 50006, "Cannot send an empty message")


def check_modal(data: dict[str, Any]) -> None:
    err = FormErrors()
    err.max_len(["data", "title"], data.get("title"), 45)
    err.max_len(["data", "custom_id"], data.get("custom_id"), 100)
    comps = data.get("components") or []
    if not comps:
        err.add(["data", "components"], "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.")
    err.max_items(["data", "components"], comps, 5)
    sub = FormErrors()
    check_components(sub, comps, modal=True)
    if sub.errors:
        err.errors.setdefault("data", {}).update(sub.errors)
    err.raise_if_any()


def check_choices(choices: list[dict[str, Any]]) -> None:
    err = FormErrors()
    err.max_items(["data", "choices"], choices, 25)
    for i, c in enumerate(choices):
        err.max_len(["data", "choices", i, "name"], c.get("name"), 100)
        err.max_len(["data", "choices", i, "value"], c.get("value"), 100)
    err.raise_if_any()
