"""`/setup status`: the `harbor status` summary for admins, ephemeral, ids and counts only."""

from pathlib import Path

from bot.config import DatabaseSettings
from bot.services.backups import BackupService
from tests.e2e.harness import reply_text


async def test_admin_sees_schema_timers_dms_and_the_last_backup(harness):
    h = harness
    reply = await h.slash(h.admin, "setup status")
    assert reply.response.ephemeral
    text = reply_text(reply.response)
    assert "schema version" in text and "ops.backup" in text and "pending" in text
    assert "undeliverable DMs: 0" in text and "last backup: none" in text
    bot = h.bot
    made = await BackupService(bot.settings.database, bot.settings.backups_folder, bot.clock).run()
    after = reply_text((await h.slash(h.admin, "setup status")).response)
    assert f"last backup: {made}" in after
    h.guild.allow_command("setup", h.alice)  # a server override shows /setup to her; the check still refuses
    refused = await h.slash(h.alice, "setup status")
    assert refused.response.ephemeral and "Only server admins" in refused.response.content


def test_default_backup_folder_is_data_backups_and_follows_the_database():
    """The issue's default (`data/backups/`) is what the default database gets; a moved database keeps its
    backups beside it, and HARBOR_BACKUP_DIR overrides both."""
    assert DatabaseSettings(_env_file=None).backups_folder == Path("data/backups")
    assert DatabaseSettings(_env_file=None, database=Path("/srv/harbor/h.db")).backups_folder == Path(
        "/srv/harbor/backups"
    )
    assert DatabaseSettings(_env_file=None, backup_dir=Path("/mnt/b")).backups_folder == Path("/mnt/b")
