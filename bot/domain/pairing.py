"""Peer pairing: who meets whom in a round. Pure logic, no Discord, no database.

A round partitions the eligible members into pairs (one trio when the count is odd) such that

1. nobody is ever grouped with someone on either one's avoid list (a hard rule, never relaxed);
2. nobody meets someone they met in the last few rounds, when that is possible without leaving
   anyone out — otherwise repeats are allowed ("repeats before avoids");
3. as few people as possible are left unpaired (only when the avoid lists make it unavoidable).

How: a randomly ordered (seeded) greedy matching, completed to a *maximum* matching with Edmonds'
blossom augmenting paths, then the odd one out joins a pair it is compatible with to form the trio.
When someone is still left over and the group is small (≤ ``EXACT_LIMIT``), every possible trio is
tried, which makes the answer exact. Bigger groups keep the fast answer (with sparse avoid lists a
complete grouping is found at once; see ``bench/pairing.py``). The same seed gives the same round.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from bot.domain.errors import HarborError

Pair = frozenset[int]
EXACT_LIMIT = 16
HISTORY_ROUNDS = 3
PAUSE_WEEKS = (1, 12)
EVERY_WEEKS = (1, 8)
FOLLOW_UP_DAYS = 5
MIN_RESPONDENTS = 5
MAX_AVOIDS = 50


@dataclass(frozen=True, slots=True)
class Grouping:
    """The outcome of a round: groups (pairs and at most one trio), who was left out, how many repeats."""

    groups: tuple[tuple[int, ...], ...]
    unpaired: tuple[int, ...]
    repeats: int

    @property
    def placed(self) -> int:
        """How many members are in a group."""
        return sum(len(g) for g in self.groups)


def _rng(seed: int) -> random.Random:
    # Seeded on purpose: a round must be reproducible from its stored seed; nothing here is secret.
    return random.Random(seed)  # noqa: S311


def pairs_of(group: Sequence[int]) -> list[Pair]:
    """Every two-person combination inside a group (one for a pair, three for a trio)."""
    return [frozenset(p) for p in combinations(group, 2)]


def _maximum_matching(
    n: int, allowed: Callable[[int, int], bool], rng: random.Random, seed_pairs: Iterable[tuple[int, int]] = ()
) -> list[int]:
    """A maximum matching on vertices 0..n-1 (``match[v]`` is v's partner or -1)."""
    match = [-1] * n
    for a, b in seed_pairs:
        if match[a] == -1 and match[b] == -1 and allowed(a, b):
            match[a], match[b] = b, a
    order = list(range(n))
    rng.shuffle(order)
    for i, v in enumerate(order):
        if match[v] != -1:
            continue
        for u in order[i + 1 :]:
            if match[u] == -1 and allowed(v, u):
                match[v], match[u] = u, v
                break
    free = match.count(-1)
    for root in order:
        if free <= n % 2:  # nothing left to gain: the matching is already as large as it can be
            break
        if match[root] == -1 and _augment(root, n, allowed, match, order):
            free -= 2
    return match


def _augment(root: int, n: int, allowed: Callable[[int, int], bool], match: list[int], order: list[int]) -> bool:
    """Edmonds' blossom search for an augmenting path from ``root``; flips it into ``match`` when found."""
    parent = [-1] * n
    base = list(range(n))
    used = [False] * n
    used[root] = True
    queue = deque([root])

    def lca(a: int, b: int) -> int:
        seen = [False] * n
        while True:
            a = base[a]
            seen[a] = True
            if match[a] == -1:
                break
            a = parent[match[a]]
        while True:
            b = base[b]
            if seen[b]:
                return b
            b = parent[match[b]]

    def mark(v: int, b: int, child: int, blossom: list[bool]) -> None:
        while base[v] != b:
            blossom[base[v]] = blossom[base[match[v]]] = True
            parent[v] = child
            child = match[v]
            v = parent[match[v]]

    while queue:
        v = queue.popleft()
        for to in order:
            if to == v or base[v] == base[to] or match[v] == to or not allowed(v, to):
                continue
            if to == root or (match[to] != -1 and parent[match[to]] != -1):
                current = lca(v, to)
                blossom = [False] * n
                mark(v, current, to, blossom)
                mark(to, current, v, blossom)
                for i in range(n):
                    if blossom[base[i]]:
                        base[i] = current
                        if not used[i]:
                            used[i] = True
                            queue.append(i)
            elif parent[to] == -1:
                parent[to] = v
                if match[to] == -1:
                    while to != -1:  # flip the path root … to
                        prev = parent[to]
                        nxt = match[prev]
                        match[to], match[prev] = prev, to
                        to = nxt
                    return True
                used[match[to]] = True
                queue.append(match[to])
    return False


def _with_trio(
    match: list[int], allowed: Callable[[int, int], bool], order: list[int]
) -> tuple[list[tuple[int, ...]], list[int]]:
    """Groups from a matching, letting one left-over member join a compatible pair as the trio."""
    pairs = [(v, match[v]) for v in order if match[v] > v]
    left = [v for v in order if match[v] == -1]
    for odd in left:
        for index, (a, b) in enumerate(pairs):
            if allowed(odd, a) and allowed(odd, b):
                trio = (a, b, odd)
                rest = pairs[:index] + pairs[index + 1 :]
                return [*rest, trio], [v for v in left if v != odd]
        # one step further: odd takes a's place, and b (now alone) looks for a pair to join
        for index, (a, b) in enumerate(pairs):
            for mate, alone in ((a, b), (b, a)):
                if not allowed(odd, mate):
                    continue
                for other, (c, d) in enumerate(pairs):
                    if other != index and allowed(alone, c) and allowed(alone, d):
                        rest = [p for k, p in enumerate(pairs) if k not in (index, other)]
                        return [*rest, (odd, mate), (c, d, alone)], [v for v in left if v != odd]
    return list(pairs), left


def _solve(
    n: int, allowed: Callable[[int, int], bool], rng: random.Random, seed_pairs: Iterable[tuple[int, int]] = ()
) -> tuple[list[tuple[int, ...]], list[int]]:
    match = _maximum_matching(n, allowed, rng, seed_pairs)
    order = list(range(n))
    rng.shuffle(order)
    groups, left = _with_trio(match, allowed, order)
    if not left or n > EXACT_LIMIT:
        return groups, left
    return _exhaustive(n, allowed, rng, groups, left)


def _exhaustive(
    n: int, allowed: Callable[[int, int], bool], rng: random.Random, groups: list[tuple[int, ...]], left: list[int]
) -> tuple[list[tuple[int, ...]], list[int]]:
    """Try every trio (small groups only): the fewest possible left out."""
    best_groups, best_left = groups, left
    everyone = list(range(n))
    rng.shuffle(everyone)
    for trio in combinations(everyone, 3):
        a, b, c = trio
        if not (allowed(a, b) and allowed(a, c) and allowed(b, c)):
            continue
        rest = [v for v in everyone if v not in trio]

        def rest_allowed(x: int, y: int, rest: list[int] = rest) -> bool:
            return allowed(rest[x], rest[y])

        match = _maximum_matching(len(rest), rest_allowed, _rng(0))
        pairs = [(rest[x], rest[match[x]]) for x in range(len(rest)) if match[x] > x]
        out = [rest[x] for x in range(len(rest)) if match[x] == -1]
        if len(out) < len(best_left):
            best_groups, best_left = [*pairs, trio], out
            if not out:
                break
    return best_groups, best_left


def make_groups(members: Iterable[int], avoid: Iterable[Pair], recent: Iterable[Pair], seed: int) -> Grouping:
    """Pair members for a round (see the module docstring for the rules and their order).

    Args:
        members: the eligible member ids (order does not matter).
        avoid: pairs that must never be grouped (either side's avoid list; symmetric).
        recent: pairs that met in the last ``HISTORY_ROUNDS`` rounds (avoided when possible).
        seed: the same seed and inputs give the same grouping.
    """
    ids = sorted(set(members))
    n = len(ids)
    position = {m: i for i, m in enumerate(ids)}
    blocked: list[set[int]] = [set() for _ in ids]
    stale: list[set[int]] = [set() for _ in ids]
    for pairs, table in ((avoid, blocked), (recent, stale)):
        for pair in pairs:
            a, b = (position.get(m) for m in sorted(pair)) if len(pair) == 2 else (None, None)
            if a is not None and b is not None:
                table[a].add(b)
                table[b].add(a)
    met = {frozenset((a, b)) for a in range(n) for b in stale[a]}

    def ok(a: int, b: int) -> bool:
        return a != b and b not in blocked[a]

    def fresh(a: int, b: int) -> bool:
        return a != b and b not in blocked[a] and b not in stale[a]

    groups, left = _solve(n, fresh, _rng(seed))
    if left:
        # Relax: repeats are allowed, avoids never; start from the repeat-free pairs to keep repeats few.
        seed_pairs = [(g[0], g[1]) for g in groups]
        relaxed, relaxed_left = _solve(n, ok, _rng(seed), seed_pairs)
        if len(relaxed_left) < len(left):
            groups, left = relaxed, relaxed_left
    repeats = sum(1 for g in groups for p in pairs_of(g) if p in met)
    return Grouping(
        groups=tuple(tuple(sorted(ids[v] for v in g)) for g in sorted(groups, key=lambda g: (len(g), min(g)))),
        unpaired=tuple(sorted(ids[v] for v in left)),
        repeats=repeats,
    )


class PairingError(HarborError, ValueError):
    """A pairing setting out of range; the message says what to type."""


def check_pause_weeks(weeks: int) -> int:
    """Weeks of a pause, 1–12; `PairingError` with a friendly message otherwise."""
    low, high = PAUSE_WEEKS
    if not low <= weeks <= high:
        msg = f"A pause is {low} to {high} weeks — for example `/pairing pause 2`."
        raise PairingError(msg)
    return weeks


def check_every_weeks(weeks: int) -> int:
    """Weeks between rounds, 1–8; `PairingError` with a friendly message otherwise."""
    low, high = EVERY_WEEKS
    if not low <= weeks <= high:
        msg = f"Rounds run every {low} to {high} weeks — for example `every_weeks: 2` for fortnightly."
        raise PairingError(msg)
    return weeks


@dataclass(frozen=True, slots=True)
class Rates:
    """Aggregate outcome of past rounds, as an admin may see it."""

    rounds: int
    groups: int
    people_paired: int
    respondents: int
    groups_answered: int
    groups_connected: int

    @property
    def suppressed(self) -> bool:
        """Rates are hidden below ``MIN_RESPONDENTS`` people who answered."""
        return self.respondents < MIN_RESPONDENTS

    @property
    def connected_percent(self) -> float | None:
        """Share of answered groups where someone said they connected (None when suppressed)."""
        if self.suppressed or not self.groups_answered:
            return None
        return 100 * self.groups_connected / self.groups_answered

    @property
    def response_percent(self) -> float | None:
        """Share of paired people who answered the follow-up (None when suppressed)."""
        if self.suppressed or not self.people_paired:
            return None
        return 100 * self.respondents / self.people_paired
