"""Extraction: every figure of a text, in order (:func:`extract`)."""

from __future__ import annotations

from functools import lru_cache

from .dates import period_at, year_after
from .direction import mark_directions
from .figure import Draft, Figure, figure_of
from .forms import ORDINALS, join_spoken, read_form
from .groups import group_figures
from .lists import list_sizes
from .measures import apply_measures
from .names import is_capitalized_name, is_name_number, is_score, name_follows
from .numbers import (
    FRACTIONS,
    MULTIPLES,
    SPECIAL,
    is_number_word,
    is_numeral,
    read_number,
    word_numbers,
    word_values,
)
from .qualifiers import qualify
from .quantities import counted_words, read_figure
from .text import SYM, WORD, Text, WordClass, lower_at, prepare
from .units import DAYS, currency_before, unit_word
from .versions import capital_suffix, key, name_span
from .wordforms import PAIRED_STARTS, WORD_STARTS, percent_nouns


def _extract(t: Text, names: list[Draft]) -> list[Draft]:
    """Every figure of the text, in order, with its hedge, range or list, name and direction;
    the versioned names met on the way go to ``names``."""
    digits, numerals, special = _marked(t)
    wordnums = word_numbers(t, numerals)
    join_spoken(t, wordnums)
    drafts: list[Draft] = []
    name_until = -1  # numbers chained to a name ("737-800") stay names
    i = 0
    for k in _starts(t, wordnums, digits, special):
        if k < i:
            continue  # inside the figure or name read last
        i = k
        tt = t.types[i]
        d, after = read_form(t, i, wordnums), i + 1
        if d is not None:
            pass
        elif tt == WORD and i not in wordnums:
            d = _special_word(t, i, t.lows[i])
        else:
            d, after, name_until = _number_at(t, i, wordnums, name_until, names)
        if d:
            drafts.append(d)
            i = d.last + 1
        else:
            i = after
    apply_measures(t, drafts)
    percent_nouns(t, drafts)
    qualify(t, drafts)
    group_figures(t, drafts)
    mark_directions(t, drafts)
    return drafts


def _marked(t: Text) -> tuple[list[int], list[int], list[int]]:
    """The positions of the digits, the numerals (number words but "a" and "and") and the
    special words (:func:`_special`, and the words of _PAIR_ENDS), found in one pass."""
    digits: list[int] = []
    numerals: list[int] = []
    special: list[int] = []
    lows, types, classes = t.lows, t.types, _TOKEN_CLASSES.answers
    for k in _TOKEN_CLASSES.positions(lows):
        flags = classes[lows[k]]
        if flags & _DIGITS:
            digits.append(k)
        elif types[k] == WORD:
            if flags & _NUMERAL:
                numerals.append(k)
            if flags & _SPECIAL:
                special.append(k)
    return digits, numerals, special


def _starts(t: Text, wordnums: dict, digits: list[int], special: list[int]) -> list[int]:
    """The tokens a figure can start at, in order: digits, number words, and the words
    text2num does not read (a dozen, fractions, multiples, hyphenated units)."""
    lows, words = t.lows, []
    for k in special:
        low = lows[k]
        if low in _PAIR_ENDS and k and low in PAIRED_STARTS.get(lows[k - 1], ()):
            words.append(k - 1)  # "a fifth", "in half"
        if low not in _PAIR_ENDS or _special(low):
            words.append(k)
    return sorted({*digits, *words, *wordnums})


def _special(w: str) -> bool:
    """The words that start a figure text2num does not read or a form read in forms.py
    ("halved", "first-quarter"), but for "a", "an", "in" and "by": the commonest words of all,
    they start one only before a few words (see _PAIR_ENDS)."""
    return (
        w in SPECIAL
        or w.endswith("fold")
        or (w in WORD_STARTS and w not in PAIRED_STARTS)
        or ("-" in w and _hyphen_may_count(w))
    )


def _hyphen_may_count(w: str) -> bool:
    """A hyphenated word starts a figure only with a number word in it ("three-year",
    "two-thirds", "seven-storey") or an ordinal first ("first-quarter"); "well-known" never."""
    parts = w.split("-")
    return parts[0] in ORDINALS or any(map(is_number_word, parts))


# The words that end a pair started by "a", "an", "in" or "by", each class's own test aside.
_PAIR_ENDS = frozenset().union(*PAIRED_STARTS.values())

# The classes of a token that _marked sorts the tokens by, as flags: one dict lookup per token
# finds all three (a digit's token starts with one: it is a NUM or an ID).
_DIGITS, _NUMERAL, _SPECIAL = 1, 2, 4
_TOKEN_CLASSES = WordClass(
    lambda w: (
        (_DIGITS if w[0].isdecimal() else 0)
        | (_NUMERAL if is_numeral(w) else 0)
        | (_SPECIAL if w in _PAIR_ENDS or _special(w) else 0)
    )
)


