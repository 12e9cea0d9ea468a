"""Complementary (secondary) suppression: no hidden count can be worked out from the visible ones.

Primary suppression (domain/report.py) shows a count of 1 to 4 as "<5". That alone does not hide
it when the count is part of a sum whose other terms are shown: a school's 3 is the partnership's
total minus the other schools, an effect per domain is the evaluated ones minus the other effects.
So every report that leaves the school also hides enough other counts, shown as "x" ("onderdrukt
om terugrekenen te voorkomen" / "suppressed to prevent back-calculation"), that nothing hidden can
be pinned down to one value.

What the reader can work out, and how the audit finds it, is in domain/disclosure.py.

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

from collections.abc import Iterable, Mapping

from services.reports.domain.disclosure import (
    INF,
    Audit,
    Bounds,
    Grid,
    Group,
    Key,
    State,
    audit,
    disclosed,
    implied,
    implied_in,
    members,
    narrow_to,
    reaudit,
    restore,
)
from services.reports.domain.groups import layout, remainder
from services.reports.domain.report import Figures, Mask, Path

__all__ = ["Grid", "Group", "State", "audit", "disclosed", "protect"]


def protect(grid: Grid) -> Grid:
    """Hide figures ("x") until no protected figure can be worked out, or nothing more can be
    hidden (a pin that comes from figures exact by design alone); then show again, latest first,
    any hidden one that later choices made unnecessary."""
    added: list[Key] = []
    bounds = audit(grid)
    hopeless: set[Key] | None = None  # an audit more, only once something is pinned
    while True:
        pinned = set(disclosed(grid, bounds))
        if pinned and hopeless is None:
            hopeless = _hopeless(grid)
        pinned -= hopeless or set()
        chosen = _next_complements(grid, bounds, pinned) if pinned else []
        if not chosen:
            break
        for key in chosen:
            grid.states[key] = State.COMPLEMENT
        added.extend(chosen)
        bounds = reaudit(grid, bounds, chosen)
    _prune(grid, added, bounds)
    _withhold(grid, bounds)
    return grid


def _hopeless(grid: Grid) -> set[Key]:
    """The protected figures pinned even with every figure that may be hidden hidden (four "<5"
    parts of a "<5" total of 4; or a "<5" of 4 = a "<5" part + a "<5" of three "<5" parts, which
    only two groups together pin): nothing hidden anywhere can free them, and hiding figures for
    them would only hide more, round after round. Hiding widens what the reader knows, and the
    audit's bounds only widen with it, so one audit of the grid with all of them hidden tells,
    for every round."""
    hideable = [key for key in grid.values if grid.hideable(key)]
    for key in hideable:
        grid.states[key] = State.COMPLEMENT
    try:
        return set(disclosed(grid))
    finally:
        for key in hideable:
            grid.states[key] = State.SHOWN


def _withhold(grid: Grid, bounds: Audit | None = None) -> None:
    """Leave out ("–") figures that small numbers alone pin down, until the audit finds nothing
    (each round leaves out at least one figure more, so it ends); then show again, latest
    first, what was not needed (showing only narrows: as in `_prune`). `bounds`: the audit of
    the grid as it stands, if at hand."""
    order = {key: i for i, key in enumerate(grid.values)}
    left_out: list[tuple[Key, State]] = []
    bounds = audit(grid) if bounds is None else bounds
    while chosen := _to_withhold(grid, _pinned(grid, bounds), order, bounds):
        for key in chosen:
            left_out.append((key, grid.states[key]))
            grid.states[key] = State.WITHHELD
        bounds = reaudit(grid, bounds, chosen)
    keys, lo, hi = bounds.net.keys, bounds.lo, bounds.hi
    for key, state in reversed(left_out):
        grid.states[key] = state
        low, high = grid.known(key)
        trail = narrow_to(bounds, key, (max(low, bounds[key][0]), min(high, bounds[key][1])))
        if any(
            lo[k] == hi[k] and grid.protected(keys[k]) and not _told_by_own(grid, keys[k])
            for k, old_low, old_high in trail
            if old_low != old_high
        ):
            grid.states[key] = State.WITHHELD
            restore(bounds, trail)


def _to_withhold(
    grid: Grid, pinned: list[Key], order: dict[Key, int], bounds: Mapping[Key, Bounds]
) -> list[Key]:
    """What to leave out next: every pinned "<5" or "x", and for a pinned figure left out
    already or a remainder, in each group of it, the one figure beside it that may be hidden
    that no group of its own would pin, else the smallest, the last in the report's order
    (leaving out all of them would, in a total over 60 schools, leave out the whole row and
    show it again one by one). `_withhold` shows again what was not needed, in the reverse of
    this order."""
    member = grid.member()

    def pinned_anyway(key: Key) -> bool:
        widened = {k: bounds[k] for i in member[key] for k in members(grid.groups[i])}
        widened[key] = (0, INF)
        for i in member[key]:
            low, high = implied(grid.groups[i], key, widened)
            if max(low, 0) >= high:
                return True
        return False

    def rank(key: Key) -> tuple[bool, int, int]:
        return pinned_anyway(key), grid.values[key], -order[key]

    marked = (State.PRIMARY, State.COMPLEMENT)
    candidates: list[Key] = []
    for key in pinned:
        if grid.states[key] in marked:
            candidates.append(key)
            continue
        for i in member.get(key, []):
            near = [k for k in members(grid.groups[i]) if k != key]
            near = [k for k in near if grid.states[k] in marked or grid.hideable(k)]
            if near:
                candidates.append(min(near, key=rank))
    candidates.sort(key=rank)
    return list(dict.fromkeys(candidates))


def _pinned(grid: Grid, bounds: Mapping[Key, Bounds]) -> list[Key]:
    return [k for k in disclosed(grid, bounds) if not _told_by_own(grid, k)]


def _told_by_own(grid: Grid, key: Key) -> bool:
    """Whether a group pins the figure to the school's own exact figures, the other schools
    having none (an average "<5" of a total of 4 beside the school's own 4): it tells the school
    nothing but its own figures, and stays."""

    def own_or_none(k: Key) -> bool:
        state = grid.states[k]
        return state is State.FIXED or (state is State.UNSHOWN and not grid.values[k])

    for i in grid.member()[key]:
        others = [k for k in members(grid.groups[i]) if k != key]
        if any(grid.states[k] is State.FIXED for k in others) and all(map(own_or_none, others)):
            return True
    return False


def _prune(grid: Grid, added: list[Key], bounds: Audit) -> None:
    """Show each added "x" again, latest first, unless that lets a protected figure be worked
    out that could not be before. `bounds` is the audit of the grid as it stands; showing a
    figure only narrows, so each try propagates from that figure's groups alone (not a whole
    audit) and is undone when it discloses something."""
    keys, lo, hi = bounds.net.keys, bounds.lo, bounds.hi
    for key in reversed(added):
        grid.states[key] = State.SHOWN
        value = grid.values[key]
        trail = narrow_to(bounds, key, (value, value))
        if any(
            lo[k] == hi[k] and grid.protected(keys[k])
            for k, old_low, old_high in trail[1:]
            if old_low != old_high
        ):
            grid.states[key] = State.COMPLEMENT
            restore(bounds, trail)


def _next_complements(grid: Grid, bounds: Audit, pinned: set[Key]) -> list[Key]:
    """The figures to hide next: for each pinned figure, a part of a group that pins it (one that
    does so by itself first, then in the groups' order), one per group and figure; a group's total
    only when no such group has a part left."""
    member = grid.member()
    culprits = []
    for i in sorted({i for key in pinned for i in member.get(key, [])}):
        group = grid.groups[i]
        for key in (group.total, *group.parts):
            if key in pinned:
                low, high = implied_in(bounds, i, key)
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


def _pick(grid: Grid, group: Group, key: Key, total: bool) -> Key | None:
    """The smallest shown part that, hidden, leaves `key` more than one value in this group by
    what the reader knows of each figure (else the smallest); with `total`, else the total."""
    order = {p: i for i, p in enumerate(group.parts)}
    parts = sorted(
        (p for p in group.parts if grid.hideable(p)), key=lambda p: (grid.values[p], order[p])
    )
    known = {k: grid.known(k) for k in (group.total, *group.parts)}
    key_low, key_high = known[key]
    # `implied(group, key, {**known, part: (5, INF)})` for each part, from sums taken once (a
    # total over 60 schools would otherwise be summed again for each of its parts).
    lows = sum(known[p][0] for p in group.parts if p != key)
    for part in parts:
        if part == key:
            low, high = implied(group, key, {**known, part: (5, INF)})
        elif key == group.total:
            low, high = lows - known[part][0] + 5, INF  # a hidden part reads 5 or more
        else:
            low, high = -INF, known[group.total][1] - (lows - known[part][0] + 5)
        if max(low, key_low) < min(high, key_high):
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
    masks = school_grid(own, everyone, exact=exact).masks()
    return masks.get("own", {}), masks.get("total", {})
