"""Pure pairing logic: the matching's rules (property-tested against a brute-force oracle), validators, rates."""

from __future__ import annotations

import random
from functools import cache
from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain import icebreakers
from bot.domain.pairing import Rates, check_every_weeks, check_pause_weeks, make_groups, pairs_of


def _oracle_min_unpaired(members: tuple[int, ...], blocked: frozenset[frozenset[int]]) -> int:
    """Fewest members left out over every grouping into pairs plus at most one trio (brute force)."""

    @cache
    def best(rest: tuple[int, ...], trio_used: bool) -> int:
        if not rest:
            return 0
        first, others = rest[0], rest[1:]
        result = 1 + best(others, trio_used)  # first is left out
        for i, b in enumerate(others):
            if frozenset((first, b)) in blocked:
                continue
            remaining = others[:i] + others[i + 1 :]
            result = min(result, best(remaining, trio_used))
            if not trio_used:
                for j, c in enumerate(remaining):
                    if frozenset((first, c)) in blocked or frozenset((b, c)) in blocked:
                        continue
                    result = min(result, best(remaining[:j] + remaining[j + 1 :], True))
            if result == 0:
                break
        return result

    return best(tuple(sorted(members)), False)


@st.composite
def rounds(draw):
    n = draw(st.integers(min_value=0, max_value=9))
    members = list(range(100, 100 + n))
    every_pair = [frozenset(p) for p in combinations(members, 2)]
    avoid = draw(st.lists(st.sampled_from(every_pair), unique=True, max_size=len(every_pair))) if every_pair else []
    recent = draw(st.lists(st.sampled_from(every_pair), unique=True, max_size=len(every_pair))) if every_pair else []
    seed = draw(st.integers(min_value=0, max_value=2**32))
    return members, avoid, recent, seed


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_every_rule_of_a_round_holds(case):
    members, avoid, recent, seed = case
    result = make_groups(members, avoid, recent, seed)
    placed = [m for g in result.groups for m in g]
    # everyone eligible is in exactly one group or told unpaired
    assert sorted(placed + list(result.unpaired)) == sorted(members)
    assert len(set(placed)) == len(placed)
    # pairs, and at most one trio
    sizes = [len(g) for g in result.groups]
    assert all(s in (2, 3) for s in sizes)
    assert sizes.count(3) <= 1
    # avoids are never violated, inside a trio either
    blocked = frozenset(avoid)
    assert not any(p in blocked for g in result.groups for p in pairs_of(g))
    # unpaired only when unavoidable
    fewest = _oracle_min_unpaired(tuple(members), blocked)
    assert len(result.unpaired) == fewest
    # no repeat when a repeat-free grouping leaving out as few exists
    if _oracle_min_unpaired(tuple(members), blocked | frozenset(recent)) == fewest:
        assert result.repeats == 0
        assert not any(p in set(recent) for g in result.groups for p in pairs_of(g))
    # deterministic given a seed, whatever order the inputs come in
    shuffled = members[:]
    random.Random(seed).shuffle(shuffled)
    assert make_groups(shuffled, list(reversed(avoid)), recent, seed) == result


def test_odd_count_makes_one_trio():
    result = make_groups(range(1, 8), [], [], seed=3)
    assert sorted(len(g) for g in result.groups) == [2, 2, 3]
    assert result.unpaired == ()


def test_two_who_avoid_each_other_are_both_unpaired():
    result = make_groups([1, 2], [frozenset((1, 2))], [], seed=1)
    assert result.groups == ()
    assert result.unpaired == (1, 2)


def test_repeats_are_relaxed_before_anyone_is_left_out():
    # four people who have met everyone in the last rounds still get paired (with repeats)
    everyone = [frozenset(p) for p in combinations([1, 2, 3, 4], 2)]
    result = make_groups([1, 2, 3, 4], [], everyone, seed=9)
    assert result.unpaired == ()
    assert result.repeats == 2


def test_large_round_is_complete_with_sparse_avoids():
    rng = random.Random(5)
    members = list(range(1, 502))
    avoid = {frozenset(rng.sample(members, 2)) for _ in range(300)}
    recent = {frozenset(rng.sample(members, 2)) for _ in range(750)}
    result = make_groups(members, avoid, recent, seed=11)
    assert result.unpaired == ()
    assert result.repeats == 0
    assert sorted(len(g) for g in result.groups).count(3) == 1
    assert not any(p in avoid for g in result.groups for p in pairs_of(g))


def test_different_seeds_vary_the_pairs():
    outcomes = {make_groups(range(10), [], [], seed=s).groups for s in range(10)}
    assert len(outcomes) > 1


@pytest.mark.parametrize("weeks", [0, 13, -1, 100])
def test_pause_weeks_out_of_range(weeks):
    with pytest.raises(ValueError, match="1 to 12"):
        check_pause_weeks(weeks)


@pytest.mark.parametrize("weeks", [0, 9])
def test_every_weeks_out_of_range(weeks):
    with pytest.raises(ValueError, match="1 to 8"):
        check_every_weeks(weeks)


def test_rates_are_suppressed_below_five_respondents():
    few = Rates(rounds=2, groups=6, people_paired=12, respondents=4, groups_answered=3, groups_connected=2)
    assert few.suppressed and few.connected_percent is None and few.response_percent is None
    enough = Rates(rounds=2, groups=6, people_paired=12, respondents=6, groups_answered=4, groups_connected=3)
    assert enough.connected_percent == 75
    assert enough.response_percent == 50


def test_icebreakers_are_varied_and_deterministic():
    assert len(set(icebreakers.ICEBREAKERS)) >= 20
    assert icebreakers.pick(7) == icebreakers.pick(7)
    assert len({icebreakers.pick(s) for s in range(40)}) > 5
    assert all(len(q) < 300 for q in icebreakers.ICEBREAKERS)
