"""Encoding repair: UTF-8 text that was decoded as cp1252 or latin-1 ("â‚¬78bn" for "€78bn").

The round trip ftfy popularised, restricted to well-formed UTF-8 byte runs so that legitimate
accented text is left alone; offset maps lead positions back to the text as given.
"""

from __future__ import annotations

import bisect
import math
import re

# A lead byte (0xC2-0xF4) followed by continuation bytes (0x80-0xBF), each byte shown as the
# character cp1252 (or latin-1, for 0x80-0x9F) decodes it to.
_CONT = "\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018"


_CONT += "\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"


_CONT_CLASS = f"[\u0080-\u00bf{_CONT}]"


_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df]{_CONT_CLASS}|[\u00e0-\u00ef]{_CONT_CLASS}{{2}}|[\u00f0-\u00f4]{_CONT_CLASS}{{3}}"
)


def _may_be_damaged(text: str) -> bool:
    """Whether the text has a lead character (U+00C2-U+00F4) at all: in UTF-8 those are the only
    characters whose first byte is 0xC3, which no other character's bytes contain, and a byte
    search is far cheaper than the regex over a text of curly quotes and accents."""
    return not text.isascii() and b"\xc3" in text.encode("utf-8", "surrogatepass")


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
        if not _may_be_damaged(text) or not _MOJIBAKE.search(text):
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


def to_original(pos: int, maps: tuple[tuple[tuple[int, int], ...], ...]) -> int:
    """A position in the repaired text as a position in the text as given."""
    for anchors in reversed(maps):
        i = bisect.bisect_right(anchors, (pos, math.inf)) - 1
        if i >= 0:
            new, old = anchors[i]
            # Inside a repaired run (even anchors open one), positions go to its end.
            pos = anchors[i + 1][1] if i % 2 == 0 and pos > new else old + (pos - new)
    return pos
