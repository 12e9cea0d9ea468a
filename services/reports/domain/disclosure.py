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

The audit numbers the figures and groups once per grid (`Net`) and keeps the bounds in two lists
by number (`Audit`, read by key as a mapping): a partnership of 60 schools has thousands of
figures, each a nested tuple that Python would hash again on every lookup. Beside the bounds it
keeps the parts of each large group summed (`Tally`: a total over the schools), changed as each
bound changes: such a total is looked at again whenever one school's figure narrows, and summing
its 60 parts every time made the audit grow with the square of the schools. A small group is
summed when looked at, which costs less than keeping its sums.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
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
    _net: Net | None = field(default=None, repr=False)

    def net(self) -> Net:
        """The figures and groups by number (figures and groups only grow: their counts date
        it)."""
        net = self._net
        if net is None or net.size != (len(self.values), len(self.groups)):
            net = self._net = Net.of(self)
        return net

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


@dataclass(frozen=True)
class Net:
    """A grid's figures numbered in the order they were added (`keys`, and `pos` back) and its
    groups as numbers: each group's total and parts, the groups each figure is in, and the
    large groups (`KEPT` parts or more: their sums are kept) each figure is a part of."""

    keys: list[Key]
    pos: dict[Key, int]
    totals: list[int]
    parts: list[tuple[int, ...]]
    member: list[list[int]]
    kept_in: list[list[int]]
    kept: bytearray  # by group: 1 for a large group
    size: tuple[int, int]  # the grid's figures and groups when numbered

    @staticmethod
    def of(grid: Grid) -> Net:
        keys = list(grid.values)
        # The states are read beside the values by position (`_known`): the same keys, in the
        # same order, as `Grid.add` writes both.
        assert list(grid.states) == keys, "every figure is added with Grid.add"
        pos = {key: i for i, key in enumerate(keys)}
        totals = [pos[g.total] for g in grid.groups]
        parts = [tuple(pos[p] for p in g.parts) for g in grid.groups]
        member: list[list[int]] = [[] for _ in keys]
        kept_in: list[list[int]] = [[] for _ in keys]
        kept = bytearray(len(totals))
        for i, (t, ps) in enumerate(zip(totals, parts, strict=True)):
            assert len({t, *ps}) == len(ps) + 1, "a figure is in a group once"
            for k in (t, *ps):
                member[k].append(i)
            if len(ps) >= KEPT:
                kept[i] = 1
                for k in ps:
                    kept_in[k].append(i)
        size = (len(keys), len(grid.groups))
        return Net(keys, pos, totals, parts, member, kept_in, kept, size)


# A group of this many parts or more has its sums kept (`Tally`); a smaller one is summed when
# looked at (a school's groups have 2 to 10 parts: summing them costs less than keeping them).
KEPT = 16


@dataclass
class Tally:
    """The parts of each large group (`KEPT` parts or more; 0 for the others) summed, by the
    group's number: the lows, the finite highs, and how many highs are unbounded; and `wide`, at
    least the widest finite part (`_group` passes over a group none of whose parts can narrow
    without looking at them). Kept by `_write` as the bounds change, so that such a group is not
    summed again."""

    low: list[float]
    high: list[float]
    unbounded: list[int]
    wide: list[float]

    @staticmethod
    def of(net: Net, lo: list[float], hi: list[float]) -> Tally:
        n = len(net.parts)
        tally = Tally([0] * n, [0] * n, [0] * n, [-1.0] * n)
        for i, ps in enumerate(net.parts):
            if net.kept[i]:
                tally.low[i], tally.high[i], tally.unbounded[i], tally.wide[i] = _sums(ps, lo, hi)
        return tally


def _sums(ps: tuple[int, ...], lo: list[float], hi: list[float]) -> tuple[float, float, int, float]:
    """The parts' lows summed, their finite highs summed, how many highs are unbounded, and the
    widest finite part (-1 when none is finite)."""
    low_sum: float = 0
    high_sum: float = 0
    unbounded, widest = 0, -1.0
    for p in ps:
        low, high = lo[p], hi[p]
        low_sum += low
        if high == INF:
            unbounded += 1
        else:
            high_sum += high
            if high - low > widest:
                widest = high - low
    return low_sum, high_sum, unbounded, widest


