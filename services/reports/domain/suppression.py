"""Complementary (secondary) suppression: no hidden count can be worked out from the visible ones.

Primary suppression (domain/report.py) shows a count of 1 to 4 as "<5". That alone does not hide
it when the count is part of a sum whose other terms are shown: a school's 3 is the partnership's
total minus the other schools, an effect per domain is the evaluated ones minus the other effects.
So every report that leaves the school also hides enough other counts, shown as "x" ("onderdrukt
om terugrekenen te voorkomen" / "suppressed to prevent back-calculation"), that nothing hidden can
be pinned down to one value.

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

While something is disclosed, a group that pins it hides one more figure (one per group a
round, then the audit again): the smallest shown non-zero part that, hidden, leaves more than one
value (else the smallest); the group's total only when no group has a part left to hide. A zero
is never hidden (it identifies nobody), nor are figures exact by design (a school's own report).
When no group that pins a figure has anything left to hide, the pin comes through unshown
figures beside it: the other schools' remainder (with the parents' agreement, or evaluated late)
is the partnership's shown total less its shown part less the school's own exact figures, and
none of those is in the remainder's own groups. Then the smallest figure that may be hidden in a
group of such an unshown neighbour is hidden (breadth first, two steps at most).
Greedy choices can overshoot, so afterwards each added "x" is shown again, latest first, if the
audit still finds nothing. Showing a figure only narrows what the reader knows, so each such try
carries the last audit's bounds on from the figure's own groups instead of auditing anew.

What is still disclosed after that comes from small numbers alone: four "<5" parts of a "<5"
total of 4 are each 1, and no "x" can free them (an "x" is 5 or more). Such a figure is then
left out altogether ("–", which tells the reader nothing: any number from 0): every pinned "<5"
or "x" (for a pinned remainder, or a figure left out that is pinned still, the figures beside
it), the audit again, until nothing is pinned; then each is shown again, the largest first (a
category's total before the category), if the audit still finds nothing.

Averages: a school's report shows the partnership's average per school, the total divided by the
number of schools and rounded to one decimal. With fewer than ten schools that gives the total
back exactly, so the average is treated as the total: it is suppressed as the total would be,
linked to the school's own figures by total = own + the other schools (an unshown remainder). If
the other schools together have 1 to 4, the average hides, so a school cannot subtract itself
from the partnership and see its neighbours' small numbers.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from services.reports.domain.groups import layout, remainder
from services.reports.domain.report import (
    COMPLEMENTARY,
    SUPPRESSED,
    WITHHELD,
    Figures,
    Mask,
    Path,
)

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
    """What one group gives each of its figures (`implied` for all of them, in one pass)."""
    lows = [bounds[p][0] for p in group.parts]
    highs = [bounds[p][1] for p in group.parts]
    low_sum, finite = sum(lows), [h for h in highs if h != INF]
    high_sum, unbounded = sum(finite), len(highs) - len(finite)
    yield group.total, (low_sum, high_sum if not unbounded else INF)
    total_low, total_high = bounds[group.total]
    for part, low, high in zip(group.parts, lows, highs, strict=True):
        others_unbounded = unbounded - (high == INF)
        others_high = INF if others_unbounded else high_sum - (high if high != INF else 0)
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
    _propagate(grid, bounds, start)
    return bounds


def _propagate(
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


def protect(grid: Grid) -> Grid:
    """Hide figures ("x") until no protected figure can be worked out, or nothing more can be
    hidden (a pin that comes from figures exact by design alone); then show again, latest first,
    any hidden one that later choices made unnecessary."""
    added: list[Key] = []
    stuck: dict[Key, bool] = {}  # holds while figures are only hidden (see `_stuck`)
    while True:
        bounds = audit(grid)
        pinned = set(disclosed(grid, bounds))
        chosen = _next_complements(grid, bounds, pinned, stuck) if pinned else []
        if not chosen:
            break
        for key in chosen:
            grid.states[key] = State.COMPLEMENT
        added.extend(chosen)
    _prune(grid, added, bounds)
    _withhold(grid)
    return grid


def _withhold(grid: Grid) -> None:
    """Leave out ("–") figures that small numbers alone pin down, until the audit finds nothing
    (each round leaves out at least one figure more, so it ends); then show again, latest
    first, what was not needed (showing only narrows: as in `_prune`)."""
    order = {key: i for i, key in enumerate(grid.values)}
    left_out: list[tuple[Key, State]] = []
    bounds = audit(grid)
    while chosen := _to_withhold(grid, _pinned(grid, bounds), order, bounds):
        for key in chosen:
            left_out.append((key, grid.states[key]))
            grid.states[key] = State.WITHHELD
        bounds = audit(grid)
    member = grid.member()
    for key, state in reversed(left_out):
        grid.states[key] = state
        low, high = grid.known(key)
        trail: list[tuple[Key, Bounds]] = [(key, bounds[key])]
        bounds[key] = (max(low, bounds[key][0]), min(high, bounds[key][1]))
        _propagate(grid, bounds, member.get(key, []), trail)
        if any(
            grid.protected(k) and bounds[k][0] == bounds[k][1] and not _told_by_own(grid, k)
            for k, old in trail
            if old[0] != old[1]
        ):
            grid.states[key] = State.WITHHELD
            for changed, old in reversed(trail):
                bounds[changed] = old


def _to_withhold(
    grid: Grid, pinned: list[Key], order: dict[Key, int], bounds: Mapping[Key, Bounds]
) -> list[Key]:
    """What to leave out next: every pinned "<5" or "x", and for a pinned figure left out
    already or a remainder every figure beside it that may be hidden. That overshoots, but
    rounds are few (each is a whole audit: leaving out widens, so it cannot be propagated from
    the last bounds as showing can), and `_withhold` shows again what was not needed, in the
    reverse of this order: those that no group of theirs would pin first, then the smallest,
    the last in the report's order first."""
    member = grid.member()
    marked = (State.PRIMARY, State.COMPLEMENT)
    candidates: list[tuple[Key, Key]] = []  # (to leave out, the pinned figure it frees)
    for key in pinned:
        if grid.states[key] in marked:
            candidates.append((key, key))
            continue
        for i in member.get(key, []):
            near = _figures(grid.groups[i])
            candidates += [(k, key) for k in near if grid.states[k] in marked or grid.hideable(k)]

    def pinned_anyway(key: Key) -> bool:
        widened = {k: bounds[k] for i in member[key] for k in _figures(grid.groups[i])}
        widened[key] = (0, INF)
        for i in member[key]:
            low, high = implied(grid.groups[i], key, widened)
            if max(low, 0) >= high:
                return True
        return False

    candidates.sort(key=lambda c: (pinned_anyway(c[0]), grid.values[c[0]], -order[c[0]]))
    return list(dict.fromkeys(key for key, _ in candidates))


