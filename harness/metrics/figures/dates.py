"""Dates: month names, weekdays, quarters and halves ("Q3", "H1"), and month-day, day-month and
month-year dates around a number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .figure import Draft, Figure
from .text import NUM, STOP, WORD, Text, lower_at

# fmt: off
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
WEEKDAYS = frozenset([
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon",
    "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun",
])
# fmt: on
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def weekday(t: Text, i: int) -> Draft | None:
    """ "on Tuesday": a weekday, its index (0 for Monday) as value; abbreviations ("Sat",
    "Sun", "Wed") are too often words to count."""
    low = lower_at(t, i).removesuffix("'s").removesuffix("’s")  # "Tuesday's vote"
    if low not in DAY_NAMES:
        return None
    index = float(DAY_NAMES.index(low))
    return Draft("date", index, "weekday", i, i, raw=index)


def _content(sentence: str) -> set[str]:
    """Content words of a sentence as 5-letter stems, weekdays aside."""
    words = re.findall(r"[^\W\d_]{4,}", sentence.lower())
    return {w[:5] for w in words if w not in STOP and w not in DAY_NAMES}


def weekday_conflict(claim: Figure, facts: Sequence[Figure]) -> tuple[bool, Figure | None]:
    """(supported, the source weekday it conflicts with). A weekday is unsupported only with
    evidence against it: the source names another weekday, never this one, in a sentence that
    shares a content word with the claim's (the same event: "the vote is on Thursday" against
    "the vote is on Tuesday"); a source with no weekday says nothing about it."""
    days = [f for f in facts if f.kind == "date" and f.unit == claim.unit]  # or months alone
    same = next((f for f in days if f.value == claim.value), None)
    if same is not None or not days:
        return True, same
    words = _content(claim.sentence)
    for f in days:
        if words & _content(f.sentence):
            return False, f
    return True, None


_PERIOD_PREFIX = {"q": "Q", "h": "H"}


def period_at(t: Text, i: int) -> str | None:
    """ "Q3", "H1": a quarter or half written with a letter glued to the digit at token i."""
    if not t.glued(i) or t.types[i] != NUM or t.types[i - 1] != WORD:
        return None
    unit = _PERIOD_PREFIX.get(t.words[i - 1].lower())
    limit = {"Q": 4, "H": 2}.get(unit or "", 0)
    if unit and t.words[i].isdigit() and 1 <= int(t.words[i]) <= limit:
        nxt = i + 1
        if nxt < len(t.words) and t.glued(nxt) and t.types[nxt] in (WORD, NUM):
            return None  # "H20", "Q35X"
        return unit
    return None


def _abbreviated_month(t: Text, k: int, i: int) -> bool:
    low = t.words[k].lower()
    full = ("january", "february", "march", "april", "may", "june", "july", "august")
    if low not in MONTHS or low in full or low.endswith("ber"):
        return False
    return "\n" not in t.text[t.ends[k] : t.starts[i]]


def read_date(
    t: Text, i: int, j: int, value: float, decimals: int, from_words: bool
) -> Draft | None:
    """Month-day, day-month and month-year dates around the number at tokens i..j."""
    if from_words and value > 31:
        return None
    n = len(t.words)
    if decimals or value != int(value):
        return None
    v = int(value)
    if not (1 <= v <= 31 or 1900 <= v <= 2100):
        return None  # neither a day nor a year: no date below reads it
    # skip a glued ordinal suffix ("24th")
    end = j
    if end + 1 < n and t.glued(end + 1) and t.words[end + 1].lower() in ("st", "nd", "rd", "th"):
        end += 1
    prev = i - 1
    if prev >= 1 and t.words[prev] == "." and _abbreviated_month(t, prev - 1, i):
        prev -= 1  # "Mar. 15"; never "March.\n15%": a sentence or line ends there
    month = MONTHS.get(lower_at(t, prev)) if prev >= 0 and t.types[prev] == WORD else None
    if month and t.words[prev][0].isupper():
        if 1900 <= v <= 2100 and len(t.words[i]) == 4:
            return Draft("date", None, None, prev, end, raw=value, date=(v, month, None))
        if 1 <= v <= 31:
            year, last = year_after(t, end)
            return Draft("date", None, None, prev, last, raw=value, date=(year, month, v))
        return None
    nxt = end + 1
    if nxt < n and t.words[nxt].lower() == "of":
        nxt += 1
    if (
        nxt < n
        and t.types[nxt] == WORD
        and t.words[nxt][0].isupper()
        and t.words[nxt].lower() in MONTHS
        and 1 <= v <= 31
        and not _may_a_verb(t, nxt)
    ):
        year, last = year_after(t, nxt)
        return Draft(
            "date", None, None, i, last, raw=value, date=(year, MONTHS[t.words[nxt].lower()], v)
        )
    return None


def _may_a_verb(t: Text, k: int) -> bool:
    """ "May" before a lowercase word may be the verb ("12 May be"); before a stop, a comma or a
    year ("on 12 May.", "12 May 2024") it is the month."""
    if t.words[k].lower() != "may":
        return False
    return k + 1 < len(t.words) and t.types[k + 1] == WORD and t.words[k + 1].islower()


def year_after(t: Text, k: int) -> tuple[int | None, int]:
    """A year after token k ("May 3, 2026"): (year, its token), or (None, k)."""
    m = k + 1
    if m < len(t.words) and t.words[m] == ",":
        m += 1
    # Four characters are not four digits: "Sunday, May 3, 2.30pm" lists a time, not a year.
    if m < len(t.words) and t.types[m] == NUM and len(t.words[m]) == 4 and t.words[m].isdigit():
        y = int(t.words[m])
        if 1900 <= y <= 2100:
            return y, m
    return None, k
