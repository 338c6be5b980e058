"""The metric: figure precision, recall and F1 of a summary (:class:`FigureFidelity`), and the
records the CLI and the run write for each checked figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from .extraction import extract
from .figure import Figure
from .support import Check, support
from .versions import check_names


def _reference_key(f: Figure) -> tuple:
    return (f.kind, f.unit, f.date if f.kind in ("year", "date") else round(f.value or 0, 9))


def reference_figures(references: Iterable[str]) -> list[Figure]:
    """The distinct figures of the references (deduplicated by kind, unit and value)."""
    seen, out = set(), []
    for ref in references:
        for f in extract(ref):
            key = _reference_key(f)
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def article_figures(
    ref_figures: Sequence[Figure], facts: Sequence[Figure], rel_tol: float = 0.0
) -> list[Figure]:
    """The reference figures the article supports: recall asks for what the article states, so
    a reference figure the article lacks (news references often add one) is not asked for."""
    checks = support(ref_figures, facts, rel_tol, rounding=True, entity_binding=False)
    return [ch.figure for ch in checks if _stated(ch)]


def recall_hits(
    ref_figures: Sequence[Figure],
    summary: Sequence[Figure],
    rel_tol: float = 0.0,
    rounding: bool = True,
) -> int:
    """How many reference figures the summary states (qualifiers and names ignored)."""
    checks = support(ref_figures, summary, rel_tol, rounding, entity_binding=False)
    return sum(_stated(ch) for ch in checks)


def _stated(ch: Check) -> bool:
    """The other text states the figure (a weekday merely not contradicted is not stated)."""
    return ch.supported and ch.match is not None or ch.reason == "qualifier"


# A summary that does not end at a sentence end was cut short (at a model's token limit, or at a
# word budget), and the figure it ends on, or one word before its end, may have lost its unit or
# scale: "rose to over 380 billion" cut before "yuan", "380 billion yu" cut mid-word. Such a
# figure is not judged. Read from the text alone, so a summary ending in ".", "!", "?" or "…"
# (possibly inside quotes or brackets) keeps every figure judged, and so does one whose last line
# is an item of a list ("- Q4 guidance: $4.4-4.8B"): list items are written without a full stop,
# and a cut-off list item cannot be told from a whole one, so it is judged as written.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_LIST_ITEM_LAST = re.compile(r"(?:^|\n)[ \t]*(?:[-*•–]|\d{1,2}[.)])[ \t]+[^\n]*\s*$")
_AT_MOST_ONE_WORD = re.compile(r"\W*\w*\W*")


def cut_off_start(summary: str, figures: Iterable[Figure]) -> int | None:
    """Where the figure cut off at the end of a summary starts; None when there is none."""
    if not summary.strip() or _SENTENCE_END.search(summary) or _LIST_ITEM_LAST.search(summary):
        return None
    last = max(figures, key=lambda f: f.end, default=None)
    if last is None or not _AT_MOST_ONE_WORD.fullmatch(summary[last.end :]):
        return None
    return last.start


# "a partnership between the two companies": a number word after "the", "these", "those" or
# "both" counts things the text has already named; it states no new figure. It is judged only
# when the source gives that noun another count ("the three companies"), never as "not in source".
_REFERS_BACK = re.compile(r"\b(?:the|these|those|both)\s+$", re.IGNORECASE)


def refers_back(check: Check, summary: str) -> bool:
    """Whether an unsupported figure is a definite count referring back ("the two companies")."""
    f = check.figure
    return (
        check.reason == "not in source"
        and f.kind == "count"
        and f.text.isalpha()
        and _REFERS_BACK.search(summary, max(0, f.start - 12), f.start) is not None
    )


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


class FigureFidelity:
    """Figure precision, recall and F1 of a summary against its source and references.

    Args:
        rel_tol: relative tolerance on values (0: exact after normalization).
        rounding: accept a summary figure that is the source figure rounded to the digits the
            summary shows ("$53 billion" for "$52.9 billion"; on by default, as news writes).
        strict_qualifiers: reject a summary figure that drops the source's hedge.
        entity_binding: reject a figure the source gives for another name only.
    """

    def __init__(
        self,
        rel_tol: float = 0.0,
        rounding: bool = True,
        strict_qualifiers: bool = False,
        entity_binding: bool = True,
    ):
        if rel_tol < 0:
            raise ValueError(f"rel_tol must be >= 0, got {rel_tol}")
        self.rel_tol = float(rel_tol)
        self.rounding = bool(rounding)
        self.strict_qualifiers = bool(strict_qualifiers)
        self.entity_binding = bool(entity_binding)
        self.higher_is_better = {"figure_precision": True, "figure_recall": True, "figure_f1": True}

    def check(self, source: str, summary: str) -> list[Check]:
        """The verdict on every figure of the summary, and on each versioned name of the summary
        that the source never writes (a name the source writes is not a figure)."""
        claims, facts = extract(summary), extract(source)
        checks = support(
            claims,
            (*facts, *facts.lists) if facts.lists else facts,  # the same tuple: its index is kept
            self.rel_tol,
            self.rounding,
            self.strict_qualifiers,
            self.entity_binding,
        )
        checks = [c for c in checks if not refers_back(c, summary)]
        names = check_names(claims.names, facts.names, source)
        return sorted([*checks, *names], key=lambda c: c.figure.start) if names else checks

    def score_texts(
        self, source: str, summary: str, references: Sequence[str] = ()
    ) -> tuple[dict[str, Any], list[Check]]:
        checks = self.check(source, summary)
        judged = len(checks)
        cut = cut_off_start(summary, (c.figure for c in checks))
        claims = list(extract(summary))
        if cut is not None:  # neither supported nor unsupported: counted in figure_unjudged
            checks = [c for c in checks if c.figure.start < cut]
            claims = [f for f in claims if f.start < cut]
        supported = sum(c.supported for c in checks)
        refs = (
            article_figures(reference_figures(references), extract(source), self.rel_tol)
            if references
            else []
        )
        stated = recall_hits(refs, claims, self.rel_tol, self.rounding) if refs else 0
        precision = _ratio(supported, len(checks))
        recall = _ratio(stated, len(refs)) if references else None
        if recall is None:
            f1 = None
        elif precision is None:
            f1 = 0.0  # no figure in the summary: it states none of the references' figures
        else:
            f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
        numbers = {
            "figure_precision": precision,
            "figure_recall": recall,
            "figure_f1": f1,
            "figure_count": len(checks),
            "figure_supported": supported,
            "figure_reference_count": len(refs),
            "figure_reference_stated": stated,
            "figure_unjudged": judged - len(checks),  # cut off at the summary's end
        }
        return numbers, checks

    def score(self, doc: Any, prediction: str) -> dict[str, Any]:
        numbers, checks = self.score_texts(doc.text, prediction, tuple(doc.references))
        numbers["unsupported_figures"] = [unsupported_row(c) for c in checks if not c.supported]
        numbers["figures"] = [figure_record(c, MARK_FIELDS) for c in checks]
        return numbers


# The fields of a figure's record, in order: what `summbench-figures` prints for each figure.
RECORD_FIELDS = (
    "text", "supported", "kind", "value", "unit", "qualifier",
    "start", "end", "sentence", "source", "nearest", "reason",
)  # fmt: skip


# The columns of the run's unsupported-figure table.
UNSUPPORTED_FIELDS = ("text", "start", "end", "sentence", "kind", "nearest", "reason")
# The columns of the run's table of every figure: what report.html marks in the summary (start,
# end) and in the article (source_start, source_end: the matching figure, else the nearest).
MARK_FIELDS = (
    "text", "supported", "kind", "start", "end", "source", "nearest", "reason",
    "source_start", "source_end",
)  # fmt: skip


def figure_record(c: Check, fields: Sequence[str] = RECORD_FIELDS) -> dict[str, Any]:
    """A JSON-able record of one checked summary figure, with the fields asked for."""
    f = c.figure
    evidence = c.match or c.nearest  # a figure of the article, at its offsets there
    record = {
        "text": f.text,
        "supported": c.supported,
        "kind": f.kind,
        "value": f.value,
        "unit": f.unit,
        "qualifier": f.qualifier,
        "start": f.start,
        "end": f.end,
        "sentence": f.sentence,
        "source": c.match.text if c.match else None,
        "nearest": c.nearest.text if c.nearest else None,
        "reason": c.reason,
        "source_start": evidence.start if evidence else None,
        "source_end": evidence.end if evidence else None,
    }
    return {k: record[k] for k in fields}


def unsupported_row(c: Check) -> dict[str, Any]:
    """One row of the unsupported-figure table."""
    return figure_record(c, UNSUPPORTED_FIELDS)
