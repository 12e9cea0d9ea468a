"""What a reader can work out from a report: figures, how each is shown, the additive groups that
link them, and the audit that finds every hidden figure the shown ones pin down to one value.
domain/suppression.py decides what to hide with it.

The reader's knowledge, per figure: a number is exactly that; "<5" is 1 to 4; "x" is 5 or more
(zeros and 1-4 are never "x", and the reader may know that); a remainder the report does not show
(evaluations held late = evaluated - on time, or the other schools together beside a school's own
exact figures) is any number from 0. The additive groups (a shown total = the sum of its parts, in
domain/groups.py): evaluated = the effects; evaluated = on time + late; started, evaluated and each
effect = the sum over the domains; a domain's evaluated = its effects; closed = the reasons; plan
evaluations due = on time + overdue + open; referrals = the destinations; of the TLV applications
and decisions (toelaatbaarheidsverklaringen): submitted = without the parents' agreement + with it
(unshown), decided = granted + refused, decided = past the deadline + in time (unshown), granted =
sbo + so, and so = low + medium + high; and across scopes, the partnership's total of each count =
the sum over its schools.

The audit propagates these bounds through every group until nothing changes (interval constraint
propagation), so it also catches chains: a school's hidden total pinned by the partnership's row,
which then pins a part. A hidden figure ("<5", "x", or a remainder of 1 to 4) is disclosed when
its bounds close to one value. Two "<5" parts of a shown total are safe unless their sum is 2 or 8
(both 1, or both 4) — the bounds find exactly those. Narrowing is accepted (a "<5" that can only
be 1 or 2 is not disclosed); combinations that only linear algebra over several groups at once
would solve are not searched for, as with the usual row-and-column method.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from services.reports.domain.groups import remainder
from services.reports.domain.report import COMPLEMENTARY, SUPPRESSED, WITHHELD, Mask, Path

INF = math.inf
Key = tuple[str, Path]  # (scope, figure)
Bounds = tuple[float, float]


class State(Enum):
    """What the reader sees of a figure."""

    SHOWN = "shown"  # the number
    FIXED = "fixed"  # the number, never hidden (a school's own exact report)
    PRIMARY = "primary"  # 1 to 4, as "<5"
    COMPLEMENT = "complement"  # 5 or more, as "x"
    WITHHELD = "withheld"  # left out, as "–": any number from 0
    UNSHOWN = "unshown"  # not a figure of the report: a remainder


@dataclass(frozen=True)
class Group:
    """An additive group: total = the sum of the parts."""

    total: Key
    parts: tuple[Key, ...]


@dataclass
class Grid:
    """Figures (their values and how they are shown) and the additive groups linking them."""

    values: dict[Key, int] = field(default_factory=dict)
    states: dict[Key, State] = field(default_factory=dict)
    groups: list[Group] = field(default_factory=list)
    _member: dict[Key, list[int]] = field(default_factory=dict, repr=False)
    _member_count: int = field(default=-1, repr=False)  # groups only grow: their count dates it

    def member(self) -> dict[Key, list[int]]:
        """The groups (by index) each figure is in."""
        if self._member_count != len(self.groups):
            out: dict[Key, list[int]] = {}
            for i, group in enumerate(self.groups):
                for key in (group.total, *group.parts):
                    out.setdefault(key, []).append(i)
            self._member, self._member_count = out, len(self.groups)
        return self._member

    def add(self, key: Key, value: int, state: State) -> None:
        """A figure; a 1 to 4 that is shown becomes "<5"."""
        if state is State.SHOWN and 1 <= value <= 4:
            state = State.PRIMARY
        self.values[key], self.states[key] = value, state

    def known(self, key: Key) -> Bounds:
        """What the reader knows of a figure by itself."""
        state = self.states[key]  # compared by identity: an Enum hashes slowly
        if state is State.SHOWN or state is State.FIXED:
            value = self.values[key]
            return value, value
        if state is State.PRIMARY:
            return 1, 4
        return (5, INF) if state is State.COMPLEMENT else (0, INF)  # unshown or withheld

    def exact(self, key: Key) -> bool:
        """Whether the reader reads the figure's number (whatever else is hidden)."""
        state = self.states[key]
        return state is State.SHOWN or state is State.FIXED

    def protected(self, key: Key) -> bool:
        """Whether the figure must not be worked out: hidden, or an unshown 1 to 4."""
        state = self.states[key]
        if state is State.UNSHOWN:
            return 1 <= self.values[key] <= 4
        return state is State.PRIMARY or state is State.COMPLEMENT or state is State.WITHHELD

    def hideable(self, key: Key) -> bool:
        """A shown figure other than zero."""
        return self.states[key] is State.SHOWN and self.values[key] != 0

    def mask(self, scope: str) -> Mask:
        """The markers of one scope's hidden figures, by path."""
        return self.masks().get(scope, {})

    def masks(self) -> dict[str, Mask]:
        """The markers of every scope's hidden figures, by scope and path (in one pass)."""
        marks = {
            State.PRIMARY: SUPPRESSED,
            State.COMPLEMENT: COMPLEMENTARY,
            State.WITHHELD: WITHHELD,
        }
        out: dict[str, Mask] = {}
        for (scope, path), state in self.states.items():
            if state in marks and not remainder(path):
                out.setdefault(scope, {})[path] = marks[state]
        return out


