"""A multiple written as a comparison: "twice as many as the week before" says the count doubled,
as "doubled" and a 100% rise do ("three times as many" is read as a count of "times")."""

from __future__ import annotations

from .figure import Draft
from .text import Text, lower_at

_AS_WHAT = frozenset({"many", "much", "large", "big", "high", "likely", "fast", "long"})
START_WORDS = frozenset({"twice"})


def twice_as(t: Text, i: int) -> Draft | None:
    """ "twice as many", "twice as much": two times as much."""
    if lower_at(t, i) != "twice" or lower_at(t, i + 1) != "as":
        return None
    if lower_at(t, i + 2) not in _AS_WHAT:
        return None
    return Draft("number", 2.0, "times", i, i + 2, raw=2.0)