class Audit(Mapping[Key, Bounds]):
    """The bounds the reader can derive, by figure: lowest and highest in two lists by the
    figure's number in `net` (read them freely; change them only with `_write`, which keeps the
    groups' `tally`)."""

    def __init__(self, net: Net, lo: list[float], hi: list[float]) -> None:
        self.net, self.lo, self.hi = net, lo, hi
        self.tally = Tally.of(net, lo, hi)

    def __getitem__(self, key: Key) -> Bounds:
        i = self.net.pos[key]
        return self.lo[i], self.hi[i]

    def __setitem__(self, key: Key, bounds: Bounds) -> None:
        _write(self, self.net.pos[key], *bounds)

    def __iter__(self) -> Iterator[Key]:
        return iter(self.net.keys)

    def __len__(self) -> int:
        return len(self.net.keys)


def implied(group: Group, key: Key, bounds: Mapping[Key, Bounds]) -> Bounds:
    """The bounds one group gives one of its figures, from the others' bounds."""
    if key == group.total:
        return sum(bounds[p][0] for p in group.parts), sum(bounds[p][1] for p in group.parts)
    others = [p for p in group.parts if p != key]
    low, high = bounds[group.total]
    return low - sum(bounds[p][1] for p in others), high - sum(bounds[p][0] for p in others)


def implied_in(bounds: Audit, i: int, key: Key) -> Bounds:
    """`implied` for the grid's group number `i`, read from an audit's lists and the group's
    sums (kept in the tally for a total over 60 schools, not summed again for each school)."""
    net, lo, hi, tally = bounds.net, bounds.lo, bounds.hi, bounds.tally
    k, t, ps = net.pos[key], net.totals[i], net.parts[i]
    if net.kept[i]:
        low_sum, high_sum, unbounded = tally.low[i], tally.high[i], tally.unbounded[i]
    else:
        low_sum, high_sum, unbounded, _ = _sums(ps, lo, hi)
    if k == t:
        return low_sum, high_sum if not unbounded else INF
    others_unbounded = unbounded - (hi[k] == INF)
    others_high = INF if others_unbounded else high_sum - (hi[k] if hi[k] != INF else 0)
    return lo[t] - others_high, hi[t] - (low_sum - lo[k])


def _known(grid: Grid) -> tuple[list[float], list[float]]:
    """What the reader knows of each figure by itself (`Grid.known`), by number."""
    shown, fixed, primary, complement = State.SHOWN, State.FIXED, State.PRIMARY, State.COMPLEMENT
    pairs = list(zip(grid.values.values(), grid.states.values(), strict=True))
    lo: list[float] = [
        value
        if state is shown or state is fixed
        else (1 if state is primary else 5 if state is complement else 0)
        for value, state in pairs
    ]
    hi: list[float] = [
        value if state is shown or state is fixed else (4 if state is primary else INF)
        for value, state in pairs
    ]
    return lo, hi


def audit(grid: Grid) -> Audit:
    """The bounds the reader can derive for every figure, propagated through every group."""
    net = grid.net()
    lo, hi = _known(grid)
    # A group of figures all shown tells nothing new; the others start the propagation.
    start = [
        i
        for i, (t, ps) in enumerate(zip(net.totals, net.parts, strict=True))
        if lo[t] != hi[t] or any(lo[p] != hi[p] for p in ps)
    ]
    bounds = Audit(net, lo, hi)
    _narrow(bounds, start, None)
    return bounds


