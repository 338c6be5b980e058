"""Figures news writes with an article or a share instead of digits: "a week after the vote",
"within a decade", "half a century", "a quarter of a century" (durations) and "a quarter of a
point", "half a percentage point" (a change in points).

"a week" and "a year" are as often rates ("$5 a week", "twice a year"), so an article and a
period make a duration only where a duration is said: after a preposition or hedge ("in a
week", "under a decade"), at a sentence's start ("A week after the vote"), or before "ago",
"later", "earlier" or "after".
"""

from __future__ import annotations

from .figure import Draft
from .text import Text, lower_at

# Days in each period a duration is written in (units.py reads units with it; defined here,
# since the number readers, which units.py imports, import this module).
DAYS = {
    "year": 365.25, "month": 365.25 / 12, "week": 7.0, "day": 1.0, "quarter": 365.25 / 4,
    "fortnight": 14.0, "decade": 3652.5, "century": 36525.0, "centurie": 36525.0, "hour": 1 / 24,
    "minute": 1 / 1440, "second": 1 / 86400, "yr": 365.25, "hr": 1 / 24, "min": 1 / 1440,
}  # fmt: skip
# The periods "half a ..." and "a quarter of a ..." are read with.
_SHARED_PERIODS = frozenset({"year", "month", "week", "day", "decade", "century", "hour"})

_PERIODS = frozenset({"week", "decade", "century"})
_BEFORE_DURATION = frozenset(
    {"in", "within", "under", "over", "for", "after", "than", "about", "nearly", "almost", "just",
     "barely", "around", "roughly", "least", "past", "last", "lasted", "took", "spent"}
)  # fmt: skip
_AFTER_DURATION = frozenset({"ago", "later", "earlier", "after", "on", "before", "long"})
_SHARES = {"half": 0.5, "quarter": 0.25}
START_WORDS = frozenset({"a", "an", "half"})


def _sentence_start(t: Text, i: int) -> bool:
    return i == 0 or t.words[i - 1] in (".", "!", "?", "\n", ":", ";", "-", "•")


def a_period(t: Text, i: int) -> Draft | None:
    """ "a week after", "within a decade", "half a century", "a quarter of a century"."""
    low = lower_at(t, i)
    if low == "half" and lower_at(t, i + 1) in ("a", "an"):
        return _share_of_period(t, i, i + 2, 0.5)
    if low not in ("a", "an"):
        return None
    if lower_at(t, i + 1) == "quarter" and lower_at(t, i + 2) == "of":
        if lower_at(t, i + 3) in ("a", "an"):
            return _share_of_period(t, i, i + 4, 0.25)
        return None
    period = lower_at(t, i + 1)
    if period not in _PERIODS:
        return None
    said = (
        lower_at(t, i - 1) in _BEFORE_DURATION
        or _sentence_start(t, i)
        or lower_at(t, i + 2) in _AFTER_DURATION
    )
    if not said:
        return None
    return Draft("duration", DAYS[period], "days", i, i + 1, raw=1.0, counts=period)


def _share_of_period(t: Text, first: int, k: int, share: float) -> Draft | None:
    """ "half a century" (the period at token k): a duration; "half a year" is six months."""
    period = lower_at(t, k)
    if period not in _SHARED_PERIODS:
        return None
    return Draft(
        "duration", share * DAYS[period], "days", first, k, raw=share, decimals=2, counts=period
    )


def share_of_a_point(t: Text, i: int) -> Draft | None:
    """ "a quarter of a point", "a quarter point", "half a percentage point": a change in points
    (a central bank's quarter-point cut is 0.25 percentage points)."""
    low = lower_at(t, i)
    if low in ("a", "an") and lower_at(t, i + 1) == "quarter":
        k, share = i + 2, 0.25
    elif low == "half":
        k, share = i + 1, 0.5
    else:
        return None
    if lower_at(t, k) == "of":
        k += 1
    if lower_at(t, k) in ("a", "an"):
        k += 1
    if lower_at(t, k) == "percentage":
        k += 1
    if lower_at(t, k) not in ("point", "points"):
        return None
    return Draft("percentage_points", share, "pp", i, k, raw=share, decimals=2)
