"""The direction a figure states: "revenue climbed 5%" is up, "a 5% reduction" is down.

A change read in the other direction is a different fact even when the number is the same
("slipped 5%" for "climbed 5%"). A figure takes the direction of a change word right before it
("rose 5%", "a decline of 5%", "fell to 5%") or right after it ("a 35% increase", "5% lower"),
of a minus sign ("-12C"), or of profit and loss words ("a net loss of $8m"); members of a range
or list share the first member's direction. "down from $2.39" names the old value, not a
change, so "from" clears it; the level before it is the one that moved ("$12bn, up from $9bn").
"""

from __future__ import annotations

import re

from .figure import Draft
from .text import NUM, SYM, WORD, Text, lower_at

UP = frozenset(
    """
    rise rises rose risen rising increase increased increases increasing grew grow grows
    growing growth gain gained gains climb climbed climbs climbing jump jumped jumps surge
    surged surges soar soared soars expand expanded expands expansion up higher raise raised
    raises boost boosted boosts hike hiked hikes widen widened advance advanced rebound
    rebounded accelerate accelerated profit profits surplus upturn uptick
    """.split()  # noqa: SIM905
)
DOWN = frozenset(
    """
    fall falls fell fallen falling decrease decreased decreases decreasing decline declined
    declines declining drop dropped drops dropping slip slipped slips slide slid slides
    shrink shrank shrunk shrinks contract contracted contraction down lower lowered lose
    lost loss losses cut cuts reduce reduced reduces reduction reducing slump slumped plunge
    plunged tumble tumbled sink sank ease eased narrow narrowed dip dipped retreat retreated
    slash slashed shed deficit downturn
    """.split()  # noqa: SIM905
)
_SKIP = frozenset(
    {"by", "of", "to", "a", "an", "the", "nearly", "almost", "about", "some", "its", "their",
     "his", "her", "our"}
)  # fmt: skip
_REACH = 4  # words looked at before a figure


def _word_direction(word: str) -> str | None:
    low = word.lower()
    return "up" if low in UP else "down" if low in DOWN else None


def _before(t: Text, d: Draft, floor: int) -> str | None:
    k, seen = d.first - 1, 0
    minus = t.types[d.first] == NUM and k >= 0 and t.words[k] in ("-", "−") and t.glued(d.first)
    if minus and (k == 0 or not t.glued(k) or t.types[k - 1] != NUM):
        return "down"  # "-12C", "−3.5%"
    while k > floor and seen < _REACH and t.types[k] == WORD:
        low = t.words[k].lower()
        if low == "from":
            return None
        found = _word_direction(low)
        if found:
            return found
        if low not in _SKIP:
            seen += 1
        k -= 1
    return None


def _after(t: Text, d: Draft) -> str | None:
    k = d.last + 1
    if (
        lower_at(t, k) == ","
        and lower_at(t, k + 1) in ("up", "down")
        and lower_at(t, k + 2) == "from"
    ):
        return _word_direction(t.words[k + 1])  # "$12bn, up from $9bn": the level rose
    if k < len(t.words) and t.types[k] == WORD:
        found = _word_direction(t.words[k])
        if found and lower_at(t, k + 1) != "from":
            return found
    return None


def mark_directions(t: Text, drafts: list[Draft]) -> None:
    """Set ``direction`` ("up"/"down") on each figure whose text states one."""
    floor = -1
    for d in drafts:
        if d.kind in ("year", "date") or d.unit == "ordinal":
            floor = d.last
            continue
        if d.group and d.group[0] > 0:
            d.direction = None  # set from the first member below
        else:
            start = _clause_start(t, d.first, floor)
            d.direction = d.direction or _after(t, d) or _before(t, d, start)
        floor = d.last
    _levels_after_changes(t, drafts)
    first = None
    for d in drafts:
        if d.group and d.group[0] == 0:
            first = d
        elif d.group and first is not None:
            d.direction = first.direction


_TO_LEVEL = re.compile(r"\s+(?:[^\W\d_]+\s+){0,3}to\s+")


def _levels_after_changes(t: Text, drafts: list[Draft]) -> None:
    """ "fell 0.8% against the dollar to $1.26": the level a change reaches moved the same way."""
    for p, d in zip(drafts, drafts[1:], strict=False):
        if (
            d.direction
            or not p.direction
            or p.kind in ("year", "date")
            or d.kind in ("year", "date")
        ):
            continue
        if _TO_LEVEL.fullmatch(t.text[t.ends[p.last] : t.starts[d.first]]):
            d.direction = p.direction


def _clause_start(t: Text, i: int, floor: int) -> int:
    """The token before the clause of token i (a comma, semicolon or the previous figure)."""
    k = i - 1
    while k > floor and not (t.types[k] == SYM and t.words[k] in ",;:()"):
        k -= 1
    return k
