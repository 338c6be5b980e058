"""Figures a summary computes from two source figures: "fell from 120 to 60" is "halved", "rose
from 5% to 8%" is "up 3 points", "$40m and $10m, a total of..." make "$50m".

Conservative on purpose, since an edited figure is often some difference of two others: only
two figures of the same kind, unit and per-unit noun count; a change ("halved", "up 3 points",
"rose by $10m", "tripled", "a 25% rise") only from a change the source states in one sentence
("from 120 to 60", "60, down from 120", "compared with"), in its direction, a percent change
from the earlier value, and a difference only where the summary states a change ("rose by
$10m", not "rose to $10m"); a sum only when the summary says it is one ("a total of",
"combined") and the two figures are in the same or the next sentence; a total or change counts
what both figures count. The result must round to the claim at the decimals it writes and lie
within 1% of it ("$3 billion" is no sum of $2.6bn and $0.46bn), or, for a hedged or bounded
claim, lie where the hedge or bound says. Dates, years, times and ordinals are never computed
with. A percent is never the difference of two percents (points or a relative change?).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from .equivalents import precision
from .figure import Figure
from .index import Group, Sorted

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
    if not f.counts or f.counts[:4].lower() != "per ":
        return ""
    words = f.counts.lower().split()
    return words[1] if len(words) > 1 else ""


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
            if _operands(b) and alike and b.unit == a.unit and _same_per(a, b):
                yield a, b


def _same_per(a: Figure, b: Figure) -> bool:
    """The same "per", or one stated once for both ("to £12.21 an hour from £11.44")."""
    pa, pb = _per(a), _per(b)
    return pa == pb or not (pa and pb)


def _between(a: Figure, b: Figure) -> list[str]:
    """The words between two figures of one sentence (none when they are in two)."""
    if a.sentence != b.sentence:
        return []
    return list(_words_between(a.sentence, a.text, b.text))


@lru_cache(maxsize=4096)  # each pair of a source is looked at for each claim not found in it
def _words_between(sentence: str, text_a: str, text_b: str) -> tuple[str, ...]:
    start = sentence.find(text_a)
    end = sentence.find(text_b, start + len(text_a)) if start >= 0 else -1
    return (
        tuple(re.findall(r"[a-z]+", sentence[start + len(text_a) : end].lower()))
        if end >= 0
        else ()
    )


def _a_change(a: Figure, b: Figure, cue: frozenset[str] = _CHANGE_WORDS) -> bool:
    """The source states a change between the two: "from 120 to 60", "60, down from 120" (or,
    with ``cue`` {"of"}, a part of a whole: "500 of its 5,000 staff", "10% of its staff")."""
    between = _between(a, b)
    return len(between) <= 10 and bool(cue.intersection(between))


_NEW_FIRST = _CHANGE_WORDS - {"to"}


def _old_new(a: Figure, b: Figure) -> tuple[float, float]:
    """The earlier and the later value of a stated change: "from 40 to 50" gives the earlier
    first, "50, up from 40" and "50, compared with 40" last (so a rise is never called a fall,
    and a percent change is taken from the earlier value: 40 to 50 is 25%, not 20%)."""
    words = set(_between(a, b))
    if "to" in words and not words & _NEW_FIRST:
        return a.value or 0.0, b.value or 0.0
    return b.value or 0.0, a.value or 0.0


def _nouns_agree(claim: Figure, a: Figure, b: Figure) -> bool:
    """A total or change counts what both figures count ("a total of 20 people" is no sum of 12
    people and 8 homes; "150 teachers" no change of pupils)."""
    from .support import _counts_ok  # support imports this module

    return _counts_ok(claim.counts, a.counts) and _counts_ok(claim.counts, b.counts)


def _states(claim: Figure, value: float, scaled: bool = True) -> bool:
    """``value`` rounds to the claim at the decimals the claim writes, within 1% of it; a hedged
    claim ("about 12%" for 12.5%) needs only the rounding; a bounded one ("more than doubled",
    "nearly tripled") the value on its side within one step of its last digit, as a stated
    bound does (equivalents.py)."""
    if claim.raw is None or not claim.value or not claim.raw:
        return False
    x, v = claim.raw, value / (claim.value / claim.raw if scaled else 1.0)
    if claim.bound in ("above", "below"):
        step = precision(claim)
        return x < v < x + step if claim.bound == "above" else x - step < v < x
    step = 10.0**-claim.decimals
    rounds = abs(v - x) <= step / 2 + 1e-9 * step
    return rounds and (claim.bound == "approx" or abs(v - x) <= 0.01 * abs(x))


def _points(claim: Figure) -> bool:
    """A difference of percentages: "3 percentage points", "up 3 points"."""
    if claim.kind == "percentage_points":
        return True
    noun = (claim.counts or "").lower().split()[:1]
    return claim.kind == "count" and noun in (["points"], ["point"])


def computed(claim: Figure, facts: Sequence[Figure], group: Group | None = None) -> Figure | None:
    """The second of two source figures the claim is computed from, or None. With ``group``
    (the facts, indexed), only the pairs whose sum, difference or ratio could be the claim are
    tried (see ``_derived``)."""
    if claim.value is None:
        return None
    total = bool(_SUM.search(claim.sentence))
    for a, b in _candidate_pairs(claim, facts, group):
        computes = total and _summed(claim, a, b) or _a_change(a, b) and _changed(claim, a, b)
        computes = computes or _level_before(claim, a, b)
        if computes and _nouns_agree(claim, a, b):
            return b
        if _part_of(claim, a, b):
            return b
    return _share_of(claim, facts, group)


_OF = frozenset({"of"})


def _part_of(claim: Figure, a: Figure, b: Figure) -> bool:
    """ "500 of its 5,000 staff" (or "of its 5,000 staff, 500") states 10% of staff."""
    if claim.kind != "percent" or a.kind == "percent" or not a.value or not b.value:
        return False
    if _states(claim, (a.value or 0.0) / b.value * 100, False) and _a_change(a, b, _OF):
        return True
    whole_first = _near_words(a, before=True)[-3:].count("of") and 0 < b.value < a.value
    return (
        bool(whole_first)
        and len(_between(a, b)) <= 8
        and _states(claim, b.value / a.value * 100, False)
    )


def _near_words(f: Figure, before: bool) -> list[str]:
    """The words of a figure's sentence before (or after) it."""
    return list(_words_beside(f.sentence, f.text, before))


