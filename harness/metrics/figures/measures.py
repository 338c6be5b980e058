"""Units of measurement as part of the quantity: 12 km is not 12 miles, 400 MW is not 400 GW.

A number followed by a unit (glued or spaced: "12km", "12 km", "12 kilometres", "50 km/h") takes
the unit's symbol as its ``unit``. Units of one dimension convert ("12 km" and "7.5 miles" are
the same length at the precision the summary states); units of different dimensions never match
(tonnes are not barrels). "m" is metres or millions: metres after "a"/"an" with no currency ("a
3.4m python") or before a dimension word ("3.4m long", "3.4m-tall") or a race ("the 100m
sprint"), millions otherwise ("3.4m shares", "€40 m"). Temperatures keep their sign ("-12C").
"""

from __future__ import annotations

from dataclasses import replace

from .figure import Draft, Figure
from .text import NUM, SYM, WORD, Text, lower_at

# symbol: (dimension, size in the dimension's base unit; None: no conversion)
UNITS: dict[str, tuple[str, float | None]] = {
    "km": ("length", 1e3), "m": ("length", 1.0), "cm": ("length", 1e-2), "mm": ("length", 1e-3),
    "mi": ("length", 1609.344), "ft": ("length", 0.3048), "yd": ("length", 0.9144),
    "kg": ("mass", 1.0), "g": ("mass", 1e-3), "mg": ("mass", 1e-6), "t": ("mass", 1e3),
    "lb": ("mass", 0.45359237), "oz": ("mass", 0.028349523),
    "l": ("volume", 1.0), "ml": ("volume", 1e-3), "gal": ("volume", 3.785411784),
    "bbl": ("volume", 158.987294928),
    "w": ("power", 1.0), "kw": ("power", 1e3), "mw": ("power", 1e6), "gw": ("power", 1e9),
    "tw": ("power", 1e12),
    "kwh": ("energy", 3.6e6), "mwh": ("energy", 3.6e9), "gwh": ("energy", 3.6e12),
    "twh": ("energy", 3.6e15),
    "km/h": ("speed", 1 / 3.6), "mph": ("speed", 0.44704), "kn": ("speed", 0.514444),
    "m/s": ("speed", 1.0),
    "°c": ("temperature", None), "°f": ("temperature", None),
    "ha": ("area", 1e4), "acre": ("area", 4046.8564224), "sq km": ("area", 1e6),
    "in": ("length", 0.0254),
    "kb": ("data", 1e3), "mb": ("data", 1e6), "gb": ("data", 1e9), "tb": ("data", 1e12),
    "mhz": ("frequency", 1e6), "ghz": ("frequency", 1e9),
}  # fmt: skip

# Words and symbols as written -> symbol ("m" is handled apart: see the module docstring).
_WRITTEN = {
    **{u: u for u in UNITS if u not in ("m", "t", "g", "l", "w", "kn", "in")},
    "inch": "in", "inches": "in",
    "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "metre": "m", "metres": "m", "meter": "m", "meters": "m",
    "centimetre": "cm", "centimetres": "cm", "centimeters": "cm", "millimetres": "mm",
    "mile": "mi", "miles": "mi", "foot": "ft", "feet": "ft", "yard": "yd", "yards": "yd",
    "kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg", "gram": "g", "grams": "g",
    "tonne": "t", "tonnes": "t", "ton": "t", "tons": "t", "lbs": "lb", "ounces": "oz",
    "litre": "l", "litres": "l", "liter": "l", "liters": "l", "gallon": "gal", "gallons": "gal",
    "barrel": "bbl", "barrels": "bbl", "kph": "km/h", "kmh": "km/h", "knots": "kn",
    "watts": "w", "kilowatts": "kw", "megawatts": "mw", "gigawatts": "gw", "hectares": "ha",
    "hectare": "ha", "acres": "acre", "gigabytes": "gb", "terabytes": "tb", "megabytes": "mb",
}  # fmt: skip
_DIMENSION_WORDS = frozenset({"long", "tall", "high", "deep", "wide", "away", "length", "height"})
# A race named by its distance: "the 100m sprint", "400m hurdles", "the 200m final".
_EVENTS = frozenset(
    {"sprint", "sprints", "race", "races", "hurdles", "relay", "freestyle", "butterfly",
     "backstroke", "breaststroke", "medley", "dash", "final", "heat", "heats", "champion",
     "title", "steeplechase"}
)  # fmt: skip


def unit_written(t: Text, k: int) -> tuple[str | None, int]:
    """The unit written at token k: (symbol, its last token) or (None, k)."""
    low = lower_at(t, k)
    if k >= len(t.words) or t.types[k] != WORD:
        if low == "°" and lower_at(t, k + 1) in ("c", "f") and t.glued(k + 1):
            return "°" + lower_at(t, k + 1), k + 1
        return None, k
    if low in ("km", "m") and lower_at(t, k + 1) == "/" and lower_at(t, k + 2) in ("h", "s"):
        return f"{low}/{lower_at(t, k + 2)}", k + 2
    if low in ("sq", "square") and lower_at(t, k + 1) in ("km", "kilometres", "kilometers"):
        return "sq km", k + 1
    if low == "per" and lower_at(t, k + 1) == "hour" and lower_at(t, k - 1) in ("km", "miles"):
        return None, k
    if low in ("c", "f") and t.words[k].isupper() and t.glued(k):
        return "°" + low, k  # "-12C"
    return _WRITTEN.get(low), k


