"""Names: digits that belong to a name ("Qwen 3", "Boeing 737-800", "H20"), sports scores, and the
proper names a figure is bound to.
"""

from __future__ import annotations

import bisect
import re
from operator import itemgetter

from .dates import MONTHS, WEEKDAYS, period_at
from .measures import UNITS
from .qualifiers import QUALIFIERS
from .text import NUM, STOP, WORD, Text, WordClass, kind_of, lower_at
from .units import CODES, CURRENCY_WORDS

_NAME_PREFIX_OK = frozenset(
    {
        "mid",
        "early",
        "late",
        "pre",
        "post",
        "end",
        "fy",
        "magnitude",
        "category",
        "level",
        "grade",
        "stage",
        "phase",
        "force",
    }
)


# fmt: off
_GENERIC_NAME_WORDS = frozenset([
    "inc", "co", "corp", "ltd", "plc", "group", "holding", "holdings", "technology",
    "technologies", "the", "company",
])
# fmt: on


def is_capitalized_name(t: Text, i: int) -> bool:
    """Token i is a capitalized word that is not a function word, weekday or month."""
    if i < 0 or t.types[i] != WORD or not t.words[i][0].isupper():
        return False
    if t.words[i].endswith(("'s", "’s")):
        return False  # "Messi's 800 goals": a possessive owns the figure, it does not name it
    low = t.words[i].lower()
    if len(low) == 1:
        return low not in ("a", "i")  # "S&P 500", "Model S 3"
    return (
        low not in STOP
        and low not in MONTHS
        and low not in WEEKDAYS
        and low not in QUALIFIERS
        and low not in CODES
        and low not in CURRENCY_WORDS
    )


def is_name_number(t: Text, i: int, first: int) -> bool:
    """Digits at token i that belong to a name (see the module docstring)."""
    if first != i:  # a currency is written before it
        return False
    if t.glued(i):
        prev = t.words[i - 1]
        if t.types[i - 1] == WORD:
            return prev.lower() not in _NAME_PREFIX_OK and period_at(t, i) is None
        if prev in "-./" and i >= 2 and t.glued(i - 1):
            if t.types[i - 2] == WORD:
                return t.words[i - 2].lower() not in _NAME_PREFIX_OK
            if t.types[i - 2] == NUM and prev in "./":
                return True
    return False


def is_score(t: Text, j: int) -> bool:
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


def name_follows(t: Text, j: int) -> bool:
    """The number at token j starts a name: an all-caps word follows ("737 MAX 9")."""
    k = j + 1
    if k >= len(t.words) or t.types[k] != WORD or t.glued(k):
        return False
    w = t.words[k]
    low = w.lower()
    return len(w) >= 2 and w.isalpha() and w.isupper() and low not in CODES and low not in UNITS


NAME_REACH = 8  # tokens


def names_before(t: Text, i: int, limit: int | None = None) -> list[tuple[str, int]]:
    """Proper-name phrases in the sentence before token i, in order, with their last token;
    only the last ``limit`` of them when given (a long sentence holds many names)."""
    if i < len(t.starts):
        k = max(bisect.bisect_right(t.sentence_starts, t.starts[i]) - 1, 0)
        s_start = t.sentence_starts[k]
    else:
        k, s_start = -1, 0  # past the last token: every name of the text
    if k not in t.names:
        t.names[k] = _sentence_names(t, k)
    names = t.names[k]
    # Names come in text order, so those in the sentence and before token i are one slice.
    first = bisect.bisect_left(names, s_start, key=itemgetter(0))
    end = bisect.bisect_left(names, i, key=itemgetter(1))
    if limit is not None:
        first = max(first, end - limit)
    return [(text, last) for _, last, text in names[first:end]]


def name_near(t: Text, i: int, after: int) -> str | None:
    """The last name before token i in its sentence, when it ends after token ``after`` and
    within NAME_REACH tokens of i (``names_before(t, i, 1)``, its end checked)."""
    reach = max(after + 1, i - NAME_REACH, 0)
    # A name ends with a capitalized word: with none there, no name is read.
    parts = _NAME_PARTS.answers
    if not any(parts[w] & _CAPITALIZED for w in t.words[reach:i]):
        return None
    before = [name for name in _names_around(t, reach, i) if name[1] < i]
    if not before or before[-1][1] < reach:
        return None  # the last name before token i ends out of reach, if there is one
    s_start = t.sentence_of(t.starts[i])[0]
    return before[-1][2] if before[-1][0] >= s_start else None


