"""Ranges and lists: "between 2 and 5", "$2-5 billion", "15%, 10% and 5%, respectively" are split
into members that share the unit, scale and currency stated once, and bound to names.
"""

from __future__ import annotations

import re

from .direction import DOWN, UP
from .figure import Draft
from .names import name_near, names_before
from .text import Text, lower_at

# What may stand between two members of a range ("2 to 5", "$2-5 billion", "between 2 and 5")
# or of a list ("15%, 10% and 5%"); units are shared across the first kind only.
_RANGE_GAP = re.compile(r"\s*(?:to|through|and|or|-|–|—|/)\s*|\s+(?:to|through|and|or)\s+")


_LIST_GAP = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+")


def group_figures(t: Text, drafts: list[Draft]) -> None:
    """Join ranges and lists, share the units they state once, and bind figures to names."""
    groups: list[list[int]] = []
    types: list[str] = []
    for idx, d in enumerate(drafts):
        if idx > 0:
            prev = drafts[idx - 1]
            gap = t.text[t.ends[prev.last] : t.starts[d.first]]
            if "\n" in gap:
                gap = "\n" * 8  # a line break never joins two figures
            if len(gap) < 8 and _RANGE_GAP.fullmatch(gap) and _rangeable(t, prev, d, gap):
                groups[-1].append(idx)
                word = gap.strip()
                if (
                    word in ("and", "or")
                    and lower_at(t, drafts[groups[-1][0]].first - 1) != "between"
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
        if lower_at(t, after) == "respectively" or (
            t.words[after : after + 1] == [","] and lower_at(t, after + 1) == "respectively"
        ):
            gtype = "respectively"
        span = (t.starts[ds[0].first], t.ends[ds[-1].last])
        for pos, d in enumerate(ds):
            d.group, d.group_type, d.group_span = (pos, len(ds)), gtype, span
        if gtype == "respectively":
            names = names_before(t, ds[0].first, len(ds))
            if len(names) == len(ds):
                for d, (name, _) in zip(ds, names, strict=True):
                    d.entity = name
    # Otherwise a figure belongs to the closest name before it, if no other figure comes between
    # them and the name is near: "ACM rose 10%", not "Labour won 412 seats, a majority of 174".
    for idx, d in enumerate(drafts):
        if d.entity is None and d.kind not in ("year", "date"):
            d.entity = name_near(t, d.first, drafts[idx - 1].last if idx else -1)


_CHANGE_BEFORE = UP | DOWN | {"by"}


def _bare(d: Draft) -> bool:
    return d.kind == "number" and d.unit is None


def _rangeable(t: Text, a: Draft, b: Draft, gap: str) -> bool:
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
    before = lower_at(t, a.first - 1)
    if gap.strip() == "to" and (before == "by" or not _bare(a) and before in _CHANGE_BEFORE):
        return False  # "up 77p to £12.21", "rose by $5m to $12m": a change, then a level
    if a.kind in ("percent", "percentage_points") and _bare(b):
        # a range states its percent last ("10 to 15%"); "fell 13% to 384,000" ends at a level
        return False
    return (a.kind == b.kind and a.unit == b.unit) or _bare(a) or _bare(b)


def _share_units(a: Draft, b: Draft) -> None:
    """Units stated once for two members: "$2-5 billion", "2 and 5 billion dollars", "10 to 15%"."""
    if a.kind == "year":
        if b.kind != "year" and b.raw is not None and b.raw < 100 and b.decimals == 0:
            year = int(a.raw or 0) // 100 * 100 + int(b.raw)
            if year > (a.raw or 0):
                b.kind, b.value, b.unit, b.counts = "year", float(year), None, None
                b.date = (year, None, None)
        return
    if _day_of(a, b) or _day_of(b, a):
        return  # "14 and 15 November", "November 14-15": both days of that month
    if b.kind in ("year", "date") or a.kind in ("date",):
        return
    if _bare(a) and not _bare(b):
        _take_unit(a, b)
    elif _bare(b) and not _bare(a):
        _take_unit(b, a)
    if a.kind == b.kind and a.raw is not None and b.raw is not None:
        if not a.scale_written and b.scale_written and a.raw < 1000:  # not "300,000 to 14.2m"
            a.value, a.scale, a.scale_written = (a.value or 0) * b.scale, b.scale, True
        elif not b.scale_written and a.scale_written and b.kind == "money":
            b.value, b.scale, b.scale_written = (b.value or 0) * a.scale, a.scale, True
        a.counts = a.counts or b.counts


def _day_of(d: Draft, date: Draft) -> bool:
    """d, a bare whole number from 1 to 31, becomes a day of the month ``date`` gives a day of."""
    if not _bare(d) or d.decimals or d.raw is None or not 1 <= d.raw <= 31 or d.raw % 1:
        return False
    if date.kind != "date" or not date.date or date.date[1] is None or date.date[2] is None:
        return False
    d.kind, d.value, d.counts, d.date = "date", None, None, (date.date[0], date.date[1], int(d.raw))
    return True


def _take_unit(d: Draft, other: Draft) -> None:
    """d, written bare, takes the kind and unit of the other member."""
    # the factor from the number as written to the value (a member written 0 has none: "3-0")
    per_unit = (other.value or 0) / (other.raw * (other.scale or 1)) if other.raw else 1.0
    d.kind, d.unit, d.counts = other.kind, other.unit, other.counts
    d.value = (d.raw or 0) * d.scale * per_unit
