"""A month named alone ("in July", "from March", "since August"): a figure of its own, since
an edit moves an event to another month as readily as it changes a number.

Read where it names a time: a capitalized full month name ("the March figures", "in July"), not
beside a number (a date: "July 14", "14 July 2025"); "May" only after a preposition or a time
word ("in May", "since May"), never the verb. Like a
weekday (``dates.weekday_conflict``), it is unsupported only with evidence against it: the
source names other months, never this one, in a sentence about the same thing; or it is said
of another event the source dates (``events.moved_weekday``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .dates import weekday_conflict
from .events import moved_weekday
from .figure import Draft, Figure
from .text import NUM, Text, lower_at

FULL_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december")
    )
}  # fmt: skip
_BEFORE = frozenset(
    {"in", "from", "since", "by", "until", "till", "through", "to", "last", "next", "this",
     "early", "late", "mid", "during", "before", "after", "of", "between", "and", "each"}
)  # fmt: skip


def bare_month(t: Text, i: int) -> Draft | None:
    """ "in July": a month, its number (1 for January) as value."""
    word = t.words[i]
    month = FULL_MONTHS.get(word.lower())
    if month is None or not word[0].isupper():
        return None
    if month == 5 and lower_at(t, i - 1) not in _BEFORE:
        return None  # "May": a month after "in", "from", "since"...; else often the verb
    if i + 1 < len(t.words) and t.types[i + 1] == NUM or i > 0 and t.types[i - 1] == NUM:
        return None  # a date, read from its number
    return Draft("date", float(month), "month", i, i, raw=float(month))


def _as_months(facts: Sequence[Figure]) -> list[Figure]:
    """The source's months: named alone, or the month of a dated figure ("14 July 2025")."""
    out = []
    for f in facts:
        if f.unit == "month":
            out.append(f)
        elif f.kind == "date" and f.unit is None and f.date and f.date[1]:
            out.append(replace(f, value=float(f.date[1]), unit="month"))
    return out


def dated_check(claim: Figure, facts: Sequence[Figure]) -> tuple[bool, Figure | None]:
    """A weekday or a month named alone against the source's: (supported, the source figure
    that supports or contradicts it)."""
    dated = _as_months(facts) if claim.unit == "month" else facts
    ok, other = weekday_conflict(claim, dated)
    moved = moved_weekday(claim, dated) if ok else None  # said of another event
    return (False, moved) if moved is not None else (ok, other)