def reaudit(grid: Grid, bounds: Audit, widened: Iterable[Key]) -> Audit:
    """`audit(grid)` again after the figures in `widened` were hidden or left out, from the last
    audit's `bounds` (changed in place). Hiding widens what the reader knows, so it cannot be
    propagated from those bounds as showing can; but a figure whose bounds are what the reader
    knows of it by itself (a shown number, a "<5" nothing narrows) keeps them, as everything
    beyond it keeps what it owes to it. Only the figures narrowed by the groups and linked to a
    widened one through groups of such narrowed figures can widen: those start again from what
    the reader knows of each and are propagated anew; the rest keep their bounds. As `audit`
    (the greatest bounds every group allows), in time of that region, not of the report."""
    net, lo, hi = bounds.net, bounds.lo, bounds.hi
    known_lo, known_hi = _known(grid)
    narrowed = [a != b or c != d for a, b, c, d in zip(lo, known_lo, hi, known_hi, strict=True)]
    totals, parts, member = net.totals, net.parts, net.member
    region: list[int] = []
    seen = bytearray(len(net.keys))
    reached = bytearray(len(totals))  # the groups of the region, each walked once
    stack = [net.pos[key] for key in widened]
    while stack:
        k = stack.pop()
        if seen[k]:
            continue
        seen[k] = 1
        region.append(k)
        for i in member[k]:
            if not reached[i]:
                reached[i] = 1
                if narrowed[totals[i]]:
                    stack.append(totals[i])
                stack += [m for m in parts[i] if narrowed[m]]
    kept_in = net.kept_in
    for k in region:
        if kept_in[k]:
            _write(bounds, k, known_lo[k], known_hi[k])
        else:
            lo[k], hi[k] = known_lo[k], known_hi[k]
    _narrow(bounds, [i for i, r in enumerate(reached) if r], None)
    return bounds


Trail = list[tuple[int, float, float]]  # (figure by number, its low and high before a change)


def narrow_to(bounds: Audit, key: Key, now: Bounds) -> Trail:
    """Give one figure narrower bounds (it is shown again) and narrow the others from its groups
    (`_narrow`); what changed, the figure first, to check and to `restore`."""
    k = bounds.net.pos[key]
    trail: Trail = [(k, bounds.lo[k], bounds.hi[k])]
    _write(bounds, k, *now)
    _narrow(bounds, bounds.net.member[k], trail)
    return trail


def restore(bounds: Audit, trail: Trail) -> None:
    """Undo the changes `trail` noted, latest first."""
    lo, hi, kept_in = bounds.lo, bounds.hi, bounds.net.kept_in
    for k, low, high in reversed(trail):
        if kept_in[k]:
            _write(bounds, k, low, high)
        else:
            lo[k], hi[k] = low, high


def _write(bounds: Audit, k: int, low: float, high: float) -> None:
    """Set figure `k`'s bounds, and the kept sums of the groups it is a part of."""
    lo, hi, tally = bounds.lo, bounds.hi, bounds.tally
    old_low, old_high = lo[k], hi[k]
    lo[k], hi[k] = low, high
    for j in bounds.net.kept_in[k]:
        tally.low[j] += low - old_low
        if old_high == INF:
            tally.unbounded[j] -= 1
        else:
            tally.high[j] -= old_high
        if high == INF:
            tally.unbounded[j] += 1
        else:
            tally.high[j] += high
            if high - low > tally.wide[j]:
                tally.wide[j] = high - low


def _narrow(bounds: Audit, start: Iterable[int], trail: Trail | None) -> None:
    """Narrow the bounds (`lo`, `hi`) through the groups, starting from those in `start`, until
    nothing changes; every bound it changes is first noted in `trail` (to undo), if given. From
    bounds that hold for the grid (an earlier audit's, with a figure since shown made exact) this
    reaches the same bounds as a whole audit: each narrowing is sound, and it stops only where no
    group narrows. Each group in the queue gives its total the sum of its parts' bounds, then
    each part what the total less the other parts leaves it (`_group`). A bound only narrows
    here, so the kept sums of the groups a figure is a part of change as in `_write`, inline."""
    net, lo, hi, tally = bounds.net, bounds.lo, bounds.hi, bounds.tally
    totals, parts, member, kept_in, kept = net.totals, net.parts, net.member, net.kept_in, net.kept
    low_sums, high_sums, unbounded, wide = tally.low, tally.high, tally.unbounded, tally.wide
    queue = deque(dict.fromkeys(start))
    queued = bytearray(len(totals))
    for i in queue:
        queued[i] = 1
    budget = 200 * (len(totals) + 1)  # counts are small; this ends slow ping-pong on cycles
    changed: list[tuple[int, float, float]] = []
    while queue and budget:
        budget -= 1
        i = queue.popleft()
        queued[i] = 0
        if kept[i]:
            sums = low_sums[i], high_sums[i], unbounded[i], wide[i]
            widest = _group(totals[i], parts[i], lo, hi, changed, sums)
            if widest is not None:
                wide[i] = widest
        else:
            _group(totals[i], parts[i], lo, hi, changed)
        for k, low, high in changed:
            old_low, old_high = lo[k], hi[k]
            if low <= old_low and high >= old_high:
                continue
            if trail is not None:
                trail.append((k, old_low, old_high))
            low, high = max(old_low, low), min(old_high, high)
            lo[k], hi[k] = low, high
            for j in kept_in[k]:
                low_sums[j] += low - old_low
                if old_high != INF:
                    high_sums[j] += high - old_high  # narrower: `wide` stays at least as wide
                elif high != INF:
                    unbounded[j] -= 1
                    high_sums[j] += high
                    if high - low > wide[j]:
                        wide[j] = high - low
            for j in member[k]:
                if not queued[j]:
                    queue.append(j)
                    queued[j] = 1
        changed.clear()