def implied(group: Group, key: Key, bounds: Mapping[Key, Bounds]) -> Bounds:
    """The bounds one group gives one of its figures, from the others' bounds."""
    if key == group.total:
        return sum(bounds[p][0] for p in group.parts), sum(bounds[p][1] for p in group.parts)
    others = [p for p in group.parts if p != key]
    low, high = bounds[group.total]
    return low - sum(bounds[p][1] for p in others), high - sum(bounds[p][0] for p in others)


def _tightened(group: Group, bounds: Mapping[Key, Bounds]) -> Iterable[tuple[Key, Bounds]]:
    """What one group gives its figures (`implied`, in one pass): the total first, then each part
    it can narrow. A part is narrowed only when it is wider than the group's slack (the total's
    bounds against the sum of the parts'), so a large group (a total over the schools) yields the
    few parts that change, not all of them."""
    lows = [bounds[p][0] for p in group.parts]
    highs = [bounds[p][1] for p in group.parts]
    low_sum, finite = sum(lows), [h for h in highs if h != INF]
    high_sum, unbounded = sum(finite), len(highs) - len(finite)
    yield group.total, (low_sum, high_sum if not unbounded else INF)
    total_low, total_high = bounds[group.total]
    # part p's high narrows when high_p - low_p > total_high - low_sum; its low, when no other part
    # is unbounded and high_p - low_p > high_sum - total_low (with p unbounded: high_sum counts
    # the others only, and its low narrows when total_low - high_sum > low_p).
    slack_high = total_high - low_sum
    slack_low = high_sum - total_low if unbounded <= 1 else INF
    for part, low, high in zip(group.parts, lows, highs, strict=True):
        if high == INF:
            if unbounded == 1 and total_low - high_sum > low or slack_high < INF:
                others_high = high_sum if unbounded == 1 else INF
                yield part, (total_low - others_high, total_high - (low_sum - low))
        elif high - low > slack_high or (not unbounded and high - low > slack_low):
            others_high = INF if unbounded else high_sum - high
            yield part, (total_low - others_high, total_high - (low_sum - low))


def audit(grid: Grid) -> dict[Key, Bounds]:
    """The bounds the reader can derive for every figure, propagated through every group."""
    bounds = {key: grid.known(key) for key in grid.values}
    # A group of figures all shown tells nothing new; the others start the propagation.
    start = [
        i
        for i, g in enumerate(grid.groups)
        if any(bounds[k][0] != bounds[k][1] for k in (g.total, *g.parts))
    ]
    propagate(grid, bounds, start)
    return bounds


def reaudit(grid: Grid, bounds: dict[Key, Bounds], widened: Iterable[Key]) -> dict[Key, Bounds]:
    """`audit(grid)` again after the figures in `widened` were hidden or left out, from the last
    audit's `bounds` (changed in place). Hiding widens what the reader knows, so it cannot be
    propagated from those bounds as showing can; but a figure whose bounds are what the reader
    knows of it by itself (a shown number, a "<5" nothing narrows) keeps them, as everything
    beyond it keeps what it owes to it. Only the figures narrowed by the groups and linked to a
    widened one through groups of such narrowed figures can widen: those start again from what
    the reader knows of each and are propagated anew; the rest keep their bounds. As `audit`
    (the greatest bounds every group allows), in time of that region, not of the report."""
    member = grid.member()
    region: set[Key] = set()
    reached: set[int] = set()  # the groups of the region, each walked once
    stack = list(widened)
    while stack:
        key = stack.pop()
        if key in region:
            continue
        region.add(key)
        for i in member.get(key, []):
            if i not in reached:
                reached.add(i)
                stack += [k for k in members(grid.groups[i]) if bounds[k] != grid.known(k)]
    for key in region:
        bounds[key] = grid.known(key)
    propagate(grid, bounds, sorted(reached))
    return bounds


def propagate(
    grid: Grid,
    bounds: dict[Key, Bounds],
    start: Iterable[int],
    trail: list[tuple[Key, Bounds]] | None = None,
) -> None:
    """Narrow `bounds` through the groups, starting from those in `start`, until nothing changes;
    every bound it changes is first noted in `trail` (to undo), if given. From bounds that hold
    for the grid (an earlier audit's, with a figure since shown made exact) this reaches the same
    bounds as a whole audit: each narrowing is sound, and it stops only where no group narrows."""
    member = grid.member()
    queue = deque(dict.fromkeys(start))
    queued = set(queue)
    budget = 200 * (len(grid.groups) + 1)  # counts are small; this ends slow ping-pong on cycles
    while queue and budget:
        budget -= 1
        i = queue.popleft()
        queued.discard(i)
        for key, (low, high) in _tightened(grid.groups[i], bounds):
            old = bounds[key]
            if low <= old[0] and high >= old[1]:
                continue
            new = (max(old[0], low), min(old[1], high))
            if trail is not None:
                trail.append((key, old))
            bounds[key] = new
            for j in member[key]:
                if j not in queued:
                    queue.append(j)
                    queued.add(j)


def disclosed(grid: Grid, bounds: Mapping[Key, Bounds] | None = None) -> list[Key]:
    """The protected figures the reader can pin down to one value."""
    bounds = bounds if bounds is not None else audit(grid)
    return [k for k in grid.values if grid.protected(k) and bounds[k][0] == bounds[k][1]]


def members(group: Group) -> tuple[Key, ...]:
    return (group.total, *group.parts)
