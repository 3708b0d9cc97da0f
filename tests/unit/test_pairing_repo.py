"""Pairing repository on a real, migrated SQLite file."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from bot.db.pairing import PairingRepository

G = 1000


async def _round(repo, clock, key, groups, unpaired=()):
    clock.advance(days=7)
    return await repo.create_round(G, key, 5, 1, clock.now, [(g, "hi") for g in groups], list(unpaired))


async def test_membership_pause_and_eligibility(db, clock):
    repo = PairingRepository(db)
    await repo.join(G, 1, clock.now)
    await repo.join(G, 2, clock.now)
    await repo.join(G + 1, 3, clock.now)
    assert await repo.eligible(G, clock.now) == [1, 2]
    assert await repo.pause(G, 1, clock.now + timedelta(weeks=2))
    assert not await repo.pause(G, 9, clock.now + timedelta(weeks=2))
    assert await repo.eligible(G, clock.now) == [2]
    assert await repo.eligible(G, clock.now + timedelta(weeks=2)) == [1, 2]  # the pause ends by itself
    await repo.join(G, 1, clock.now)  # joining again lifts it
    assert (await repo.membership(G, 1)).paused_until is None
    assert await repo.count_members(G) == 2
    assert await repo.leave(G, 1) and not await repo.leave(G, 1)


async def test_avoids_are_symmetric_pairs_and_never_self(db, clock):
    repo = PairingRepository(db)
    assert await repo.add_avoid(G, 1, 2, clock.now)
    assert not await repo.add_avoid(G, 1, 2, clock.now)
    assert await repo.add_avoid(G, 2, 1, clock.now)
    await repo.add_avoid(G + 1, 3, 4, clock.now)
    assert await repo.avoid_pairs(G) == {frozenset((1, 2))}
    assert await repo.count_avoids(G, 1) == 1
    with pytest.raises(sqlite3.IntegrityError):
        await repo.add_avoid(G, 5, 5, clock.now)
    assert await repo.remove_avoid(G, 1, 2) and not await repo.remove_avoid(G, 1, 2)


async def test_recent_pairs_cover_only_the_last_rounds_and_trios(db, clock):
    repo = PairingRepository(db)
    await _round(repo, clock, "r1", [(1, 2)])
    await _round(repo, clock, "r2", [(3, 4, 5)])
    await _round(repo, clock, "r3", [(1, 3)])
    await _round(repo, clock, "r4", [(2, 4)])
    recent = await repo.recent_pairs(G, 3)
    assert frozenset((1, 2)) not in recent  # four rounds ago
    assert {frozenset((3, 4)), frozenset((3, 5)), frozenset((4, 5)), frozenset((1, 3)), frozenset((2, 4))} == recent


async def test_round_key_is_idempotent_and_delete_cascades(db, clock):
    repo = PairingRepository(db)
    made = await _round(repo, clock, "timer:7", [(1, 2), (3, 4)], unpaired=[5])
    assert (await repo.round_by_key("timer:7")).id == made.id
    with pytest.raises(sqlite3.IntegrityError):
        await _round(repo, clock, "timer:7", [(1, 2)])
    groups = await repo.groups(made.id)
    assert [g.members for g in groups] == [(1, 2), (3, 4)]
    assert await repo.untold_unpaired(made.id) == [5]
    await repo.mark_told(made.id, 5, clock.now)
    assert await repo.untold_unpaired(made.id) == [] and await repo.count_unpaired(made.id) == 1
    await repo.delete_round(made.id)
    assert await db.fetchval("SELECT count(*) FROM pairing_group_members") == 0
    assert await db.fetchval("SELECT count(*) FROM pairing_unpaired") == 0


async def test_rates_count_groups_with_threads_and_answers(db, clock):
    repo = PairingRepository(db)
    made = await _round(repo, clock, "r", [(1, 2), (3, 4), (5, 6, 7)])
    await repo.finish_round(made.id, clock.now)
    groups = await repo.groups(made.id)
    for index, group in enumerate(groups):
        await repo.set_thread(group.id, 100 + index)
    await repo.record_feedback(groups[0].id, 1, "not_yet", clock.now)
    await repo.record_feedback(groups[0].id, 1, "yes", clock.now)  # the latest answer wins
    await repo.record_feedback(groups[1].id, 3, "not_yet", clock.now)
    await repo.record_feedback(groups[2].id, 5, "skip", clock.now)
    rates = await repo.rates(G)
    assert (rates.rounds, rates.groups, rates.people_paired, rates.respondents) == (1, 3, 7, 3)
    assert (rates.groups_answered, rates.groups_connected) == (2, 1)
    assert rates.suppressed


async def test_export_and_erase_a_member(db, clock):
    repo = PairingRepository(db)
    await repo.join(G, 1, clock.now)
    await repo.add_avoid(G, 1, 2, clock.now)
    await repo.add_avoid(G, 3, 1, clock.now)
    made = await _round(repo, clock, "r", [(1, 4)], unpaired=[])
    group = (await repo.groups(made.id))[0]
    await repo.record_feedback(group.id, 1, "yes", clock.now)
    data = await repo.export_user(1)
    assert [a["user_id"] for a in data["avoid_list"]] == ["2"]
    assert data["pairs"][0]["with"] == ["4"]
    assert data["feedback"][0]["answer"] == "yes"
    assert await repo.erase_user(1) == 4
    assert await repo.export_user(1) == {
        "memberships": [],
        "avoid_list": [],
        "pairs": [],
        "unpaired_rounds": [],
        "feedback": [],
    }
    assert await repo.avoid_pairs(G) == {frozenset((3, 1))}  # member 3's own list is theirs
    assert (await repo.group(group.id)).members == (4,)
