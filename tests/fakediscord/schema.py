"""Validate the bot's JSON request bodies against Discord's own OpenAPI description (openapi/openapi.json).

Every POST/PUT/PATCH whose operation has a JSON request body in the spec is validated (for multipart
requests, their ``payload_json`` part, which follows the same schema). A violation is answered 400/50035
with Discord's nested ``errors`` tree and recorded in ``fake.schema_violations`` so the test fails at
teardown.

The spec is applied as published except for the deviations in ``TOLERATED`` below: the one place that
lists what Discord accepts although the spec says otherwise, each with its reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).parent / "openapi" / "openapi.json"
SPEC_URI = "urn:discord-openapi"
DIGITS = r"^-?[0-9]+$"


@dataclass(frozen=True)
class Tolerated:
    """One deviation Discord accepts although its spec rejects it, applied as a patch to the loaded spec."""

    where: str  # what it relaxes
    patch: Callable[[dict[str, Any]], None]  # edits the spec in place
    reason: str


def _snowflake_or_integer(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    original = schemas["SnowflakeType"]
    schemas["SnowflakeType"] = {"anyOf": [original, {"type": "integer", "minimum": 0, "maximum": 2**64 - 1}]}


def _media_channel_type(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    schemas["ChannelTypes"]["oneOf"].append({"title": "GUILD_MEDIA", "const": 16})


def _types(node: dict[str, Any]) -> list[str]:
    kind = node.get("type")
    return [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []


def _integers_as_digit_strings(node: Any, *, here: bool = True) -> None:
    if isinstance(node, dict):
        types = _types(node)
        if here and "integer" in types and "string" not in types and "pattern" not in node:
            node["type"] = [*types, "string"]
            node["pattern"] = DIGITS  # applies to strings only; integers keep their bounds
        branches = node.get("oneOf")
        # a oneOf that already has a string branch (e.g. a message nonce) stays as it is: a digit string
        # would then match two branches, which oneOf rejects
        keep = isinstance(branches, list) and any("string" in _types(b) for b in branches if isinstance(b, dict))
        for key, value in node.items():
            if key == "oneOf" and keep:
                for branch in value:
                    if isinstance(branch, dict):
                        for inner in branch.values():
                            _integers_as_digit_strings(inner)
            else:
                _integers_as_digit_strings(value)
    elif isinstance(node, list):
        for value in node:
            _integers_as_digit_strings(value)


# The ONE list of tolerated deviations from the spec. Keep it short; each entry needs a reason. Each relaxes
# one type wherever it occurs, never a whole endpoint or field, so the rest of every body is still checked.
TOLERATED: tuple[Tolerated, ...] = (
    Tolerated(
        "SnowflakeType also accepts a JSON integer from 0 to 2**64-1",
        _snowflake_or_integer,
        "discord.py writes ids as JSON integers, not strings: the DM recipient (POST /users/@me/channels), "
        "bulk-delete message ids, allowed_mentions users/roles, overwrite ids, select menus' default_values "
        "(the /setup wizard panel), and new uploads numbered 0, 1, ... in attachments[].id (they name "
        "files[n]). Discord parses a snowflake from either form.",
    ),
    Tolerated(
        "ChannelTypes also accepts 16 (GUILD_MEDIA)",
        _media_channel_type,
        "The spec's enum predates media channels (type 16 in Discord's channel docs). discord.py's "
        "ForumChannel option type means [15, 16] in an option's channel_types, e.g. `/setup channel "
        "channel:` (text or forum) syncs channel_types [0, 5, 15, 16].",
    ),
    Tolerated(
        "an integer-typed field also accepts a string of digits",
        _integers_as_digit_strings,
        "The spec's own README: int-parseable strings are typed as integers. Discord documents permission "
        "bit sets as strings (role `permissions`, overwrite `allow`/`deny`), and discord.py sends role "
        "permissions as a string; any other string is still rejected.",
    ),
)


@dataclass
class Violation:
    """One rejected field of one request."""

    method: str
    path: str
    template: str
    field: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.template}): {self.field or '<body>'}: {self.code}: {self.message}"


@cache
def _spec() -> dict[str, Any]:
    spec = json.loads(SPEC_PATH.read_text())
    for tolerated in TOLERATED:
        tolerated.patch(spec)
    return spec


@cache
def _registry() -> Registry:
    return Registry().with_resource(SPEC_URI, Resource.from_contents(_spec(), default_specification=DRAFT202012))


def _pointer(*parts: str) -> str:
    return "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


@cache
def _templates() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for template in _spec()["paths"]:
        rx = re.compile(re.sub(r"\\\{[^/]+?\\\}", r"[^/]+", re.escape(template)))
        out.append((template, rx))
    # literal segments win over parameters (/users/@me/channels before /users/{user_id}/channels)
    out.sort(key=lambda t: (t[0].count("{"), -len(t[0])))
    return out


def match_template(path: str) -> str | None:
    """The spec's path template for a concrete request path, or None when the spec has no such path."""
    for template, rx in _templates():
        if rx.fullmatch(path):
            return template
    return None


