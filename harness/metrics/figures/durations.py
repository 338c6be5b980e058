"""A duration the source writes in two units ("eight years and six months", "three hours and 12
minutes", "26 minutes 31 seconds") is one length of time: "eight and a half years", "just over
three hours".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from .equivalents import at_precision, within_bound
from .figure import Figure

_JOIN = re.compile(r"\s*(?:,|and|,\s*and)?\s*")


def _compounds(facts: Sequence[Figure]) -> Iterator[Figure]:
    """Each larger-then-smaller pair of durations written together, as one duration."""
    for a, b in zip(facts, facts[1:], strict=False):
        if a.kind != b.kind or a.kind != "duration" or a.sentence != b.sentence:
            continue
        if a.value is None or b.value is None or not 0 < b.value < a.value:
            continue
        at = a.sentence.find(a.text)
        end = a.sentence.find(b.text, at + len(a.text)) if at >= 0 else -1
        if end >= 0 and _JOIN.fullmatch(a.sentence[at + len(a.text) : end]):
            yield replace(a, value=a.value + b.value, bound="exact", group=None, group_type=None)


def compound_duration(claim: Figure, facts: Sequence[Figure]) -> Figure | None:
    """The source duration, written in two units, that the claim states."""
    if claim.kind != "duration" or claim.value is None:
        return None
    for total in _compounds(facts):
        if claim.bound == "exact" and at_precision(claim, total.value or 0.0):
            return total
        if claim.bound != "exact" and within_bound(claim, total):
            return total
    return None