def _number_at(
    t: Text, i: int, wordnums: dict, name_until: int, names: list[Draft]
) -> tuple[Draft | None, int, int]:
    """The figure whose number starts at token i: (figure or None, the token to read on from
    when there is none, the last token of a name being read)."""
    read = read_number(t, i, wordnums)
    if read is None:
        return None, i + 1, name_until
    value, decimals, j, ordinal, from_words = read
    digits = t.types[i] != WORD
    currency, first = currency_before(t, i) if digits else (None, i)
    period = period_at(t, i) if digits else None
    if period:
        year, last = year_after(t, i)
        date = Draft("date", None, period, i - 1, last, raw=value, date=(year, int(value), None))
        return date, last + 1, name_until
    name = digits and (i <= name_until or is_name_number(t, i, first))
    d = (
        None
        if name
        else read_figure(t, i, j, first, value, decimals, ordinal, from_words, currency)
    )
    if (
        d is None
        and digits
        and first == i
        and not is_score(t, j)
        and (is_capitalized_name(t, i - 1) or name_follows(t, j) or capital_suffix(t, j))
    ):
        name = True  # "Qwen 3", "Boeing 737-800", "5G"
    if name:
        end = _name_end(t, j)
        a, b = name_span(t, i, end)
        names.append(Draft("name", None, key(t.text[t.starts[a] : t.ends[b]]), a, b))
        return None, end + 1, end + 1
    return d, j + 1, name_until


def _name_end(t: Text, j: int) -> int:
    """The last token of a name whose number ends at token j: glued suffix, chained numbers."""
    k = j
    while (
        k + 1 < len(t.words)
        and t.glued(k + 1)
        and (t.types[k + 1] != SYM or t.words[k + 1] in "-./")
    ):
        k += 1
    return k


def _special_word(t: Text, i: int, low: str) -> Draft | None:
    """Figures text2num does not read: a dozen, fractions, multiples, hyphenated units."""
    n = len(t.words)
    if low == "dozen" and lower_at(t, i - 1) in ("a", "one"):
        counts = counted_words(t, i + (1 if lower_at(t, i + 1) == "of" else 0))
        return Draft("count", 12.0, None, i - 1, i, raw=12.0, counts=counts)
    if low in FRACTIONS and lower_at(t, i + 1) == "of":
        prev = lower_at(t, i - 1)
        if low == "quarter" and prev not in ("a", "one"):
            return None
        if low in ("half", "halves") and prev in ("first", "second", "1st", "2nd", "the"):
            return None
        first, mult = i, 1.0
        if prev in ("a", "one"):
            first = i - 1
        return Draft("percent", FRACTIONS[low] * mult, "%", first, i, raw=FRACTIONS[low])
    if "-" in low:
        parts = low.split("-")
        if parts[-1] in ("thirds", "third", "quarters") and len(parts) == 2:
            vals = word_values((parts[0],))
            if vals and not vals[0][3]:
                frac = vals[0][2] * (100 / 3 if "third" in parts[-1] else 25.0)
                return Draft("percent", frac, "%", i, i, raw=frac)
        if parts[-1] in ("fold",) and len(parts) == 2:
            vals = word_values((parts[0],))
            if vals:
                return Draft("number", vals[0][2], "times", i, i, raw=vals[0][2])
        # "three-year", "five-day", "twenty-five-year-old"
        for cut in range(len(parts) - 1, 0, -1):
            head, tail = parts[:cut], parts[cut:]
            unit = unit_word(tail[0])
            if unit is None:
                continue
            vals = word_values(("-".join(head),)) or word_values(tuple(head))
            if len(vals) == 1 and not vals[0][3]:
                v = vals[0][2]
                counts = "-".join(tail) + (" " + t.words[i + 1] if i + 1 < n else "")
                return Draft("duration", v * DAYS[unit], "days", i, i, raw=v, counts=counts.strip())
            break
        return None
    if low.endswith("fold") and len(low) > 4:  # "sixfold", "twentyfold": text2num reads the head
        vals = word_values((low[:-4],))
        if len(vals) == 1 and not vals[0][3]:
            return Draft("number", vals[0][2], "times", i, i, raw=vals[0][2])
    if low in MULTIPLES and not (i + 1 < n and lower_at(t, i + 1) in ("digit", "digits")):
        return Draft("number", float(MULTIPLES[low]), "times", i, i, raw=float(MULTIPLES[low]))
    return None


def _freeze(t: Text, d: Draft) -> Figure:
    a, b = t.starts[d.first], t.ends[d.last]
    start, end = t.span(a, b)
    group_text = t.original_between(*d.group_span) if d.group_span else None
    value = d.value
    if value is not None and not (d.unit or "").startswith("°"):
        value = abs(value)  # direction is read apart; a temperature keeps its sign
    return figure_of(
        {
            "kind": d.kind,
            "value": value,
            "unit": d.unit,
            "text": t.original[start:end],
            "start": start,
            "end": end,
            "sentence": t.sentence_at(a),
            "raw": d.raw,
            "scale": d.scale,
            "decimals": d.decimals,
            "qualifier": d.qualifier,
            "bound": d.bound,
            "counts": d.counts,
            "date": d.date,
            "group": d.group,
            "group_text": group_text,
            "group_type": d.group_type,
            "entity": d.entity,
            "direction": d.direction,
        }
    )


class Figures(tuple):
    """The figures of a text, in order, with its versioned ``names`` and its ``lists`` (the
    count each numbered or bulleted list states by its length)."""

    names: tuple[Figure, ...] = ()
    lists: tuple[Figure, ...] = ()


@lru_cache(maxsize=4096)
def extract(text: str) -> Figures:
    """Every figure in ``text``, in order (cached: sources are checked against many summaries)."""
    if not text or not text.strip():
        return Figures()
    t = prepare(text)
    names: list[Draft] = []
    out = Figures(_freeze(t, d) for d in _extract(t, names))
    out.names = tuple(_freeze(t, d) for d in names)
    out.lists = list_sizes(t.text)
    return out