def _pinned(grid: Grid, bounds: Mapping[Key, Bounds]) -> list[Key]:
    return [k for k in disclosed(grid, bounds) if not _told_by_own(grid, k)]


def _figures(group: Group) -> tuple[Key, ...]:
    return (group.total, *group.parts)


def _told_by_own(grid: Grid, key: Key) -> bool:
    """Whether a group pins the figure to the school's own exact figures, the other schools
    having none (an average "<5" of a total of 4 beside the school's own 4): it tells the school
    nothing but its own figures, and stays."""

    def own_or_none(k: Key) -> bool:
        state = grid.states[k]
        return state is State.FIXED or (state is State.UNSHOWN and not grid.values[k])

    for i in grid.member()[key]:
        others = [k for k in _figures(grid.groups[i]) if k != key]
        if any(grid.states[k] is State.FIXED for k in others) and all(map(own_or_none, others)):
            return True
    return False


def _prune(grid: Grid, added: list[Key], bounds: dict[Key, Bounds]) -> None:
    """Show each added "x" again, latest first, unless that lets a protected figure be worked
    out that could not be before. `bounds` is the audit of the grid as it stands; showing a
    figure only narrows, so each try propagates from that figure's groups alone (not a whole
    audit) and is undone when it discloses something."""
    member = grid.member()
    for key in reversed(added):
        grid.states[key] = State.SHOWN
        value = grid.values[key]
        trail: list[tuple[Key, Bounds]] = [(key, bounds[key])]
        bounds[key] = (value, value)
        _propagate(grid, bounds, member.get(key, []), trail)
        if any(
            grid.protected(k) and bounds[k][0] == bounds[k][1]
            for k, old in trail[1:]
            if old[0] != old[1]
        ):
            grid.states[key] = State.COMPLEMENT
            for changed, old in reversed(trail):
                bounds[changed] = old


def _next_complements(
    grid: Grid,
    bounds: dict[Key, Bounds],
    pinned: set[Key],
    stuck: dict[Key, bool] | None = None,
) -> list[Key]:
    """The figures to hide next: for each pinned figure, a part of a group that pins it (one that
    does so by itself first, then in the groups' order), one per group and figure; a group's total
    only when no such group has a part left."""
    stuck = {} if stuck is None else stuck
    for key in pinned - stuck.keys():
        stuck[key] = _stuck(grid, key)
    pinned = {key for key in pinned if not stuck[key]}
    culprits = []
    for i, group in enumerate(grid.groups):
        for key in (group.total, *group.parts):
            if key in pinned:
                low, high = implied(group, key, bounds)
                culprits.append((low < high, i, key))
    culprits.sort(key=lambda c: (c[0], c[1]))
    for total in (False, True):
        chosen: list[Key] = []
        done: set[Key] = set()
        for loose, i, key in culprits:
            group = grid.groups[i]
            if key in done or done & {group.total, *group.parts}:
                continue  # one choice per round changes this group's bounds already
            choice = _pick(grid, group, key, total or not loose)
            if choice is not None and choice not in chosen:
                chosen.append(choice)
                done |= {key, group.total, *group.parts}
        if chosen:
            return chosen
    upstream = (_upstream(grid, key) for key in grid.values if key in pinned)
    return list(dict.fromkeys(k for k in upstream if k is not None))


