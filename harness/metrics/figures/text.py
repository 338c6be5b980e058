"""Reading the text: encoding repair, tokens and sentences (:class:`Text`), and the stop words."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from importlib.resources import files

from .encoding import repair, to_original

# sumy's English stop words, read from its data file (importing sumy.utils pulls in requests).
# fmt: off
STOP = frozenset(
    (files("sumy") / "data" / "stopwords" / "english.txt").read_text("utf-8").split()
)
_ABBREVIATIONS = frozenset([
    "inc", "co", "corp", "ltd", "plc", "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs",
    "jr", "sr", "gov", "sen", "rep", "gen", "col", "lt", "sgt", "u.s", "e.g", "i.e", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "est",
    "approx", "fig",
])
# fmt: on


_TOKEN = re.compile(
    r"(?P<id>\d+(?:\.\d+){2,})"  # dotted ids and versions: 2025.03.26, 1.2.3
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?(?:-[^\W\d_]+)*)"
    r"|(?P<sym>\S)"
)


NUM, WORD, SYM, ID = 0, 1, 2, 3


_TYPES = {"num": NUM, "word": WORD, "sym": SYM, "id": ID}


@dataclass
class Text:
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
        return to_original(a, self.anchors), to_original(b, self.anchors)


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


def prepare(text: str) -> Text:
    fixed, anchors = repair(text)
    types, words, starts, ends = [], [], [], []
    for m in _TOKEN.finditer(fixed):
        types.append(_TYPES[m.lastgroup])
        words.append(m.group())
        starts.append(m.start())
        ends.append(m.end())
    s_starts, s_ends = _sentences(fixed)
    return Text(text, fixed, anchors, types, words, starts, ends, s_starts, s_ends)


def lower_at(t: Text, i: int) -> str:
    return t.words[i].lower() if 0 <= i < len(t.words) else ""


def suffix_at(t: Text, j: int) -> tuple[str | None, int]:
    """A letter or symbol suffix glued to the number ending at token j: (suffix, its token)."""
    k = j + 1
    if k < len(t.words) and t.glued(k) and t.types[k] in (WORD, SYM):
        return t.words[k], k
    return None, j