@lru_cache(maxsize=4096)
def _words_beside(sentence: str, text: str, before: bool) -> tuple[str, ...]:
    start = sentence.find(text)
    if start < 0:
        return ()
    return tuple(
        re.findall(
            r"[a-z]+", (sentence[:start] if before else sentence[start + len(text) :]).lower()
        )
    )


_THEM = (["of", "them"], ["of", "those"], ["of", "these"], ["of", "which"], ["of", "whom"])


def _shares(facts: Sequence[Figure]) -> Iterator[tuple[Figure, Figure, bool]]:
    """(percent, whole, "of them") for each percent and a figure it may be a share of: one of
    the next three, or, with "of them" after it, of the three before ("10% of its 5,000 staff",
    "5,000 staff, 10% of them")."""
    for i, p in enumerate(facts):
        if p.kind != "percent" or p.unit != "%" or not _operands(p):
            continue
        of_them = _near_words(p, before=False)[:2] in _THEM
        for whole in [*facts[i + 1 : i + 4], *(facts[max(i - 3, 0) : i] if of_them else ())]:
            yield p, whole, of_them


def _share_of(claim: Figure, facts: Sequence[Figure], group: Group | None) -> Figure | None:
    """ "10% of its 5,000 staff" states 500 staff."""
    if claim.kind == "percent":
        return None
    for p, whole, of_them in _candidate_shares(claim, facts, group):
        share = (p.value or 0.0) / 100 * (whole.value or 0.0)
        if (
            whole.kind != "percent"
            and _operands(whole)
            and _same_kind(claim, whole)
            and _states(claim, share)
            and (_a_change(p, whole, _OF) or of_them and whole.sentence == p.sentence)
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
    """The claim is the change between the two figures, in the direction the source states."""
    old, new = _old_new(a, b)
    if old == new or claim.direction and claim.direction != ("up" if new > old else "down"):
        return False
    low, high = sorted((old, new))
    if _points(claim):
        return a.kind == "percent" and _states(claim, high - low, scaled=False)
    if claim.kind == "percent" and a.kind != "percent" and old > 0:
        return _states(claim, (high - low) / old * 100, False)  # "from 120 to 60": halved
    if claim.unit == "times" and claim.kind == "number" and low > 0:
        return new > old and _states(claim, high / low, scaled=False)  # "from 2 to 6": tripled
    return (
        _same_kind(claim, a)
        and claim.kind != "percent"
        and _a_stated_change(claim)
        and _states(claim, high - low)
    )


def _level_before(claim: Figure, a: Figure, b: Figure) -> bool:
    """ "fell by £129 to £1,720" states the level before the change: £1,849."""
    if a.direction not in ("up", "down") or claim.kind == "percent" or not _same_kind(claim, a):
        return False
    if _between(a, b) != ["to"] or _near_words(a, before=True)[-1:] != ["by"]:
        return False
    change = (a.value or 0.0) if a.direction == "down" else -(a.value or 0.0)
    return _states(claim, (b.value or 0.0) + change)


# Words beside a figure that make it a change ("rose by $10m", "a $10m rise", "150 more"),
# not a level ("rose to $10m", "profit was $10m").
_CHANGE_BEFORE = frozenset(
    """by up down rose fell grew gained lost added shed jumped climbed dropped increased
    decreased cut raised lowered slipped slid surged plunged""".split()  # noqa: SIM905
)
_CHANGE_AFTER = frozenset(
    """rise rises increase increases fall falls drop drops gain gains decline declines jump
    more fewer less higher lower up down""".split()  # noqa: SIM905
)


def _a_stated_change(claim: Figure) -> bool:
    before, after = _near_words(claim, before=True)[-1:], _near_words(claim, before=False)[:1]
    return bool(_CHANGE_BEFORE.intersection(before) or _CHANGE_AFTER.intersection(after))


# The reach of the rules above, through the index (index.py): every rule ends in ``_states``,
# which holds only when the figure computed lies within one step of the claim's last digit, in
# the claim's units or as written. So a pair (or a share) is tried only when one of the values
# it can compute lies in that window; any new computation must add its value to ``_derived``.


def _derived(a: float, b: float) -> Iterator[float]:
    """What two values compute: their sum, difference, change in percent, ratio and shares."""
    low, high = sorted((a, b))
    yield a + b
    yield high - low
    for old in (a, b):
        if old:
            yield (high - low) / old * 100
    if low > 0:
        yield high / low
    if b:
        yield a / b * 100
    if a:
        yield b / a * 100


def _windows(claim: Figure) -> list[tuple[float, float]] | None:
    """Where a value computed for the claim must lie (None: anywhere)."""
    if not claim.raw or not claim.value:
        return []
    if not (math.isfinite(claim.raw) and math.isfinite(claim.value)):
        return None
    x, step = claim.raw, 2 * precision(claim)
    per = claim.value / claim.raw
    scaled = sorted((per * (x - step), per * (x + step)))
    return [(x - step, x + step), (scaled[0], scaled[1])]


def _within(claim: Figure, group: Group, name: str, build) -> list | None:
    """The items of a memoized (items, values index) whose value lies in the claim's windows."""
    if name not in group.memo:
        items = list(build(group.figures))
        values = Sorted((v, k) for k, item in enumerate(items) for v in _values(name, item))
        group.memo[name] = (items, values)
    items, values = group.memo[name]
    windows = _windows(claim)
    if windows is None:
        return items
    found = {k for lo, hi in windows for k in values.within(lo, hi)}
    return [items[k] for k in sorted(found)]


def _values(name: str, item: tuple) -> Iterator[float]:
    if name == "pairs":
        yield from _derived(item[0].value or 0.0, item[1].value or 0.0)
    else:  # a share: the percent of the whole
        yield (item[0].value or 0.0) / 100 * (item[1].value or 0.0)


def _candidate_pairs(claim: Figure, facts: Sequence[Figure], group: Group | None):
    if group is None:
        return _pairs(facts)
    if group.small:  # no index, but the pairs are found once per source
        if "pair list" not in group.memo:
            group.memo["pair list"] = list(_pairs(facts))
        return group.memo["pair list"]
    return _within(claim, group, "pairs", _pairs)


def _candidate_shares(claim: Figure, facts: Sequence[Figure], group: Group | None):
    if group is None or group.small:
        return _shares(facts)
    return _within(claim, group, "shares", _shares)
