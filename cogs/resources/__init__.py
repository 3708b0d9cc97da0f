"""The resource library: a curated, searchable list of worksheets, trainings, crisis lines and guides.

`setup()` wires the cog to the composition root's services: the timer handlers for the weekly
digest and the monthly review list, the restart-proof buttons, and the /mydata section.
"""

from __future__ import annotations

from bot.app import Harbor
from bot.services.mydata import DataSection
from bot.services.resources import DIGEST_EVENT, STALE_EVENT, ResourceService
from cogs.resources._buttons import DYNAMIC_ITEMS
from cogs.resources._cog import Resources
from cogs.resources._jobs import ResourceJobs


async def setup(bot: Harbor) -> None:
    """Register timers, buttons and the data section, then load the cog."""
    services = bot.services
    service = ResourceService.from_services(services)
    bot.provide(service)
    jobs = ResourceJobs(bot, service, services.guild_config)
    services.timers.register(DIGEST_EVENT, jobs.digest)
    services.timers.register(STALE_EVENT, jobs.stale)
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    services.mydata.register(
        DataSection(
            "resources",
            service.export_user,
            service.erase_user,
            about=(
                "Library entries you submitted (with their review outcome) and your bookmarks. Bookmarks are "
                "private to you; approved entries are public in the server's library and kept until removed."
            ),
            kept="resources you added that were approved stay in the library, without your name",
        )
    )
    await bot.add_cog(Resources(service, services.clock))


async def teardown(bot: Harbor) -> None:
    """Unregister the buttons."""
    bot.remove_dynamic_items(*DYNAMIC_ITEMS)
