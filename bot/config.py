"""Settings, read from the environment and `.env` (pydantic-settings).

Settings are built explicitly in `main()` (or a test) and passed down; nothing here runs at import time.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


class DatabaseSettings(BaseSettings):
    """What the database commands (`migrate`, `backup`) need: no token."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_prefix="HARBOR_",
        extra="ignore",
        populate_by_name=True,
        env_ignore_empty=True,  # .env.example leaves optional settings blank
    )

    database: Path = Field(
        default=Path("data/harbor.db"),
        description="Path of the SQLite file; its folder is created when missing.",
    )
    log_level: str = Field(default="INFO", description="One of CRITICAL, ERROR, WARNING, INFO, DEBUG.")
    log_format: str = Field(default="text", description="text (default) or json (one JSON object a line).")
    backup_dir: Path | None = Field(
        default=None,
        description="Folder of the daily online backups (7 daily + 4 weekly copies are kept); "
        "unset, `backups/` beside the database (data/backups with the default database).",
    )

    @property
    def backups_folder(self) -> Path:
        """`backup_dir`, or `backups/` beside the database."""
        return self.backup_dir if self.backup_dir is not None else self.database.parent / "backups"

    @field_validator("log_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        fmt = value.strip().lower()
        if fmt not in ("text", "json"):
            msg = "must be text or json"
            raise ValueError(msg)
        return fmt

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in _LEVELS:
            msg = f"must be one of {', '.join(_LEVELS)}"
            raise ValueError(msg)
        return level

    @field_validator("database")
    @classmethod
    def _not_a_folder(cls, value: Path) -> Path:
        if str(value).strip() == "":
            msg = "must be a file path such as data/harbor.db"
            raise ValueError(msg)
        if value.exists() and value.is_dir():
            msg = f"{value} is a folder; give a file path such as {value / 'harbor.db'}"
            raise ValueError(msg)
        return value

    @property
    def log_level_number(self) -> int:
        """The logging module's number for `log_level`."""
        return logging.getLevelName(self.log_level)


class Settings(DatabaseSettings):
    """Everything `harbor run` needs."""

    discord_token: SecretStr = Field(
        validation_alias=AliasChoices("DISCORD_TOKEN", "discord_token"),
        description="The bot token from the Discord developer portal.",
    )
    dev_guild: int | None = Field(
        default=None,
        description="A guild id: when set, commands are synced to that guild at start-up (instant) "
        "instead of globally.",
    )
    discord_api: str | None = Field(
        default=None,
        description="Base URL of the Discord REST API, for a local fake Discord in tests and benchmarks only.",
    )
    discord_gateway: str | None = Field(
        default=None, description="Gateway URL, for a local fake Discord in tests and benchmarks only."
    )

    @field_validator("discord_token")
    @classmethod
    def _token_present(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            msg = "is empty"
            raise ValueError(msg)
        return value


_ENV_NAMES = {
    "discord_token": "DISCORD_TOKEN",
    "DISCORD_TOKEN": "DISCORD_TOKEN",
    "database": "HARBOR_DATABASE",
    "log_level": "HARBOR_LOG_LEVEL",
    "log_format": "HARBOR_LOG_FORMAT",
    "backup_dir": "HARBOR_BACKUP_DIR",
    "dev_guild": "HARBOR_DEV_GUILD",
    "discord_api": "HARBOR_DISCORD_API",
    "discord_gateway": "HARBOR_DISCORD_GATEWAY",
}

_HINTS = {
    "DISCORD_TOKEN": "put DISCORD_TOKEN=<your bot token> in .env or the environment "
    "(Discord developer portal → your application → Bot → Reset Token)",
    "HARBOR_DEV_GUILD": "give a numeric guild id (Developer Mode → right-click the server → Copy Server ID), "
    "or leave it unset",
    "HARBOR_LOG_LEVEL": "use one of CRITICAL, ERROR, WARNING, INFO, DEBUG",
    "HARBOR_DATABASE": "give a file path such as data/harbor.db",
    "HARBOR_LOG_FORMAT": "use text or json",
    "HARBOR_BACKUP_DIR": "give a folder such as data/backups",
}


def describe_settings_error(error: ValidationError) -> str:
    """Turn a pydantic error into one line naming the variable and what to do (never echoing a value)."""
    first = error.errors()[0]
    field = str(first["loc"][0]) if first.get("loc") else "settings"
    name = _ENV_NAMES.get(field, field.upper())
    reason = first["msg"].removeprefix("Value error, ")
    problem = "is missing" if first["type"] == "missing" else f"is invalid ({reason})"
    hint = _HINTS.get(name, "check .env.example")
    return f"{name} {problem}: {hint}"
