"""Units and currencies: currency symbols, codes and words, time units (durations in days),
measurement units, and "per share" units.
"""

from __future__ import annotations

from .figure import Draft
from .numbers import SCALES
from .periods import DAYS
from .text import SYM, WORD, Text, lower_at

# fmt: off
CODES = {
    "usd": "USD", "us$": "USD", "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "renminbi": "CNY",
    "eur": "EUR", "gbp": "GBP", "jpy": "JPY", "hkd": "HKD", "hk$": "HKD", "inr": "INR",
    "rs": "INR", "chf": "CHF", "aud": "AUD", "a$": "AUD", "cad": "CAD", "c$": "CAD",
    "krw": "KRW", "sgd": "SGD", "s$": "SGD", "brl": "BRL", "r$": "BRL", "nt$": "TWD",
    "twd": "TWD", "nz$": "NZD", "nzd": "NZD", "rub": "RUB", "mxn": "MXN", "zar": "ZAR",
}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "¥", "₹": "INR", "₩": "KRW", "₽": "RUB"}
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY",
    "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP", "sterling": "GBP",
    "yen": "JPY", "won": "KRW", "rupee": "INR", "rupees": "INR", "franc": "CHF", "francs": "CHF",
    "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB", "peso": "MXN",
    "pesos": "MXN", "real": "BRL", "reais": "BRL", "cent": "USD/100", "cents": "USD/100",
    "pence": "GBP/100", "usd": "USD", "eur": "EUR", "gbp": "GBP", "cny": "CNY", "jpy": "JPY",
    "hkd": "HKD", "crown": "crowns", "crowns": "crowns", "krona": "crowns", "kronor": "crowns",
    "krone": "crowns", "kroner": "crowns", "bucks": "USD", "quid": "GBP",
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
MEASURES = frozenset([
    "gb", "tb", "mb", "kb", "gw", "mw", "kw", "kwh", "mwh", "gwh", "twh", "km", "kg", "mg",
    "nm", "mm", "cm", "ghz", "mhz", "mph", "kmh", "ft", "lb", "lbs", "oz", "sq",
    "in",
])
# fmt: on


# Video resolutions are written "720p", never pence.
RESOLUTIONS = frozenset({144.0, 240.0, 360.0, 480.0, 576.0, 720.0, 1080.0, 1440.0, 2160.0, 4320.0})
_PER_UNITS = frozenset({"share", "barrel", "ton", "tonne", "head"})


def currency_before(t: Text, i: int) -> tuple[str | None, int]:
    """A currency written before token i: (code, first token of the figure)."""
    k = i - 1
    if k >= 0 and t.types[k] == SYM and t.words[k] in _SYMBOLS and t.glued(i):
        code = _SYMBOLS[t.words[k]]
        if k >= 1 and t.types[k - 1] == WORD and t.glued(k):
            prefix = t.words[k - 1].lower() + t.words[k]
            if prefix in CODES:
                return CODES[prefix], k - 1
        return code, k
    if k >= 0 and t.types[k] == WORD and t.words[k].isupper() and t.words[k].lower() in CODES:
        return CODES[t.words[k].lower()], k
    if k >= 0 and t.types[k] == WORD and t.words[k] in ("Rs", "Rs."):
        return "INR", k
    return None, i


def unit_word(word: str) -> str | None:
    low = word.lower()
    if low in DAYS:
        return low
    if low.endswith("s") and low[:-1] in DAYS:
        return low[:-1]
    if low in ("centuries",):
        return "century"
    return None


def hyphenated_rate(low: str | None) -> tuple[str, str] | None:
    """ "bn-a-year", "m-per-week": (the scale, "per year") of "£2.6bn-a-year"."""
    head, _, tail = (low or "").partition("-")
    per, _, unit = tail.partition("-")
    if head in SCALES and per in ("a", "an", "per") and unit_word(unit):
        return head, f"per {unit}"
    return None


_TIME_AGO = frozenset({"earlier", "ago", "before", "later", "previously", "prior", "back"})


def read_per_unit(t: Text, d: Draft) -> None:
    """Money per unit: "$5 a share", "$30 per barrel"."""
    k = d.last + 1
    if k + 1 >= len(t.words) or t.types[k + 1] != WORD:
        return
    per, unit = lower_at(t, k), t.words[k + 1]
    if per in ("a", "an") and lower_at(t, k + 2) in _TIME_AGO:
        return  # "$9 billion a year earlier" is a time, not a rate
    if per == "per" or (per in ("a", "an") and (unit_word(unit) or unit.lower() in _PER_UNITS)):
        d.counts = f"per {t.words[k + 1]}"
        d.last = k + 1


def currency_after(t: Text, last: int) -> tuple[str | None, int]:
    n = len(t.words)
    k = last + 1
    if k >= n or t.types[k] != WORD:
        return None, last
    low = t.words[k].lower()
    if low in CURRENCY_WORDS:
        if low == "won" or low == "real":
            return None, last  # a verb / an adjective far more often than a currency
        if low == "pounds" and lower_at(t, k + 1) in ("of",):
            return None, last
        return CURRENCY_WORDS[low], k
    # "55.4 billion Danish crowns", "US dollars", "Hong Kong dollars", "Australian dollars"
    if low in _CROWN_NATIONS and CURRENCY_WORDS.get(lower_at(t, k + 1)) == "crowns":
        return _CROWN_NATIONS[low], k + 1
    # "US dollars", "Hong Kong dollars", "Australian dollars"
    for span in (1, 2):
        if k + span < n and lower_at(t, k + span) in ("dollar", "dollars"):
            nation = " ".join(t.words[k + q].lower() for q in range(span))
            if nation in _DOLLAR_NATIONS:
                return _DOLLAR_NATIONS[nation], k + span
    if low in ("us", "u") and lower_at(t, k + 1) in (".", "s"):
        pass
    return None, last


# Currencies written ambiguously ("¥", "crowns") match any currency they can stand for.
_AMBIGUOUS = {"¥": {"CNY", "JPY"}, "crowns": {"DKK", "SEK", "NOK", "CZK"}}


def currency_ok(a: str | None, b: str | None) -> bool:
    return a == b or b in _AMBIGUOUS.get(a or "", ()) or a in _AMBIGUOUS.get(b or "", ())
