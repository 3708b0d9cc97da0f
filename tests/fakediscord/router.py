"""Tiny regex router for the REST API, so unknown endpoints can be recorded and failed loudly."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .server import FakeDiscord


@dataclass
class Req:
    """A parsed REST request: JSON body (or multipart payload_json) and uploaded files."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[tuple[str, bytes]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def body(self) -> dict[str, Any]:
        return self.json if isinstance(self.json, dict) else {}


Handler = Callable[..., Awaitable[Any]]


class Router:
    """Maps (method, path regex) to handlers ``async def h(fake, req, *groups)``."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        rx = re.compile(pattern.replace("{id}", r"(\d+)").replace("{token}", r"([^/]+)"))
        self.routes.append((method, rx, handler))

    def route(self, method: str, pattern: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            self.add(method, pattern, fn)
            return fn

        return deco

    def match(self, method: str, path: str) -> tuple[Handler, tuple[str, ...]] | None:
        for m, rx, handler in self.routes:
            if m == method:
                hit = rx.fullmatch(path)
                if hit:
                    return handler, hit.groups()
        return None


router = Router()


async def call(fake: FakeDiscord, handler: Handler, req: Req, groups: tuple[str, ...]) -> Any:
    return await handler(fake, req, *groups)
