"""The nearest source figure to an unsupported claim: what the claim was most likely meant as.

The same digits with the point moved or dropped come first ("78%" for "7.8%"), then, for years
and dates, the fewest years apart, else the fewest times larger or smaller (on a log scale); of
figures equally near, the first in the source. :func:`nearest_of` finds it through the index
(index.py) with the result of comparing every figure (:func:`brute_nearest`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache

from .figure import Figure
from .index import Group, tagged, walk_nearest


@lru_cache(maxsize=4096)  # each claim's and fact's digits, for every pair compared
def _digits(raw: float | None) -> str | None:
    """The digits of a number as written, without its point: 7.8 and 78 give "78"."""
    return None if raw is None else f"{raw:.12g}".replace(".", "").lstrip("0-") or "0"


def distance(claim: Figure, f: Figure) -> float:
    """How far a source figure is from the claim (-1 for the same digits)."""
    if claim.raw is not None and _digits(claim.raw) == _digits(f.raw):
        return -1.0  # the same digits, point moved or dropped: "78%" for "7.8%"
    if claim.kind in ("year", "date"):
        return abs(_year_of(claim) - _year_of(f))
    ratio = abs(claim.value) / abs(f.value) if claim.value and f.value else 0.0
    # The ratio of a tiny and a huge value can leave the float range: then they are far.
    return abs(math.log(ratio)) if 0.0 < ratio < math.inf else math.inf


def _year_of(f: Figure) -> int:
    return (f.date or (0,))[0] or 0


def _magnitude(f: Figure) -> float | None:
    return abs(f.value) if f.value else None


def _digit_tags(f: Figure) -> tuple:
    return (_digits(f.raw),)


def brute_nearest(claim: Figure, facts: Sequence[Figure]) -> Figure:
    """The first of the facts at the least distance from the claim."""
    return min(facts, key=lambda f: distance(claim, f))


def nearest_of(claim: Figure, facts: Group, accept: Callable[[Figure], bool]) -> Figure | None:
    """``brute_nearest`` among the accepted facts (None when none is): the first accepted with
    the same digits, else a walk outwards from the claim's year or magnitude, along which the
    distance only grows. ``facts`` must hold every fact ``accept`` may accept, in order."""
    if facts.small:
        accepted = [f for f in facts.figures if accept(f)]
        return brute_nearest(claim, accepted) if accepted else None
    if claim.raw is not None:
        for f in facts.candidates(tagged, _digit_tags, _digits(claim.raw)):
            if accept(f):
                return f
    dated = claim.kind in ("year", "date")
    target = _year_of(claim) if dated else _magnitude(claim)
    found = None
    if target is not None and math.isfinite(target):
        key = _year_of if dated else _magnitude
        found = walk_nearest(facts, target, key, lambda f: distance(claim, f), accept)
    # Every accepted fact is infinitely far: the first of them, as min() gives.
    return found or next((f for f in facts.figures if accept(f)), None)
