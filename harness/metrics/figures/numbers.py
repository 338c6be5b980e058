"""Numbers and number words: scales ("billion", "bn", "k"), fractions and multiples, and number
words of any size read by text2num (``find_numbers``).
"""

from __future__ import annotations

import math
from functools import lru_cache

from text_to_num import find_numbers

from .forms import locale_number
from .text import NUM, WORD, Text, WordClass, lower_at

# fmt: off
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "mm": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "bln": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12,
    "t": 1e12, "lakh": 1e5, "crore": 1e7, "dozen": 12.0,
}
# Letter suffixes that are scales only next to a currency ("$32B"); "7B" alone is a model size.
CURRENCY_ONLY_SCALES = frozenset({"b", "t", "mm"})
FRACTIONS = {"half": 50.0, "halves": 50.0, "third": 100 / 3, "thirds": 100 / 3, "quarter": 25.0}
MULTIPLES = {
    "double": 2, "doubled": 2, "doubles": 2, "doubling": 2, "triple": 3, "tripled": 3,
    "triples": 3, "tripling": 3, "quadruple": 4, "quadrupled": 4, "quadruples": 4,
}
# fmt: on


SPECIAL = frozenset({"dozen", *FRACTIONS, *MULTIPLES})


class _Tok:
    """A token for text2num's find_numbers (which wants objects with ``text()``)."""

    __slots__ = ("t",)

    def __init__(self, t: str):
        self.t = t

    def text(self) -> str:
        return self.t

    def nt_separated(self, previous: _Tok) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


def is_number_word(word: str) -> bool:
    """Whether text2num reads this lowercase word as (part of) a number."""
    return bool(find_numbers([_Tok(word)], "en", 0.0)) or word in ("and", "a")


_NUMBER_WORDS = WordClass(is_number_word)
_ARTICLES = frozenset(("and", "a"))


@lru_cache(maxsize=65536)
def word_values(words: tuple[str, ...]) -> list[tuple[int, int, float, bool]]:
    return [
        (o.start, o.end, o.value, o.is_ordinal)
        for o in find_numbers([_Tok(w) for w in words], "en", 0.0)
    ]


def read_number(t: Text, i: int, wordnums: dict) -> tuple[float, int, int, bool, bool] | None:
    """(value, decimals, last token, is_ordinal, from_words) for a number starting at token i."""
    grouped = locale_number(t, i)
    if grouped is not None:
        value, decimals, j = grouped
        return value, decimals, j, False, False
    if t.types[i] == NUM:
        w = t.words[i]
        decimals = len(w.split(".")[1]) if "." in w else 0
        value = float(w.replace(",", ""))
        if not math.isfinite(value):
            return None  # hundreds of digits: no quantity anyone writes, and beyond a float
        return value, decimals, i, False, False
    if i in wordnums:
        j, value, ordinal = wordnums[i]
        return value, (0 if value == int(value) else 2), j, ordinal, True
    return None


def is_numeral(word: str) -> bool:
    """A word text2num reads as (part of) a number, besides "and" and "a"."""
    return word not in _ARTICLES and is_number_word(word)


_NUMERALS = WordClass(is_numeral)


def _number_word_runs(t: Text, numerals: list[int]) -> list[list[int]]:
    """Each maximal run [first, last] of consecutive word tokens that text2num reads as numbers
    with a numeral in it ("and" and "a" alone are not numbers), from the numerals' positions:
    "and" and "a", among the commonest words, are looked at only next to a numeral."""
    runs: list[list[int]] = []
    lows, types, number_word = t.lows, t.types, _NUMBER_WORDS.answers
    for k in numerals:
        if types[k] != WORD or (runs and k <= runs[-1][1]):
            continue  # read with the run before
        first = last = k
        while first > 0 and types[first - 1] == WORD and lows[first - 1] in _ARTICLES:
            first -= 1
        while last + 1 < len(lows) and types[last + 1] == WORD and number_word[lows[last + 1]]:
            last += 1
        runs.append([first, last])
    return runs


def word_numbers(t: Text, numerals: list[int] | None = None) -> dict[int, tuple[int, float, bool]]:
    """Number words read by text2num: {first token: (last token, value, is ordinal)};
    ``numerals``: the positions of the numerals (:func:`is_numeral`), when already found."""
    if numerals is None:
        numerals = _NUMERALS.positions(t.lows)
    out: dict[int, tuple[int, float, bool]] = {}
    for i, j in _number_word_runs(t, numerals):
        run = tuple(t.lows[i : j + 1])
        for s, e, value, ordinal in word_values(run):
            first, last = i + s, i + e - 1
            if last == first and t.words[first].lower() in SCALES:
                if lower_at(t, first - 1) != "a":
                    continue  # a lone "million" is read with the number before it
                first -= 1  # "a million": text2num leaves the article out
            out[first] = (last, value, ordinal)
    # "two and a half million", "one and a half years"
    for first in sorted(out):
        last, value, ordinal = out[first]
        if ordinal or [lower_at(t, k) for k in range(last + 1, last + 4)] != ["and", "a", "half"]:
            continue
        last, value = last + 3, value + 0.5
        if lower_at(t, last + 1) in ("thousand", "million", "billion", "trillion"):
            last, value = last + 1, value * SCALES[lower_at(t, last + 1)]
            out.pop(last, None)
        out[first] = (last, value, ordinal)
    return out
