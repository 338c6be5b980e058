"""The reach of each support rule: the source figures a rule could accept for a claim, as index
queries (index.py), so the rule is tried only on those.

A reach is a necessary condition of its rule, and generous: a value window at least twice the
rule's tolerance, every key the rule allows. A reach that is too wide costs time only; one too
narrow changes verdicts, so **a rule that starts accepting other values must widen its reach
here** (tests/test_figure_index.py compares every verdict with the brute-force one). ``None``
means any figure may do.
"""

from __future__ import annotations

import math

from .equivalents import _multiple, precision
from .figure import Figure
from .index import Query, tagged
from .measures import UNITS, in_units_of

_TINY = 1e-12  # the absolute tolerance of the value comparisons


def year_tags(f: Figure) -> tuple:
    return (f.date[0],) if f.date is not None else ()


def month_tags(f: Figure) -> tuple:
    return ((f.date or (None, None, None))[1],)


def bound_tags(f: Figure) -> tuple:
    return (f.bound,)


def sentence_tags(f: Figure) -> tuple:
    return (f.sentence,)


def raw_tags(f: Figure) -> tuple:
    return (f.raw,) if f.raw is not None and not math.isnan(f.raw) else ()


def weekday_tags(f: Figure) -> tuple:
    return (True,) if f.kind == "date" and f.unit == "weekday" else ()


def _around(axis: str, x: float, half: float) -> Query:
    return (axis, x - 2 * half - _TINY, x + 2 * half + _TINY)


def _finite(*numbers: float | None) -> bool:
    return all(n is not None and math.isfinite(n) for n in numbers)


def _step_of(claim: Figure) -> float:
    """The claim's value per unit of its raw number (scale, currency), times its precision."""
    return abs((claim.value or 0.0) / (claim.raw or 1.0)) * precision(claim)


def close(x: float | None, rel_tol: float) -> list[Query] | None:
    """The values ``support._close`` (or ``equivalents._close``) may call equal to ``x``."""
    if not _finite(x):
        return None
    tol = max(rel_tol, 1e-9)
    if tol >= 0.5:
        return None
    return [_around("value", x, tol * abs(x) / (1 - tol))]  # type: ignore[arg-type]


def same_value(claim: Figure, rel_tol: float, rounding: bool) -> list[Query] | None:
    """Reach of ``support._same_value``: the year, the month, the time, or values close to the
    claim's (its value, its raw number against a duration, the claim rounded, other units)."""
    if claim.kind == "year":
        return [("tag", year_tags, (claim.date or (None,))[0])]
    if claim.kind == "date":
        if claim.unit == "time":
            return close(claim.value, 0.0)
        return [("tag", month_tags, (claim.date or (None, None, None))[1])]
    x, raw = claim.value, claim.raw
    queries = close(x, rel_tol)
    if queries is None:
        return None
    if rounding and raw and _finite(raw):
        queries.append(_around("value", x, abs(x / raw) * 10.0**-claim.decimals))  # type: ignore[operator]
    if raw is not None:  # a duration against a bare number compares the numbers as written
        if not _finite(raw):
            return None
        queries.append(("raw", *close(raw, rel_tol)[0][1:]))  # type: ignore[index]
    return queries + _converted(claim, _step_of(claim))


def _converted(claim: Figure, half: float) -> list[Query]:
    """Values in each other unit that convert to within ``half`` of the claim's value."""
    if claim.unit not in UNITS or not claim.raw or not _finite(claim.value, claim.raw):
        return []
    queries: list[Query] = []
    for unit in UNITS:
        factor = in_units_of(1.0, unit, claim.unit or "")
        if unit != claim.unit and factor:
            low, high = sorted(((claim.value or 0.0) - half, (claim.value or 0.0) + half))
            for axis in ("value", "raw"):
                queries.append(_around(axis, (low + high) / 2 / factor, abs(half / factor)))
    return queries


_NEAR_MINUTES = 30  # equivalents._near_time's reach


def within_bound(claim: Figure) -> list[Query] | None:
    """Reach of ``equivalents.within_bound``: a few steps of the claim's last digit, a fifth of
    a fraction written in words, half an hour of a time."""
    x = claim.value
    if not _finite(x):
        return None
    if claim.unit == "time":
        return [_around("value", x, _NEAR_MINUTES)]  # type: ignore[arg-type]
    if not claim.raw or not _finite(claim.raw):
        return None
    half = max(_step_of(claim), abs(x) / 5, 1e-9 * abs(x))  # type: ignore[arg-type]
    # and in other units: a measure may be bounded in another ("about 500 miles": 800 km)
    return [_around("value", x, half), *_converted(claim, half)]  # type: ignore[arg-type]


def equivalent(claim: Figure) -> list[Query] | None:
    """Reach of ``equivalents.equivalent``: a fact near the claim's value (equal, at its
    precision, a percent rounded, a fraction in words within a fifth), with the same number
    as written ("100m"), a multiple, a decade, the start of a range (for a hedged claim); for
    a multiple, a percent rise of about as many times; for a time, its hour. A decade may be
    any fact (a year or date in it)."""
    x = claim.value
    if not _finite(x) or claim.unit == "decade":
        return None
    half = max(_step_of(claim), 0.5, 1e-9 * abs(x))  # type: ignore[arg-type]
    if not any(ch.isdigit() for ch in claim.text):
        half = max(half, abs(x) / 5)  # type: ignore[arg-type]
    queries = [_around("value", x, half), *tagged(form_tags, "multiple", "decade")]  # type: ignore[arg-type]
    if claim.raw is not None:
        queries += tagged(raw_tags, claim.raw)
    if claim.bound != "exact":
        queries += tagged(form_tags, "range start")
    if claim.unit == "time":
        hours = int(x or 0) // 60  # type: ignore[arg-type]
        queries += [_around("value", float(h), 0.0) for h in (hours, hours % 12 or 12)]
    if _multiple(claim):  # as many times, or a rise of (times - 1) * 100%, hedged or not
        low, high = sorted((0.8 * x - 2, x + 2))  # type: ignore[operator]
        queries += [("value", low, high), ("value", (low - 1) * 100, (high - 1) * 100)]
    return queries


def form_tags(f: Figure) -> tuple:
    """The forms ``equivalent`` compares apart from values: a multiple, a decade, the start
    of a range."""
    tags = ("multiple",) if _multiple(f) else ()
    tags += ("decade",) if f.unit == "decade" else ()
    if f.group_type == "range" and f.group and f.group[0] == 0:
        tags += ("range start",)
    return tags
