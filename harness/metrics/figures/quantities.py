"""Reading one quantity: what a number becomes given the words around it (a scale, a percent,
money, a duration, a year, a time of day, a count), one named step per kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .dates import MONTHS, read_date
from .figure import Draft
from .names import is_capitalized_name, is_score, name_follows
from .numbers import CURRENCY_ONLY_SCALES, SCALES
from .text import NUM, STOP, WORD, Text, lower_at, suffix_at
from .units import (
    DAYS,
    MEASURES,
    RESOLUTIONS,
    currency_after,
    currency_before,
    hyphenated_rate,
    read_per_unit,
    unit_word,
)


def _skip_adjectives(t: Text, j: int, limit: int = 2) -> list[int]:
    """Indexes of up to ``limit`` lowercase non-function words after token j, then the next."""
    out, k = [], j + 1
    while k < len(t.words) and len(out) <= limit and t.types[k] == WORD:
        out.append(k)
        if t.words[k].lower() in STOP:
            break
        k += 1
    return out


def counted_words(t: Text, j: int) -> str | None:
    """The words a count counts: up to three words after token j, stopping at function words."""
    words, k = [], j + 1
    while k < len(t.words) and len(words) < 3 and t.types[k] == WORD:
        w = t.words[k]
        if k + 1 < len(t.words) and t.types[k + 1] == NUM and t.glued(k + 1):
            words.append(w + t.words[k + 1])  # a name such as "H20" before the noun
            k += 2
            continue
        if w.lower() in STOP or w.lower() in MONTHS or (words and w[0].isupper()):
            break
        words.append(w)
        k += 1
    return " ".join(words) or None


@dataclass(slots=True)  # slots: each step reads and sets its fields
class _Number:
    """A number being read into a figure: where it is and what has been read after it so far."""

    t: Text
    i: int  # the number's first token
    j: int  # its last token
    first: int  # the figure's first token (a currency may come before the number)
    value: float
    decimals: int
    ordinal: bool
    from_words: bool
    currency: str | None
    last: int  # the figure's last token so far
    scale: float = 1.0
    scale_written: bool = False
    per: str | None = None  # a rate glued to the scale: "£2.6bn-a-year" is per year

    def quantity(self, kind: str, value: float, unit: str | None, **more: Any) -> Draft:
        """A figure of ``kind`` spanning the number as read so far, with its scale and precision."""
        return Draft(
            kind, value, unit, self.first, self.last, raw=self.value, scale=self.scale,
            scale_written=self.scale_written, decimals=self.decimals, **more,
        )  # fmt: skip


# Each step returns a Draft (the figure), False (no figure here) or None (not this kind: read on).
Step = Callable[[_Number], "Draft | bool | None"]


def read_figure(
    t: Text,
    i: int,
    j: int,
    first: int,
    value: float,
    decimals: int,
    ordinal: bool,
    from_words: bool,
    currency: str | None,
) -> Draft | None:
    """The figure around the number at tokens i..j, or None when it is not a quantity.

    ``first`` is the figure's first token (a currency symbol or code before the number).
    """
    # Dates first: "February 24th", "24 February 2025", "November 2023".
    date = read_date(t, i, j, value, decimals, from_words)
    if date is not None:
        return date
    number = _Number(t, i, j, first, value, decimals, ordinal, from_words, currency, last=j)
    for step in _STEPS:
        found = step(number)
        if found is not None:
            return found or None
    raise AssertionError("the last step always decides")  # pragma: no cover


def _enumerator(n: _Number) -> bool | None:
    """Enumerators at the start of a line ("1." / "2)") are not figures."""
    t = n.t
    suffix, k = suffix_at(t, n.j)
    if (
        not n.from_words
        and suffix in (".", ")")
        and (n.first == 0 or "\n" in t.text[t.ends[n.first - 1] : t.starts[n.first]])
        and k + 1 < len(t.words)
        and not t.glued(k + 1)
    ):
        return False
    return None


def _range_of_money(n: _Number) -> bool:
    """The number ends a range that starts with a currency ("$2-5B", "$16.5–17B"), so a
    currency-only scale after it is one ("B" billion, not a model's 7B)."""
    t, dash = n.t, n.first - 1
    if dash < 1 or t.words[dash] not in ("-", "–", "—") or not t.glued(n.first):
        return False
    start = dash - 1
    return t.types[start] == NUM and t.glued(dash) and currency_before(t, start)[0] is not None


def _glued_suffix(n: _Number) -> Draft | bool | None:
    """A suffix glued to the number: a scale ("52bn", "100k", "$32B") or a unit ("4th", "3x")."""
    t = n.t
    suffix, k = suffix_at(t, n.j)
    low = suffix.lower() if suffix else None
    money = n.currency or _range_of_money(n)
    if low in SCALES and t.types[k] == WORD and (low not in CURRENCY_ONLY_SCALES or money):
        n.scale, n.scale_written, n.last = SCALES[low], True, k
        return None
    rate = hyphenated_rate(low) if t.types[k] == WORD else None
    if rate and (rate[0] not in CURRENCY_ONLY_SCALES or money):
        n.scale, n.scale_written, n.last, n.per = SCALES[rate[0]], True, k, rate[1]
        return None
    if (
        low
        and t.types[k] == WORD
        and not n.from_words
        and (low not in SCALES or low in CURRENCY_ONLY_SCALES)
    ):
        return _suffix_unit(n, low, k)
    return None


def _suffix_unit(n: _Number, low: str, k: int) -> Draft | bool | None:
    """The figure a glued letter suffix (at token k) makes of the number, if any."""
    value, first = n.value, n.first
    if low == "p" and n.currency is None and value not in RESOLUTIONS:
        return Draft("money", value / 100, "GBP", first, k, raw=value, decimals=n.decimals)
    if low == "pc":  # "40pc": per cent, as British papers write it
        return Draft("percent", value, "%", first, k, raw=value, decimals=n.decimals)
    if low in ("st", "nd", "rd", "th") and n.decimals == 0:
        if value >= 1900 or value == 0:
            return False
        return Draft("number", value, "ordinal", first, k, raw=value)
    if low == "x":
        return Draft("number", value, "times", first, k, raw=value)
    if low in ("pp", "ppt", "ppts"):
        return Draft("percentage_points", value, "pp", first, k, raw=value)
    if low in ("bp", "bps"):
        return Draft("percentage_points", value / 100, "pp", first, k, raw=value)
    if low == "s" and n.decimals == 0 and value >= 1900 and value % 10 == 0:
        return Draft("year", value, "decade", first, k, raw=value, date=(int(value), None, None))
    if low in MEASURES:
        return Draft("number", value, low, first, k, raw=value)
    if low in DAYS or (low.endswith("s") and low[:-1] in DAYS):
        return None  # "5years" is a typo for a duration; read below
    if n.currency is None and lower_at(n.t, first - 1) not in ("the",):
        return False  # 5G, 3D, 20H: a name
    return None


_WORD_SCALES = frozenset({"thousand", "million", "billion", "trillion"})


def _spaced_scales(n: _Number) -> None:
    """Scale words after the number: "52 billion", "1.5 million", "380 bn"."""
    t = n.t
    m = n.last + 1
    head = lower_at(t, m + 1).partition("-")[0] if lower_at(t, m) == "-" else ""
    if head in _WORD_SCALES and t.glued(m) and t.glued(m + 1) and not n.from_words:
        n.scale, n.scale_written, n.last = n.scale * SCALES[head], True, m + 1  # "70-billion-"
        return None
    while m < len(t.words) and t.types[m] == WORD and not t.glued(m):
        w = t.words[m].lower()
        head = w.partition("-")[0]
        if head in _WORD_SCALES and head != w and not n.from_words:
            n.scale, n.scale_written, n.last = n.scale * SCALES[head], True, m
            break  # "1.5 million-strong", "a 2 billion-dollar deal"
        if w not in SCALES:
            break
        if len(w) <= 2 and w not in ("bn", "mn", "tn") and not n.currency:
            break
        if w in CURRENCY_ONLY_SCALES and not n.currency:
            break
        if n.from_words and w in ("thousand", "million", "billion", "trillion"):
            break  # text2num already read it
        n.scale *= SCALES[w]
        n.scale_written = True
        n.last = m
        m += 1
    return None


# Verbs that place a competitor: an ordinal after them is a rank even at a clause's end.
_PLACING_VERBS = frozenset(
    {"finished", "finishes", "finish", "came", "comes", "placed", "ranked", "ranks", "ended",
     "rated", "seeded", "qualified"}
)  # fmt: skip


def _clause_ends(t: Text, k: int) -> bool:
    return k >= len(t.words) or t.types[k] != WORD


def _ordinal(n: _Number) -> Draft | bool | None:
    """ "4th", "fourth"; "third quarter" and "second half" are periods."""
    if not n.ordinal:
        return None
    t, value, last = n.t, n.value, n.last
    placing = lower_at(t, n.first - 1) in _PLACING_VERBS  # "she finished third."
    if n.from_words and (value < 3 or not placing and _clause_ends(t, last + 1)):
        return False  # "first", "second"; "third," enumerating points
    nxt = lower_at(t, last + 1)
    if nxt in ("quarter", "half") and value <= 4:
        if nxt == "half" and value > 2:
            return False
        unit = "Q" if nxt == "quarter" else "H"
        return Draft(
            "date", None, unit, n.first, last + 1, raw=value, date=(None, int(value), None)
        )
    return Draft("number", value, "ordinal", n.first, last, raw=value)


def _percent(n: _Number) -> Draft | bool | None:
    """ "7.8%", "60 percent", "60 per cent", "2 percentage points", "50 basis points"."""
    t, value, first = n.t, n.value, n.first
    nxt_i = n.last + 1
    nlow = lower_at(t, nxt_i)
    if nxt_i < len(t.words) and t.words[nxt_i] == "%":
        return Draft(
            "percent",
            value * n.scale,
            "%",
            first,
            nxt_i,
            raw=value,
            scale=n.scale,
            scale_written=n.scale_written,
            decimals=n.decimals,
        )
    if nlow in ("percent", "pct", "percentage", "pc") or (
        nlow == "per" and lower_at(t, nxt_i + 1) == "cent"
    ):
        end = nxt_i + (1 if nlow == "per" else 0)
        if nlow == "percentage" and lower_at(t, nxt_i + 1) in ("point", "points", "pts"):
            return Draft(
                "percentage_points", value, "pp", first, nxt_i + 1, raw=value, decimals=n.decimals
            )
        if nlow == "percentage":
            return False
        return Draft("percent", value * n.scale, "%", first, end, raw=value, decimals=n.decimals)
    if nlow == "basis" and lower_at(t, nxt_i + 1) in ("point", "points"):
        return Draft(
            "percentage_points", value / 100, "pp", first, nxt_i + 1, raw=value, decimals=n.decimals
        )
    return None


def _money(n: _Number) -> Draft | None:
    """A currency before the number, or a currency word after it ("380 billion yuan")."""
    if n.currency is None:
        code, end = currency_after(n.t, n.last)
        if code:
            n.currency, n.last = code, end
    if not n.currency:
        return None
    currency, factor = n.currency, 1.0
    if currency.endswith("/100"):
        currency, factor = currency[:-4], 0.01
    d = n.quantity("money", n.value * n.scale * factor, currency)
    d.counts = n.per
    read_per_unit(n.t, d)
    return d


def _duration(n: _Number) -> Draft | None:
    """ "three years", "6 consecutive quarters", "5-year", "45-year-old"."""
    t, value, last = n.t, n.value, n.last
    nxt_i = last + 1
    if nxt_i + 1 < len(t.words) and t.words[nxt_i] == "-" and t.glued(nxt_i) and t.glued(nxt_i + 1):
        unit = unit_word(t.words[nxt_i + 1].split("-")[0])
        if unit:
            counts = t.words[nxt_i + 1]
            return Draft(
                "duration", value * DAYS[unit], "days", n.first, nxt_i + 1, raw=value,
                decimals=n.decimals, counts=counts,
            )  # fmt: skip
    for k in _skip_adjectives(t, last):
        unit = unit_word(t.words[k])
        if unit:
            counts = " ".join(t.words[last + 1 : k + 1])
            if lower_at(t, k + 1) == "old":
                counts += " old"
                k += 1
            return Draft(
                "duration", value * n.scale * DAYS[unit], "days", n.first, k, raw=value,
                scale=n.scale, decimals=n.decimals, counts=counts,
            )  # fmt: skip
    return None


def _age_or_year(n: _Number) -> Draft | None:
    """ "aged 45"; a bare four-digit number from 1900 to 2100 is a year."""
    t, value = n.t, n.value
    if lower_at(t, n.first - 1) == "aged" and not n.scale_written:
        return Draft(
            "duration", value * DAYS["year"], "days", n.first, n.last, raw=value,
            counts="years old",
        )  # fmt: skip
    written = t.words[n.i]
    if (
        not n.from_words
        and n.decimals == 0
        and not n.scale_written
        and "," not in written
        and 1900 <= value <= 2100
        and len(written) == 4
    ):
        return Draft("year", value, None, n.first, n.last, raw=value, date=(int(value), None, None))
    return None


def _after_a_name(n: _Number) -> bool | None:
    """A number after a capitalized non-function word is a name ("Qwen 3", "Windows 11")."""
    if (
        not n.from_words
        and not n.scale_written
        and is_capitalized_name(n.t, n.first - 1)
        and not is_score(n.t, n.last)
    ):
        return False
    return None


def _time_of_day(n: _Number) -> Draft | None:
    """ "10:30", "9:45 am"."""
    t, nxt_i = n.t, n.last + 1
    if (
        nxt_i + 1 < len(t.words)
        and t.words[nxt_i] == ":"
        and t.glued(nxt_i)
        and t.types[nxt_i + 1] == NUM
    ):
        mins = t.words[nxt_i + 1]
        if len(mins) == 2 and n.value < 24:
            end = nxt_i + 1
            if lower_at(t, end + 1) in ("am", "pm", "a.m", "p.m"):
                end += 1
            return Draft("date", n.value * 60 + float(mins), "time", n.first, end, raw=n.value)
    return None


def _count(n: _Number) -> Draft | bool:
    """What is left: a count of what follows ("100,000 users") or a bare number."""
    if n.from_words and n.value == 1 and not n.scale_written:
        return False  # "one of the largest": not a quantity
    if n.from_words and n.value == 0:
        return False
    if not n.from_words and not n.scale_written and name_follows(n.t, n.last):
        return False
    counts = counted_words(n.t, n.last)
    return n.quantity("count" if counts else "number", n.value * n.scale, None, counts=counts)


_STEPS: tuple[Step, ...] = (
    _enumerator,
    _glued_suffix,
    _spaced_scales,
    _ordinal,
    _percent,
    _money,
    _duration,
    _age_or_year,
    _after_a_name,
    _time_of_day,
    _count,
)
