"""Figures written with words around them: shares ("a fifth of", "three in ten"), halves
("halved", "cut in half"), hyphenated number words ("fifth-biggest", "seven-storey"), a year-shaped
count ("it shipped 2023 units") and the noun a percent is of ("a 15% discount")."""

from __future__ import annotations

from .dates import DAY_NAMES, MONTHS
from .figure import Draft
from .text import NUM, STOP, WORD, Text, lower_at


def _glued(t: Text, k: int) -> bool:
    return k < len(t.words) and t.glued(k)


_DENOMINATORS = {
    "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4, "fifth": 5,
    "fifths": 5, "sixth": 6,
    "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9,
    "ninths": 9, "tenth": 10, "tenths": 10,
}  # fmt: skip
_HALVES = frozenset({"halved", "halve", "halves", "halving"})
# Words that may start a form read from words (number words are checked apart).
_MONTH_NAMES = [m for m in MONTHS if len(m) > 3 or m == "may"]  # months.bare_month
WORD_STARTS = frozenset(
    {"first", "second", "third", "fourth", "a", "an", "in", "by", "half", "twice", *_HALVES,
     *DAY_NAMES, *(d + "'s" for d in DAY_NAMES), *(d + "’s" for d in DAY_NAMES), *_MONTH_NAMES}
)  # fmt: skip
# The commonest of those start a form only before one of a few words ("a fifth", "a fortnight",
# "in half", "by half", "a week", "a decade": periods.py); elsewhere no reader reads them, so
# they are not tried.
_AFTER_A = frozenset({*_DENOMINATORS, "fortnight", "week", "decade", "century"})
PAIRED_STARTS = {
    "a": _AFTER_A,
    "an": _AFTER_A,
    "in": frozenset({"half"}),
    "by": frozenset({"half"}),
}
_WHOLE_SCALES = {"dozen": 12.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def _share_of_scale(t: Text, share: float, first: int, k: int) -> Draft | None:
    """ "a quarter of a million", "half a dozen" (the scale at token k): a count, not a share."""
    scale = _WHOLE_SCALES.get(lower_at(t, k))
    if scale is None or lower_at(t, k - 1) not in ("a", "an", "one"):
        return None
    from .quantities import counted_words  # quantities imports numbers, which imports this
    from .units import currency_after

    value = share / 100 * scale
    code, end = currency_after(t, k)
    if code and "/" not in code:  # "a quarter of a million pounds"
        return Draft("money", value, code, first, end, raw=value)
    return Draft("count", value, None, first, k, raw=value, counts=counted_words(t, k))


def a_fortnight(t: Text, i: int) -> Draft | None:
    """ "a fortnight": two weeks ("a week", "a year" are too often rates to be figures)."""
    if lower_at(t, i) in ("a", "an", "one") and lower_at(t, i + 1) == "fortnight":
        return Draft("duration", 14.0, "days", i, i + 1, raw=1.0, counts="fortnight")
    return None


def _small(t: Text, i: int, wordnums: dict) -> tuple[float, int] | None:
    """A whole number written at token i ("a", "one", "three", "3"): (value, last token)."""
    low = lower_at(t, i)
    if low in ("a", "an"):
        return 1.0, i
    if i < len(t.words) and t.types[i] == NUM and t.words[i].isdigit():
        return float(t.words[i]), i
    if i in wordnums and not wordnums[i][2]:
        return wordnums[i][1], wordnums[i][0]
    return None


def fraction(t: Text, i: int, wordnums: dict) -> Draft | None:
    """ "a fifth of", "two-fifths", "three tenths": a share, as percent."""
    head, _, tail = t.words[i].lower().partition("-")
    if tail in _DENOMINATORS and tail != "quarter":
        values = [v for s, e, v, o in _word_values_of(head) if not o]
        if len(values) == 1:
            share = values[0] / _DENOMINATORS[tail] * 100
            return Draft("percent", share, "%", i, i, raw=share)
        return None
    read = _small(t, i, wordnums)
    if read is None:
        return None
    value, last = read
    denominator = lower_at(t, last + 1)
    if denominator not in _DENOMINATORS or value >= _DENOMINATORS[denominator]:
        return None
    plural = denominator.endswith("s")
    if plural != (value > 1) or (not plural and not _singular_share(t, i, last + 2)):
        return None  # "a fifth consecutive month" is an ordinal
    share = value / _DENOMINATORS[denominator] * 100
    if lower_at(t, last + 2) == "of":
        counted = _share_of_scale(t, share, i, last + 4)
        if counted is not None:
            return counted
    return Draft("percent", share, "%", i, last + 1, raw=share)


# Words before "a third" that make it a share: a hedge or a change ("almost a third", "by a third").
_SHARE_BEFORE = frozenset(
    [
        "almost",
        "nearly",
        "about",
        "around",
        "roughly",
        "some",
        "over",
        "under",
        "than",
        "least",
        "by",
        "just",
        "barely",
    ]
)


def _singular_share(t: Text, i: int, after: int) -> bool:
    """ "a third of", "cut by a third", "almost a third voted no" are shares; "a third term" is
    an ordinal: a singular fraction is a share before "of", a clause's end or a verb, or after a
    hedge or "by"."""
    if lower_at(t, after) == "of" or lower_at(t, i - 1) in _SHARE_BEFORE:
        return True
    if after >= len(t.words) or t.types[after] != WORD:
        return after >= len(t.words) or t.words[after] in ".,;:!?)"
    return lower_at(t, after).endswith("ed") or lower_at(t, after) in _VERBS_AFTER_SHARE


_VERBS_AFTER_SHARE = frozenset(
    ["said", "say", "says", "think", "thought", "want", "were", "are", "was", "is", "have", "had"]
)


def _word_values_of(word: str) -> list[tuple[int, int, float, bool]]:
    from .numbers import word_values  # numbers imports this module

    return word_values((word,))


def share(t: Text, i: int, wordnums: dict) -> Draft | None:
    """ "three in ten", "one out of five": a share, as percent."""
    return _share_at(t, i, wordnums)


def share_digits(t: Text, i: int) -> Draft | None:
    return _share_at(t, i, {})


def _share_at(t: Text, i: int, wordnums: dict) -> Draft | None:
    if lower_at(t, i) in ("a", "an"):
        return None
    read = _small(t, i, wordnums)
    if read is None:
        return None
    value, last = read
    k = last + 1
    if lower_at(t, k) == "out" and lower_at(t, k + 1) == "of":
        k += 1
    elif lower_at(t, k) != "in":
        return None
    whole = _small(t, k + 1, wordnums)
    if whole is None or lower_at(t, k + 1) in ("a", "an") or not 1 <= value < whole[0] <= 1000:
        return None
    after = lower_at(t, whole[1] + 1)
    if after.rstrip("s") in ("year", "month", "week", "day", "hour", "minute", "second"):
        return None  # "one in five years" is a rate in time, not a share
    share = value / whole[0] * 100
    return Draft("percent", share, "%", i, whole[1], raw=share)


_OF_A = frozenset({"of", "a", "an"})  # "by half of them", "in half a century": read from "half"


def half(t: Text, i: int) -> Draft | None:
    """ "halved", "cut in half", "fell by half": a change of 50%; "half a million" a count."""
    low = t.words[i].lower()
    if low == "half":
        return _share_of_scale(t, 50.0, i, i + 2)
    if low in _HALVES and lower_at(t, i + 1) != "of":
        d = Draft("percent", 50.0, "%", i, i, raw=50.0)
        d.direction = "down"
        return d
    if low in ("in", "by") and lower_at(t, i + 1) == "half" and lower_at(t, i + 2) not in _OF_A:
        return Draft("percent", 50.0, "%", i, i + 1, raw=50.0)
    return None


def hyphenated(t: Text, i: int) -> Draft | None:
    """ "fifth-biggest" (an ordinal), "seven-storey" (a count of storeys)."""
    low = t.words[i].lower()
    head, _, tail = low.partition("-")
    if not tail or "-" in tail:
        return None
    values = _word_values_of(head)
    if len(values) != 1 or values[0][1] != 1 or _word_values_of(tail):
        return None  # "twenty-five" is one number
    value, ordinal = values[0][2], values[0][3]
    if ordinal:
        return Draft("number", value, "ordinal", i, i, raw=value) if value >= 3 else None
    if value < 2 or tail in _DENOMINATORS or tail.startswith("fold") or _time_word(tail):
        return None  # "one-off"; fractions, multiples and durations are read elsewhere
    return Draft("count", value, None, i, i, raw=value, counts=tail)


def _time_word(word: str) -> bool:
    return word.rstrip("s") in ("year", "month", "week", "day", "hour", "minute", "second",
                                "decade", "century", "quarter")  # fmt: skip


def ordinal_hyphen(t: Text, i: int) -> Draft | None:
    """ "5th-largest": digits with an ordinal suffix joined to a superlative."""
    k = i + 1
    if not _glued(t, k) or t.types[k] != WORD:
        return None
    suffix, _, rest = t.words[k].lower().partition("-")
    if suffix not in ("st", "nd", "rd", "th") or not rest or not t.words[i].isdigit():
        return None
    return Draft("number", float(t.words[i]), "ordinal", i, k, raw=float(t.words[i]))


_YEAR_CONTEXT = frozenset({"fiscal", "calendar", "fy", "mid", "early", "late", "summer", "winter"})


def year_count(t: Text, i: int) -> Draft | None:
    """ "it shipped 2023 units": a year-shaped number that counts something after a verb."""
    w = t.words[i]
    if not (len(w) == 4 and w.isdigit() and 1900 <= int(w) <= 2100) or i == 0:
        return None
    before, after = t.words[i - 1], lower_at(t, i + 1)
    if t.types[i - 1] != WORD or not before.islower() or before in STOP or before in _YEAR_CONTEXT:
        return None
    if t.types[i + 1 if i + 1 < len(t.words) else i] != WORD or not after.endswith("s"):
        return None
    if after in STOP or after in MONTHS or _time_word(after) or not t.words[i + 1].islower():
        return None
    return Draft("count", float(w), None, i, i, raw=float(w), counts=after)


def percent_nouns(t: Text, drafts: list[Draft]) -> None:
    """What a percent is of, when a noun follows it: "a 15% discount", "a 5% stake" (a change
    word such as "increase" is a direction, not a noun: see direction.py)."""
    from .direction import DOWN, UP  # direction imports nothing from here

    for d in drafts:
        k = d.last + 1
        if d.kind != "percent" or d.counts or k >= len(t.words) or t.types[k] != WORD:
            continue
        low = t.words[k].lower()
        if t.words[k].islower() and low not in STOP and low not in UP and low not in DOWN:
            d.counts = low
