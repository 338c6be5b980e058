"""How many items a source lists: "Here are four products:" is often written as a list.

A run of lines numbered 1., 2., ... N. (or 1) 2) ...), or of consecutive bulleted lines, states a
count of N items without writing N; a summary that says "four products" for a list of four is
right. Each list becomes a count figure of its size (kind ``count``, no noun).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import chain

from .figure import Figure

# A numbered or bulleted line; group 1 is the line from its start, group 2 the number.
_NUMBERED = r"([ \t]*(\d{1,2})[.)][ \t]+\S)"
_BULLET = r"([ \t]*[-•*–][ \t]+\S)"


def _at_line_starts(line: str) -> Callable[[str], Iterator[re.Match]]:
    """The matches of ``line`` at the start of a line, as ``^`` with re.M finds them, but sought
    after each line break: the regex engine finds a literal "\n" fast, while it tries a ``^`` at
    every character of the text (a tenth of the time of extracting an article)."""
    first, after_break = re.compile(line), re.compile("\n" + line)

    def matches(text: str) -> Iterator[re.Match]:
        return chain(filter(None, (first.match(text),)), after_break.finditer(text))

    return matches


_numbered_lines = _at_line_starts(_NUMBERED)
_bulleted_lines = _at_line_starts(_BULLET)


def list_sizes(text: str) -> tuple[Figure, ...]:
    """A count figure for every numbered or bulleted list of two or more items."""
    if "\n" not in text:
        return ()
    out = [_figure(text, start, end, size) for start, end, size in _numbered(text)]
    out.extend(_figure(text, start, end, size) for start, end, size in _bulleted(text))
    return tuple(out)


def _figure(text: str, start: int, end: int, size: int) -> Figure:
    return Figure(
        kind="count",
        value=float(size),
        unit=None,
        text=f"a list of {size} items",
        start=start,
        end=end,
        sentence=text[start:end].split("\n", 1)[0].strip(),
        raw=float(size),
    )


def _numbered(text: str) -> list[tuple[int, int, int]]:
    """(start, end, size) of each run of lines numbered 1..N."""
    runs: list[tuple[int, int, int]] = []
    start = end = expected = 0
    for m in _numbered_lines(text):
        number = int(m.group(2))
        if number == expected + 1 and expected:
            expected, end = number, m.end()
            continue
        if expected >= 2:
            runs.append((start, end, expected))
        start, end, expected = (m.start(1), m.end(), 1) if number == 1 else (0, 0, 0)
    if expected >= 2:
        runs.append((start, end, expected))
    return runs


def _bulleted(text: str) -> list[tuple[int, int, int]]:
    """(start, end, size) of each run of bulleted lines with nothing but bullets between."""
    runs: list[tuple[int, int, int]] = []
    start = end = size = 0
    for m in _bulleted_lines(text):
        if size and text[end : m.start(1)].strip():
            if size >= 2:
                runs.append((start, end, size))
            size = 0
        if not size:
            start = m.start(1)
        size += 1
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
    if size >= 2:
        runs.append((start, end, size))
    return runs
