"""Figures written in forms the main reader does not expect (with words around them: wordforms.py).

Times of day with am/pm ("9.30am", "6 pm"), decades and age brackets ("the 70s", "in their
40s"), quarters and halves written as ordinals or digit-first ("second quarter", "first-half",
"4Q20"), ISO and numeric dates ("2025-07-14", "14/07/2025"), numbers grouped the way other
locales write them ("2.500.000", "2 500 000", "3,2 million") and numbers spoken in transcripts
("twenty - five", "twelve point five").
"""

from __future__ import annotations

import re

from .comparisons import twice_as
from .dates import DAY_NAMES, weekday
from .figure import Draft
from .measures import read_temperature, read_unit_hyphen
from .months import FULL_MONTHS, bare_month
from .periods import START_WORDS as PERIOD_STARTS
from .periods import a_period, share_of_a_point
from .text import _LONGEST_NUMBER, ID, NUM, WORD, Text, lower_at
from .wordforms import (
    WORD_STARTS,
    a_fortnight,
    fraction,
    half,
    hyphenated,
    ordinal_hyphen,
    share,
    share_digits,
    year_count,
)

_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_ORDINAL_DIGITS = {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_THIN_SPACES = ("\u00a0", "\u202f", "\u2009")


def _glued(t: Text, k: int) -> bool:
    return k < len(t.words) and t.glued(k)


def read_form(t: Text, i: int, wordnums: dict) -> Draft | None:
    """A figure written in one of the forms above starting at token i, or None."""
    if t.types[i] == WORD:
        low = t.lows[i]
        if i not in wordnums and low not in WORD_STARTS and "-" not in low:
            return None  # most words start no form: skip them cheaply
        for reader in _WORD_DISPATCH[low, i in wordnums]:
            if d := reader(t, i, wordnums):
                return d
        return None
    if t.types[i] != NUM:
        return None
    for reader in _DIGIT_DISPATCH[t.words[i + 1] if i + 1 < len(t.words) else ""]:
        if d := reader(t, i):
            return d
    return None


def _meridiem(t: Text, k: int) -> tuple[str | None, int]:
    """ "am"/"pm"/"a.m."/"p.m." at token k: (which, its last token)."""
    low = lower_at(t, k)
    if low in ("am", "pm"):
        return low, k
    if low in ("a", "p") and lower_at(t, k + 1) == "." and lower_at(t, k + 2) == "m":
        return low + "m", k + 2 + (lower_at(t, k + 3) == ".")
    return None, k


def _time(t: Text, i: int) -> Draft | None:
    """ "9.30am", "9:30 pm", "6pm": minutes after midnight."""
    word, last = t.words[i], i
    hours, _, minutes = word.partition(".")
    if len(minutes) not in (0, 2) or not hours.isdigit():
        return None
    after = t.words[i + 2] if i + 2 < len(t.words) else ""
    colon = lower_at(t, i + 1) == ":" and _glued(t, i + 1)
    if not minutes and colon and len(after) == 2 and after.isdigit():
        minutes, last = after, i + 2
    meridiem, end = _meridiem(t, last + 1)
    h, m = int(hours), int(minutes or 0)
    if meridiem is None or not 1 <= h <= 12 or m > 59:
        return None
    minutes_total = (h % 12 + (12 if meridiem == "pm" else 0)) * 60 + m
    return Draft("date", float(minutes_total), "time", i, end, raw=float(minutes_total))


def _iso_date(t: Text, i: int) -> Draft | None:
    """ "2025-07-14" (year, month, day)."""
    w = t.words
    if not (
        len(w[i]) == 4
        and w[i].isdigit()
        and i + 4 < len(w)
        and all(_glued(t, k) for k in range(i + 1, i + 5))
    ):
        return None
    if w[i + 1] != "-" or w[i + 3] != "-" or not (w[i + 2] + w[i + 4]).isdigit():
        return None
    y, m, d = int(w[i]), int(w[i + 2]), int(w[i + 4])
    if 1900 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= 31 and len(w[i + 4]) == 2:
        return Draft("date", None, None, i, i + 4, raw=float(d), date=(y, m, d))
    return None


def _numeric_date(t: Text, i: int) -> Draft | None:
    """ "14/07/2025" or "07/14/2025", read only when the order is unambiguous."""
    w = t.words
    if not (i + 4 < len(w) and w[i + 3] == w[i + 1] and w[i + 1] in "/."):
        return None  # tested first: most numbers followed by "." end a sentence
    if t.types[i + 4] != NUM or not all(_glued(t, k) for k in range(i + 1, i + 5)):
        return None
    if not (w[i].isdigit() and w[i + 2].isdigit() and w[i + 4].isdigit() and len(w[i + 4]) == 4):
        return None
    a, b, y = int(w[i]), int(w[i + 2]), int(w[i + 4])
    if a > 12 >= b >= 1 and a <= 31:
        day, month = a, b
    elif b > 12 >= a >= 1 and b <= 31:
        day, month = b, a
    else:
        return None  # 03/04/2025: day-first or month-first depends on the country
    return Draft("date", None, None, i, i + 4, raw=float(day), date=(y, month, day))


def _decade(t: Text, i: int) -> Draft | None:
    """ "the 70s", "in their 40s", "the '90s": a decade or an age bracket (value 70)."""
    w = t.words[i]
    if not (w.isdigit() and len(w) == 2 and w[1] == "0") or lower_at(t, i + 1) != "s":
        return None
    if not _glued(t, i + 1) or _glued(t, i + 2) and t.types[i + 2] in (WORD, NUM):
        return None
    return Draft("number", float(w), "decade", i, i + 1, raw=float(w))


def _digit_q(t: Text, i: int) -> Draft | None:
    """ "4Q", "1Q20", "2H 2021": a quarter or half written digit first."""
    w = t.words
    if not (w[i].isdigit() and i + 1 < len(w) and _glued(t, i + 1) and t.types[i + 1] == WORD):
        return None
    letter = w[i + 1]
    limit = {"Q": 4, "H": 2}.get(letter, 0)
    if not 1 <= int(w[i]) <= limit:
        return None
    last, year = i + 1, None
    if _glued(t, i + 2) and w[i + 2].isdigit() and len(w[i + 2]) in (2, 4):
        year = int(w[i + 2]) + (2000 if len(w[i + 2]) == 2 else 0)
        last = i + 2
    elif _glued(t, i + 2) and t.types[i + 2] in (WORD, NUM):
        return None
    return Draft("date", None, letter, i, last, raw=float(w[i]), date=(year, int(w[i]), None))


def _ordinal_period(t: Text, i: int) -> Draft | None:
    """ "second quarter", "first half", "third-quarter": a quarter or half."""
    low = t.words[i].lower()
    head, _, tail = low.partition("-")
    value = _ORDINAL_WORDS.get(head) or _ORDINAL_DIGITS.get(head)
    last = i
    if not tail:
        tail, last = lower_at(t, i + 1), i + 1
    if value is None or tail not in ("quarter", "half") or (tail == "half" and value > 2):
        return None
    if tail == "quarter" and lower_at(t, last + 1) == "of" and lower_at(t, last + 2) == "a":
        return None  # "a third quarter of a mile"
    unit = "Q" if tail == "quarter" else "H"
    year, end = _year_of(t, last)
    return Draft("date", None, unit, i, end, raw=float(value), date=(year, value, None))


def _year_of(t: Text, k: int) -> tuple[int | None, int]:
    """A year right after token k: "quarter of 2020", "quarter 2020": (year, its token)."""
    m = k + 1 + (lower_at(t, k + 1) == "of")
    word = t.words[m] if m < len(t.words) else ""
    if len(word) == 4 and word.isdigit() and 1900 <= int(word) <= 2100:
        return int(word), m
    return None, k


def ordinal_digit_period(t: Text, i: int) -> Draft | None:
    """ "2nd quarter": the ordinal digits at token i followed by quarter or half."""
    if t.types[i] != NUM or not _glued(t, i + 1):
        return None
    key = t.words[i] + lower_at(t, i + 1)
    if key not in _ORDINAL_DIGITS or lower_at(t, i + 2) not in ("quarter", "half"):
        return None
    value = _ORDINAL_DIGITS[key]
    unit = "Q" if lower_at(t, i + 2) == "quarter" else "H"
    if unit == "H" and value > 2:
        return None
    return Draft("date", None, unit, i, i + 2, raw=float(value), date=(None, value, None))


# ---------------------------------------------------------------------------------------------
# Numbers grouped as other locales group them


_DOTTED_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3}){2,}")


