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
from .index import Query
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


def multiple_tags(f: Figure) -> tuple:
    return ("multiple",) if _multiple(f) else ()


def unit_tags(f: Figure) -> tuple:
    return (f.unit,)


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
    if claim.unit in UNITS:
        queries += _converted(claim)
    return queries


def _converted(claim: Figure) -> list[Query]:
    """Values in each other unit that convert to the claim at its precision."""
    if not claim.raw or not _finite(claim.value, claim.raw):
        return []
    half = _step_of(claim)
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
    return [_around("value", x, max(_step_of(claim), abs(x) / 5, 1e-9 * abs(x)))]  # type: ignore[arg-type]


def equivalent(claim: Figure) -> list[Query] | None:
    """Reach of ``equivalents.equivalent``: values near the claim's (equal, at its precision, a
    percent rounded), the same raw number ("100m"), the hour of a time, a percent rise of a
    multiple, and every multiple or decade."""
    x = claim.value
    if not _finite(x):
        return None
    half = max(_step_of(claim), 0.5, 1e-9 * abs(x))  # type: ignore[arg-type]
    queries: list[Query] = [_around("value", x, half), ("tag", multiple_tags, "multiple")]  # type: ignore[arg-type]
    queries.append(("tag", unit_tags, "decade"))
    if claim.raw is not None:
        queries.append(("tag", raw_tags, claim.raw))
    if claim.kind == "date" and claim.unit == "time":
        hours = int(x or 0) // 60  # type: ignore[arg-type]
        queries += [_around("value", float(h), 0.0) for h in (hours, hours % 12 or 12)]
    if _multiple(claim):
        for reading in (x, x + 1):  # type: ignore[operator]
            queries.append(_around("value", (reading - 1) * 100, 1e-9 * abs(reading) * 100 + 1e-9))
    return queries
