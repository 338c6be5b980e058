"""Figure fidelity: are the numbers a summary states supported by its source?

ROUGE cannot see numbers (its tokenizer drops "$" and "%" and splits "7.8" into "7" and "8"), so
this metric extracts every *figure* from the summary and the source and checks each summary figure
against the source, in the spirit of the quantity checks in FactCC (Kryscinski et al. 2020,
"Evaluating the Factual Consistency of Abstractive Text Summarization", its NumberSwap
transformation) and of entity/quantity-level precision (Nan et al. 2021, "Entity-level Factual
Consistency of Abstractive Text Summarization"), but with normalized quantities instead of
string overlap: "$4 trillion" equals "$4,000 billion", "60 percent" equals "60%", "three years"
equals "a 3-year plan", "half of" equals "50%".

What a figure is (:class:`Figure`, ``kind``):

- ``money``: value with its scale applied, in units of its currency (an ISO code; "$" is USD,
  "¥" matches CNY or JPY): "$52 billion", "US$52bn", "52 billion dollars", "RMB380bn", "€78bn".
- ``percent`` ("60%", "60 percent", "60 per cent", "half of" = 50) and ``percentage_points``
  ("2 percentage points", "50 basis points" = 0.5), never mixed up.
- ``duration`` (in days: "three years", "a three-year plan", "six consecutive quarters", ages such
  as "45-year-old") and ``count`` (a number followed by what it counts: "100,000 derivative
  models", "100k users", "a dozen cars"; ``counts`` keeps the words).
- ``year`` (a bare 4-digit number from 1900 to 2100: "2026", "mid-2026", "2025-26") and ``date``
  ("November 2023", "February 24th", "24 Feb 2025", "Q3", "first quarter", "10:30").
- ``number``: anything else (bare numbers, ordinals "4th"/"fourth" from "third" upwards,
  multiples "double" / "3x" / "threefold", measurements "32GB").

Number words of any size are read by text2num (``find_numbers``), not hand lists; only words the
library does not treat as numbers are added here: "a dozen" (12), "half"/"a third"/"two-thirds"
of something (fractions, read as percent), "double"/"triple"/"quadruple" (multiples). The lone
words "one" and "a" are figures only before a unit ("one year", "a million"), because "one of the
largest" is not a quantity; "first"/"second" are never figures (too common as plain words).

Digits inside names are names, never quantities. A number is part of a name when

1. it is glued to letters ("Qwen2.5", "H20", "iX3", "Wan2.1", "5G") or hangs from a hyphen
   glued to a word ("QwQ-32B", "Qwen2.5-Omni-7B", "COVID-19"), except currency codes ("RMB380bn"),
   scale/unit suffixes ("52bn", "100k", "7.8%", "32GB") and the period prefixes "FY", "Q1-4",
   "H1-2", "mid-", "early-", "late-", "pre-", "post-";
2. or it follows a capitalized word that is not a function word, weekday or month ("Qwen 3",
   "Windows 11", "S&P 500") and no unit, scale or currency follows it ("NAURA 10%" is a percent).
   Numbers chained to such a name by "-", "." or "/" belong to it too ("Boeing 737-800").

Damaged encodings are repaired before extraction: runs of characters that are the UTF-8 bytes of
a text decoded as cp1252 or latin-1 ("â‚¬78bn" for "€78bn", "â€™" for "’") are re-encoded and
decoded again (the round trip ftfy popularised, restricted to well-formed UTF-8 byte runs so
legitimate accented text is left alone). Spans always refer to the text as given.

Support (:func:`support`): a summary figure is supported when the source states the same
quantity: same kind (a bare number may stand for a count or duration of the same value, a year
for a date in that year), same currency or unit, equal value after normalization (relative
tolerance ``rel_tol``, 0 by default; ``rounding=True`` also accepts a summary figure that is the
source figure rounded to the digits the summary shows, "$53 billion" for "$52.9 billion"), and a
compatible qualifier. Qualifiers fall in four classes: exact, approximate ("about", "some",
"roughly"), above ("over", "more than", "at least", "100,000-plus") and below ("under", "up to",
"nearly", "almost", "less than"). A summary figure that is exact or approximate is supported by
any qualifier in the source: dropping a hedge ("$100 billion" for "over $100 billion", "7.8%" for
"up to 7.8%") keeps the source's number and is how editors write, while a summary that *adds* a
direction the source does not state ("over 60%" for "nearly 60%", "more than $50 billion" for
"$50 billion") claims something false. ``strict_qualifiers=True`` also rejects dropped hedges.
Count nouns must share a word when both are known ("100,000 models" is not "100,000 developers").
Signs are ignored: "fell 5%" and "rose 5%" state the same figure (direction is not a figure).

Ranges and lists ("between 2 and 5", "$2-5 billion", "10% to 15%", "15% and 10%, respectively")
are split into their members, which share the unit, scale and currency stated once, and each
member is checked on its own. With ``entity_binding`` (on by default) a figure is tied to the
nearest proper name before it in its sentence (members of a "respectively" list to the names
listed in the same order), and a summary figure whose value the source gives only for other names
while giving a different value for the summary's name is unsupported ("ACM rose 10%" when the
source says ACM 15%, NAURA 10%).

Recall counts the distinct figures of the references (pooled, deduplicated by kind, unit and
value) that the summary states, ignoring qualifiers.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from text_to_num import find_numbers

KINDS = ("money", "percent", "percentage_points", "count", "duration", "year", "date", "number")
REASONS = ("value", "scale", "currency", "unit", "qualifier", "entity", "not in source")


@dataclass(frozen=True)
class Figure:
    """One quantity stated in a text.

    Attributes:
        kind: one of :data:`KINDS`.
        value: normalized value (scale applied; money in currency units, durations in days,
            percent in %, fractions as percent); ``None`` for dates.
        unit: currency code, "%", "pp", "days", "times", "ordinal", "time", a measurement unit,
            "Q"/"H" for quarters and halves, or ``None``.
        text: the figure as written (a slice of the text as given).
        start, end: character span in the text as given.
        sentence: the sentence around it (encoding repaired).
        raw: the number as written, before scale ("52" in "$52 billion").
        scale: the multiplier written after it (1e9 for "billion"; 1 when none).
        decimals: digits after the decimal point as written (for rounding).
        qualifier: the hedge as written ("over", "nearly") or ``None``.
        bound: "exact", "approx", "above" or "below".
        counts: what a count or duration counts, as written ("derivative models").
        date: (year, month, day) for years and dates, ``None`` elsewhere.
        group: (position, size) inside a range or list, ``None`` for a lone figure.
        group_text: the whole range or list as written.
        group_type: "range", "list" or "respectively".
        entity: the proper name the figure is bound to, if any.
    """

    kind: str
    value: float | None
    unit: str | None
    text: str
    start: int
    end: int
    sentence: str = ""
    raw: float | None = None
    scale: float = 1.0
    decimals: int = 0
    qualifier: str | None = None
    bound: str = "exact"
    counts: str | None = None
    date: tuple[int | None, int | None, int | None] | None = None
    group: tuple[int, int] | None = None
    group_text: str | None = None
    group_type: str | None = None
    entity: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view (tuples as lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}


# ---------------------------------------------------------------------------------------------
# Encoding repair

# A lead byte (0xC2-0xF4) followed by continuation bytes (0x80-0xBF), each byte shown as the
# character cp1252 (or latin-1, for 0x80-0x9F) decodes it to.
_CONT = "\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018"
_CONT += "\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
_CONT_CLASS = f"[\u0080-\u00bf{_CONT}]"
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df]{_CONT_CLASS}|[\u00e0-\u00ef]{_CONT_CLASS}{{2}}|[\u00f0-\u00f4]{_CONT_CLASS}{{3}}"
)


def _redecode(s: str) -> str | None:
    for codec in ("cp1252", "latin-1"):
        try:
            return s.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    # Mixed: cp1252 for the characters it has, latin-1 (C1 controls) for the rest.
    try:
        data = bytes(
            b for ch in s for b in (ch.encode("cp1252") if ord(ch) > 0xFF else ch.encode("latin-1"))
        )
        return data.decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def repair(text: str) -> tuple[str, tuple[tuple[tuple[int, int], ...], ...]]:
    """Repair UTF-8 mojibake; returns the text and the offset maps that lead back to ``text``.

    Each map lists (repaired offset, original offset) at the start and end of every repaired
    run; text damaged twice gets a second pass and a second map.
    """
    maps: list[tuple[tuple[int, int], ...]] = []
    for _ in range(2):
        if text.isascii() or not _MOJIBAKE.search(text):
            break
        out, anchors, last, shift = [], [], 0, 0
        for m in _MOJIBAKE.finditer(text):
            fixed = _redecode(m.group())
            if fixed is None:
                continue
            out.append(text[last : m.start()])
            out.append(fixed)
            anchors.append((m.start() - shift, m.start()))
            shift += len(m.group()) - len(fixed)
            anchors.append((m.end() - shift, m.end()))
            last = m.end()
        if not anchors:
            break
        out.append(text[last:])
        text = "".join(out)
        maps.append(tuple(anchors))
    return text, tuple(maps)


def _to_original(pos: int, maps: tuple[tuple[tuple[int, int], ...], ...]) -> int:
    """A position in the repaired text as a position in the text as given."""
    for anchors in reversed(maps):
        i = bisect.bisect_right(anchors, (pos, math.inf)) - 1
        if i >= 0:
            new, old = anchors[i]
            # Inside a repaired run (even anchors open one), positions go to its end.
            pos = anchors[i + 1][1] if i % 2 == 0 and pos > new else old + (pos - new)
    return pos


# ---------------------------------------------------------------------------------------------
# Vocabulary (closed classes; numbers themselves come from text2num)

# sumy's English stop words, read from its data file (importing sumy.utils pulls in requests).
# fmt: off
_STOP = frozenset(
    (files("sumy") / "data" / "stopwords" / "english.txt").read_text("utf-8").split()
)
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_WEEKDAYS = frozenset([
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon",
    "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun",
])
_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "mm": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "bln": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12,
    "t": 1e12, "lakh": 1e5, "crore": 1e7, "dozen": 12.0,
}
# Letter suffixes that are scales only next to a currency ("$32B"); "7B" alone is a model size.
_CURRENCY_ONLY_SCALES = frozenset({"b", "t", "mm"})
_CODES = {
    "usd": "USD", "us$": "USD", "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "renminbi": "CNY",
    "eur": "EUR", "gbp": "GBP", "jpy": "JPY", "hkd": "HKD", "hk$": "HKD", "inr": "INR",
    "rs": "INR", "chf": "CHF", "aud": "AUD", "a$": "AUD", "cad": "CAD", "c$": "CAD",
    "krw": "KRW", "sgd": "SGD", "s$": "SGD", "brl": "BRL", "r$": "BRL", "nt$": "TWD",
    "twd": "TWD", "nz$": "NZD", "nzd": "NZD", "rub": "RUB", "mxn": "MXN", "zar": "ZAR",
}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "¥", "₹": "INR", "₩": "KRW", "₽": "RUB"}
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY",
    "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP", "sterling": "GBP",
    "yen": "JPY", "won": "KRW", "rupee": "INR", "rupees": "INR", "franc": "CHF", "francs": "CHF",
    "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB", "peso": "MXN",
    "pesos": "MXN", "real": "BRL", "reais": "BRL", "cent": "USD/100", "cents": "USD/100",
    "pence": "GBP/100", "usd": "USD", "eur": "EUR", "gbp": "GBP", "cny": "CNY", "jpy": "JPY",
    "hkd": "HKD", "crown": "crowns", "crowns": "crowns", "krona": "crowns", "kronor": "crowns",
    "krone": "crowns", "kroner": "crowns",
}
_DOLLAR_NATIONS = {
    "hong kong": "HKD",
    "australian": "AUD",
    "canadian": "CAD",
    "singapore": "SGD",
    "new zealand": "NZD",
    "taiwan": "TWD",
    "us": "USD",
    "u.s.": "USD",
    "american": "USD",
}
_CROWN_NATIONS = {"danish": "DKK", "swedish": "SEK", "norwegian": "NOK", "czech": "CZK"}
_DAYS = {
    "year": 365.25, "month": 365.25 / 12, "week": 7.0, "day": 1.0, "quarter": 365.25 / 4,
    "decade": 3652.5, "century": 36525.0, "centurie": 36525.0, "hour": 1 / 24,
    "minute": 1 / 1440, "second": 1 / 86400, "yr": 365.25, "hr": 1 / 24, "min": 1 / 1440,
}
_MEASURES = frozenset([
    "gb", "tb", "mb", "kb", "gw", "mw", "kw", "kwh", "mwh", "gwh", "twh", "km", "kg", "mg",
    "nm", "mm", "cm", "ghz", "mhz", "mph", "kmh", "ft", "lb", "lbs", "oz", "sq",
])
_QUALIFIERS = {
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
}
_QUALIFIER_ENDS = frozenset(q.split()[-1] for q in _QUALIFIERS)
_FRACTIONS = {"half": 50.0, "halves": 50.0, "third": 100 / 3, "thirds": 100 / 3, "quarter": 25.0}
_MULTIPLES = {
    "double": 2, "doubled": 2, "doubles": 2, "doubling": 2, "triple": 3, "tripled": 3,
    "triples": 3, "tripling": 3, "quadruple": 4, "quadrupled": 4, "quadruples": 4,
}
_PER_UNITS = frozenset({"share", "barrel", "ton", "tonne", "head"})
_SPECIAL = frozenset({"dozen", *_FRACTIONS, *_MULTIPLES})
_NAME_PREFIX_OK = frozenset({"mid", "early", "late", "pre", "post", "end", "fy"})
_PERIOD_PREFIX = {"q": "Q", "h": "H"}
_ABBREVIATIONS = frozenset([
    "inc", "co", "corp", "ltd", "plc", "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs",
    "jr", "sr", "gov", "sen", "rep", "gen", "col", "lt", "sgt", "u.s", "e.g", "i.e", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "est",
    "approx", "fig",
])
_GENERIC_NAME_WORDS = frozenset([
    "inc", "co", "corp", "ltd", "plc", "group", "holding", "holdings", "technology",
    "technologies", "the", "company",
])

# fmt: on

# ---------------------------------------------------------------------------------------------
# Tokens

_TOKEN = re.compile(
    r"(?P<id>\d+(?:\.\d+){2,})"  # dotted ids and versions: 2025.03.26, 1.2.3
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?(?:-[^\W\d_]+)*)"
    r"|(?P<sym>\S)"
)
NUM, WORD, SYM, ID = 0, 1, 2, 3
_TYPES = {"num": NUM, "word": WORD, "sym": SYM, "id": ID}


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


@lru_cache(maxsize=65536)
def _number_word(word: str) -> bool:
    """Whether text2num reads this lowercase word as (part of) a number."""
    return bool(find_numbers([_Tok(word)], "en", 0.0)) or word in ("and", "a")


@lru_cache(maxsize=65536)
def _word_value(words: tuple[str, ...]) -> list[tuple[int, int, float, bool]]:
    return [
        (o.start, o.end, o.value, o.is_ordinal)
        for o in find_numbers([_Tok(w) for w in words], "en", 0.0)
    ]


@dataclass
class _Text:
    """A text prepared for extraction: repaired, tokenized, split into sentences."""

    original: str
    text: str
    anchors: tuple[tuple[tuple[int, int], ...], ...]
    types: list[int]
    words: list[str]
    starts: list[int]
    ends: list[int]
    sentence_starts: list[int]
    sentence_ends: list[int]
    names: list[tuple[int, int, str]] | None = None

    def glued(self, i: int) -> bool:
        """Token i touches token i-1."""
        return i > 0 and self.starts[i] == self.ends[i - 1]

    def sentence_of(self, pos: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.sentence_starts, pos) - 1
        k = max(k, 0)
        return self.sentence_starts[k], self.sentence_ends[k]

    def span(self, a: int, b: int) -> tuple[int, int]:
        return _to_original(a, self.anchors), _to_original(b, self.anchors)


_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9$€£¥])|\n+")


def _sentences(text: str) -> tuple[list[int], list[int]]:
    """Sentence spans by a fast rule (pysbd is too slow for thousands of pairs a second)."""
    starts, ends, start = [], [], 0
    for m in _BOUNDARY.finditer(text):
        if m.group()[0] == ".":
            before = re.search(r"([\w.]+)\.$", text[start : m.start() + 1])
            word = before.group(1).lower() if before else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or "." in word:
                continue
        if text[start : m.start()].strip():
            starts.append(start)
            ends.append(m.start() + 1 if m.group()[0] != "\n" else m.start())
        start = m.end()
    if text[start:].strip() or not starts:
        starts.append(start)
        ends.append(len(text.rstrip()))
    return starts, ends


def _prepare(text: str) -> _Text:
    fixed, anchors = repair(text)
    types, words, starts, ends = [], [], [], []
    for m in _TOKEN.finditer(fixed):
        types.append(_TYPES[m.lastgroup])
        words.append(m.group())
        starts.append(m.start())
        ends.append(m.end())
    s_starts, s_ends = _sentences(fixed)
    return _Text(text, fixed, anchors, types, words, starts, ends, s_starts, s_ends)


# ---------------------------------------------------------------------------------------------
# Extraction


@dataclass
class _Draft:
    """A figure being read; frozen into a Figure when complete."""

    kind: str
    value: float | None
    unit: str | None
    first: int  # token indexes [first, last]
    last: int
    raw: float | None = None
    scale: float = 1.0
    scale_written: bool = False
    decimals: int = 0
    qualifier: str | None = None
    bound: str = "exact"
    counts: str | None = None
    date: tuple[int | None, int | None, int | None] | None = None
    group: tuple[int, int] | None = None
    group_type: str | None = None
    group_span: tuple[int, int] | None = None
    entity: str | None = None


def _lower(t: _Text, i: int) -> str:
    return t.words[i].lower() if 0 <= i < len(t.words) else ""


def _is_capitalized_name(t: _Text, i: int) -> bool:
    """Token i is a capitalized word that is not a function word, weekday or month."""
    if i < 0 or t.types[i] != WORD or not t.words[i][0].isupper():
        return False
    low = t.words[i].lower()
    if len(low) == 1:
        return low not in ("a", "i")  # "S&P 500", "Model S 3"
    return (
        low not in _STOP
        and low not in _MONTHS
        and low not in _WEEKDAYS
        and low not in _QUALIFIERS
        and low not in _CODES
        and low not in _CURRENCY_WORDS
    )


def _read_number(t: _Text, i: int, wordnums: dict) -> tuple[float, int, int, bool, bool] | None:
    """(value, decimals, last token, is_ordinal, from_words) for a number starting at token i."""
    if t.types[i] == NUM:
        w = t.words[i]
        decimals = len(w.split(".")[1]) if "." in w else 0
        return float(w.replace(",", "")), decimals, i, False, False
    if i in wordnums:
        j, value, ordinal = wordnums[i]
        return value, (0 if value == int(value) else 2), j, ordinal, True
    return None


def _word_numbers(t: _Text) -> dict[int, tuple[int, float, bool]]:
    """Number words read by text2num: {first token: (last token, value, is ordinal)}."""
    out: dict[int, tuple[int, float, bool]] = {}
    n = len(t.words)
    i = 0
    while i < n:
        if t.types[i] != WORD or not _number_word(t.words[i].lower()):
            i += 1
            continue
        j = i
        while j + 1 < n and t.types[j + 1] == WORD and _number_word(t.words[j + 1].lower()):
            j += 1
        run = tuple(t.words[k].lower() for k in range(i, j + 1))
        if any(w not in ("and", "a") for w in run):
            for s, e, value, ordinal in _word_value(run):
                first, last = i + s, i + e - 1
                if last == first and t.words[first].lower() in _SCALES:
                    if _lower(t, first - 1) != "a":
                        continue  # a lone "million" is read with the number before it
                    first -= 1  # "a million": text2num leaves the article out
                out[first] = (last, value, ordinal)
        i = j + 1
    # "two and a half million", "one and a half years"
    for first in sorted(out):
        last, value, ordinal = out[first]
        if ordinal or [_lower(t, k) for k in range(last + 1, last + 4)] != ["and", "a", "half"]:
            continue
        last, value = last + 3, value + 0.5
        if _lower(t, last + 1) in ("thousand", "million", "billion", "trillion"):
            last, value = last + 1, value * _SCALES[_lower(t, last + 1)]
            out.pop(last, None)
        out[first] = (last, value, ordinal)
    return out


def _currency_before(t: _Text, i: int) -> tuple[str | None, int]:
    """A currency written before token i: (code, first token of the figure)."""
    k = i - 1
    if k >= 0 and t.types[k] == SYM and t.words[k] in _SYMBOLS and t.glued(i):
        code = _SYMBOLS[t.words[k]]
        if k >= 1 and t.types[k - 1] == WORD and t.glued(k):
            prefix = t.words[k - 1].lower() + t.words[k]
            if prefix in _CODES:
                return _CODES[prefix], k - 1
        return code, k
    if k >= 0 and t.types[k] == WORD and t.words[k].isupper() and t.words[k].lower() in _CODES:
        return _CODES[t.words[k].lower()], k
    if k >= 0 and t.types[k] == WORD and t.words[k] in ("Rs", "Rs."):
        return "INR", k
    return None, i


def _is_name_number(t: _Text, i: int, first: int) -> bool:
    """Digits at token i that belong to a name (see the module docstring)."""
    if first != i:  # a currency is written before it
        return False
    if t.glued(i):
        prev = t.words[i - 1]
        if t.types[i - 1] == WORD:
            return prev.lower() not in _NAME_PREFIX_OK and _period(t, i) is None
        if prev in "-./" and i >= 2 and t.glued(i - 1):
            if t.types[i - 2] == WORD:
                return t.words[i - 2].lower() not in _NAME_PREFIX_OK
            if t.types[i - 2] == NUM and prev in "./":
                return True
    return False


def _period(t: _Text, i: int) -> str | None:
    """ "Q3", "H1": a quarter or half written with a letter glued to the digit at token i."""
    if not t.glued(i) or t.types[i] != NUM or t.types[i - 1] != WORD:
        return None
    unit = _PERIOD_PREFIX.get(t.words[i - 1].lower())
    limit = {"Q": 4, "H": 2}.get(unit or "", 0)
    if unit and t.words[i].isdigit() and 1 <= int(t.words[i]) <= limit:
        nxt = i + 1
        if nxt < len(t.words) and t.glued(nxt) and t.types[nxt] in (WORD, NUM):
            return None  # "H20", "Q35X"
        return unit
    return None


def _suffix(t: _Text, j: int) -> tuple[str | None, int]:
    """A letter or symbol suffix glued to the number ending at token j: (suffix, its token)."""
    k = j + 1
    if k < len(t.words) and t.glued(k) and t.types[k] in (WORD, SYM):
        return t.words[k], k
    return None, j


def _skip_adjectives(t: _Text, j: int, limit: int = 2) -> list[int]:
    """Indexes of up to ``limit`` lowercase non-function words after token j, then the next."""
    out, k = [], j + 1
    while k < len(t.words) and len(out) <= limit and t.types[k] == WORD:
        out.append(k)
        if t.words[k].lower() in _STOP:
            break
        k += 1
    return out


def _unit_word(word: str) -> str | None:
    low = word.lower()
    if low in _DAYS:
        return low
    if low.endswith("s") and low[:-1] in _DAYS:
        return low[:-1]
    if low in ("centuries",):
        return "century"
    return None


def _extract(t: _Text) -> list[_Draft]:
    wordnums = _word_numbers(t)
    n = len(t.words)
    drafts: list[_Draft] = []
    name_until = -1  # numbers chained to a name ("737-800") stay names
    i = 0
    while i < n:
        tt = t.types[i]
        low = t.words[i].lower()
        if tt == WORD and i not in wordnums:
            special = low in _SPECIAL or "-" in low or low.endswith("fold")
            d = _special_word(t, i, low) if special else None
            if d:
                drafts.append(d)
                i = d.last + 1
            else:
                i += 1
            continue
        if tt not in (NUM, WORD):
            i += 1
            continue
        read = _read_number(t, i, wordnums)
        if read is None:
            i += 1
            continue
        value, decimals, j, ordinal, from_words = read
        currency, first = _currency_before(t, i) if tt == NUM else (None, i)
        period = _period(t, i) if tt == NUM else None
        if period:
            year, last = _year_after(t, i)
            drafts.append(
                _Draft("date", None, period, i - 1, last, raw=value, date=(year, int(value), None))
            )
            i = last + 1
            continue
        name = tt == NUM and (i <= name_until or _is_name_number(t, i, first))
        d = (
            None
            if name
            else _read_figure(
                t, i, j, first, value, decimals, ordinal, from_words, currency, wordnums
            )
        )
        if (
            d is None
            and tt == NUM
            and first == i
            and not _score(t, j)
            and (_is_capitalized_name(t, i - 1) or _name_follows(t, j))
        ):
            name = True  # "Qwen 3", "Boeing 737-800"
        if name:
            # swallow the rest of the name: glued suffix and chained numbers
            k = j
            while (
                k + 1 < n and t.glued(k + 1) and (t.types[k + 1] != SYM or t.words[k + 1] in "-./")
            ):
                k += 1
            name_until = k + 1
            i = k + 1
            continue
        if d is None:
            i = j + 1
            continue
        drafts.append(d)
        i = d.last + 1
    _qualify(t, drafts)
    _group(t, drafts)
    return drafts


def _special_word(t: _Text, i: int, low: str) -> _Draft | None:
    """Figures text2num does not read: a dozen, fractions, multiples, hyphenated units."""
    n = len(t.words)
    if low == "dozen" and _lower(t, i - 1) in ("a", "one"):
        counts = _counted(t, i + (1 if _lower(t, i + 1) == "of" else 0))
        return _Draft("count", 12.0, None, i - 1, i, raw=12.0, counts=counts)
    if low in _FRACTIONS and _lower(t, i + 1) == "of":
        prev = _lower(t, i - 1)
        if low == "quarter" and prev not in ("a", "one"):
            return None
        if low in ("half", "halves") and prev in ("first", "second", "1st", "2nd", "the"):
            return None
        first, mult = i, 1.0
        if prev in ("a", "one"):
            first = i - 1
        return _Draft("percent", _FRACTIONS[low] * mult, "%", first, i, raw=_FRACTIONS[low])
    if "-" in low:
        parts = low.split("-")
        if parts[-1] in ("thirds", "third", "quarters") and len(parts) == 2:
            vals = _word_value((parts[0],))
            if vals and not vals[0][3]:
                frac = vals[0][2] * (100 / 3 if "third" in parts[-1] else 25.0)
                return _Draft("percent", frac, "%", i, i, raw=frac)
        if parts[-1] in ("fold",) and len(parts) == 2:
            vals = _word_value((parts[0],))
            if vals:
                return _Draft("number", vals[0][2], "times", i, i, raw=vals[0][2])
        # "three-year", "five-day", "twenty-five-year-old"
        for cut in range(len(parts) - 1, 0, -1):
            head, tail = parts[:cut], parts[cut:]
            unit = _unit_word(tail[0])
            if unit is None:
                continue
            vals = _word_value(("-".join(head),)) or _word_value(tuple(head))
            if len(vals) == 1 and not vals[0][3]:
                v = vals[0][2]
                counts = "-".join(tail) + (" " + t.words[i + 1] if i + 1 < n else "")
                return _Draft(
                    "duration", v * _DAYS[unit], "days", i, i, raw=v, counts=counts.strip()
                )
            break
        return None
    if low.endswith("fold") and len(low) > 4:  # "sixfold", "twentyfold": text2num reads the head
        vals = _word_value((low[:-4],))
        if len(vals) == 1 and not vals[0][3]:
            return _Draft("number", vals[0][2], "times", i, i, raw=vals[0][2])
    if low in _MULTIPLES and not (i + 1 < n and _lower(t, i + 1) in ("digit", "digits")):
        return _Draft("number", float(_MULTIPLES[low]), "times", i, i, raw=float(_MULTIPLES[low]))
    return None


def _counted(t: _Text, j: int) -> str | None:
    """The words a count counts: up to three words after token j, stopping at function words."""
    words, k = [], j + 1
    while k < len(t.words) and len(words) < 3 and t.types[k] == WORD:
        w = t.words[k]
        if k + 1 < len(t.words) and t.types[k + 1] == NUM and t.glued(k + 1):
            words.append(w + t.words[k + 1])  # a name such as "H20" before the noun
            k += 2
            continue
        if w.lower() in _STOP or w.lower() in _MONTHS or (words and w[0].isupper()):
            break
        words.append(w)
        k += 1
    return " ".join(words) or None


def _read_figure(
    t: _Text,
    i: int,
    j: int,
    first: int,
    value: float,
    decimals: int,
    ordinal: bool,
    from_words: bool,
    currency: str | None,
    wordnums: dict,
) -> _Draft | None:
    n = len(t.words)
    raw = value
    word_text = t.words[i]
    # Dates: "February 24th", "24 February 2025", "November 2023".
    date = _read_date(t, i, j, value, decimals, from_words)
    if date is not None:
        return date
    suffix, k = _suffix(t, j)
    slow = suffix.lower() if suffix else None
    # Enumerators at the start of a line ("1." / "2)").
    if (
        not from_words
        and suffix in (".", ")")
        and (first == 0 or "\n" in t.text[t.ends[first - 1] : t.starts[first]])
        and k + 1 < n
        and not t.glued(k + 1)
    ):
        return None
    scale, scale_written, last = 1.0, False, j
    # glued scale: 52bn, 100k, $32B
    if slow in _SCALES and t.types[k] == WORD and (slow not in _CURRENCY_ONLY_SCALES or currency):
        scale, scale_written, last = _SCALES[slow], True, k
        suffix, k2 = _suffix(t, k)
        slow = suffix.lower() if suffix else None
        k = k2
    elif (
        slow
        and t.types[k] == WORD
        and not from_words
        and (slow not in _SCALES or slow in _CURRENCY_ONLY_SCALES)
    ):
        if slow in ("st", "nd", "rd", "th") and decimals == 0:
            if value >= 1900 or value == 0:
                return None
            d = _Draft("number", value, "ordinal", first, k, raw=value)
            return d
        if slow == "x":
            return _Draft("number", value, "times", first, k, raw=value)
        if slow in ("pp", "ppt", "ppts"):
            return _Draft("percentage_points", value, "pp", first, k, raw=value)
        if slow in ("bp", "bps"):
            return _Draft("percentage_points", value / 100, "pp", first, k, raw=value)
        if slow == "s" and decimals == 0 and value >= 1900 and value % 10 == 0:
            return _Draft(
                "year", value, "decade", first, k, raw=value, date=(int(value), None, None)
            )
        if slow in _MEASURES:
            return _Draft("number", value, slow, first, k, raw=value)
        if slow in _DAYS or (slow.endswith("s") and slow[:-1] in _DAYS):
            pass  # "5years" is a typo for a duration; read below
        elif currency is None and _lower(t, first - 1) not in ("the",):
            return None  # 5G, 3D, 20H: a name
    # spaced scale words: "52 billion", "1.5 million", "380 bn"
    m = last + 1
    while m < n and t.types[m] == WORD and not t.glued(m) and t.words[m].lower() in _SCALES:
        w = t.words[m].lower()
        if len(w) <= 2 and w not in ("bn", "mn", "tn") and not currency:
            break
        if w in _CURRENCY_ONLY_SCALES and not currency:
            break
        if from_words and w in ("thousand", "million", "billion", "trillion"):
            break  # text2num already read it
        scale *= _SCALES[w]
        scale_written = True
        last = m
        m += 1
    if ordinal:
        if from_words and (value < 3 or last + 1 >= n or t.types[last + 1] != WORD):
            return None  # "first", "second"; "third," enumerating points
        nxt = _lower(t, last + 1)
        if nxt in ("quarter", "half") and value <= 4:
            if nxt == "half" and value > 2:
                return None
            return _Draft(
                "date",
                None,
                "Q" if nxt == "quarter" else "H",
                first,
                last + 1,
                raw=value,
                date=(None, int(value), None),
            )
        return _Draft("number", value, "ordinal", first, last, raw=value)
    # glued or spaced percent
    nxt_i = last + 1
    nxt = t.words[nxt_i] if nxt_i < n else ""
    nlow = nxt.lower()
    if nxt == "%":
        return _Draft(
            "percent",
            value * scale,
            "%",
            first,
            nxt_i,
            raw=raw,
            scale=scale,
            scale_written=scale_written,
            decimals=decimals,
        )
    if nlow in ("percent", "pct", "percentage") or (
        nlow == "per" and _lower(t, nxt_i + 1) == "cent"
    ):
        end = nxt_i + (1 if nlow == "per" else 0)
        if nlow == "percentage" and _lower(t, nxt_i + 1) in ("point", "points", "pts"):
            return _Draft(
                "percentage_points", value, "pp", first, nxt_i + 1, raw=raw, decimals=decimals
            )
        if nlow == "percentage":
            return None
        return _Draft("percent", value * scale, "%", first, end, raw=raw, decimals=decimals)
    if nlow == "basis" and _lower(t, nxt_i + 1) in ("point", "points"):
        return _Draft(
            "percentage_points", value / 100, "pp", first, nxt_i + 1, raw=raw, decimals=decimals
        )
    # currency words after: "380 billion yuan", "52 billion US dollars", "Hong Kong dollars"
    if currency is None:
        code, end = _currency_after(t, last)
        if code:
            currency, last = code, end
    if currency:
        factor = 1.0
        if currency.endswith("/100"):
            currency, factor = currency[:-4], 0.01
        d = _Draft(
            "money",
            value * scale * factor,
            currency,
            first,
            last,
            raw=raw,
            scale=scale,
            scale_written=scale_written,
            decimals=decimals,
        )
        _per(t, d)
        return d
    # durations: "three years", "6 consecutive quarters", "5-year", "45-year-old"
    if nxt == "-" and t.glued(nxt_i) and nxt_i + 1 < n and t.glued(nxt_i + 1):
        unit = _unit_word(t.words[nxt_i + 1].split("-")[0])
        if unit:
            counts = t.words[nxt_i + 1]
            return _Draft(
                "duration",
                value * _DAYS[unit],
                "days",
                first,
                nxt_i + 1,
                raw=raw,
                decimals=decimals,
                counts=counts,
            )
    for k in _skip_adjectives(t, last):
        unit = _unit_word(t.words[k])
        if unit:
            counts = " ".join(t.words[last + 1 : k + 1])
            if _lower(t, k + 1) == "old":
                counts += " old"
                k += 1
            return _Draft(
                "duration",
                value * scale * _DAYS[unit],
                "days",
                first,
                k,
                raw=raw,
                scale=scale,
                decimals=decimals,
                counts=counts,
            )
    # "aged 45"
    if _lower(t, first - 1) == "aged" and not scale_written:
        return _Draft(
            "duration", value * _DAYS["year"], "days", first, last, raw=raw, counts="years old"
        )
    # years
    if (
        not from_words
        and decimals == 0
        and not scale_written
        and "," not in t.words[i]
        and 1900 <= value <= 2100
        and len(word_text) == 4
    ):
        return _Draft("year", value, None, first, last, raw=raw, date=(int(value), None, None))
    # a number after a capitalized non-function word is a name ("Qwen 3", "Windows 11")
    if (
        not from_words
        and not scale_written
        and _is_capitalized_name(t, first - 1)
        and not _score(t, last)
    ):
        return None
    # times of day: 10:30
    if nxt == ":" and t.glued(nxt_i) and nxt_i + 1 < n and t.types[nxt_i + 1] == NUM:
        mins = t.words[nxt_i + 1]
        if len(mins) == 2 and value < 24:
            end = nxt_i + 1
            if _lower(t, end + 1) in ("am", "pm", "a.m", "p.m"):
                end += 1
            return _Draft("date", value * 60 + float(mins), "time", first, end, raw=raw)
    if from_words and value == 1 and not scale_written:
        return None  # "one of the largest": not a quantity
    if from_words and value == 0:
        return None
    if not from_words and not scale_written and _name_follows(t, last):
        return None
    counts = _counted(t, last)
    kind = "count" if counts else "number"
    d = _Draft(
        kind,
        value * scale,
        None,
        first,
        last,
        raw=raw,
        scale=scale,
        scale_written=scale_written,
        decimals=decimals,
        counts=counts,
    )
    return d


def _score(t: _Text, j: int) -> bool:
    """A result such as "Arsenal 3-1": small whole numbers joined by a hyphen, not a model."""
    k = j + 2
    return (
        k < len(t.words)
        and t.words[j + 1] in ("-", "–")
        and t.glued(j + 1)
        and t.glued(k)
        and t.types[k] == NUM
        and len(t.words[j]) <= 2
        and len(t.words[k]) <= 2
        and t.words[j].isdigit()
        and t.words[k].isdigit()
    )


def _name_follows(t: _Text, j: int) -> bool:
    """The number at token j starts a name: an all-caps word follows ("737 MAX 9")."""
    k = j + 1
    if k >= len(t.words) or t.types[k] != WORD or t.glued(k):
        return False
    w = t.words[k]
    return len(w) >= 2 and w.isalpha() and w.isupper() and w.lower() not in _CODES


def _per(t: _Text, d: _Draft) -> None:
    """Money per unit: "$5 a share", "$30 per barrel"."""
    k = d.last + 1
    if k + 1 >= len(t.words) or t.types[k + 1] != WORD:
        return
    per, unit = _lower(t, k), t.words[k + 1]
    if per == "per" or (per in ("a", "an") and (_unit_word(unit) or unit.lower() in _PER_UNITS)):
        d.counts = f"per {t.words[k + 1]}"
        d.last = k + 1


def _currency_after(t: _Text, last: int) -> tuple[str | None, int]:
    n = len(t.words)
    k = last + 1
    if k >= n or t.types[k] != WORD:
        return None, last
    low = t.words[k].lower()
    if low in _CURRENCY_WORDS:
        if low == "won" or low == "real":
            return None, last  # a verb / an adjective far more often than a currency
        if low == "pounds" and _lower(t, k + 1) in ("of",):
            return None, last
        return _CURRENCY_WORDS[low], k
    # "55.4 billion Danish crowns", "US dollars", "Hong Kong dollars", "Australian dollars"
    if low in _CROWN_NATIONS and _CURRENCY_WORDS.get(_lower(t, k + 1)) == "crowns":
        return _CROWN_NATIONS[low], k + 1
    # "US dollars", "Hong Kong dollars", "Australian dollars"
    for span in (1, 2):
        if k + span < n and _lower(t, k + span) in ("dollar", "dollars"):
            nation = " ".join(t.words[k + q].lower() for q in range(span))
            if nation in _DOLLAR_NATIONS:
                return _DOLLAR_NATIONS[nation], k + span
    if low in ("us", "u") and _lower(t, k + 1) in (".", "s"):
        pass
    return None, last


def _read_date(
    t: _Text, i: int, j: int, value: float, decimals: int, from_words: bool
) -> _Draft | None:
    """Month-day, day-month and month-year dates around the number at tokens i..j."""
    if from_words and value > 31:
        return None
    n = len(t.words)
    if decimals or value != int(value):
        return None
    v = int(value)
    # skip a glued ordinal suffix ("24th")
    end = j
    if end + 1 < n and t.glued(end + 1) and t.words[end + 1].lower() in ("st", "nd", "rd", "th"):
        end += 1
    prev = i - 1
    if prev >= 0 and t.words[prev] == "." and prev >= 1 and t.words[prev - 1].lower() in _MONTHS:
        prev -= 1
    month = _MONTHS.get(_lower(t, prev)) if prev >= 0 and t.types[prev] == WORD else None
    if month and t.words[prev][0].isupper():
        if 1900 <= v <= 2100 and len(t.words[i]) == 4:
            return _Draft("date", None, None, prev, end, raw=value, date=(v, month, None))
        if 1 <= v <= 31:
            year, last = _year_after(t, end)
            return _Draft("date", None, None, prev, last, raw=value, date=(year, month, v))
        return None
    nxt = end + 1
    if nxt < n and t.words[nxt].lower() == "of":
        nxt += 1
    if (
        nxt < n
        and t.types[nxt] == WORD
        and t.words[nxt][0].isupper()
        and t.words[nxt].lower() in _MONTHS
        and 1 <= v <= 31
        and t.words[nxt].lower() != "may"
    ):
        year, last = _year_after(t, nxt)
        return _Draft(
            "date", None, None, i, last, raw=value, date=(year, _MONTHS[t.words[nxt].lower()], v)
        )
    return None


def _year_after(t: _Text, k: int) -> tuple[int | None, int]:
    m = k + 1
    if m < len(t.words) and t.words[m] == ",":
        m += 1
    if m < len(t.words) and t.types[m] == NUM and len(t.words[m]) == 4:
        y = int(t.words[m])
        if 1900 <= y <= 2100:
            return y, m
    return None, k


def _qualify(t: _Text, drafts: list[_Draft]) -> None:
    """Read the hedge before (or after) each figure."""
    for d in drafts:
        if d.kind == "date" or d.unit == "ordinal":
            continue
        k = d.first - 1
        found = None
        if k >= 0 and t.types[k] == SYM and t.words[k] in _QUALIFIERS:
            found = (t.words[k], k)
        elif k >= 0 and t.words[k].lower() in _QUALIFIER_ENDS:
            for size in (3, 2, 1):
                if k - size + 1 < 0:
                    continue
                words = [t.words[q].lower() for q in range(k - size + 1, k + 1)]
                if any(t.types[q] != WORD for q in range(k - size + 1, k + 1)):
                    continue
                phrase = " ".join(words)
                if phrase in _QUALIFIERS:
                    found = (" ".join(t.words[q] for q in range(k - size + 1, k + 1)), k - size + 1)
                    break
        if found:
            phrase, q = found
            # "over three years" means "during"; "under 40 people" (no) — only durations
            if d.kind == "duration" and phrase.lower() == "over":
                continue
            d.qualifier, d.bound, d.first = phrase, _QUALIFIERS[phrase.lower()], q
            continue
        # after: "100,000-plus", "100,000+", "or more", "or so"
        a = d.last + 1
        if a < len(t.words):
            w = t.words[a].lower()
            if w == "+" and t.glued(a):
                d.qualifier, d.bound, d.last = "+", "above", a
            elif w == "-" and t.glued(a) and _lower(t, a + 1) in ("plus", "odd"):
                word = _lower(t, a + 1)
                d.qualifier, d.bound, d.last = word, "above" if word == "plus" else "approx", a + 1
            elif w == "or" and _lower(t, a + 1) in ("more", "so"):
                word = "or " + _lower(t, a + 1)
                d.qualifier, d.bound, d.last = (
                    word,
                    "above" if word == "or more" else "approx",
                    a + 1,
                )


# What may stand between two members of a range ("2 to 5", "$2-5 billion", "between 2 and 5")
# or of a list ("15%, 10% and 5%"); units are shared across the first kind only.
_RANGE_GAP = re.compile(r"\s*(?:to|through|and|or|-|–|—|/)\s*|\s+(?:to|through|and|or)\s+")
_LIST_GAP = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+")


def _group(t: _Text, drafts: list[_Draft]) -> None:
    """Join ranges and lists, share the units they state once, and bind figures to names."""
    groups: list[list[int]] = []
    types: list[str] = []
    for idx, d in enumerate(drafts):
        if idx > 0:
            prev = drafts[idx - 1]
            gap = t.text[t.ends[prev.last] : t.starts[d.first]]
            if len(gap) < 8 and _RANGE_GAP.fullmatch(gap) and _rangeable(t, prev, d, gap):
                groups[-1].append(idx)
                word = gap.strip()
                if (
                    word in ("and", "or")
                    and _lower(t, drafts[groups[-1][0]].first - 1) != "between"
                ):
                    types[-1] = "list" if types[-1] != "range" else "range"
                else:
                    types[-1] = "range"
                _share_units(prev, d)
                continue
            if len(gap) < 8 and _LIST_GAP.fullmatch(gap) and prev.kind == d.kind:
                groups[-1].append(idx)
                continue
        groups.append([idx])
        types.append("list")
    for members, gtype in zip(groups, types, strict=True):
        if len(members) < 2:
            continue
        ds = [drafts[q] for q in members]
        after = ds[-1].last + 1
        if _lower(t, after) == "respectively" or (
            t.words[after : after + 1] == [","] and _lower(t, after + 1) == "respectively"
        ):
            gtype = "respectively"
        span = (t.starts[ds[0].first], t.ends[ds[-1].last])
        for pos, d in enumerate(ds):
            d.group, d.group_type, d.group_span = (pos, len(ds)), gtype, span
        if gtype == "respectively":
            names = _names_before(t, ds[0].first)[-len(ds) :]
            if len(names) == len(ds):
                for d, (name, _) in zip(ds, names, strict=True):
                    d.entity = name
    # Otherwise a figure belongs to the closest name before it, if no other figure comes between
    # them and the name is near: "ACM rose 10%", not "Labour won 412 seats, a majority of 174".
    for idx, d in enumerate(drafts):
        if d.entity is None and d.kind not in ("year", "date"):
            names = _names_before(t, d.first)
            previous = drafts[idx - 1].last if idx else -1
            if names and names[-1][1] > previous and d.first - names[-1][1] <= _NAME_REACH:
                d.entity = names[-1][0]


def _bare(d: _Draft) -> bool:
    return d.kind == "number" and d.unit is None


def _rangeable(t: _Text, a: _Draft, b: _Draft, gap: str) -> bool:
    """Whether a and b, separated by gap, are members of one range or pair."""
    if (
        a.kind == "year"
        and (_bare(b) or b.kind in ("count", "year"))
        and gap.strip()
        in (
            "-",
            "–",
            "/",
            "to",
        )
    ):
        return True
    if gap.strip() == "/" or a.unit in ("ordinal", "times") or b.unit in ("ordinal", "times"):
        return False
    return (a.kind == b.kind and a.unit == b.unit) or _bare(a) or _bare(b)


def _share_units(a: _Draft, b: _Draft) -> None:
    """Units stated once for two members: "$2-5 billion", "2 and 5 billion dollars", "10 to 15%"."""
    if a.kind == "year":
        if b.kind != "year" and b.raw is not None and b.raw < 100 and b.decimals == 0:
            year = int(a.raw or 0) // 100 * 100 + int(b.raw)
            if year > (a.raw or 0):
                b.kind, b.value, b.unit, b.counts = "year", float(year), None, None
                b.date = (year, None, None)
        return
    if b.kind in ("year", "date") or a.kind in ("date",):
        return
    if _bare(a) and not _bare(b):
        _take_unit(a, b)
    elif _bare(b) and not _bare(a):
        _take_unit(b, a)
    if a.kind == b.kind and a.raw is not None and b.raw is not None:
        if not a.scale_written and b.scale_written:
            a.value, a.scale, a.scale_written = (a.value or 0) * b.scale, b.scale, True
        elif not b.scale_written and a.scale_written and b.kind == "money":
            b.value, b.scale, b.scale_written = (b.value or 0) * a.scale, a.scale, True
        a.counts = a.counts or b.counts


def _take_unit(d: _Draft, other: _Draft) -> None:
    """d, written bare, takes the kind and unit of the other member."""
    per_unit = (other.value or 0) / ((other.raw or 1) * (other.scale or 1))
    d.kind, d.unit, d.counts = other.kind, other.unit, other.counts
    d.value = (d.raw or 0) * d.scale * per_unit


_NAME_REACH = 8  # tokens


def _names_before(t: _Text, i: int) -> list[tuple[str, int]]:
    """Proper-name phrases in the sentence before token i, in order, with their last token."""
    if t.names is None:
        t.names = _all_names(t)
    s_start, _ = t.sentence_of(t.starts[i]) if i < len(t.starts) else (0, 0)
    return [(text, last) for first, last, text in t.names if first >= s_start and last < i]


def _all_names(t: _Text) -> list[tuple[int, int, str]]:
    """Every proper-name phrase: (start offset, last token, text); a sentence's first word
    counts unless it is a function word or an adverb set off by a comma ("Previously,")."""
    names: list[tuple[int, int, str]] = []
    current: list[int] = []
    starts = set(t.sentence_starts)

    def close() -> None:
        while current and t.types[current[-1]] != WORD:
            current.pop()
        if current:
            a, b = t.starts[current[0]], t.ends[current[-1]]
            names.append((a, current[-1], t.text[a:b]))
        current.clear()

    for k, w in enumerate(t.words):
        if t.types[k] == WORD and w[0].isupper():
            low = w.lower().replace("’s", "").replace("'s", "")
            if (
                low in _MONTHS
                or low in _WEEKDAYS
                or low in _QUALIFIERS
                or low in _CODES
                or (t.starts[k] in starts and (low in _STOP or _lower(t, k + 1) == ","))
            ):
                close()
            else:
                if t.starts[k] in starts:
                    close()
                current.append(k)
        elif current and t.types[k] == SYM and w in "().&":
            current.append(k)
        else:
            close()
    close()
    return names


def _name_words(name: str | None) -> frozenset[str]:
    if not name:
        return frozenset()
    words = re.findall(r"[^\W\d_]+", name.lower().replace("’s", "").replace("'s", ""))
    return frozenset(w for w in words if w not in _GENERIC_NAME_WORDS and w not in _STOP)


def _freeze(t: _Text, d: _Draft) -> Figure:
    a, b = t.starts[d.first], t.ends[d.last]
    s0, s1 = t.sentence_of(a)
    start, end = t.span(a, b)
    group_text = None
    if d.group_span:
        g0, g1 = t.span(*d.group_span)
        group_text = t.original[g0:g1]
    value = d.value
    if value is not None:
        value = abs(value)
    return Figure(
        kind=d.kind,
        value=value,
        unit=d.unit,
        text=t.original[start:end],
        start=start,
        end=end,
        sentence=t.text[s0:s1].strip(),
        raw=d.raw,
        scale=d.scale,
        decimals=d.decimals,
        qualifier=d.qualifier,
        bound=d.bound,
        counts=d.counts,
        date=d.date,
        group=d.group,
        group_text=group_text,
        group_type=d.group_type,
        entity=d.entity,
    )


@lru_cache(maxsize=4096)
def extract(text: str) -> tuple[Figure, ...]:
    """Every figure in ``text``, in order (cached: sources are checked against many summaries)."""
    if not text or not text.strip():
        return ()
    t = _prepare(text)
    return tuple(_freeze(t, d) for d in _extract(t))


# ---------------------------------------------------------------------------------------------
# Support


def _close(a: float, b: float, rel_tol: float) -> bool:
    return math.isclose(a, b, rel_tol=max(rel_tol, 1e-9), abs_tol=1e-12)


def _rounds_to(claim: Figure, fact: Figure) -> bool:
    """The claim is the fact rounded to the digits the claim shows ("$53bn" for "$52.9bn")."""
    if claim.raw is None or fact.value is None or claim.value is None or claim.raw == 0:
        return False
    per_unit = claim.value / claim.raw  # scale and currency factor of the claim
    return round(fact.value / per_unit, claim.decimals) == claim.raw


# Currencies written ambiguously ("¥", "crowns") match any currency they can stand for.
_AMBIGUOUS = {"¥": {"CNY", "JPY"}, "crowns": {"DKK", "SEK", "NOK", "CZK"}}


def _currency_ok(a: str | None, b: str | None) -> bool:
    return a == b or b in _AMBIGUOUS.get(a or "", ()) or a in _AMBIGUOUS.get(b or "", ())


def _counts_ok(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    sa = {w.lower()[:5] for w in re.findall(r"[^\W\d_]+", a)} - _STOP
    sb = {w.lower()[:5] for w in re.findall(r"[^\W\d_]+", b)} - _STOP
    return not sa or not sb or bool(sa & sb)


def _generic_count(counts: str) -> bool:
    """ "people", "persons": words a summary uses for any group ("11,000 employees")."""
    words = {w.lower()[:5] for w in re.findall(r"[^\W\d_]+", counts)} - _STOP
    return words <= {"peopl", "perso", "indiv"}


def _same_unit(claim: Figure, fact: Figure) -> bool:
    """Kind, currency and unit agree (values aside)."""
    ck, fk = claim.kind, fact.kind
    if ck == "year":
        return (
            fk in ("year", "date") and fact.date is not None and fact.unit not in ("Q", "H", "time")
        )
    if ck == "date":
        return fk == "date" and claim.unit == fact.unit
    if ck == "money":
        return fk == "money" and _currency_ok(claim.unit, fact.unit)
    if ck in ("percent", "percentage_points"):
        return fk == ck
    bare = {"number", "count", "duration"}
    if ck in bare and fk in bare:
        if claim.unit in ("ordinal", "times") or fact.unit in ("ordinal", "times"):
            return claim.unit == fact.unit
        if claim.unit and fact.unit and claim.unit != fact.unit:
            return False
        if ck == "duration" and fk == "duration":
            return True
        return ck == fk or "number" in (ck, fk)
    return False


def _value(f: Figure) -> float | None:
    """The value compared: durations against bare numbers compare as written."""
    return f.value


def _same_value(claim: Figure, fact: Figure, rel_tol: float, rounding: bool) -> bool:
    if claim.kind == "year":
        return fact.date is not None and fact.date[0] == (claim.date or (None,))[0]
    if claim.kind == "date":
        if claim.unit in ("time",):
            return claim.value == fact.value
        cy, cm, cd = claim.date or (None, None, None)
        fy, fm, fd = fact.date or (None, None, None)
        if cm != fm or (cd is not None and cd != fd):
            return False
        return cy is None or cy == fy or fy is None
    a, b = claim.value, fact.value
    if a is None or b is None:
        return False
    if claim.kind != fact.kind and "duration" in (claim.kind, fact.kind):
        a, b = claim.raw, fact.raw  # "45-year-old" against a bare "45"
        if a is None or b is None:
            return False
    if _close(a, b, rel_tol):
        return True
    return rounding and claim.kind == fact.kind and _rounds_to(claim, fact)


def _bound_ok(claim: str, fact: str, strict: bool) -> bool:
    if claim == "approx":
        return True
    if claim == "exact":
        return not strict or fact in ("exact", "approx")
    return claim == fact


def _diagnose(claim: Figure, facts: Sequence[Figure], rel_tol: float) -> tuple[Figure | None, str]:
    """The source figure the claim was most likely meant as, and why it does not match."""
    same_value = [
        f
        for f in facts
        if f.value is not None and claim.value is not None and _close(claim.value, f.value, rel_tol)
    ]
    unit = [f for f in facts if _same_unit(claim, f)]
    if claim.kind in ("year", "date"):
        if unit:
            return _nearest(claim, unit), "value"
        return None, "not in source"
    for f in same_value:
        if f.kind == claim.kind == "money" and not _currency_ok(f.unit, claim.unit):
            return f, "currency"
    if claim.raw is not None:
        for f in unit:
            if f.raw == claim.raw and f.scale != claim.scale:
                return f, "scale"
    if same_value and not any(_same_unit(claim, f) for f in same_value):
        return same_value[0], "unit"
    if claim.kind == "money" and claim.raw is not None:
        for f in facts:
            if f.kind == "money" and f.raw == claim.raw and not _currency_ok(f.unit, claim.unit):
                return f, "currency"
    if unit:
        return _nearest(claim, unit), "value"
    if claim.raw is not None:
        for f in facts:
            if f.raw == claim.raw and f.kind != claim.kind:
                return f, "unit"
    return None, "not in source"


def _digits(raw: float | None) -> str | None:
    """The digits of a number as written, without its point: 7.8 and 78 give "78"."""
    return None if raw is None else f"{raw:.12g}".replace(".", "").lstrip("0-") or "0"


def _nearest(claim: Figure, facts: Sequence[Figure]) -> Figure:
    def distance(f: Figure) -> float:
        if claim.raw is not None and _digits(claim.raw) == _digits(f.raw):
            return -1.0  # the same digits, point moved or dropped: "78%" for "7.8%"
        if claim.kind in ("year", "date"):
            cy = (claim.date or (0,))[0] or 0
            fy = (f.date or (0,))[0] or 0
            return abs(cy - fy)
        if claim.value and f.value:
            return abs(math.log(abs(claim.value) / abs(f.value)))
        return math.inf

    return min(facts, key=distance)


@dataclass(frozen=True)
class Check:
    """The verdict on one summary figure."""

    figure: Figure
    supported: bool
    match: Figure | None = None  # the source figure that supports it
    nearest: Figure | None = None  # for an unsupported figure, what it was likely meant as
    reason: str | None = None  # one of REASONS when unsupported


def support(
    claims: Iterable[Figure],
    facts: Sequence[Figure],
    rel_tol: float = 0.0,
    rounding: bool = False,
    strict_qualifiers: bool = False,
    entity_binding: bool = True,
) -> list[Check]:
    """Check each claim (summary figure) against the facts (source figures)."""
    by_kind: dict[str, list[Figure]] = {}
    for f in facts:
        by_kind.setdefault(f.kind, []).append(f)
    out = []
    for c in claims:
        pool = [f for k in _COMPATIBLE[c.kind] for f in by_kind.get(k, ())]
        matches = [f for f in pool if _same_unit(c, f) and _same_value(c, f, rel_tol, rounding)]
        if not matches:
            nearest, reason = _diagnose(c, facts, rel_tol)
            out.append(Check(c, False, nearest=nearest, reason=reason))
            continue
        hedged = [f for f in matches if _bound_ok(c.bound, f.bound, strict_qualifiers)]
        if not hedged:
            out.append(Check(c, False, nearest=matches[0], reason="qualifier"))
            continue
        counted = _count_conflict(c, hedged, pool, rel_tol)
        if counted is not None:
            out.append(Check(c, False, nearest=counted, reason="value"))
            continue
        if entity_binding:
            conflict = _entity_conflict(c, hedged, pool, rel_tol)
            if conflict is not None:
                out.append(Check(c, False, nearest=conflict, reason="entity"))
                continue
        out.append(Check(c, True, match=hedged[0]))
    return out


_COMPATIBLE = {
    "money": ("money",),
    "percent": ("percent",),
    "percentage_points": ("percentage_points",),
    "count": ("count", "number", "duration"),
    "number": ("number", "count", "duration"),
    "duration": ("duration", "number", "count"),
    "year": ("year", "date"),
    "date": ("date",),
}


def _count_conflict(
    claim: Figure, matches: Sequence[Figure], pool: Sequence[Figure], rel_tol: float
) -> Figure | None:
    """A source count of the same thing with another value, when no match counts that thing.

    Count nouns are often paraphrased ("11,000 employees" / "11,000 people"), so a different
    noun alone proves nothing; "3,000 people in shelters" is wrong when the source gives 2,000
    people and 3,000 firefighters.
    """
    if claim.kind != "count" or not claim.counts or _generic_count(claim.counts):
        return None
    if any(f.kind != "count" or _counts_ok(claim.counts, f.counts) for f in matches):
        return None
    for f in pool:
        if (
            f.kind == "count"
            and f.counts
            and _counts_ok(claim.counts, f.counts)
            and f.value is not None
            and claim.value is not None
            and not _close(f.value, claim.value, rel_tol)
        ):
            return f
    return None


def _entity_conflict(
    claim: Figure, matches: Sequence[Figure], pool: Sequence[Figure], rel_tol: float
) -> Figure | None:
    """A source figure that gives the claim's entity another value, when no match names it."""
    name = _name_words(claim.entity)
    if not name:
        return None
    if any(not _name_words(f.entity) or name & _name_words(f.entity) for f in matches):
        return None
    for f in pool:
        if (
            f.kind == claim.kind
            and f.unit == claim.unit
            and name & _name_words(f.entity)
            and f.value is not None
            and claim.value is not None
            and not _close(f.value, claim.value, rel_tol)
            and f.sentence in {m.sentence for m in matches}
        ):
            return f
    return None


