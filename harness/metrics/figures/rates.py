"""A rate over a stated period and its total: "£300m a year for five years" is £1.5bn, either
way round (the source states one, the summary the other).

Only a rate ("a year", "per month") followed in its sentence by "for" or "over" and a duration
counts, and the total must be the other figure at the precision the claim states.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .equivalents import at_precision
from .figure import Figure
from .periods import DAYS

_PERIODS = frozenset({"year", "month", "week", "day"})  # "a year", "per month"
_OVER = re.compile(r"\s*(?:for|over|across)(?:\s+the\s+next)?\s*$", re.I)


def _periods(rate: Figure, figures: Sequence[Figure]) -> float | None:
    """How many of its periods the rate is said to last ("for five years": 5), if it is."""
    words = (rate.counts or "").lower().split()
    if rate.kind != "money" or words[:1] != ["per"] or len(words) < 2 or words[1] not in _PERIODS:
        return None
    at = rate.sentence.find(rate.text)
    for d in figures:
        if d.kind != "duration" or d.sentence != rate.sentence or d.value is None:
            continue
        end = rate.sentence.find(d.text, at + len(rate.text))
        if at >= 0 and end >= 0 and _OVER.fullmatch(rate.sentence[at + len(rate.text) : end]):
            return d.value / DAYS[words[1]]
    return None


def _total(f: Figure) -> bool:
    return f.kind == "money" and not (f.counts or "").startswith("per") and f.value is not None


def rate_over_period(
    claim: Figure, claims: Sequence[Figure], facts: Sequence[Figure]
) -> Figure | None:
    """The source figure that is the claim's total, or the rate the claim totals."""
    n = _periods(claim, claims)
    if n:
        for f in facts:
            if _total(f) and f.unit == claim.unit and at_precision(claim, f.value / n):
                return f
        return None
    if not _total(claim):
        return None
    for f in facts:
        m = _periods(f, facts)
        if m and f.unit == claim.unit and at_precision(claim, (f.value or 0.0) * m):
            return f
    return None
