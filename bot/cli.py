"""`harbor run | check | migrate | backup FILE` (and `python -m bot`, which runs).

Every operator error is one line naming the problem and what to do, with exit status 2.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
import yarl
from pydantic import ValidationError

from bot.config import DatabaseSettings, Settings, describe_settings_error
from bot.db.connection import Database, DatabaseError
from bot.db.migrate import current_version, discover, migrate
from bot.services.backups import RunLock, backup_to, bot_running, integrity_ok, replaced_name
from bot.services.status import gather_status

if TYPE_CHECKING:
    from bot.app import Harbor

EXIT_CONFIG = 2


class OperatorError(Exception):
    """An operator error, already worded; `status` is the exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


class RedactingFilter(logging.Filter):
    """Defence in depth: if the token ever reaches a log record, it is replaced."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record when it contains the secret."""
        if self.secret and self.secret in record.getMessage():
            record.msg = record.getMessage().replace(self.secret, "[token]")
            record.args = None
        return True


class PrivateFormatter(logging.Formatter):
    """Tracebacks keep their frames and exception types but never the exception messages.

    An exception raised while handling a member's input can carry that input in its message
    ("invalid literal for int(): 'Jane Doe'"); the frames say where it failed, which is what a bug needs.
    """

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        """Frames and types of the exception and its chain, messages withheld."""
        blocks: list[str] = []
        te: traceback.TracebackException | None = traceback.TracebackException(*ei)
        while te is not None:
            name = f"{te.exc_type.__module__}.{te.exc_type.__qualname__}" if te.exc_type else "Exception"
            frames = "".join(te.stack.format())
            blocks.append(f"Traceback (most recent call last):\n{frames}{name}: (message withheld)")
            te = te.__cause__ or (None if te.__suppress_context__ else te.__context__)
        return "\n\nwhich was raised while handling:\n".join(blocks)


class JsonFormatter(PrivateFormatter):
    """One JSON object a line; the exception keeps frames and types, never its message (as in text logs)."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialise the record (after the redacting filter has run)."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: int, secret: str = "", fmt: str = "text") -> None:
    """Timestamped logs on stderr (plain text or JSON lines); discord.py's own loggers at the same level."""
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(PrivateFormatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    if secret:
        handler.addFilter(RedactingFilter(secret))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(max(level, logging.WARNING))
    # discord.py logs request bodies and gateway payloads at DEBUG: message content must never reach a log,
    # so its loggers stay at INFO or above even when Harbor itself is debugged.
    logging.getLogger("discord").setLevel(max(level, logging.INFO))
    logging.getLogger("aiosqlite").setLevel(max(level, logging.INFO))  # logs SQL parameters (notes) at DEBUG


def _load(cls: type[DatabaseSettings]) -> DatabaseSettings:
    try:
        return cls()
    except ValidationError as exc:
        raise OperatorError(describe_settings_error(exc)) from None


async def prepare_database(path: Path) -> tuple[int, list[str]]:
    """Open (creating when missing) and migrate; return the version and what was applied."""
    async with Database.session(path) as db:
        applied = await migrate(db)
        return await current_version(db), applied


def create_bot(settings: Settings, **options: Any) -> Harbor:
    """Settings → Bot: the one way a Harbor client is made (`harbor run`, tests, benchmarks)."""
    from bot.app import Harbor  # imported late: `check` and `migrate` need no discord client

    if settings.discord_api:
        discord.http.Route.BASE = settings.discord_api.rstrip("/")
    if settings.discord_gateway:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway)
    return Harbor(settings, **options)


async def run_bot(settings: Settings, **options: Any) -> None:
    """Settings → Bot → connect, until the bot is closed."""
    async with create_bot(settings, **options) as bot:
        await bot.start(settings.discord_token.get_secret_value())


def _cmd_run(_: argparse.Namespace) -> int:
    settings = _load(Settings)
    assert isinstance(settings, Settings)
    configure_logging(settings.log_level_number, settings.discord_token.get_secret_value(), settings.log_format)
    lock = RunLock(settings.database)
    try:
        if not lock.acquire():
            raise OperatorError(
                f"HARBOR_DATABASE: {settings.database} is in use by another `harbor run`; stop it first"
            )
    except OSError as exc:
        try:  # an unusable folder is better named by the database's own checks
            asyncio.run(prepare_database(settings.database))
        except DatabaseError as db_exc:
            raise OperatorError(f"HARBOR_DATABASE: {db_exc}") from None
        raise OperatorError(f"HARBOR_DATABASE: cannot create {lock.path}: {exc.strerror or exc}") from None
    try:
        return _run_locked(settings)
    finally:
        lock.release()


def _run_locked(settings: Settings) -> int:
    try:
        asyncio.run(prepare_database(settings.database))
    except DatabaseError as exc:
        raise OperatorError(f"HARBOR_DATABASE: {exc}") from None
    try:
        asyncio.run(run_bot(settings))
    except discord.LoginFailure:
        raise OperatorError("DISCORD_TOKEN was refused by Discord: reset the token in the developer portal") from None
    except discord.PrivilegedIntentsRequired:
        raise OperatorError("Discord refused an intent: enable it under Bot → Privileged Gateway Intents") from None
    except DatabaseError as exc:
        raise OperatorError(f"HARBOR_DATABASE: {exc}") from None
    except (aiohttp.ClientError, OSError) as exc:
        reason = getattr(exc, "os_error", None) or exc
        raise OperatorError(
            f"cannot reach Discord ({type(exc).__name__}: {reason}); check the network and try again", status=1
        ) from None
    except KeyboardInterrupt:
        return 0
    return 0