@cache
def _validator(method: str, template: str) -> Draft202012Validator | None:
    op = _spec()["paths"][template].get(method.lower())
    body = (op or {}).get("requestBody")
    if body is None:
        return None
    pointer = _pointer("paths", template, method.lower(), "requestBody")
    if "$ref" in body:
        pointer = body["$ref"].lstrip("#")
        body = _registry().resolver(SPEC_URI).lookup(body["$ref"]).contents
    # A multipart request carries its JSON in payload_json, which follows the operation's JSON schema;
    # operations that are multipart-only (stickers, app attachments) take plain form fields instead.
    if "schema" not in body.get("content", {}).get("application/json", {}):
        return None
    ref = SPEC_URI + "#" + pointer + _pointer("content", "application/json", "schema")
    return Draft202012Validator({"$ref": ref}, registry=_registry())


def _describe(error: ValidationError) -> tuple[str, str]:
    """Discord's error code and message for a jsonschema error (the codes Discord's form errors use)."""
    kind, limit = error.validator, error.validator_value
    if kind in ("maxLength", "maxItems"):
        return "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length."
    if kind in ("minLength", "minItems"):
        return "BASE_TYPE_MIN_LENGTH", f"Must be {limit} or more in length."
    if kind == "required":
        return "BASE_TYPE_REQUIRED", "This field is required"
    if kind in ("enum", "const", "oneOf", "anyOf"):
        return "BASE_TYPE_CHOICES", f"Value must be one of the valid choices ({error.message[:200]})."
    if kind == "maximum":
        return "NUMBER_TYPE_MAX", f"int value should be less than or equal to {limit}."
    if kind == "minimum":
        return "NUMBER_TYPE_MIN", f"int value should be greater than or equal to {limit}."
    if kind == "pattern" and limit == DIGITS:
        return "NUMBER_TYPE_COERCE", f'Value "{str(error.instance)[:50]}" is not int.'
    if kind == "pattern":
        return "STRING_TYPE_REGEX", f"String value did not match validation regex ({limit})."
    if kind == "type":
        wanted = limit if isinstance(limit, str) else "/".join(limit)
        return "BASE_TYPE_INVALID", f"Value must be of type {wanted}."
    return "BASE_TYPE_INVALID", error.message[:300]


def _wrong_branch(error: ValidationError) -> bool:
    """A oneOf branch of another kind: its ``type`` discriminator (a const or enum) did not match."""
    return error.validator in ("const", "enum") and list(error.relative_path)[-1:] == ["type"]


def _branch_score(errors: list[ValidationError]) -> tuple[bool, bool, int]:
    """Lower is likelier the branch meant: right discriminator, right JSON type at its root, fewest errors."""
    root_type = any(e.validator == "type" and not e.relative_path for e in errors)
    return any(map(_wrong_branch, errors)), root_type, len(errors)


def _leaf(error: ValidationError) -> ValidationError:
    """For an anyOf/oneOf failure, the innermost error of the branch meant (right ``type``, fewest errors)."""
    while error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        chosen = min(branches.values(), key=_branch_score)
        error = best_match(chosen)
    return error


# Validation is a pure function of (operation, body), and most bodies recur: every bot start in the suite
# PUTs the same 87-command sync body, which alone takes ~0.3 s to walk. Results are memoised per process
# on the body's canonical JSON, so each distinct body is still checked in full, once.
_MEMO_LIMIT = 4096
_memo: dict[tuple[str, str, str], list[tuple[str, str, str]]] = {}


def _errors(method: str, template: str, validator: Draft202012Validator, body: Any) -> list[tuple[str, str, str]]:
    """(field, code, message) of every violation in ``body``, memoised on its canonical JSON."""
    try:
        key = (method, template, json.dumps(body, sort_keys=True, separators=(",", ":")))
    except (TypeError, ValueError):
        key = None
    if key is not None and key in _memo:
        return _memo[key]
    out: list[tuple[str, str, str]] = []
    for error in validator.iter_errors(body):
        leaf = _leaf(error)
        field = ".".join(str(p) for p in leaf.absolute_path)
        if leaf.validator == "required":
            missing = re.match(r"'([^']+)' is a required property", leaf.message)
            field = ".".join(x for x in (field, missing[1] if missing else "") if x)
        out.append((field, *_describe(leaf)))
    if key is not None:
        if len(_memo) >= _MEMO_LIMIT:
            _memo.clear()
        _memo[key] = out
    return out


def validate(method: str, path: str, body: Any) -> tuple[bool, list[Violation]]:
    """(validated?, violations) for one request body; operations the spec has no body schema for are skipped."""
    template = match_template(path)
    if template is None:
        return False, []
    validator = _validator(method, template)
    if validator is None:
        return False, []
    errors = _errors(method, template, validator, body)
    return True, [Violation(method, path, template, field, code, message) for field, code, message in errors]


def discord_errors(violations: list[Violation]) -> dict[str, Any]:
    """Discord's nested form-error shape: {"a": {"0": {"b": {"_errors": [{"code", "message"}]}}}}."""
    root: dict[str, Any] = {}
    for v in violations:
        node = root
        for part in v.field.split(".") if v.field else []:
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": v.code, "message": v.message})
    return root
