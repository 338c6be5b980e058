"""Support: whether the source states each summary figure (:func:`support`), and when it does
not, the nearest source figure and the reason (:data:`REASONS`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import reach
from .arithmetic import computed
from .consistency import contradicts_itself
from .durations import compound_duration
from .ellipsis import repeats_rival
from .equivalents import at_precision, equivalent, within_bound
from .figure import Figure
from .index import FactIndex, Group, Query, index_of, tagged
from .measures import UNITS, in_claim_units, in_units_of, same_dimension
from .months import dated_check
from .names import name_words
from .nearest import nearest_of
from .rates import rate_over_period
from .subjects import may_conflict, subject_conflict
from .text import STOP
from .units import currency_ok


def _close(a: float, b: float, rel_tol: float) -> bool:
    return math.isclose(a, b, rel_tol=max(rel_tol, 1e-9), abs_tol=1e-12)


def _rounds_to(claim: Figure, fact: Figure) -> bool:
    """The claim is the fact rounded to the digits the claim shows ("$53bn" for "$52.9bn", "67%"
    for 67.3%): within half a unit of its last digit. A whole number's trailing zeros count as
    digits ("20" is not 15), so another figure at the same precision ("16" for 15) never is.
    A claim of one significant digit rounds away up to a third of its value ("3%" for 2.5% is
    how an edit drops a decimal), so it must also be within 5% of the fact; a scale that is not
    a power of ten ("two dozen") is no precision."""
    if claim.raw is None or fact.value is None or claim.value is None or claim.raw == 0:
        return False
    if claim.scale <= 0 or not math.log10(claim.scale).is_integer():
        return False
    per_unit = claim.value / claim.raw  # scale and currency factor of the claim
    step = 10.0**-claim.decimals
    if abs(fact.value / per_unit - claim.raw) > step / 2 + 1e-9 * step:
        return False
    return _significant(claim) >= 2 or abs(fact.value - claim.value) <= 0.05 * abs(claim.value)


def _significant(f: Figure) -> int:
    """Significant digits as written: "67" 2, "1.5" 2, "20" 1, "0.5" 1."""
    digits = f"{abs(f.raw or 0):.{f.decimals}f}".replace(".", "").lstrip("0")
    return len(digits if f.decimals else digits.rstrip("0"))


def _bound_rivals(claim: Figure, pool: Group) -> bool:
    """The source bounds the same thing the same way at another value ("at least $6 per share"
    against "at least $7 per share"): a stated value inside the bound then proves nothing."""
    if not claim.counts:
        return False
    return any(
        f.bound == claim.bound and f.counts and _counts_ok(claim.counts, f.counts)
        for f in pool.candidates(tagged, reach.bound_tags, claim.bound)
        if _same_unit(claim, f)
    )


def _count_words(counts: str) -> set[str]:
    """The noun phrase of what a figure counts, cut where a verb or adverb starts ("25 people
    sent things": people, not things), as 5-letter stems."""
    words = []
    for w in re.findall(r"[^\W\d_]+", counts.lower()):
        if words and w.endswith(("ed", "ing", "ly")):
            break
        words.append(w[:5])
    return set(words) - STOP


def _count_tags(f: Figure) -> tuple:
    """A counted figure's keys: each word it counts, or ("none",) when no word is left."""
    if not f.counts:
        return ()
    words = _count_words(f.counts)
    return ("counted", *(("word", w) for w in words)) if words else ("counted", "none")


def _count_reach(claim: Figure) -> list[Query]:
    """The counted figures ``_counts_ok`` may accept for the claim's noun."""
    words = _count_words(claim.counts or "")
    if not words:
        return [("tag", _count_tags, "counted")]
    return [("tag", _count_tags, key) for key in ("none", *(("word", w) for w in words))]


def _counts_ok(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    sa, sb = _count_words(a), _count_words(b)
    return not sa or not sb or bool(sa & sb)


_GENERIC = frozenset({"peopl", "perso", "indiv"})
# Stems of nouns for people: what a summary may call "people" ("11,000 employees").
_PERSONS = _GENERIC | frozenset(
    """emplo worke staff resid users custo membe stude patie child adult voter passe soldi
    troop offic citiz famil women men visit touri fans playe migra refug victi inhab perso
    teach docto nurse""".split()  # noqa: SIM905
)


def _generic_count(counts: str) -> bool:
    """ "people", "persons": words a summary uses for any group ("11,000 employees")."""
    words = {w.lower()[:5] for w in re.findall(r"[^\W\d_]+", counts)} - STOP
    return words <= _GENERIC


def _of_persons(counts: str | None) -> bool:
    return bool(counts) and bool(_count_words(counts or "") & _PERSONS)


def _same_unit(claim: Figure, fact: Figure) -> bool:
    """Kind, currency and unit agree (values aside)."""
    ck, fk = claim.kind, fact.kind
    if ck == "year":
        return fk in ("year", "date") and fact.date is not None and fact.unit != "time"
    if ck == "date":
        return fk == "date" and claim.unit == fact.unit
    if ck == "money":
        return fk == "money" and currency_ok(claim.unit, fact.unit)
    if ck in ("percent", "percentage_points"):
        return fk == ck
    bare = {"number", "count", "duration"}
    if ck in bare and fk in bare:
        if claim.unit in ("ordinal", "times") or fact.unit in ("ordinal", "times"):
            return claim.unit == fact.unit
        if claim.unit and fact.unit and not same_dimension(claim.unit, fact.unit):
            return False
        if ck == "duration" and fk == "duration":
            return True
        return ck == fk or "number" in (ck, fk)
    return False


def _same_value(claim: Figure, fact: Figure, rel_tol: float, rounding: bool) -> bool:
    if claim.kind == "year":
        return fact.date is not None and fact.date[0] == (claim.date or (None,))[0]
    if claim.kind == "date":
        if claim.unit in ("time",):
            return claim.value == fact.value
        cy, cm, cd = claim.date or (None, None, None)
        fy, fm, fd = fact.date or (None, None, None)
        if cm != fm or (cd is not None and cd != fd):
            return False
        return cy is None or cy == fy or fy is None
    a, b = claim.value, fact.value
    if a is None or b is None:
        return False
    if claim.kind != fact.kind and "duration" in (claim.kind, fact.kind):
        a, b = claim.raw, fact.raw  # "45-year-old" against a bare "45"
        if a is None or b is None:
            return False
    if claim.unit != fact.unit and claim.unit in UNITS and fact.unit in UNITS:
        return at_precision(claim, in_units_of(b, fact.unit, claim.unit))  # "7.5 miles": 12 km
    if _close(a, b, rel_tol):
        return True
    durations = "duration" in (claim.kind, fact.kind)
    return rounding and (claim.kind == fact.kind or not durations) and _rounds_to(claim, fact)


def _bound_ok(claim: str, fact: str, strict: bool) -> bool:
    if claim == "approx":
        return True
    if claim == "exact":
        return not strict or fact in ("exact", "approx")
    return claim == fact


def _diagnose(claim: Figure, index: FactIndex, rel_tol: float) -> tuple[Figure | None, str]:
    """The source figure the claim was most likely meant as, and why it does not match."""
    facts = index.all
    same_value = [
        f
        for f in facts.candidates(reach.close, claim.value, rel_tol)
        if f.value is not None and claim.value is not None and _close(claim.value, f.value, rel_tol)
    ]
    same_raw = facts.candidates(tagged, reach.raw_tags, claim.raw)
    if claim.kind in ("year", "date"):
        nearest = nearest_of(claim, index.kindred(claim.kind), lambda f: _same_unit(claim, f))
        return (nearest, "value") if nearest is not None else (None, "not in source")
    for f in same_value:
        if f.kind == claim.kind == "money" and not currency_ok(f.unit, claim.unit):
            return f, "currency"
    if claim.raw is not None:
        for f in same_raw:
            if f.raw == claim.raw and f.scale != claim.scale and _same_unit(claim, f):
                return f, "scale"
    if same_value and not any(_same_unit(claim, f) for f in same_value):
        return same_value[0], "unit"
    if claim.kind == "money" and claim.raw is not None:
        for f in same_raw:
            if f.kind == "money" and f.raw == claim.raw and not currency_ok(f.unit, claim.unit):
                return f, "currency"
    nearest = nearest_of(claim, index.kindred(claim.kind), lambda f: _same_unit(claim, f))
    if nearest is not None:
        return nearest, "value"
    if claim.raw is not None:
        for f in same_raw:
            if f.raw == claim.raw and f.kind != claim.kind:
                return f, "unit"
    return None, "not in source"


@dataclass(frozen=True)
class Check:
    """The verdict on one summary figure."""

    figure: Figure
    supported: bool
    match: Figure | None = None  # the source figure that supports it
    nearest: Figure | None = None  # for an unsupported figure, what it was likely meant as
    reason: str | None = None  # one of REASONS when unsupported


def support(
    claims: Iterable[Figure],
    facts: Sequence[Figure],
    rel_tol: float = 0.0,
    rounding: bool = True,
    strict_qualifiers: bool = False,
    entity_binding: bool = True,
) -> list[Check]:
    """Check each claim (summary figure) against the facts (source figures).

    Each rule is tried only on the facts within its reach (reach.py, index.py): the verdicts
    are those of trying every fact, at a fraction of the cost on a long source."""
    index = index_of(facts, _COMPATIBLE)
    out = []
    claims = list(claims)
    for c in claims:
        if c.unit in ("weekday", "month"):  # the weekdays through the index, months all
            if c.unit == "weekday":
                dated = index.all.candidates(tagged, reach.weekday_tags, True)
            else:
                dated = facts
            ok, other = dated_check(c, dated)
            out.append(Check(c, True, match=other) if ok else Check(c, False, None, other, "value"))
            continue
        itself = contradicts_itself(c, claims)
        if itself is not None:  # "$4bn, down from $3.4bn"
            out.append(Check(c, False, nearest=itself, reason="direction"))
            continue
        pool = index.pool(c.kind)
        matches = [
            f
            for f in pool.candidates(reach.same_value, c, rel_tol, rounding)
            if _same_unit(c, f) and _same_value(c, f, rel_tol, rounding)
        ]
        if c.kind == "date" and matches and not _year_stated(c, matches, index):
            matches = []
        hedged = [f for f in matches if _bound_ok(c.bound, f.bound, strict_qualifiers)]
        if not hedged and c.bound != "exact" and not _bound_rivals(c, pool):
            near = pool.candidates(reach.within_bound, c)
            hedged = [f for f in near if _same_unit(c, f) and within_bound(c, in_claim_units(c, f))]
        if not matches and not hedged:
            out.append(_unmatched(c, claims, facts, index, rel_tol))
            continue
        out.append(_matched(c, matches, hedged, pool, facts, rel_tol, entity_binding))
    return out


def _unmatched(
    c: Figure, claims: Sequence[Figure], facts: Sequence[Figure], index: FactIndex, rel_tol: float
) -> Check:
    """A claim no source figure states as it is: an equivalent or computed one, or the reason."""
    near = index.all.candidates(reach.equivalent, c)
    alike = next((f for f in near if equivalent(c, f, facts)), None)
    alike = alike or computed(c, facts, index.all)
    alike = alike or rate_over_period(c, claims, facts) or compound_duration(c, facts)
    if alike is not None and c.direction and alike.direction not in (None, c.direction):
        return Check(c, False, nearest=alike, reason="direction")
    if alike is not None:
        return Check(c, True, match=alike)
    nearest, reason = _diagnose(c, index, rel_tol)
    return Check(c, False, nearest=nearest, reason=reason)


def _matched(
    c: Figure,
    matches: Sequence[Figure],
    hedged: Sequence[Figure],
    pool: Group,
    facts: Sequence[Figure],
    rel_tol: float,
    entity_binding: bool,
) -> Check:
    """A claim some source figure states: supported unless the hedge, the direction, the noun
    counted or the name or subject it is bound to says otherwise."""
    if not hedged:
        whole = compound_duration(c, facts)  # "just over three hours": 3 hours 12 minutes
        if whole is not None:
            return Check(c, True, match=whole)
        return Check(c, False, nearest=matches[0], reason="qualifier")
    if c.direction and all(f.direction and f.direction != c.direction for f in hedged):
        return Check(c, False, nearest=hedged[0], reason="direction")
    counted = _count_conflict(c, hedged, pool, rel_tol)
    if counted is not None:
        return Check(c, False, nearest=counted, reason="value")
    if entity_binding:
        conflict = _entity_conflict(c, hedged, pool, rel_tol)
        if conflict is None and may_conflict(c):  # "revenue rose 12%": a common noun's
            near = pool.candidates(tagged, reach.sentence_tags, *{f.sentence for f in hedged})
            conflict = subject_conflict(c, hedged, near)
        if conflict is not None:
            return Check(c, False, nearest=conflict, reason="entity")
    return Check(c, True, match=hedged[0])


def _year_stated(claim: Figure, matches: Sequence[Figure], index: FactIndex) -> bool:
    """A date's year is supported by a match in that year, or, when no match gives a year
    ("the third quarter"), by the source stating that year somewhere."""
    year = (claim.date or (None,))[0]
    if year is None or any((f.date or (None,))[0] == year for f in matches):
        return True
    if any((f.date or (None,))[0] is not None for f in matches):
        return False  # the source dates this quarter, and in other years
    stated = index.all.candidates(tagged, reach.year_tags, year)
    return any(f.date and f.date[0] == year for f in stated)


_COMPATIBLE = {
    "money": ("money",),
    "percent": ("percent",),
    "percentage_points": ("percentage_points",),
    "count": ("count", "number", "duration"),
    "number": ("number", "count", "duration"),
    "duration": ("duration", "number", "count"),
    "year": ("year", "date"),
    "date": ("date",),
}


def _count_conflict(
    claim: Figure, matches: Sequence[Figure], pool: Group, rel_tol: float
) -> Figure | None:
    """A source count of the same thing with another value, when no match counts that thing.

    Count nouns are often paraphrased ("11,000 employees" / "11,000 people"), so a different
    noun alone proves nothing; "3,000 people in shelters" is wrong when the source gives 2,000
    people and 3,000 firefighters. A percent names its noun too ("a 30% discount" is wrong
    when the source offers a 15% discount and saves "up to 30% on water").
    """
    kind = claim.kind
    if kind not in ("count", "percent") or not claim.counts:
        return None
    if _generic_count(claim.counts) and any(_of_persons(f.counts) for f in matches):
        return None  # "11,000 people" for "11,000 employees"
    if any(f.kind == kind and f.counts and _counts_ok(claim.counts, f.counts) for f in matches):
        return None
    for f in pool.candidates(_count_reach, claim):
        if (
            f.kind == kind
            and f.counts
            and _counts_ok(claim.counts, f.counts)
            and f.value is not None
            and claim.value is not None
            and not _close(f.value, claim.value, rel_tol)
            and repeats_rival(claim, matches, f)
        ):
            return f
    return None


def _entity_conflict(
    claim: Figure, matches: Sequence[Figure], pool: Group, rel_tol: float
) -> Figure | None:
    """A source figure that gives the claim's entity another value, when no match names it."""
    name = name_words(claim.entity)
    if not name:
        return None
    if any(not name_words(f.entity) or name & name_words(f.entity) for f in matches):
        return None
    sentences = [m.sentence for m in matches]
    for f in pool.candidates(tagged, reach.sentence_tags, *sentences):
        if (
            f.kind == claim.kind
            and f.unit == claim.unit
            and name & name_words(f.entity)
            and f.value is not None
            and claim.value is not None
            and not _close(f.value, claim.value, rel_tol)
            and f.sentence in {m.sentence for m in matches}
        ):
            return f
    return None
