"""`harbor` operator errors: one line naming the problem, exit status 2, never a traceback or the token."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def harbor(*args, cwd, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("HARBOR_", "DISCORD_"))}
    environment["PYTHONPATH"] = str(ROOT)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=60
    )


def _one_line_error(result, *needles):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_run_without_token(tmp_path):
    _one_line_error(harbor("run", cwd=tmp_path), "DISCORD_TOKEN is missing")
    _one_line_error(harbor("check", cwd=tmp_path), "DISCORD_TOKEN is missing")


def test_token_from_dotenv_and_bad_values(tmp_path):
    (tmp_path / ".env").write_text("DISCORD_TOKEN=sekrit-token\nHARBOR_DEV_GUILD=not-a-number\n")
    result = harbor("check", cwd=tmp_path)
    _one_line_error(result, "HARBOR_DEV_GUILD is invalid")
    assert "sekrit-token" not in result.stderr + result.stdout


def test_bad_log_level(tmp_path):
    _one_line_error(harbor("check", cwd=tmp_path, DISCORD_TOKEN="t", HARBOR_LOG_LEVEL="loud"), "HARBOR_LOG_LEVEL")


def test_database_path_under_a_file(tmp_path):
    (tmp_path / "afile").write_text("x")
    _one_line_error(
        harbor("run", cwd=tmp_path, DISCORD_TOKEN="t", HARBOR_DATABASE="afile/harbor.db"), "HARBOR_DATABASE", "afile"
    )


def test_database_path_is_a_folder(tmp_path):
    (tmp_path / "folder").mkdir()
    _one_line_error(harbor("run", cwd=tmp_path, DISCORD_TOKEN="t", HARBOR_DATABASE="folder"), "HARBOR_DATABASE")


def test_read_only_folder(tmp_path):
    # /proc refuses new files even to root (CI runs as root, which ignores folder permission bits).
    _one_line_error(
        harbor("run", cwd=tmp_path, DISCORD_TOKEN="t", HARBOR_DATABASE="/proc/harbor.db"), "HARBOR_DATABASE"
    )
    _one_line_error(
        harbor("run", cwd=tmp_path, DISCORD_TOKEN="t", HARBOR_DATABASE="/proc/harbor/h.db"),
        "HARBOR_DATABASE",
        "cannot create the folder",
    )


def test_read_only_database_file(tmp_path):
    # Works as root too: SQLite opened read-only through a URI-less path on a file with the immutable
    # bit is not portable, so use a file whose WAL cannot be created because its folder is a file.
    db = tmp_path / "h.db"
    harbor("migrate", cwd=tmp_path, HARBOR_DATABASE=str(db))
    (tmp_path / "h.db-wal").unlink(missing_ok=True)
    (tmp_path / "h.db-shm").unlink(missing_ok=True)
    (tmp_path / "h.db-wal").mkdir()  # the journal cannot be written
    result = harbor("run", cwd=tmp_path, DISCORD_TOKEN="t", HARBOR_DATABASE=str(db))
    _one_line_error(result, "HARBOR_DATABASE")


def test_corrupt_database(tmp_path):
    (tmp_path / "bad.db").write_bytes(b"not a database" * 200)
    _one_line_error(
        harbor("run", cwd=tmp_path, DISCORD_TOKEN="t", HARBOR_DATABASE="bad.db"),
        "HARBOR_DATABASE",
        "not a usable SQLite database",
    )


def test_migrate_check_backup(tmp_path):
    first = harbor("migrate", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "applied 0001_initial" in first.stdout
    again = harbor("migrate", cwd=tmp_path)
    assert "already up to date" in again.stdout
    check = harbor("check", cwd=tmp_path, DISCORD_TOKEN="t")
    assert check.returncode == 0 and "at version" in check.stdout
    backup = harbor("backup", "copy.db", cwd=tmp_path)
    assert backup.returncode == 0, backup.stderr
    version = sqlite3.connect(tmp_path / "copy.db").execute("PRAGMA user_version").fetchone()[0]
    assert version >= 1
    _one_line_error(harbor("backup", "copy.db", cwd=tmp_path), "already exists")


def test_settings_built_explicitly():
    settings = Settings(_env_file=None, discord_token="abc", database="x.db", dev_guild=5)
    assert settings.dev_guild == 5
    assert "abc" not in repr(settings)


def test_debug_logging_never_includes_discord_payloads():
    import logging

    from bot.cli import configure_logging

    configure_logging(logging.DEBUG, "tok")
    try:
        assert logging.getLogger("discord.http").getEffectiveLevel() >= logging.INFO
        assert logging.getLogger("discord.gateway").getEffectiveLevel() >= logging.INFO
        assert logging.getLogger("aiosqlite").getEffectiveLevel() >= logging.INFO
        assert logging.getLogger("bot").getEffectiveLevel() == logging.DEBUG
    finally:
        logging.getLogger("discord").setLevel(logging.NOTSET)
        logging.getLogger("aiosqlite").setLevel(logging.NOTSET)
        logging.getLogger().setLevel(logging.WARNING)


def test_token_is_redacted_if_it_ever_reaches_a_log(caplog):
    import logging

    from bot.cli import RedactingFilter

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "token is %s", ("abc.def",), None)
    RedactingFilter("abc.def").filter(record)
    assert "abc.def" not in record.getMessage()


def test_tracebacks_keep_frames_but_withhold_messages():
    import logging
    import sys

    from bot.cli import PrivateFormatter

    def parse(text):
        return int(text)

    member_text = "-".join(["Jane Doe", "DOB 4/2/1988"])  # built at run time: source lines are shown
    try:
        try:
            parse(member_text)
        except ValueError as inner:
            raise RuntimeError(f"while reading {member_text}") from inner
    except RuntimeError:
        info = sys.exc_info()
    record = logging.LogRecord("bot", logging.ERROR, __file__, 1, "failed for user %s", (42,), info)
    text = PrivateFormatter("%(message)s").format(record)
    assert "failed for user 42" in text
    assert "Jane" not in text and "1988" not in text
    assert "builtins.ValueError" in text and "builtins.RuntimeError" in text
    assert "in parse" in text  # the frames are still there


def test_spawned_workers_importing_main_do_not_start_a_bot(monkeypatch):
    import runpy

    import bot.cli

    started = []
    monkeypatch.setattr(bot.cli, "main", lambda argv=None: started.append(argv) or 0)
    runpy.run_module("bot.__main__", run_name="__mp_main__")  # what multiprocessing's spawn does
    assert started == []


def test_unreachable_discord_is_one_line_not_a_traceback(tmp_path):
    result = harbor(
        "run",
        cwd=tmp_path,
        DISCORD_TOKEN="t",
        HARBOR_DISCORD_API="http://127.0.0.1:9/api/v10",
        HARBOR_LOG_LEVEL="WARNING",
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("harbor: cannot reach Discord")


def test_env_example_copied_with_a_token_is_a_working_configuration(tmp_path):
    example = (ROOT / ".env.example").read_text()
    (tmp_path / ".env").write_text(example.replace("DISCORD_TOKEN=\n", "DISCORD_TOKEN=abc\n"))
    result = harbor("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "settings ok" in result.stdout
    blank = harbor("check", cwd=tmp_path.parent, DISCORD_TOKEN="")
    assert blank.returncode == 2 and "DISCORD_TOKEN is missing" in blank.stderr
