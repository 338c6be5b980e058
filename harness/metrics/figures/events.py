"""Which event a weekday belongs to: "the hearing was adjourned on Monday and will resume on
Thursday" does not support "the hearing resumes on Monday", though it names Monday.

When the source names two or more weekdays, each is told apart by the words just before it in
its clause ("resume on", "adjourned on"). A summary's weekday is moved to another event when the
words before it match another source weekday's and none of its own: evidence against it, as
``dates.weekday_conflict`` asks. The same day said of its own event, or a summary whose words
match no source weekday, is no evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .figure import Figure
from .text import STOP

_REACH = 4  # words before a weekday that say what happens on it
_CLAUSE = re.compile(r"[,;:()]|\band\b|\bbut\b|\bwhile\b")
_WORD = re.compile(r"[^\W\d_]{3,}")


def _before(f: Figure) -> list[str]:
    """Stems of the content words before the weekday in its clause, the nearest last."""
    at = f.sentence.find(f.text)
    if at < 0:
        return []
    clause = _CLAUSE.split(f.sentence[:at])[-1]
    words = [w for w in _WORD.findall(clause.lower()) if w not in STOP]
    return [w[:5] for w in words[-_REACH:]]


def moved_weekday(claim: Figure, facts: Sequence[Figure]) -> Figure | None:
    """The source weekday whose event the claim's weekday is said of, when it is another day:
    the claim's words match that day's, and the word nearest the claim's day (its verb:
    "resumes on") is not said of the claim's day in the source."""
    days = [f for f in facts if f.kind == "date" and f.unit == claim.unit]  # or months alone
    said = _before(claim)
    if len({f.value for f in days}) < 2 or not said:
        return None
    own = set().union(*(_before(f) for f in days if f.value == claim.value))
    if said[-1] in own:
        return None
    for f in days:
        if f.value != claim.value and set(said) & (set(_before(f)) - own):
            return f
    return None
