"""An index of a source's figures, so a summary figure is compared only with the source figures
that could match it: 500 summary figures against a source of 20,000 compare a handful each, not
20,000 each.

The rules stay where they are (support, equivalents, arithmetic). Each rule has a *reach*
(reach.py): queries naming the source figures the rule could accept, a necessary condition,
generous on purpose (a value window a little wider than the rule's, a key the rule requires).
:meth:`Group.candidates` returns the figures within a reach in the order the rule meets them,
and the rule itself decides on each; so every verdict, match and nearest figure is the one a
comparison with every figure gives. A small group (fewer than :data:`SMALL` figures) is not
indexed: each of its figures is a candidate, which is cheaper than building the index.

A query is one of
- ``("value", lo, hi)`` or ``("raw", lo, hi)``: the figures whose ``value`` (``raw``) lies in
  [lo, hi], widened by a relative 1e-7 against rounding; a figure whose number is not finite is
  always a candidate;
- ``("tag", tags, key)``: the figures for which ``tags(figure)`` (a function returning keys)
  includes ``key``.
"""

from __future__ import annotations

import math
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

from .figure import Figure

SMALL = 48  # below this many figures a group is searched whole

Query = tuple[Any, ...]
_SLACK = 1e-7


class Sorted:
    """Positions ordered by a number, looked up by interval."""

    def __init__(self, items: Iterable[tuple[float, int]]):
        numbers, positions, self.odd = [], [], []
        for number, pos in items:
            if math.isfinite(number):
                numbers.append(number)
                positions.append(pos)
            else:
                self.odd.append(pos)  # inf or NaN: no window excludes them
        order = sorted(range(len(numbers)), key=numbers.__getitem__)
        self.keys = [numbers[i] for i in order]
        self.positions = [positions[i] for i in order]

    def within(self, lo: float, hi: float) -> list[int]:
        if math.isnan(lo) or math.isnan(hi):
            return [*self.positions, *self.odd]
        slack = _SLACK * max(abs(lo), abs(hi))
        i = bisect_left(self.keys, lo - slack)
        j = bisect_right(self.keys, hi + slack)
        return [*self.positions[i:j], *self.odd]


class Group:
    """Figures in the order a rule meets them, with the lookups built on first use."""

    def __init__(self, figures: Sequence[Figure]):
        self.figures = figures
        self.small = len(figures) < SMALL
        self._axes: dict[str, Sorted] = {}
        self._tags: dict[Callable, dict[Hashable, list[int]]] = {}
        self.memo: dict[str, Any] = {}  # what a rule derives once per group (arithmetic's pairs)

    def candidates(
        self, reach: Callable[..., Iterable[Query] | None], *args: Any
    ) -> Sequence[Figure]:
        """The figures within any of the queries ``reach(*args)`` gives, in order; all of them
        when it gives None or the group is small (then ``reach`` is not called)."""
        if self.small:
            return self.figures
        queries = reach(*args)
        if queries is None:
            return self.figures
        found: set[int] = set()
        for query in queries:
            found.update(self.positions(query))
        return [self.figures[p] for p in sorted(found)]

    def positions(self, query: Query) -> list[int]:
        if query[0] == "tag":
            _, tags, key = query
            return self._tagged(tags).get(key, [])
        axis, lo, hi = query
        if axis not in self._axes:
            self._axes[axis] = Sorted(
                (number, p)
                for p, f in enumerate(self.figures)
                if (number := getattr(f, axis)) is not None
            )
        return self._axes[axis].within(lo, hi)

    def _tagged(self, tags: Callable[[Figure], Iterable[Hashable]]) -> dict[Hashable, list[int]]:
        if tags not in self._tags:
            table: dict[Hashable, list[int]] = {}
            for p, f in enumerate(self.figures):
                for key in tags(f):
                    table.setdefault(key, []).append(p)
            self._tags[tags] = table
        return self._tags[tags]

    def ordered(self, key: Callable[[Figure], float | None]) -> Sorted:
        """The figures sorted by ``key`` (those it gives None left out), built once per key."""
        name = f"ordered:{key.__module__}.{key.__qualname__}"
        if name not in self.memo:
            self.memo[name] = Sorted(
                (k, p) for p, f in enumerate(self.figures) if (k := key(f)) is not None
            )
        return self.memo[name]


class FactIndex:
    """The source figures, whole (in their order), as the pool of each claim kind (kind by
    kind) and as the figures of those kinds in their order (``kindred``)."""

    def __init__(self, facts: Sequence[Figure], compatible: dict[str, tuple[str, ...]]):
        self.all = Group(facts)
        self._compatible = compatible
        self._pools: dict[str, Group] = {}
        self._kindred: dict[str, Group] = {}

    def kindred(self, kind: str) -> Group:
        if kind not in self._kindred:
            kinds = self._compatible.get(kind, ())
            self._kindred[kind] = Group([f for f in self.all.figures if f.kind in kinds])
        return self._kindred[kind]

    def pool(self, kind: str) -> Group:
        """The facts of the kinds a claim of ``kind`` is compared with, kind by kind."""
        if kind not in self._pools:
            kinds = self._compatible[kind]
            by_kind = self.all.memo.get("by_kind")
            if by_kind is None:
                by_kind = self.all.memo["by_kind"] = {}
                for f in self.all.figures:
                    by_kind.setdefault(f.kind, []).append(f)
            self._pools[kind] = Group([f for k in kinds for f in by_kind.get(k, ())])
        return self._pools[kind]


_RECENT: dict[int, tuple[Sequence[Figure], FactIndex]] = {}
_KEEP = 4  # indexes kept: a --pairs file checks one source against several summaries in a row
_LOCK = threading.Lock()


def index_of(facts: Sequence[Figure], compatible: dict[str, tuple[str, ...]]) -> FactIndex:
    """The index of ``facts``, reused while the same (immutable) tuple is checked again."""
    if not isinstance(facts, tuple):
        return FactIndex(facts, compatible)
    with _LOCK:
        kept = _RECENT.get(id(facts))
        if kept is not None and kept[0] is facts:  # the entry holds facts alive: the id is theirs
            return kept[1]
        while len(_RECENT) >= _KEEP:
            del _RECENT[next(iter(_RECENT))]
        _RECENT[id(facts)] = (facts, FactIndex(facts, compatible))
        return _RECENT[id(facts)][1]


def tagged(tags: Callable[[Figure], Iterable[Hashable]], *keys: Hashable) -> list[Query]:
    """The reach of the figures ``tags`` gives any of the keys."""
    return [("tag", tags, key) for key in keys]


def walk_nearest(
    group: Group,
    target: float,
    key: Callable[[Figure], float | None],
    distance: Callable[[Figure], float],
    accept: Callable[[Figure], bool],
) -> Figure | None:
    """The first accepted figure of least ``distance``, found by walking outwards from
    ``target`` in the order of ``key``, along which ``distance`` grows in both directions
    (figures ``key`` leaves out must be as far as any). None when no figure at a finite
    distance is accepted."""
    ordered = group.ordered(key)
    best, best_pos = math.inf, -1
    start = bisect_left(ordered.keys, target)
    for step, first in ((-1, start - 1), (1, start)):
        i = first
        while 0 <= i < len(ordered.keys):
            pos = ordered.positions[i]
            d = distance(group.figures[pos])
            if d > best:
                break
            if (d < best or pos < best_pos) and accept(group.figures[pos]):
                best, best_pos = d, pos
            i += step
    return group.figures[best_pos] if best < math.inf else None
