"""Whose change a figure states when no proper name says it: "profit rose 12% to £450m, while
revenue rose 5% to £3.2bn" gives 12% to profit and 5% to revenue, so "revenue rose 12%" moves a
figure to another subject.

A figure's subject is the words of its clause before the change verb that governs it ("rose",
"fell", "grew": direction.py's words) and after any earlier change verb, function words aside.
The summary's figure conflicts when every source figure of its value has a subject that does
not include the summary's, and the source gives the summary's subject, in the same sentence,
another value of the same kind. A figure with no change verb right before it, a member of a
list, or a subject the source never names, is no evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .direction import DOWN, UP
from .figure import Figure
from .text import STOP

_CLAUSE = re.compile(r"[,;:()]|[.!?]\s|\b(?:while|whereas|but|and|with)\b", re.I)
_WORD = re.compile(r"[^\W\d_]+")
_NOUNS = frozenset(
    {"profit", "profits", "surplus", "loss", "losses", "deficit", "growth", "expansion",
     "contraction", "upturn", "uptick", "downturn", "reduction", "increase", "decrease", "decline"}
)  # fmt: skip
_VERBS = (UP | DOWN) - _NOUNS
_SCALE_WORDS = frozenset({"bn", "m", "mn", "k", "tn", "p", "pc", "billion", "million", "trillion"})
# Words that may stand between a change verb and its figure: "rose by 12% to £450m".
_GOVERNED = frozenset(
    {"by", "to", "from", "of", "about", "around", "nearly", "almost", "some", "over", "more",
     "than", "less", "a", "an", "the", "just", "roughly", "up", "down", "as", "much"}
)  # fmt: skip


def subject(f: Figure) -> frozenset[str]:
    """Stems of the words before the change verb of the figure's clause (empty: none)."""
    return _subject(f.sentence, f.text)


@lru_cache(maxsize=4096)
def _subject(sentence: str, text: str) -> frozenset[str]:
    at = sentence.find(text)
    if at < 0:
        return frozenset()
    words = _WORD.findall(_CLAUSE.split(sentence[:at])[-1].lower())
    verbs = [k for k, w in enumerate(words) if w in _VERBS]
    if not verbs or not set(words[verbs[-1] + 1 :]) <= _GOVERNED:
        return frozenset()  # no change verb, or other words between: "on revenue of £3.2bn"
    start = verbs[-2] + 1 if len(verbs) > 1 else 0  # "net income fell 8% as sales rose 3%"
    nouns = words[start : verbs[-1]]
    return frozenset(w[:5] for w in nouns if w not in STOP and w not in _SCALE_WORDS)


def may_conflict(claim: Figure) -> bool:
    """Whether a subject can tell against the claim at all (a percent or money, not listed)."""
    return claim.kind in ("percent", "money") and claim.group_type not in ("list", "respectively")


def subject_conflict(
    claim: Figure, matches: Sequence[Figure], pool: Sequence[Figure]
) -> Figure | None:
    """A source figure giving the claim's subject another value, when no match is of it."""
    if not may_conflict(claim):
        return None  # "revenues and earnings rose 19% and 38%, respectively": one clause
    sentences = {m.sentence for m in matches}
    rivals = [
        f
        for f in pool
        if f.kind == claim.kind
        and f.unit == claim.unit
        and f.sentence in sentences
        and f.value != claim.value
    ]
    said = subject(claim) if rivals else frozenset()
    if not said or any(not subject(m) or said <= subject(m) for m in matches):
        return None
    return next((f for f in rivals if said <= subject(f)), None)
