"""Counts whose noun the source leaves out: "14 people were killed and more than 60 injured",
"it displaced 1.2 million people and killed at least 87", "won 411 of the 650 seats".

The source states the summary's value (60, 87, 411) without the summary's noun, and gives that
noun another value nearby (14 people, 1.2 million people, 650 seats). The noun is left out
because the sentence already named it, so the other value is evidence against the summary only
when the summary says of its figure what the source says of the other one: "60 people were
killed" repeats "14 people were killed", while "60 people were hurt" does not. The words that
say it are the few around each figure; the words around the source's own statement of the
value ("and killed at least 87") are no evidence either way.
"""

from __future__ import annotations

import re

from .figure import Figure
from .text import STOP

_REACH = 4  # words either side of a figure that say what is said of it
_WORD = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d")
_CLAUSE = re.compile(r"[,;:()]|\band\b|\bbut\b|\bwhile\b")


def _stems(words: list[str]) -> set[str]:
    return {w.lower()[:5] for w in words if w.lower() not in STOP}


def _position(f: Figure) -> int:
    """Where the figure stands in its sentence: of the places its text is written, the first
    followed by what it counts ("all 10 people", not "only 10 machines"); -1 if nowhere."""
    at = f.sentence.find(f.text)
    noun = (f.counts or "").split()[:1]
    while noun and at >= 0 and not f.sentence[at + len(f.text) :].lstrip().startswith(noun[0]):
        at = f.sentence.find(f.text, at + 1)
    return at if at >= 0 else f.sentence.find(f.text)


def _around(f: Figure, before: bool = True) -> set[str]:
    """Stems of the words next to the figure in its sentence, up to the figures either side."""
    at = _position(f)
    if at < 0:
        return set()
    left = _DIGITS.split(f.sentence[:at])[-1] if before else ""
    right = _DIGITS.split(f.sentence[at + len(f.text) :])[0]
    return _stems(_WORD.findall(left)[-_REACH:] + _WORD.findall(right)[:_REACH])


# Words after a number that say something of what it counts rather than name it ("60 injured").
_PREDICATES = frozenset({"dead", "hurt", "missing", "short", "alive", "more", "fewer", "left"})


def _elided(match: Figure) -> bool:
    """The source states the value without a noun: bare, or followed by what is said of it."""
    first = _WORD.findall(match.counts or "")[:1]
    return not first or first[0].lower().endswith("ed") or first[0].lower() in _PREDICATES


def _clause(f: Figure) -> set[str]:
    """Stems of the words of the figure's clause ("60 people were injured | and 14 killed")."""
    at = _position(f)
    if at < 0:
        return _stems(_WORD.findall(f.sentence))
    left = _CLAUSE.split(f.sentence[:at])[-1]
    right = _CLAUSE.split(f.sentence[at + len(f.text) :])[0]
    return _stems(_WORD.findall(left) + _WORD.findall(right))


def _own_words(match: Figure) -> set[str]:
    """What the source says of its statement of the value: a bare number ("and killed at least
    87") shares the words on both sides; one with a noun or predicate ("60 injured") has its own."""
    if not match.counts:
        return _around(match)
    return _around(match, before=False)


def repeats_rival(claim: Figure, matches: list[Figure], rival: Figure) -> bool:
    """The claim says of its figure what the source says of the rival, and not of the matches
    (source figures of the claim's value that state another noun or none). Only for counts: a
    percent's noun is what it measures ("a 30% discount")."""
    elided = [m for m in matches if _elided(m)]
    if claim.kind != "count" or not elided:
        return True
    own = set().union(*(_own_words(m) for m in elided))
    noun = _stems(_WORD.findall(claim.counts or "")[:1] + _WORD.findall(rival.counts or "")[:1])
    said = _around(rival) - own - noun
    return bool(said & _clause(claim))  # what the summary says of its own figure
