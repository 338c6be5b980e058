"""The two verdicts the figure-rule tests ask of a (source, summary) pair."""

from __future__ import annotations

from harness.metrics.figures import FigureFidelity


def supported(source: str, summary: str, **options) -> bool:
    """Whether every figure of the summary is supported (and at least one figure is read)."""
    checks = FigureFidelity(**options).check(source, summary)
    assert checks, f"no figure read in {summary!r}"
    return all(c.supported for c in checks)


def rejected(source: str, summary: str) -> list[tuple[str, str | None, str | None]]:
    """(figure, reason, nearest source figure) of each unsupported summary figure."""
    checks = FigureFidelity().check(source, summary)
    return [
        (c.figure.text, c.reason, c.nearest and c.nearest.text) for c in checks if not c.supported
    ]