def _group(
    t: int,
    ps: tuple[int, ...],
    lo: list[float],
    hi: list[float],
    out: list[tuple[int, float, float]],
    sums: tuple[float, float, int, float] | None = None,
) -> float | None:
    """What one group gives its figures: the total (applied at once, as the parts are bounded
    by it), then in `out` each part it may narrow. A part is narrowed only when it is wider than
    the group's slack, so a large group yields the few parts that change, not all of them; and
    its parts are looked at only when the widest of them is wider than that, or one is
    unbounded. `sums`: the parts' sums as `_sums` gives them, if kept (the widest may be wider
    than it is now); then the exact widest when the parts were looked at, to keep."""
    if sums is None:  # `_sums`, inline: most groups are small, and looked at often
        low_sum: float = 0
        high_sum: float = 0
        unbounded, widest = 0, -1.0
        for p in ps:
            low, high = lo[p], hi[p]
            low_sum += low
            if high == INF:
                unbounded += 1
            else:
                high_sum += high
                if high - low > widest:
                    widest = high - low
    else:
        low_sum, high_sum, unbounded, widest = sums
    total_low, total_high = lo[t], hi[t]
    top = high_sum if not unbounded else INF
    if not (low_sum <= total_low and top >= total_high):
        out.append((t, low_sum, top))  # the total: the caller applies it first
        total_low, total_high = max(total_low, low_sum), min(total_high, top)
    # part p's high narrows when high_p - low_p > total_high - low_sum; its low, when no other part
    # is unbounded and high_p - low_p > high_sum - total_low (with p unbounded: high_sum counts
    # the others only, and its low narrows when total_low - high_sum > low_p).
    slack_high = total_high - low_sum
    slack_low = high_sum - total_low if unbounded <= 1 else INF
    if unbounded:
        if slack_high == INF and (unbounded > 1 or total_low - high_sum <= 0):
            return None  # lows are never below 0: no unbounded part narrows, nor a bounded one
    elif widest <= slack_high and widest <= slack_low:
        return None
    widest = -1.0
    for p in ps:
        low, high = lo[p], hi[p]
        if high == INF:
            if unbounded == 1 and total_low - high_sum > low or slack_high < INF:
                others_high = high_sum if unbounded == 1 else INF
                out.append((p, total_low - others_high, total_high - (low_sum - low)))
        else:
            if high - low > widest:
                widest = high - low
            if high - low > slack_high or (not unbounded and high - low > slack_low):
                others_high = INF if unbounded else high_sum - high
                out.append((p, total_low - others_high, total_high - (low_sum - low)))
    return widest


def disclosed(grid: Grid, bounds: Mapping[Key, Bounds] | None = None) -> list[Key]:
    """The protected figures the reader can pin down to one value."""
    bounds = bounds if bounds is not None else audit(grid)
    if not isinstance(bounds, Audit) or bounds.net is not grid.net():
        return [k for k in grid.values if grid.protected(k) and bounds[k][0] == bounds[k][1]]
    out = []
    pairs = zip(grid.values.items(), grid.states.values(), bounds.lo, bounds.hi, strict=True)
    for (key, value), state, low, high in pairs:
        if low == high and (
            (1 <= value <= 4)
            if state is State.UNSHOWN
            else not (state is State.SHOWN or state is State.FIXED)  # "<5", "x" or "–"
        ):
            out.append(key)
    return out


def members(group: Group) -> tuple[Key, ...]:
    return (group.total, *group.parts)
