"""Qualifiers: the hedge written before or after a figure ("over", "nearly", "up to",
"100,000-plus", "or so"), classified as approximate, above or below.
"""

from __future__ import annotations

from .figure import Draft
from .text import SYM, WORD, Text, lower_at

# fmt: off
# Verbs of passing a mark: "sales topped $5bn" is a lower bound, as "more than" is, and they also
# allow the mark itself ("passed 1,000" said of exactly 1,000).
VERB_BOUNDS = frozenset(
    {"topped", "tops", "topping", "exceeded", "exceeds", "exceed", "surpassed", "surpasses",
     "surpassing", "passed", "passes", "crossed"}
)
QUALIFIERS = {
    "about": "approx", "around": "approx", "approximately": "approx", "roughly": "approx",
    "some": "approx", "an estimated": "approx", "estimated": "approx", "circa": "approx",
    "close to": "below", "nearly": "below", "almost": "below", "just under": "below",
    "under": "below", "below": "below", "less than": "below", "fewer than": "below",
    "up to": "below", "as much as": "below", "as many as": "below", "as high as": "below",
    "at most": "below", "no more than": "below", "not more than": "below", "just shy of": "below",
    "over": "above", "more than": "above", "above": "above", "at least": "above",
    "exceeding": "above", "in excess of": "above", "upwards of": "above", "just over": "above",
    "well over": "above", "north of": "above", "no less than": "above", "no fewer than": "above",
    "~": "approx", "≈": "approx", ">": "above", "<": "below",
    **dict.fromkeys(VERB_BOUNDS, "above"),
}
# Hedges of a time of day only ("after 10 years" is a duration, not a bound).
_TIME_QUALIFIERS = {
    "after": "above", "shortly after": "above", "just after": "above", "soon after": "above",
    "before": "below", "shortly before": "below", "just before": "below",
}
# fmt: on


_WITH_TIME = {**QUALIFIERS, **_TIME_QUALIFIERS}
_QUALIFIER_ENDS = frozenset(q.split()[-1] for q in _WITH_TIME)


_NEGATIONS = frozenset({"not", "never", "no", "cannot"})
_FLIPPED = {"above": "below", "below": "above"}


def _negated(t: Text, q: int, bound: str) -> str:
    """ "won't be more than 12" is at most 12: a negation up to three words before a bound
    turns it around ("not more than" is in the table already)."""
    for k in range(q - 1, max(q - 4, -1), -1):
        low = t.words[k].lower()
        if t.types[k] != WORD:
            break
        if low in _NEGATIONS or low.endswith(("n't", "n’t")):
            return _FLIPPED.get(bound, bound)
    return bound


def qualify(t: Text, drafts: list[Draft]) -> None:
    """Read the hedge before (or after) each figure."""
    for d in drafts:
        time = d.unit == "time"  # "at about 2am", "shortly after 3pm"
        if d.kind == "date" and not time or d.unit == "ordinal":
            continue
        table = _WITH_TIME if time else QUALIFIERS
        k = d.first - 1
        found = None
        if k >= 0 and t.types[k] == SYM and t.words[k] in QUALIFIERS:
            found = (t.words[k], k)
        elif k >= 0 and t.words[k].lower() in _QUALIFIER_ENDS:
            for size in (3, 2, 1):
                if k - size + 1 < 0:
                    continue
                words = [t.words[q].lower() for q in range(k - size + 1, k + 1)]
                if any(t.types[q] != WORD for q in range(k - size + 1, k + 1)):
                    continue
                phrase = " ".join(words)
                if phrase in table:
                    found = (" ".join(t.words[q] for q in range(k - size + 1, k + 1)), k - size + 1)
                    break
        if found:
            phrase, q = found
            # "over three years" means "during"; "under 40 people" (no) — only durations
            if d.kind == "duration" and phrase.lower() == "over":
                continue
            d.qualifier, d.bound, d.first = phrase, _negated(t, q, table[phrase.lower()]), q
            continue
        # after: "100,000-plus", "100,000+", "or more", "or so"
        a = d.last + 1
        if a < len(t.words):
            w = t.words[a].lower()
            if w == "+" and t.glued(a):
                d.qualifier, d.bound, d.last = "+", "above", a
            elif w == "-" and t.glued(a) and lower_at(t, a + 1) in ("plus", "odd"):
                word = lower_at(t, a + 1)
                d.qualifier, d.bound, d.last = word, "above" if word == "plus" else "approx", a + 1
            elif w == "or" and lower_at(t, a + 1) in ("more", "so"):
                word = "or " + lower_at(t, a + 1)
                d.qualifier, d.bound, d.last = (
                    word,
                    "above" if word == "or more" else "approx",
                    a + 1,
                )
