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

Support (:func:`support`): a summary figure is supported when the source states the same quantity:
same kind (a bare number may stand for a count or duration of the same value, a year for a date in
that year), same currency or unit, equal value after normalization (relative tolerance ``rel_tol``,
0 by default; ``rounding``, on by default, also accepts a summary figure that is the source figure
rounded to the digits the summary shows, "$53 billion" for "$52.9 billion"), and a compatible
qualifier. Qualifiers fall in four classes: exact, approximate ("about", "some", "roughly"), above
("over", "more than", "at least", "100,000-plus", "topped") and below ("under", "up to", "nearly",
"almost", "less than"). A summary figure that is exact or approximate is supported by any qualifier
in the source: dropping a hedge ("$100 billion" for "over $100 billion", "7.8%" for "up to 7.8%")
keeps the source's number and is how editors write, while a summary that *adds* a direction the
source does not state ("over 60%" for "nearly 60%", "more than $50 billion" for "$50 billion")
claims something false, unless the source's value lies inside the bound within one step of its last
digit ("more than 30" for 34; equivalents.py); a hedged "about $41bn" is read at the precision it
states ($40.8bn). ``strict_qualifiers=True`` also rejects dropped hedges. A count or percent
conflicts only when the source gives the same noun another value ("3,000 people" where the source
has 2,000 people and 3,000 firefighters; "a 30% discount" where it has a 15% discount). A figure
whose stated direction ("rose", "a 5% reduction", "-12C") contradicts every matching source
figure's is unsupported with the reason ``direction`` (direction.py). Forms that state the same
quantity differently (times, quarters, ISO dates, other locales' grouping, spoken numbers, shares,
halves and multiples, units that convert) are read in forms.py, measures.py and equivalents.py; a
figure the summary computes from two source figures ("halved" for "from 120 to 60") in
arithmetic.py, a rate over a period and its total in rates.py, a duration written in two units
in durations.py; a weekday, or a month named alone, conflicts only with another the source gives
the same event (dates.py, months.py, events.py); a count whose noun the source leaves out
conflicts only when the summary says what the source says of the other value (ellipsis.py); a
figure moved to another subject named by a common noun is an ``entity`` error (subjects.py); a
numbered or bulleted list states its length (lists.py).

Versioned names ("Llama 4", "iOS 19", "737 MAX 9") are not figures, but one the source never
writes is unsupported with the reason ``name`` (versions.py).

Ranges and lists ("between 2 and 5", "$2-5 billion", "10% to 15%", "15% and 10%, respectively")
are split into their members, which share the unit, scale and currency stated once, and each
member is checked on its own. With ``entity_binding`` (on by default) a figure is tied to the
nearest proper name before it in its sentence (members of a "respectively" list to the names
listed in the same order), and a summary figure whose value the source gives only for other names
while giving a different value for the summary's name is unsupported ("ACM rose 10%" when the
source says ACM 15%, NAURA 10%).

Recall counts the distinct figures of the references (pooled, deduplicated by kind, unit and
value) that the article supports and the summary states, ignoring qualifiers: a reference figure
the article does not state (single-sentence news references often add one) is not asked for.

The modules, in the order a text goes through them: ``encoding`` (repair), ``text`` (tokens and
sentences), ``numbers`` (number words, scales), ``units`` (currencies, time and measurement
units), ``dates``, ``names`` (digits in names, names figures are bound to), ``quantities`` (what
one number becomes, step by step), ``qualifiers``, ``groups`` (ranges and lists), ``extraction``
(:func:`extract`), ``support`` (:func:`support`), ``metric`` (:class:`FigureFidelity`);
``figure`` holds :class:`Figure`. Forms read beside the main reader: ``forms`` (times, quarters,
ISO dates, other locales' grouping, spoken numbers), ``wordforms`` (shares, halves, hyphenated
number words), ``periods`` ("a week after", "half a century", "a quarter of a point"),
``comparisons`` ("twice as many"), ``months`` (a month named alone), ``measures`` (units of
measurement), ``lists`` (a list's length), ``versions`` (versioned names), ``direction``;
``equivalents`` (bounds, stated precision, other forms), ``ellipsis``, ``subjects``, ``events``,
``rates`` and ``durations`` serve ``support``, and so do ``nearest`` (the nearest source figure
of an unsupported one), ``index`` and ``reach``: each rule is tried only on the source figures
that could pass it (its reach), so a long source costs each summary figure a few comparisons,
with the verdicts of trying them all.
"""

from __future__ import annotations

from .encoding import repair
from .extraction import extract
from .figure import KINDS, REASONS, Figure
from .metric import (
    RECORD_FIELDS,
    UNSUPPORTED_FIELDS,
    FigureFidelity,
    figure_record,
    recall_hits,
    reference_figures,
    unsupported_row,
)
from .support import Check, support

__all__ = [
    "KINDS",
    "REASONS",
    "RECORD_FIELDS",
    "UNSUPPORTED_FIELDS",
    "Check",
    "Figure",
    "FigureFidelity",
    "extract",
    "figure_record",
    "recall_hits",
    "reference_figures",
    "repair",
    "support",
    "unsupported_row",
]
