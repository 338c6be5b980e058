"""Support beyond equal values: bounds, stated precision and forms that say the same thing.

- Bounds: "more than 30" is supported by a stated 34, "up to 3,000" by 3,000 or by the top of
  "between 2,000 and 3,000". The source value must lie on the claimed side of the bound and
  within one step of the last digit the claim states (a bound rounds the value it stands for:
  "more than 30" is 31 to 39, not 900, and "more than 9%" is not how anyone writes 10%). A
  hedged source value supports only the same hedge and value: "under 25" does not support
  "under 26", an edit annotators call wrong though it is implied.
- Stated precision: "about $41bn" is $40.8bn at the precision the summary states; "about 40%"
  states tens, so 38% supports it. The same holds for fractions the source writes in words ("a
  third" supports 33%), and a fraction the summary writes in words is the source's percent at the
  precision the source states ("a third" for 33% or 33.3%, not for 35%).
- Equal in other forms: "halved"/"cut in half" and a 50% fall, "doubled"/"quadrupled" and a
  100%/300% rise; a bare number in the source and the same value with a currency in the
  summary when the source ties no other currency to that value (some corpora strip "$" and
  "£"); "at 7" and "7 pm"; a year and a count of the same digits ("shipped 2023 units" is
  a count, "reduce 2023 expenses" a year: the reading may differ between the two texts); "the
  90s" and "the 1990s".
- Multiples: "tripled", "threefold", "three times" and a 200% rise (see ``_same_multiple``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .figure import Figure
from .qualifiers import VERB_BOUNDS

_INCLUSIVE = frozenset(
    {"at least", "no less than", "no fewer than", "or more", "+", "up to", "at most",
     "no more than", "not more than", "as many as", "as much as", "as high as", "plus"}
) | VERB_BOUNDS  # fmt: skip


def precision(f: Figure) -> float:
    """The step of the last digit the figure states: 41 -> 1, 40 -> 10, 40.8 -> 0.1."""
    if f.decimals:
        return 10.0**-f.decimals
    raw = abs(f.raw or 0)
    if raw == 0 or raw != int(raw):
        return 1.0
    step, n = 1.0, int(raw)
    while n % 10 == 0 and n >= 10:
        step, n = step * 10, n // 10
    return step


def at_precision(claim: Figure, value: float) -> bool:
    """``value`` (in the claim's units) rounds to the claim at the precision the claim states."""
    if claim.raw is None or claim.value is None or not claim.raw:
        return False
    per_unit = claim.value / claim.raw  # scale and currency factor
    step = precision(claim)
    return abs(value / per_unit - claim.raw) <= step / 2 + 1e-9 * step


def _fact_bound(fact: Figure) -> str:
    """A range's ends are bounds: "between 2,000 and 3,000" is at least 2,000, at most 3,000."""
    if fact.group_type == "range" and fact.group and fact.bound == "exact":
        pos, size = fact.group
        if pos == 0:
            return "above"
        if pos == size - 1:
            return "below"
    return fact.bound


def within_bound(claim: Figure, fact: Figure) -> bool:
    """The fact lies where the claim's bound or hedge says (see the module docstring)."""
    x, v = claim.value, fact.value
    if claim.unit == "time" and x is not None and v is not None:
        return _near_time(claim.bound, x, v, _fact_bound(fact))
    if x is None or v is None or x <= 0 or claim.raw is None or not claim.raw:
        return False
    side = _fact_bound(fact)
    if claim.bound == "approx":
        return side in ("exact", "approx") and at_precision(claim, v)
    if side == claim.bound:
        return math.isclose(v, x)  # "up to 3,000" and the top of "2,000 to 3,000"
    if side not in ("exact", "approx") or claim.bound not in ("above", "below"):
        return False
    step = precision(claim) * claim.value / claim.raw  # one step of the last stated digit
    inclusive = (claim.qualifier or "").lower() in _INCLUSIVE
    if claim.kind == "percent" and not any(ch.isdigit() for ch in claim.text):
        step, inclusive = x / 5, True  # "almost a third": 27% to a third; "over a third": to 40%
    if claim.bound == "above":
        return (v > x or inclusive and math.isclose(v, x)) and v < x + step
    return (v < x or inclusive and math.isclose(v, x)) and v > x - step


_NEAR_MINUTES = 30  # "about 3pm", "shortly after 3pm": within half an hour


def _near_time(bound: str, x: float, v: float, side: str) -> bool:
    """A hedged time of day (minutes after midnight) against a stated one: "about 3pm" and
    "shortly after 3pm" for 3.15pm, "just before 3pm" for 2.50pm."""
    if side not in ("exact", "approx"):
        return False
    if bound == "approx":
        return abs(v - x) <= _NEAR_MINUTES
    if bound == "above":
        return 0 <= v - x <= _NEAR_MINUTES
    return bound == "below" and 0 <= x - v <= _NEAR_MINUTES


def equivalent(claim: Figure, fact: Figure, facts: Sequence[Figure]) -> bool:
    """The fact states the claim's quantity in another form (see the module docstring)."""
    ck, fk = claim.kind, fact.kind
    if ck == "percent" and fk == "percent" and not any(ch.isdigit() for ch in fact.text):
        return fact.value is not None and at_precision(claim, fact.value)  # "a third": 33%
    if ck == "percent" and fk == "percent" and not any(ch.isdigit() for ch in claim.text):
        return _rounds_to(claim.value, fact) or _near_share(claim, fact)  # 33%: "a third"
    if (
        _multiple(claim)
        and (fk == "percent" or _multiple(fact))
        or ck == "percent"
        and _multiple(fact)
    ):
        return _same_multiple(claim, fact)
    if claim.unit == "decade" and fk in ("year", "date") and claim.value and claim.value >= 1000:
        return fact.date is not None and 0 <= (fact.date[0] or 0) - claim.value < 10  # 1998
    if claim.bound == "approx" and _inside_range(claim, fact, facts):
        return True  # "about $4.5bn", the middle of "$4.4bn to $4.6bn"
    if claim.unit == fact.unit == "decade" and claim.value is not None and fact.value is not None:
        short, full = sorted((claim.value, fact.value))
        return short < 100 <= full and full % 100 == short  # "the 90s" and "the 1990s"
    if {ck, fk} == {"year", "count"} and claim.value is not None:
        count = claim if ck == "count" else fact
        plain = "," not in count.text  # "2,026 cars" is a count, never a year
        return plain and _close(claim.value, fact.value)  # "2023 expenses": year or count
    if ck == "money" and fk in ("number", "count") and fact.unit is None:
        return _close(claim.value, fact.value) and not _other_currency(claim, facts)
    if _points_of(claim, fact) or _points_of(fact, claim):
        return _close(claim.value, fact.value)  # "fell 5 points" for "5 percentage points"
    if _metres_or_millions(claim, fact) or _metres_or_millions(fact, claim):
        return True  # "won the 100m" and "the 100m sprint": the source says which "m"
    if ck == "date" and claim.unit == "time" and fk in ("number", "count") and fact.unit is None:
        hours, minutes = divmod(int(claim.value or 0), 60)
        return minutes == 0 and fact.value in (float(hours), float(hours % 12 or 12))
    return False


def _points_of(count: Figure, points: Figure) -> bool:
    """A count of "points" and a difference in percentage points."""
    noun = (count.counts or "").lower().split()[:1]
    return (
        count.kind == "count"
        and noun in (["points"], ["point"])
        and (points.kind == "percentage_points")
    )


def _metres_or_millions(millions: Figure, metres: Figure) -> bool:
    """A bare "100m" read as millions and the same "100m" (or "100 metres") the other text reads
    as metres."""
    return (
        millions.kind in ("number", "count")
        and metres.kind == "number"
        and millions.unit is None
        and millions.scale == 1e6
        and millions.text.rstrip().endswith("m")
        and metres.unit == "m"
        and millions.raw == metres.raw
    )


_COMPARATIVES = frozenset({"higher", "more", "bigger", "larger", "greater", "faster"})


def _multiple(f: Figure) -> bool:
    """ "tripled", "threefold", "3x", or "three times" (a count of "times")."""
    return f.unit == "times" or f.kind == "count" and (f.counts or "").lower()[:5] == "times"


def _same_multiple(claim: Figure, fact: Figure) -> bool:
    """ "tripled", "threefold", "three times" and a 200% rise say the same. "Three times higher"
    is read as three or four times as much (usage differs): when readings differ, any of them
    supports (an ambiguous figure is no evidence against). Two counts of "times" are compared
    as counts ("won three times" is not "won four times"), so never here."""
    if claim.kind == fact.kind == "count":
        return False
    if claim.bound in ("above", "below") and claim.value and fact.value is not None:
        times = fact.value / 100 + 1 if fact.kind == "percent" else fact.value
        if claim.bound == "above":  # "more than tripled": 3.4 times, not 4.5
            return claim.value < times < claim.value + 1
        return claim.value * 0.8 <= times < claim.value  # "nearly tripled": 2.4 to 3 times
    readings = []
    for f in (claim, fact):
        if f.value is None:
            return False
        if f.kind == "percent":
            readings.append({f.value / 100 + 1})  # a 200% rise: three times as much
            continue
        words = set((f.counts or "").lower().split())
        readings.append({f.value, f.value + 1} if words & _COMPARATIVES else {f.value})
    return any(_close(a, b) for a in readings[0] for b in readings[1])


def _near_share(claim: Figure, fact: Figure) -> bool:
    """A hedged fraction in words ("about a quarter") is within a tenth of itself: 24%."""
    x, v = claim.value, fact.value
    return claim.bound == "approx" and x is not None and v is not None and abs(v - x) <= x / 10


def _inside_range(claim: Figure, fact: Figure, facts: Sequence[Figure]) -> bool:
    """The fact starts a range the claim's value lies in (both ends in the claim's kind)."""
    if fact.group_type != "range" or fact.group != (0, 2) or claim.value is None:
        return False
    if fact.kind != claim.kind or fact.unit != claim.unit or fact.value is None:
        return False
    top = [f for f in facts if f.group_text == fact.group_text and f.group == (1, 2)]
    return bool(top) and top[0].value is not None and fact.value <= claim.value <= top[0].value


def _rounds_to(value: float | None, fact: Figure) -> bool:
    """``value`` rounded to the decimals the fact writes is the fact ("a third" and 33%). The
    fact's trailing zeros are digits here: a source's "20%" is not "about 20%"."""
    if value is None or fact.raw is None or fact.value is None:
        return False
    return math.isclose(round(value, fact.decimals or 0), fact.value)


def _other_currency(claim: Figure, facts: Sequence[Figure]) -> bool:
    return any(
        f.kind == "money" and f.unit != claim.unit and _close(f.value, claim.value) for f in facts
    )


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
