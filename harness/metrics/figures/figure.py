"""What the package produces: :class:`Figure`, one quantity stated in a text, and :class:`Draft`,
a figure while it is being read.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

KINDS = (
    "money", "percent", "percentage_points", "count", "duration", "year", "date", "number", "name"
)  # fmt: skip


REASONS = (
    "value", "scale", "currency", "unit", "qualifier", "entity", "direction", "name",
    "not in source",
)  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """One quantity stated in a text.

    Attributes:
        kind: one of :data:`KINDS`.
        value: normalized value (scale applied; money in currency units, durations in days,
            percent in %, fractions as percent); ``None`` for dates.
        unit: currency code, "%", "pp", "days", "times", "ordinal", "time", a measurement unit,
            "Q"/"H" for quarters and halves, or ``None``.
        text: the figure as written (a slice of the text as given).
        start, end: character span in the text as given.
        sentence: the sentence around it (encoding repaired).
        raw: the number as written, before scale ("52" in "$52 billion").
        scale: the multiplier written after it (1e9 for "billion"; 1 when none).
        decimals: digits after the decimal point as written (for rounding).
        qualifier: the hedge as written ("over", "nearly") or ``None``.
        bound: "exact", "approx", "above" or "below".
        counts: what a count or duration counts, as written ("derivative models").
        date: (year, month, day) for years and dates, ``None`` elsewhere.
        group: (position, size) inside a range or list, ``None`` for a lone figure.
        group_text: the whole range or list as written.
        group_type: "range", "list" or "respectively".
        entity: the proper name the figure is bound to, if any.
        direction: "up" or "down" when the text states the change's direction, else None.
    """

    kind: str
    value: float | None
    unit: str | None
    text: str
    start: int
    end: int
    sentence: str = ""
    raw: float | None = None
    scale: float = 1.0
    decimals: int = 0
    qualifier: str | None = None
    bound: str = "exact"
    counts: str | None = None
    date: tuple[int | None, int | None, int | None] | None = None
    group: tuple[int, int] | None = None
    group_text: str | None = None
    group_type: str | None = None
    entity: str | None = None
    direction: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view (tuples as lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}


_DEFAULTS = {f.name: f.default for f in fields(Figure)}


def make_figure(**values: Any) -> Figure:
    """``Figure(**values)``, built as :func:`figure_of` builds one."""
    return figure_of({**_DEFAULTS, **values})


def figure_of(fields: dict[str, Any]) -> Figure:
    """The Figure whose fields are ``fields`` (every field, in the order of the class), made
    without the frozen dataclass's guarded assignment of each field: under half the cost of
    ``Figure(**fields)``, and extraction builds one per figure of every text."""
    figure = object.__new__(Figure)
    object.__setattr__(figure, "__dict__", fields)
    return figure


@dataclass(slots=True)  # slots: a draft's fields are read and set many times while it is read
class Draft:
    """A figure being read; frozen into a Figure when complete."""

    kind: str
    value: float | None
    unit: str | None
    first: int  # token indexes [first, last]
    last: int
    raw: float | None = None
    scale: float = 1.0
    scale_written: bool = False
    decimals: int = 0
    qualifier: str | None = None
    bound: str = "exact"
    counts: str | None = None
    date: tuple[int | None, int | None, int | None] | None = None
    group: tuple[int, int] | None = None
    group_type: str | None = None
    group_span: tuple[int, int] | None = None
    entity: str | None = None
    direction: str | None = None