def locale_number(t: Text, i: int) -> tuple[float, int, int] | None:
    """(value, decimals, last token) of "2.500.000", "2 500 000" or "3,2 million" at token i."""
    w = t.words[i]
    if t.types[i] == ID:
        if _DOTTED_THOUSANDS.fullmatch(w):
            return float(w.replace(".", "")), 0, i
        return None
    if t.types[i] != NUM or not w.isdigit() or len(w) > 3 or t.glued(i):
        return None
    return _spaced_thousands(t, i) or _decimal_comma(t, i)


def _spaced_thousands(t: Text, i: int) -> tuple[float, int, int] | None:
    digits, k = t.words[i], i
    thin = False
    while k + 1 < len(t.words) and t.types[k + 1] == NUM and len(t.words[k + 1]) == 3:
        gap = t.text[t.ends[k] : t.starts[k + 1]]
        if gap not in (" ", *_THIN_SPACES) or not t.words[k + 1].isdigit():
            break
        thin = thin or gap != " "
        digits += t.words[k + 1]
        k += 1
        if len(digits) > _LONGEST_NUMBER:
            return None  # a dump of digit groups, not a quantity (and soon beyond a float)
    groups = k - i
    # One group after a plain space is a thousands group when round ("5 000 troops", "12 500"):
    # two numbers side by side rarely are.
    if groups >= 2 or (groups == 1 and (thin or t.words[k].endswith("00"))):
        return float(digits), 0, k
    return None


