"""Figure fidelity as a Hugging Face ``evaluate`` metric.

Load it offline from its folder: ``evaluate.load("/path/to/harness/metrics/figure_fidelity")``.
The checking itself is summbench's ``harness.metrics.figures`` package, imported from the
installed summbench, so both give the same numbers.
"""

from __future__ import annotations

import datasets
import evaluate

from harness.metrics.figures import FigureFidelity as _Checker
from harness.metrics.figures import figure_record

_DESCRIPTION = """\
Figure fidelity checks the numbers a summary states (money with scale and currency, percentages
and percentage points, counts, durations, years and dates, with their qualifiers) against the
source: figure_precision is the share of summary figures the source supports, figure_recall the
share of reference figures the summary states, figure_f1 their harmonic mean. Means are taken over
the examples where each value is defined (a summary without figures has no precision).
"""

_CITATION = """\
@misc{summbench_figure_fidelity,
  title = {summbench figure fidelity},
  note = {harness/metrics/figures/ in the summbench repository}
}
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions: list of summaries (str).
    sources: list of source documents (str), one per summary.
    references: optional; per summary a list of reference summaries (or one str).
    rel_tol: relative tolerance on values (default 0.0, exact).
    rounding: accept source figures rounded to the digits the summary shows (default True).
    strict_qualifiers: reject summary figures that drop the source's hedge (default False).
    entity_binding: reject figures the source gives for another name only (default True).
    return_details: also return per-example scores and the unsupported figures (default False).
Returns:
    figure_precision, figure_recall, figure_f1: means over examples where defined (or None);
    figure_count, figure_supported, figure_reference_count, figure_reference_stated: totals;
    details (with return_details): one dict per example.
Examples:
    >>> fidelity = evaluate.load("harness/metrics/figure_fidelity")
    >>> fidelity.compute(predictions=["Sales rose 5%."], sources=["Sales rose 5% in 2024."])
    {'figure_precision': 1.0, 'figure_recall': None, 'figure_f1': None, 'figure_count': 1, \
'figure_supported': 1, 'figure_reference_count': 0, 'figure_reference_stated': 0}
"""

_MEANS = ("figure_precision", "figure_recall", "figure_f1")
_TOTALS = ("figure_count", "figure_supported", "figure_reference_count", "figure_reference_stated")
_DETAIL_FIELDS = ("text", "start", "end", "kind", "reason", "nearest")


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class FigureFidelity(evaluate.Metric):
    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features(
                {
                    "predictions": datasets.Value("string"),
                    "sources": datasets.Value("string"),
                    "references": datasets.Sequence(datasets.Value("string")),
                }
            ),
        )

    def compute(self, *, predictions=None, references=None, **kwargs):
        """Figure fidelity of predictions against sources (and optional references)."""
        # References are optional: without them recall is undefined, not an error.
        if predictions is not None:
            if references is None:
                references = [[] for _ in predictions]
            else:
                references = [[r] if isinstance(r, str) else list(r) for r in references]
        return super().compute(predictions=predictions, references=references, **kwargs)

    def _compute(
        self,
        predictions,
        sources,
        references,
        rel_tol: float = 0.0,
        rounding: bool = True,
        strict_qualifiers: bool = False,
        entity_binding: bool = True,
        return_details: bool = False,
    ):
        checker = _Checker(rel_tol, rounding, strict_qualifiers, entity_binding)
        details = []
        for summary, source, refs in zip(predictions, sources, references, strict=True):
            numbers, checks = checker.score_texts(source, summary, tuple(refs or ()))
            numbers["unsupported_figures"] = [
                figure_record(c, _DETAIL_FIELDS) for c in checks if not c.supported
            ]
            details.append(numbers)
        out = {}
        for key in _MEANS:
            values = [d[key] for d in details if d[key] is not None]
            out[key] = sum(values) / len(values) if values else None
        for key in _TOTALS:
            out[key] = sum(d[key] for d in details)
        if return_details:
            out["details"] = details
        return out