def _upstream(grid: Grid, key: Key, steps: int = 2) -> Key | None:
    """The smallest figure that may be hidden in a group of an unshown figure that shares a group
    with `key` (or, a step further, with such a figure): what pins `key` when its own groups
    have nothing left to hide."""
    member = grid.member()
    seen, frontier = {key}, [key]
    for _ in range(steps + 1):
        candidates: list[Key] = []
        unshown: list[Key] = []
        for figure in frontier:
            for i in member.get(figure, []):
                group = grid.groups[i]
                for other in (group.total, *group.parts):
                    if other in seen:
                        continue
                    seen.add(other)
                    if grid.hideable(other):
                        candidates.append(other)
                    elif grid.states[other] is State.UNSHOWN:
                        unshown.append(other)
        if candidates:
            return min(candidates, key=lambda k: grid.values[k])
        frontier = unshown
    return None


def _stuck(grid: Grid, key: Key) -> bool:
    """Whether a group pins the figure even with every figure in it that may be hidden hidden (four
    "<5" parts of a "<5" total of 4): then nothing hidden anywhere can free it, and hiding
    figures for it would only hide more, round after round. Hiding a figure does not change the
    answer (a hideable figure counts as hidden here already), so it is asked once per figure."""
    own_low, own_high = grid.known(key)
    for i in grid.member()[key]:
        group = grid.groups[i]
        widest = {
            k: (5, INF) if grid.hideable(k) else grid.known(k) for k in (group.total, *group.parts)
        }
        low, high = implied(group, key, widest)
        if max(low, own_low) >= min(high, own_high):
            return True
    return False


def _pick(grid: Grid, group: Group, key: Key, total: bool) -> Key | None:
    """The smallest shown part that, hidden, leaves `key` more than one value in this group by
    what the reader knows of each figure (else the smallest); with `total`, else the total."""
    order = {p: i for i, p in enumerate(group.parts)}
    parts = sorted(
        (p for p in group.parts if grid.hideable(p)), key=lambda p: (grid.values[p], order[p])
    )
    known = {k: grid.known(k) for k in (group.total, *group.parts)}
    for part in parts:
        low, high = implied(group, key, {**known, part: (5, INF)})
        if max(low, known[key][0]) < min(high, known[key][1]):
            return part
    if parts:
        return parts[0]
    return group.total if total and grid.hideable(group.total) else None


# -- the report's figures ------------------------------------------------------------------------


def _scope(grid: Grid, scope: str, figures: Figures, state: State) -> dict[Path, int]:
    cells, groups = layout(figures)
    for path, value in cells.items():
        hidden = state is not State.FIXED and remainder(path)
        grid.add((scope, path), value, State.UNSHOWN if hidden else state)
    grid.groups.extend(Group((scope, t), tuple((scope, p) for p in ps)) for t, ps in groups)
    return cells


def _sum_across(grid: Grid, total: str, scopes: Iterable[str]) -> None:
    """total = the sum of the scopes, figure by figure; a figure a scope lacks is a shown 0."""
    scopes = list(scopes)
    for path in [p for s, p in grid.values if s == total]:
        for scope in scopes:
            if (scope, path) not in grid.values:
                grid.add((scope, path), 0, State.SHOWN)
        grid.groups.append(Group((total, path), tuple((s, path) for s in scopes)))


def partnership_grid(schools: list[Figures], everyone: Figures) -> Grid:
    """The partnership's report as a grid (scopes 'school0', 'school1', ... and 'total'),
    protected."""
    grid = Grid()
    names = [f"school{i}" for i in range(len(schools))]
    for name, figures in zip(names, schools, strict=True):
        _scope(grid, name, figures, State.SHOWN)
    _scope(grid, "total", everyone, State.SHOWN)
    _sum_across(grid, "total", names)
    return protect(grid)


def partnership_masks(schools: list[Figures], everyone: Figures) -> tuple[list[Mask], Mask]:
    """The hidden figures of each school's row and of the total in the partnership's report."""
    masks = partnership_grid(schools, everyone).masks()
    return [masks.get(f"school{i}", {}) for i in range(len(schools))], masks.get("total", {})


def school_grid(own: Figures, everyone: Figures, *, exact: bool) -> Grid:
    """A school's report as a grid (scopes 'own', 'total' and the unshown 'rest'), protected."""
    grid = Grid()
    mine = _scope(grid, "own", own, State.FIXED if exact else State.SHOWN)
    cells = _scope(grid, "total", everyone, State.SHOWN)
    for path, value in cells.items():
        grid.add(("rest", path), value - mine.get(path, 0), State.UNSHOWN)
    totals = [g for g in grid.groups if g.total[0] == "total"]
    grid.groups.extend(
        Group(("rest", g.total[1]), tuple(("rest", p[1]) for p in g.parts)) for g in totals
    )
    _sum_across(grid, "total", ["own", "rest"])
    return protect(grid)


def school_masks(own: Figures, everyone: Figures, *, exact: bool) -> tuple[Mask, Mask]:
    """The hidden figures of a school's own column (none when exact) and of the partnership's
    average beside it, with the other schools together as an unshown remainder."""
    grid = school_grid(own, everyone, exact=exact)
    return grid.mask("own"), grid.mask("total")
