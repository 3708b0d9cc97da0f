"""`/case close`: lock and archive, a warning a day before, one durable deletion after retention."""

import pytest

from tests.e2e.harness import Harness
from tests.e2e.test_cases_new import CLEAN, open_case, ready


@pytest.fixture
async def timed(fake_discord, tmp_path, clock):
    h = Harness(fake_discord, tmp_path / "harbor.db", clock=clock, manual_timers=True)
    await h.start()
    yield h
    await h.stop()


async def test_close_locks_archives_and_deletes_after_retention_once(timed, clock):
    h = timed
    cases = await ready(h)
    await open_case(h, h.alice, CLEAN)
    (thread,) = h.fake.threads(cases.id)
    refused = await h.slash(h.bob, "case close", {}, channel=thread)
    assert refused.response.ephemeral and "author" in refused.response.content
    leak = await h.slash(h.alice, "case close", {"resolution": "Dana Ruiz is doing well"}, channel=thread)
    assert leak.response.ephemeral and "Nothing was changed" in leak.response.content
    done = await h.slash(h.alice, "case close", {"resolution": "They came back to group."}, channel=thread)
    assert done.response.ephemeral and "30 days" in done.response.content
    assert thread.locked and thread.archived
    await h.restart()
    clock.advance(days=29, minutes=1)
    await h.bot.services.timers.fire_due()
    await h.fake.wait_for(lambda: [m for m in h.fake.dms(h.alice) if "tomorrow" in (m.content or "")])
    assert not thread.deleted
    clock.advance(days=1)
    await h.bot.services.timers.fire_due()
    await h.fake.wait_for(lambda: thread.deleted)
    await h.bot.services.timers.fire_due()
    deletes = [r for r in h.fake.requests if r.method == "DELETE" and r.path.endswith(f"/channels/{thread.id}")]
    assert len(deletes) == 1
    assert await h.bot.services.db.fetchval("SELECT count(*) FROM case_threads") == 0