def _cmd_check(_: argparse.Namespace) -> int:
    settings = _load(Settings)
    try:
        head = len(discover())
    except DatabaseError as exc:
        raise OperatorError(str(exc)) from None
    path = settings.database
    if not path.exists():
        print(f"settings ok; database {path} does not exist yet (created at version {head} on first run)")
        return 0

    async def inspect() -> int:
        async with Database.session(path) as db:
            return await current_version(db)

    try:
        version = asyncio.run(inspect())
    except DatabaseError as exc:
        raise OperatorError(f"HARBOR_DATABASE: {exc}") from None
    pending = f"; {head - version} migration(s) pending: run `harbor migrate`" if version < head else ""
    print(f"settings ok; database {path} at version {version} of {head}{pending}")
    return 0


def _cmd_migrate(_: argparse.Namespace) -> int:
    settings = _load(DatabaseSettings)
    try:
        version, applied = asyncio.run(prepare_database(settings.database))
    except DatabaseError as exc:
        raise OperatorError(f"HARBOR_DATABASE: {exc}") from None
    done = f"applied {', '.join(applied)}" if applied else "already up to date"
    print(f"database {settings.database} at version {version}: {done}")
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    settings = _load(DatabaseSettings)
    target = Path(args.file)
    if target.exists():
        raise OperatorError(f"backup: {target} already exists; choose a new file name")
    if not settings.database.exists():
        raise OperatorError(f"HARBOR_DATABASE: {settings.database} does not exist; nothing to back up")
    if not target.parent.is_dir():
        raise OperatorError(f"backup: the folder {target.parent} does not exist")

    try:
        version = asyncio.run(backup_to(settings.database, target))
    except DatabaseError as exc:
        raise OperatorError(f"backup: {exc}") from None
    except OSError as exc:
        raise OperatorError(f"backup: cannot write {target}: {exc.strerror or exc}") from None
    print(f"backed up {settings.database} (version {version}) to {target}")
    return 0


def _cmd_status(_: argparse.Namespace) -> int:
    settings = _load(DatabaseSettings)
    if not settings.database.exists():
        raise OperatorError(f"HARBOR_DATABASE: {settings.database} does not exist; run `harbor migrate` first")

    async def inspect() -> list[str]:
        async with Database.session(settings.database) as db:
            return (await gather_status(db, settings.backups_folder)).lines()

    try:
        lines = asyncio.run(inspect())
    except DatabaseError as exc:
        raise OperatorError(f"HARBOR_DATABASE: {exc}") from None
    running = "running" if bot_running(settings.database) else "not running"
    print(f"database {settings.database}; bot {running}")
    print("\n".join(lines))
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    settings = _load(DatabaseSettings)
    source = Path(args.file)
    database = settings.database
    if not source.is_file():
        raise OperatorError(f"restore: {source} does not exist or is not a file")
    if bot_running(database):
        raise OperatorError(f"restore: the bot is running on {database}; stop `harbor run` first")
    lock = RunLock(database)
    try:
        if not lock.acquire():
            raise OperatorError(f"restore: the bot is running on {database}; stop `harbor run` first")
    except OSError as exc:
        raise OperatorError(f"restore: cannot create {lock.path}: {exc.strerror or exc}") from None
    try:
        if not asyncio.run(integrity_ok(source)):
            raise OperatorError(f"restore: {source} is not a sound SQLite database (integrity check failed)")
        if not database.parent.is_dir():
            raise OperatorError(f"restore: the folder {database.parent} does not exist")
        staged = database.with_name(database.name + ".restoring")
        try:
            staged.unlink(missing_ok=True)
            asyncio.run(backup_to(source, staged))
            kept = None
            if database.exists():
                kept = replaced_name(database)
                os.replace(database, kept)
            # A -wal or -journal holds committed pages of the replaced file: it travels with it; -shm is rebuilt.
            for suffix in ("-wal", "-journal", "-shm"):
                stale = database.with_name(database.name + suffix)
                if not stale.exists():
                    continue
                if kept is not None and suffix != "-shm":
                    os.replace(stale, kept.with_name(kept.name + suffix))
                else:
                    stale.unlink()
            os.replace(staged, database)
        except DatabaseError as exc:
            staged.unlink(missing_ok=True)
            raise OperatorError(f"restore: {exc}") from None
        except OSError as exc:
            staged.unlink(missing_ok=True)
            raise OperatorError(f"restore: cannot write {database}: {exc.strerror or exc}") from None
    finally:
        lock.release()
    aside = f"; the replaced database is kept as {kept}" if kept else ""
    print(f"restored {database} from {source}{aside}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="harbor", description="Harbor, a Discord bot for peer-support networks.")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (migrates the database first)").set_defaults(func=_cmd_run)
    sub.add_parser("check", help="validate settings and the database; no network").set_defaults(func=_cmd_check)
    sub.add_parser("migrate", help="apply pending database migrations").set_defaults(func=_cmd_migrate)
    backup = sub.add_parser("backup", help="copy the live database with SQLite's online backup")
    backup.add_argument("file", help="the new backup file")
    backup.set_defaults(func=_cmd_backup)
    sub.add_parser("status", help="schema, timers, undelivered DMs, last backup; no network").set_defaults(
        func=_cmd_status
    )
    restore = sub.add_parser("restore", help="replace the database with a backup (the bot must be stopped)")
    restore.add_argument("file", help="the backup file to restore")
    restore.set_defaults(func=_cmd_restore)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `harbor` script; returns the exit status."""
    args = build_parser().parse_args(argv)
    func = getattr(args, "func", _cmd_run)
    try:
        return func(args)
    except OperatorError as exc:
        print(f"harbor: {exc}", file=sys.stderr)
        return exc.status


if __name__ == "__main__":
    sys.exit(main())
