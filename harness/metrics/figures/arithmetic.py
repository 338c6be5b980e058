"""Figures a summary computes from two source figures: "fell from 120 to 60" is "halved", "rose
from 5% to 8%" is "up 3 points", "$40m and $10m, a total of..." make "$50m".

Conservative on purpose, since an edited figure is often some difference of two others: only
two figures of the same kind, unit and per-unit noun count; a change ("halved", "up 3 points",
"rose by $10m", "tripled", "a 25% rise") only from a change the source states in one sentence
("from 120 to 60", "60, down from 120", "compared with"); a sum only when the summary says it is
one ("a total of", "combined") and the two figures are in the same or the next sentence. The
result must round to the claim at the decimals it writes and lie within 1% of it ("$3 billion"
is no sum of $2.6bn and $0.46bn). Dates, years, times and ordinals are never computed with. A
percent is never the difference of two percents (it could be points or a relative change).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from .figure import Figure

_NEAR_CHARS = 400  # "the next sentence": both figures within this many characters
_ARITHMETIC_KINDS = frozenset({"money", "percent", "count", "number", "duration"})
_BARE = frozenset({"count", "number"})
_CHANGE_WORDS = frozenset(["from", "to", "compared", "versus", "vs", "against", "than"])
_SUM = re.compile(r"\b(?:total(?:led|ed|ing|s)?|combined|together|altogether|in all|sum)\b", re.I)


def _operands(f: Figure) -> bool:
    return (
        f.kind in _ARITHMETIC_KINDS
        and f.unit not in ("ordinal", "times", "time")
        and f.value is not None
        and f.bound in ("exact", "approx")
    )


def _per(f: Figure) -> str:
    """What a figure is per ("$0.70 per share"), which two operands must share."""
    words = (f.counts or "").lower().split()
    return words[1] if words[:1] == ["per"] and len(words) > 1 else ""


def _pairs(facts: Sequence[Figure]) -> Iterator[tuple[Figure, Figure]]:
    """Two figures of the same kind, unit and "per" in the same or the next sentence."""
    sentence_index, index, last = [], -1, None
    for f in facts:
        if f.sentence != last:
            index, last = index + 1, f.sentence
        sentence_index.append(index)
    for i, a in enumerate(facts):
        if not _operands(a):
            continue
        for j in range(i + 1, len(facts)):
            b = facts[j]
            if sentence_index[j] - sentence_index[i] > 1 or b.start - a.end > _NEAR_CHARS:
                break
            alike = b.kind == a.kind or {a.kind, b.kind} <= _BARE
            if _operands(b) and alike and b.unit == a.unit and _per(a) == _per(b):
                yield a, b


def _a_change(a: Figure, b: Figure, cue: frozenset[str] = _CHANGE_WORDS) -> bool:
    """The source states a change between the two: "from 120 to 60", "60, down from 120" (or,
    with ``cue`` {"of"}, a part of a whole: "500 of its 5,000 staff", "10% of its staff")."""
    if a.sentence != b.sentence:
        return False
    start = a.sentence.find(a.text)
    end = a.sentence.find(b.text, start + len(a.text)) if start >= 0 else -1
    if end < 0:
        return False
    between = re.findall(r"[a-z]+", a.sentence[start + len(a.text) : end].lower())
    return len(between) <= 8 and bool(cue.intersection(between))


def _states(claim: Figure, value: float, scaled: bool = True) -> bool:
    """``value`` rounds to the claim at the decimals the claim writes, within 1% of it."""
    if claim.raw is None or not claim.value or not claim.raw:
        return False
    per_unit = claim.value / claim.raw if scaled else 1.0
    step = 10.0**-claim.decimals
    rounds = abs(value / per_unit - claim.raw) <= step / 2 + 1e-9 * step
    return rounds and abs(value / per_unit - claim.raw) <= 0.01 * abs(claim.raw)


def _points(claim: Figure) -> bool:
    """A difference of percentages: "3 percentage points", "up 3 points"."""
    if claim.kind == "percentage_points":
        return True
    noun = (claim.counts or "").lower().split()[:1]
    return claim.kind == "count" and noun in (["points"], ["point"])


def computed(claim: Figure, facts: Sequence[Figure]) -> Figure | None:
    """The second of two source figures the claim is computed from, or None."""
    if claim.value is None or claim.bound not in ("exact", "approx"):
        return None
    total = bool(_SUM.search(claim.sentence))
    for a, b in _pairs(facts):
        if total and _summed(claim, a, b) or _changed(claim, a, b) and _a_change(a, b):
            return b
        if _part_of(claim, a, b):
            return b
    return _share_of(claim, facts)


_OF = frozenset({"of"})


def _part_of(claim: Figure, a: Figure, b: Figure) -> bool:
    """ "500 of its 5,000 staff" states 10% of staff."""
    if claim.kind != "percent" or a.kind == "percent" or not b.value:
        return False
    return _states(claim, (a.value or 0.0) / b.value * 100, False) and _a_change(a, b, _OF)


def _share_of(claim: Figure, facts: Sequence[Figure]) -> Figure | None:
    """ "10% of its 5,000 staff" states 500 staff."""
    if claim.kind == "percent":
        return None
    for i, p in enumerate(facts):
        if p.kind != "percent" or p.unit != "%" or not _operands(p):
            continue
        for whole in facts[i + 1 : i + 4]:
            share = (p.value or 0.0) / 100 * (whole.value or 0.0)
            if (
                whole.kind != "percent"
                and _operands(whole)
                and _same_kind(claim, whole)
                and _states(claim, share)
                and _a_change(p, whole, _OF)
            ):
                return whole
    return None


def _same_kind(claim: Figure, a: Figure) -> bool:
    if claim.kind in ("money", "percent") and claim.unit != a.unit:
        return False
    return claim.kind == a.kind or {claim.kind, a.kind} <= _BARE


def _summed(claim: Figure, a: Figure, b: Figure) -> bool:
    return _same_kind(claim, a) and _states(claim, (a.value or 0.0) + (b.value or 0.0))


def _changed(claim: Figure, a: Figure, b: Figure) -> bool:
    """The claim is the change between the two figures (their stated change is checked apart)."""
    low, high = sorted((a.value or 0.0, b.value or 0.0))
    if _points(claim):
        return a.kind == "percent" and _states(claim, high - low, scaled=False)
    if claim.kind == "percent" and a.kind != "percent" and low > 0 and low != high:
        # a change in percent, from either figure ("from 120 to 60" and "60, down from 120")
        return any(_states(claim, (high - low) / base * 100, False) for base in (low, high))
    if claim.unit == "times" and claim.kind == "number" and low > 0:
        return _states(claim, high / low, scaled=False)  # "from 2 to 6": tripled
    return _same_kind(claim, a) and claim.kind != "percent" and _states(claim, high - low)
