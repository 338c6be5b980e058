"""TODO docstring."""

from __future__ import annotations

from .dates import MONTHS, read_date
from .figure import Draft
from .names import is_capitalized_name, is_score, name_follows
from .numbers import CURRENCY_ONLY_SCALES, SCALES
from .text import NUM, STOP, Text, WORD, lower_at, suffix_at
from .units import DAYS, MEASURES, currency_after, read_per_unit, unit_word


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
    wordnums: dict,
) -> Draft | None:
    n = len(t.words)
    raw = value
    word_text = t.words[i]
    # Dates: "February 24th", "24 February 2025", "November 2023".
    date = read_date(t, i, j, value, decimals, from_words)
    if date is not None:
        return date
    suffix, k = suffix_at(t, j)
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
    if slow in SCALES and t.types[k] == WORD and (slow not in CURRENCY_ONLY_SCALES or currency):
        scale, scale_written, last = SCALES[slow], True, k
        suffix, k2 = suffix_at(t, k)
        slow = suffix.lower() if suffix else None
        k = k2
    elif (
        slow
        and t.types[k] == WORD
        and not from_words
        and (slow not in SCALES or slow in CURRENCY_ONLY_SCALES)
    ):
        if slow in ("st", "nd", "rd", "th") and decimals == 0:
            if value >= 1900 or value == 0:
                return None
            d = Draft("number", value, "ordinal", first, k, raw=value)
            return d
        if slow == "x":
            return Draft("number", value, "times", first, k, raw=value)
        if slow in ("pp", "ppt", "ppts"):
            return Draft("percentage_points", value, "pp", first, k, raw=value)
        if slow in ("bp", "bps"):
            return Draft("percentage_points", value / 100, "pp", first, k, raw=value)
        if slow == "s" and decimals == 0 and value >= 1900 and value % 10 == 0:
            return Draft(
                "year", value, "decade", first, k, raw=value, date=(int(value), None, None)
            )
        if slow in MEASURES:
            return Draft("number", value, slow, first, k, raw=value)
        if slow in DAYS or (slow.endswith("s") and slow[:-1] in DAYS):
            pass  # "5years" is a typo for a duration; read below
        elif currency is None and lower_at(t, first - 1) not in ("the",):
            return None  # 5G, 3D, 20H: a name
    # spaced scale words: "52 billion", "1.5 million", "380 bn"
    m = last + 1
    while m < n and t.types[m] == WORD and not t.glued(m) and t.words[m].lower() in SCALES:
        w = t.words[m].lower()
        if len(w) <= 2 and w not in ("bn", "mn", "tn") and not currency:
            break
        if w in CURRENCY_ONLY_SCALES and not currency:
            break
        if from_words and w in ("thousand", "million", "billion", "trillion"):
            break  # text2num already read it
        scale *= SCALES[w]
        scale_written = True
        last = m
        m += 1
    if ordinal:
        if from_words and (value < 3 or last + 1 >= n or t.types[last + 1] != WORD):
            return None  # "first", "second"; "third," enumerating points
        nxt = lower_at(t, last + 1)
        if nxt in ("quarter", "half") and value <= 4:
            if nxt == "half" and value > 2:
                return None
            return Draft(
                "date",
                None,
                "Q" if nxt == "quarter" else "H",
                first,
                last + 1,
                raw=value,
                date=(None, int(value), None),
            )
        return Draft("number", value, "ordinal", first, last, raw=value)
    # glued or spaced percent
    nxt_i = last + 1
    nxt = t.words[nxt_i] if nxt_i < n else ""
    nlow = nxt.lower()
    if nxt == "%":
        return Draft(
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
        nlow == "per" and lower_at(t, nxt_i + 1) == "cent"
    ):
        end = nxt_i + (1 if nlow == "per" else 0)
        if nlow == "percentage" and lower_at(t, nxt_i + 1) in ("point", "points", "pts"):
            return Draft(
                "percentage_points", value, "pp", first, nxt_i + 1, raw=raw, decimals=decimals
            )
        if nlow == "percentage":
            return None
        return Draft("percent", value * scale, "%", first, end, raw=raw, decimals=decimals)
    if nlow == "basis" and lower_at(t, nxt_i + 1) in ("point", "points"):
        return Draft(
            "percentage_points", value / 100, "pp", first, nxt_i + 1, raw=raw, decimals=decimals
        )
    # currency words after: "380 billion yuan", "52 billion US dollars", "Hong Kong dollars"
    if currency is None:
        code, end = currency_after(t, last)
        if code:
            currency, last = code, end
    if currency:
        factor = 1.0
        if currency.endswith("/100"):
            currency, factor = currency[:-4], 0.01
        d = Draft(
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
        read_per_unit(t, d)
        return d
    # durations: "three years", "6 consecutive quarters", "5-year", "45-year-old"
    if nxt == "-" and t.glued(nxt_i) and nxt_i + 1 < n and t.glued(nxt_i + 1):
        unit = unit_word(t.words[nxt_i + 1].split("-")[0])
        if unit:
            counts = t.words[nxt_i + 1]
            return Draft(
                "duration",
                value * DAYS[unit],
                "days",
                first,
                nxt_i + 1,
                raw=raw,
                decimals=decimals,
                counts=counts,
            )
    for k in _skip_adjectives(t, last):
        unit = unit_word(t.words[k])
        if unit:
            counts = " ".join(t.words[last + 1 : k + 1])
            if lower_at(t, k + 1) == "old":
                counts += " old"
                k += 1
            return Draft(
                "duration",
                value * scale * DAYS[unit],
                "days",
                first,
                k,
                raw=raw,
                scale=scale,
                decimals=decimals,
                counts=counts,
            )
    # "aged 45"
    if lower_at(t, first - 1) == "aged" and not scale_written:
        return Draft(
            "duration", value * DAYS["year"], "days", first, last, raw=raw, counts="years old"
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
        return Draft("year", value, None, first, last, raw=raw, date=(int(value), None, None))
    # a number after a capitalized non-function word is a name ("Qwen 3", "Windows 11")
    if (
        not from_words
        and not scale_written
        and is_capitalized_name(t, first - 1)
        and not is_score(t, last)
    ):
        return None
    # times of day: 10:30
    if nxt == ":" and t.glued(nxt_i) and nxt_i + 1 < n and t.types[nxt_i + 1] == NUM:
        mins = t.words[nxt_i + 1]
        if len(mins) == 2 and value < 24:
            end = nxt_i + 1
            if lower_at(t, end + 1) in ("am", "pm", "a.m", "p.m"):
                end += 1
            return Draft("date", value * 60 + float(mins), "time", first, end, raw=raw)
    if from_words and value == 1 and not scale_written:
        return None  # "one of the largest": not a quantity
    if from_words and value == 0:
        return None
    if not from_words and not scale_written and name_follows(t, last):
        return None
    counts = counted_words(t, last)
    kind = "count" if counts else "number"
    d = Draft(
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