def _reference_key(f: Figure) -> tuple:
    return (f.kind, f.unit, f.date if f.kind in ("year", "date") else round(f.value or 0, 9))


def reference_figures(references: Iterable[str]) -> list[Figure]:
    """The distinct figures of the references (deduplicated by kind, unit and value)."""
    seen, out = set(), []
    for ref in references:
        for f in extract(ref):
            key = _reference_key(f)
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def recall_hits(
    ref_figures: Sequence[Figure],
    summary: Sequence[Figure],
    rel_tol: float = 0.0,
    rounding: bool = False,
) -> int:
    """How many reference figures the summary states (qualifiers and names ignored)."""
    checks = support(ref_figures, summary, rel_tol, rounding, entity_binding=False)
    return sum(ch.supported or ch.reason == "qualifier" for ch in checks)


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


class FigureFidelity:
    """Figure precision, recall and F1 of a summary against its source and references.

    Args:
        rel_tol: relative tolerance on values (0: exact after normalization).
        rounding: accept a summary figure that is the source figure rounded to the digits the
            summary shows ("$53 billion" for "$52.9 billion").
        strict_qualifiers: reject a summary figure that drops the source's hedge.
        entity_binding: reject a figure the source gives for another name only.
    """

    def __init__(
        self,
        rel_tol: float = 0.0,
        rounding: bool = False,
        strict_qualifiers: bool = False,
        entity_binding: bool = True,
    ):
        if rel_tol < 0:
            raise ValueError(f"rel_tol must be >= 0, got {rel_tol}")
        self.rel_tol = float(rel_tol)
        self.rounding = bool(rounding)
        self.strict_qualifiers = bool(strict_qualifiers)
        self.entity_binding = bool(entity_binding)
        self.higher_is_better = {"figure_precision": True, "figure_recall": True, "figure_f1": True}

    def check(self, source: str, summary: str) -> list[Check]:
        """The verdict on every figure of the summary."""
        return support(
            extract(summary),
            extract(source),
            self.rel_tol,
            self.rounding,
            self.strict_qualifiers,
            self.entity_binding,
        )

    def score_texts(
        self, source: str, summary: str, references: Sequence[str] = ()
    ) -> tuple[dict[str, Any], list[Check]]:
        checks = self.check(source, summary)
        supported = sum(c.supported for c in checks)
        refs = reference_figures(references)
        stated = recall_hits(refs, extract(summary), self.rel_tol, self.rounding) if refs else 0
        precision = _ratio(supported, len(checks))
        recall = _ratio(stated, len(refs)) if references else None
        if recall is None:
            f1 = None
        elif precision is None:
            f1 = 0.0  # no figure in the summary: it states none of the references' figures
        else:
            f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
        numbers = {
            "figure_precision": precision,
            "figure_recall": recall,
            "figure_f1": f1,
            "figure_count": len(checks),
            "figure_supported": supported,
            "figure_reference_count": len(refs),
            "figure_reference_stated": stated,
        }
        return numbers, checks

    def score(self, doc: Any, prediction: str) -> dict[str, Any]:
        numbers, checks = self.score_texts(doc.text, prediction, tuple(doc.references))
        numbers["unsupported_figures"] = [unsupported_row(c) for c in checks if not c.supported]
        numbers["figures"] = [figure_record(c, MARK_FIELDS) for c in checks]
        return numbers


