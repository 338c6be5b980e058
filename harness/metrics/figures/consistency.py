"""A summary that contradicts itself: "$4bn this year, down from $3.4bn" states a fall to a higher
value. Whatever the source says, such a figure is wrong (reason ``direction``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .figure import Figure

# A few words ("this year"), then "up from"/"down from" and the old value.
_FROM = re.compile(r"(?:\s+[^\W\d_]+){0,3},?\s+(up|down)\s+from\s+", re.I)


def contradicts_itself(claim: Figure, claims: Sequence[Figure]) -> Figure | None:
    """The old value the claim's "up from"/"down from" names, when the values say otherwise."""
    if claim.value is None or claim.kind in ("year", "date") or "from" not in claim.sentence:
        return None
    at = claim.sentence.find(claim.text)
    said = _FROM.match(claim.sentence, at + len(claim.text)) if at >= 0 else None
    if said is None:
        return None
    rest = claim.sentence[said.end() :]
    for old in claims:
        if (
            old.sentence == claim.sentence
            and old.kind == claim.kind
            and old.unit == claim.unit
            and old.value is not None
            and rest.startswith(old.text)
        ):
            up = said.group(1).lower() == "up"
            wrong = old.value > claim.value if up else old.value < claim.value
            return old if wrong else None
    return None