def _metres(t: Text, d: Draft, unit_token: int) -> bool:
    """ "m" after the number means metres here (see the module docstring)."""
    article = lower_at(t, d.first - 1) in ("a", "an")
    after = lower_at(t, unit_token + 1)
    if after == "-" and t.glued(unit_token + 1):
        after = lower_at(t, unit_token + 2)
    if after in _DIMENSION_WORDS or after in _EVENTS:
        return True
    return article and lower_at(t, unit_token + 1) != "-"


def apply_measures(t: Text, drafts: list[Draft]) -> None:
    """Give each plain number or count the unit written after it, in place."""
    for d in drafts:
        if d.kind not in ("number", "count") or d.unit not in (None, *UNITS):
            continue
        if d.unit in UNITS:
            continue  # glued: "32GB", "12km"
        glued_m = d.scale_written and lower_at(t, d.last) == "m" and t.glued(d.last)
        if glued_m and _metres(t, d, d.last):
            d.value, d.scale, d.scale_written = d.raw, 1.0, False
            d.kind, d.unit, d.counts = "number", "m", None
            continue
        k = d.last + 1
        unit, end = unit_written(t, k)
        if (
            unit is None
            and lower_at(t, k) == "-"
            and t.glued(k)
            and k + 1 < len(t.words)
            and t.glued(k + 1)
        ):
            unit, end = _WRITTEN.get(lower_at(t, k + 1).partition("-")[0]), k + 1  # "a 57-mile"
        if unit is None and lower_at(t, k) == "m" and not d.scale_written and _metres(t, d, k):
            unit, end = "m", k
        if unit is None:
            continue
        d.kind, d.unit, d.counts, d.last = "number", unit, None, end
        if unit.startswith("°") and _minus_before(t, d.first):
            d.value = -(d.value or 0.0)


def read_temperature(t: Text, i: int) -> Draft | None:
    """ "-12C", "30°C", "86°F": a temperature, its sign kept."""
    k = i + 1
    if k < len(t.words) and t.words[k] == "°" and t.glued(k):
        k += 1
    if not (k < len(t.words) and t.glued(k) and t.words[k] in ("C", "F")):
        return None
    if k + 1 < len(t.words) and t.glued(k + 1) and t.types[k + 1] in (WORD, NUM):
        return None
    value = float(t.words[i].replace(",", "")) * (-1 if _minus_before(t, i) else 1)  # "3,230°C"
    decimals = len(t.words[i].partition(".")[2])  # "1.8C" states tenths
    return Draft("number", value, "°" + t.words[k].lower(), i, k, raw=abs(value), decimals=decimals)


def read_unit_hyphen(t: Text, i: int) -> Draft | None:
    """ "a 3.4m-long python", "a 12km-wide crater": a unit joined to a dimension word."""
    k = i + 1
    if not (k < len(t.words) and t.glued(k) and t.types[k] == WORD and t.types[i] == NUM):
        return None
    head, _, tail = t.words[k].lower().partition("-")
    unit = "m" if head == "m" else _WRITTEN.get(head)
    if unit is None or tail not in _DIMENSION_WORDS:
        return None
    value = float(t.words[i].replace(",", ""))
    return Draft("number", value, unit, i, k, raw=value)


def _minus_before(t: Text, i: int) -> bool:
    k = i - 1
    return k >= 0 and t.types[i] == NUM and t.types[k] == SYM and t.words[k] in "-−" and t.glued(i)


def same_dimension(a: str | None, b: str | None) -> bool:
    """Both units are measures of one dimension that convert (or the same unit)."""
    if a == b:
        return True
    da, db = UNITS.get(a or ""), UNITS.get(b or "")
    return bool(da and db and da[0] == db[0] and da[1] and db[1])


def in_units_of(value: float, unit: str, target: str) -> float:
    """``value`` in ``unit`` expressed in ``target`` (same dimension)."""
    return value * (UNITS[unit][1] or 1.0) / (UNITS[target][1] or 1.0)


def in_claim_units(claim: Figure, fact: Figure) -> Figure:
    """The fact converted to the claim's unit of measurement ("about 500 miles" against 500 km)."""
    if claim.unit == fact.unit or claim.unit not in UNITS or fact.unit not in UNITS:
        return fact
    if fact.value is None or not same_dimension(claim.unit, fact.unit):
        return fact
    return replace(fact, value=in_units_of(fact.value, fact.unit, claim.unit), unit=claim.unit)
