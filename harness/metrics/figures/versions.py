"""Versioned names ("Llama 4", "iOS 19", "Galaxy S30", "737 MAX 9", "Tier 1", "5G").

Digits inside a name are not a quantity, but a name the summary states with a version its source
never names is an error of its own: "Llama 4" for a source about Llama 3. A name is kept as the
lowercase letters and digits of its span (its *key*: "Llama-4" and "Llama 4" are both "llama4");
it is supported when the source names it, or when its key appears in the source's letters and
digits (lenient on purpose: a name is flagged only when the source never writes it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .figure import Figure
from .names import is_capitalized_name
from .numbers import SCALES
from .text import NUM, SYM, WORD, Text

_NOT_ALNUM = re.compile(r"[\W_]+")
_FISCAL = re.compile(r"fy(\d{2}|\d{4})")


def capital_suffix(t: Text, j: int) -> bool:
    """Capital letters glued after the number at token j: "5G", "3D", "4K" (a name, not a
    measure; lowercase suffixes such as "24h" or "5km" are units)."""
    k = j + 1
    return (
        k < len(t.words)
        and t.glued(k)
        and t.types[k] == WORD
        and t.words[k].isupper()
        and t.words[k].lower() not in SCALES
    )


def name_span(t: Text, i: int, k: int) -> tuple[int, int]:
    """The tokens of the name whose digits run from token i to k: the glued chain around them
    and, when the chain holds no letters, the capitalized words before it ("Llama 4", "737 MAX
    9"); a hyphenated lowercase word after it is not part of it ("Sims 3-based")."""
    while k - 2 >= i and t.types[k] == WORD and t.words[k].islower() and t.words[k - 1] == "-":
        k -= 2
    while k > i and t.types[k] == SYM:
        k -= 1  # "Llama 4." ends a sentence
    first = i
    while (
        first > 0 and t.glued(first) and (t.types[first - 1] != SYM or t.words[first - 1] in "-./")
    ):
        first -= 1
    has_letters = any(t.types[q] == WORD for q in range(first, k + 1))
    if not has_letters and is_capitalized_name(t, first - 1):
        first -= 1
        while first > 0 and (t.types[first - 1] == NUM or is_capitalized_name(t, first - 1)):
            if not _same_line(t, first - 1, first):
                break
            first -= 1
    return first, k


def _same_line(t: Text, a: int, b: int) -> bool:
    return "\n" not in t.text[t.ends[a] : t.starts[b]]


def key(text: str) -> str:
    return _NOT_ALNUM.sub("", text.lower())


@lru_cache(maxsize=256)
def _plain(source: str) -> str:
    return key(source)


def _base(name_key: str) -> str:
    """The letters of a name's key: "llama4" -> "llama", "737max9" -> "max"."""
    return "".join(ch for ch in name_key if not ch.isdigit())


def check_names(claims: Iterable[Figure], facts: Sequence[Figure], source: str) -> list:
    """The names of the summary that its source does not write, as unsupported checks.

    A name is supported when the source writes it (as a name or anywhere in its letters and
    digits), or, for a name joined by a hyphen, writes its base with no number at all ("COVID"
    for "COVID-19"); it is unsupported when the source gives the same base another version
    ("Llama 3" for "Llama 4") or never writes the name ("Llama 4" for a source saying "Llama").
    """
    from .support import Check  # support imports nothing from here; avoid a cycle at load

    known = {f.unit for f in facts}
    names = None
    out = []
    for c in claims:
        claim_key = c.unit or ""
        if claim_key in known or claim_key in _plain(source):
            continue
        if claim_key[-2:-1].isdigit() and claim_key[-1] == "s" and claim_key[:-1] in _plain(source):
            continue  # "over-75s" (those over 75) where the source says "over 75"
        fiscal = _FISCAL.fullmatch(claim_key)
        if fiscal and ("20" + fiscal.group(1)[-2:]) in _plain(source):
            continue  # "FY24" where the source says "fiscal 2024"
        names = names or _Names(facts)
        base = _base(claim_key)
        rivals = names.by_base.get(base, [])
        if not rivals and "-" in c.text and len(base) >= 3 and base in _plain(source):
            continue  # "COVID-19" where the source says "COVID"
        nearest = rivals[0] if rivals else names.nearest(c)
        out.append(Check(c, False, nearest=nearest, reason="name"))
    return out


class _Names:
    """The source's names by base, and the first name starting with each start, so a long
    source is not searched whole for each name of the summary."""

    def __init__(self, facts: Sequence[Figure]):
        self.by_base: dict[str, list[Figure]] = {}
        self._first_with: dict[str, Figure] = {}
        for f in facts:
            name_key = f.unit or ""
            self.by_base.setdefault(_base(name_key), []).append(f)
            for n in range(1, len(name_key) + 1):
                self._first_with.setdefault(name_key[:n], f)

    def nearest(self, claim: Figure) -> Figure | None:
        """The first source name sharing the longest start with the claim's ("llama3" for
        "llama4"); None when none shares its first character."""
        name_key = claim.unit or ""
        for n in range(len(name_key), 0, -1):
            found = self._first_with.get(name_key[:n])
            if found is not None:
                return found
        return None