def _sentence_names(t: Text, k: int) -> list[tuple[int, int, str]]:
    """The names of sentence k, maybe with a few before them; every name when k is -1."""
    n = len(t.words)
    if k < 0:
        return _names_among(t, 0, n)
    starts = t.sentence_starts
    first = bisect.bisect_left(t.starts, starts[k]) if k else 0
    end = bisect.bisect_left(t.starts, starts[k + 1]) if k + 1 < len(starts) else n
    return _names_around(t, first, end)


def _names_around(t: Text, first: int, end: int) -> list[tuple[int, int, str]]:
    """The names that the scan of the whole text (``_names_among(t, 0, len(t.words))``) finds
    with a token among tokens first to end-1, in order, maybe with a few more around them.

    Only the few tokens asked about are read. A name may run on from the tokens before (a line
    break is no sentence opener when blanks follow it), so the scan starts after the last token
    before them that can be no part of a name, where the scan of the whole text has just closed
    its name, and ends at the first such token from ``end`` on, where that scan closes the name
    it holds."""
    while first > 0 and _in_a_name(t, first - 1):
        first -= 1
    while end < len(t.words) and _in_a_name(t, end):
        end += 1
    return _names_among(t, first, end)


def _in_a_name(t: Text, k: int) -> bool:
    """Token k may be part of a name, as _names_among reads them."""
    return bool(_NAME_PARTS.answers[t.words[k]])


def _bare(word: str) -> str:
    """The word in lower case without a possessive "'s"."""
    return word.lower().replace("’s", "").replace("'s", "")


# What a token may be in a name, as flags, worked out once per distinct token (a token's kind is
# its own): a capitalized word, which may also be a word that is never part of a name (a month,
# a weekday, a qualifier, a currency code) or one that is not when it opens a sentence (a
# function word), or a mark inside names ("().&", always SYM tokens; a capitalized symbol
# such as "Ⓐ" is no word). Any other token ends a name.
_CAPITALIZED, _NEVER, _OPENER, _MARK = 1, 2, 4, 8


def _name_part(w: str) -> int:
    if w in ("(", ")", ".", "&"):
        return _MARK
    if not w[0].isupper() or kind_of(w) != WORD:
        return 0
    low = _bare(w)
    never = low in MONTHS or low in WEEKDAYS or low in QUALIFIERS or low in CODES
    return _CAPITALIZED | (_NEVER if never else 0) | (_OPENER if low in STOP else 0)


_NAME_PARTS = WordClass(_name_part)


def _names_among(t: Text, a: int, b: int) -> list[tuple[int, int, str]]:
    """Every proper-name phrase among tokens a to b-1: (start offset, last token, text); a
    sentence's first word counts unless it is a function word or an adverb set off by a comma
    ("Previously,")."""
    names: list[tuple[int, int, str]] = []
    current: list[int] = []
    if a >= b:
        return names
    # The sentence starts among these tokens (a set of all of them would cost each sentence read
    # as much as the whole text).
    s_starts = t.sentence_starts
    first, last = t.starts[a], t.starts[b - 1]
    starts = set(
        s_starts[bisect.bisect_left(s_starts, first) : bisect.bisect_right(s_starts, last)]
    )

    def close() -> None:
        while current and t.types[current[-1]] != WORD:
            current.pop()
        if current:
            a, b = t.starts[current[0]], t.ends[current[-1]]
            names.append((a, current[-1], t.text[a:b]))
        current.clear()

    previous = -1
    tokens, token_starts, parts = t.words, t.starts, _NAME_PARTS.answers
    for k in _NAME_PARTS.positions(tokens[a:b], a):
        if k > previous + 1 and current:
            close()
        previous = k
        flags = parts[tokens[k]]
        if flags & _MARK:
            if current:
                current.append(k)
            continue
        opens = token_starts[k] in starts
        if flags & _NEVER or (opens and (flags & _OPENER or lower_at(t, k + 1) == ",")):
            close()
        else:
            if opens and current:
                close()
            current.append(k)
    close()
    return names


def name_words(name: str | None) -> frozenset[str]:
    if not name:
        return frozenset()
    words = re.findall(r"[^\W\d_]+", name.lower().replace("’s", "").replace("'s", ""))
    return frozenset(w for w in words if w not in _GENERIC_NAME_WORDS and w not in STOP)