# The fields of a figure's record, in order: what `summbench-figures` prints for each figure.
RECORD_FIELDS = (
    "text", "supported", "kind", "value", "unit", "qualifier",
    "start", "end", "sentence", "source", "nearest", "reason",
)  # fmt: skip
# The columns of the run's table of every figure: what report.html marks in the summary (start,
# end) and in the article (source_start, source_end: the matching figure, else the nearest).
MARK_FIELDS = (
    "text", "supported", "kind", "start", "end", "source", "nearest", "reason",
    "source_start", "source_end",
)  # fmt: skip
# The columns of the run's unsupported-figure table.
UNSUPPORTED_FIELDS = ("text", "start", "end", "sentence", "kind", "nearest", "reason")


def figure_record(c: Check, fields: Sequence[str] = RECORD_FIELDS) -> dict[str, Any]:
    """A JSON-able record of one checked summary figure, with the fields asked for."""
    f = c.figure
    evidence = c.match or c.nearest  # a figure of the article, at its offsets there
    record = {
        "text": f.text,
        "supported": c.supported,
        "kind": f.kind,
        "value": f.value,
        "unit": f.unit,
        "qualifier": f.qualifier,
        "start": f.start,
        "end": f.end,
        "sentence": f.sentence,
        "source": c.match.text if c.match else None,
        "nearest": c.nearest.text if c.nearest else None,
        "reason": c.reason,
        "source_start": evidence.start if evidence else None,
        "source_end": evidence.end if evidence else None,
    }
    return {k: record[k] for k in fields}


def unsupported_row(c: Check) -> dict[str, Any]:
    """One row of the unsupported-figure table."""
    return figure_record(c, UNSUPPORTED_FIELDS)