_AFTER_DECIMAL = frozenset({"%", "million", "billion", "trillion", "percent", "mln", "bn", "mn"})


def _decimal_comma(t: Text, i: int) -> tuple[float, int, int] | None:
    k = i + 2
    if not (k < len(t.words) and t.words[i + 1] == "," and t.glued(i + 1) and t.glued(k)):
        return None
    frac = t.words[k]
    if t.types[k] != NUM or not frac.isdigit() or len(frac) > 2:
        return None
    if lower_at(t, k + 1) not in _AFTER_DECIMAL:
        return None  # "3,2 million", "12,5 %"; "3,2" alone may be a list
    return float(f"{t.words[i]}.{frac}"), len(frac), k


# ---------------------------------------------------------------------------------------------
# Numbers spoken in transcripts

_TENS = frozenset(float(v) for v in range(20, 100, 10))


def join_spoken(t: Text, wordnums: dict[int, tuple[int, float, bool]]) -> None:
    """ "twenty - five" (25) and "twelve point five" / "twelve dot fifty" (12.5), in place."""
    for first in sorted(wordnums):
        if first not in wordnums:
            continue
        last, value, ordinal = wordnums[first]
        if ordinal:
            continue
        nxt = last + 2
        if value in _TENS and lower_at(t, last + 1) in ("-", "–") and nxt in wordnums:
            end, units, is_ord = wordnums[nxt]
            if end == nxt and 1 <= units <= 9:
                wordnums.pop(nxt)
                wordnums[first] = (end, value + units, is_ord)
                continue
        if lower_at(t, last + 1) in ("point", "dot") and nxt in wordnums:
            end, fraction, is_ord = wordnums[nxt]
            if not is_ord and fraction == int(fraction) and t.types[last + 1] == WORD:
                digits = str(int(fraction))
                wordnums.pop(nxt)
                wordnums[first] = (end, value + float("0." + digits), False)


# The readers of forms, in the order they are tried, each with what it needs to read anything:
# for those starting with digits, the token after the digits; for those starting with a word,
# the word (lower case) and whether it is a number word. A reader is tried only where its need
# holds (most numbers are followed by a word no form needs), so each need must hold wherever the
# reader reads a figure; tests/test_figures_speed.py checks this against trying every reader.
_DIGIT_READERS = (
    (_time, lambda after: after.lower() in ("am", "pm", "a", "p", ":")),
    (_iso_date, lambda after: after == "-"),
    (_numeric_date, lambda after: after in ("/", ".")),
    (_decade, lambda after: after.lower() == "s"),
    (_digit_q, lambda after: after in ("Q", "H")),
    (ordinal_digit_period, lambda after: after.lower() in ("st", "nd", "rd", "th")),
    (read_temperature, lambda after: after in ("°", "C", "F")),
    (read_unit_hyphen, lambda after: "-" in after),
    (share_digits, lambda after: after.lower() in ("in", "out")),
    (ordinal_hyphen, lambda after: "-" in after),
    (year_count, lambda after: after.lower().endswith("s")),
)
_WORD_READERS = (
    (lambda t, i, _: _ordinal_period(t, i), lambda low, _: low.partition("-")[0] in ORDINALS),
    (lambda t, i, _: share_of_a_point(t, i), lambda low, _: low in PERIOD_STARTS),
    (lambda t, i, _: a_period(t, i), lambda low, _: low in PERIOD_STARTS),
    (lambda t, i, _: twice_as(t, i), lambda low, _: low == "twice"),
    (lambda t, i, _: bare_month(t, i), lambda low, _: low in FULL_MONTHS),
    (fraction, lambda low, number: number or "-" in low or low in ("a", "an")),
    (
        lambda t, i, _: half(t, i),
        lambda low, _: low in ("in", "by", "half") or low.startswith("halv"),
    ),
    (lambda t, i, _: hyphenated(t, i), lambda low, _: "-" in low),
    (share, lambda low, number: number),
    (lambda t, i, _: a_fortnight(t, i), lambda low, number: number or low in ("a", "an")),
    (
        lambda t, i, _: weekday(t, i),
        lambda low, _: low.replace("’", "'").partition("'")[0] in DAY_NAMES,
    ),
)
ORDINALS = frozenset(_ORDINAL_WORDS) | frozenset(_ORDINAL_DIGITS)
_HALF_STARTS = ("in", "by", "half")  # "cut in half", "fell by half", "half a million"


class _Dispatch(dict):
    """The readers worth trying for each distinct key, worked out once per process."""

    def __init__(self, readers: tuple):
        super().__init__()
        self.readers = readers

    def __missing__(self, key):
        args = key if isinstance(key, tuple) else (key,)
        readers = self[key] = tuple(read for read, needs in self.readers if needs(*args))
        if len(self) > 100_000:
            self.clear()  # a long run's vocabulary: keep the memory bounded
        return readers


_DIGIT_DISPATCH = _Dispatch(_DIGIT_READERS)
_WORD_DISPATCH = _Dispatch(_WORD_READERS)
