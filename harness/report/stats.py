"""The statistics every summbench table uses: means with percentile bootstrap intervals
(Efron & Tibshirani 1993, ch. 13) and the paired sign-flip permutation test (Good 2005,
"Permutation, Parametric and Bootstrap Tests"). Each draws from its own seeded generator, so two
reports of the same runs are identical."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

CONFIDENCE = 0.95
RESAMPLES = 2000
SEED = 0
ALPHA = 0.05
EXACT_PERMUTATION_MAX_N = 16
PERMUTATIONS = 20000


@dataclass(frozen=True)
class Estimate:
    """A mean over documents with its bootstrap interval; ``None`` throughout when n is 0."""

    mean: float | None
    low: float | None
    high: float | None
    n: int


def mean(values: Sequence[float]) -> float | None:
    # fsum: the mean must not depend on summation order, since the gate holds it to 1e-9.
    return math.fsum(values) / len(values) if values else None


def bootstrap_interval(
    values: Sequence[float],
    confidence: float = CONFIDENCE,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> tuple[float, float]:
    """The percentile bootstrap interval of the mean of ``values``.

    Each call draws from its own generator seeded with ``seed``, so a row's interval does not
    depend on which other rows are in the report.
    """
    v = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    means = v[rng.integers(0, len(v), size=(resamples, len(v)))].mean(axis=1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)


def estimate(values: Sequence[float]) -> Estimate:
    if not values:
        return Estimate(None, None, None, 0)
    m = mean(values)
    low, high = bootstrap_interval(values)
    # numpy's resampled means and fsum's mean can differ by float noise (1e-16): an interval
    # must hold its own mean, or a chart's error bar gets a negative length.
    return Estimate(m, min(low, m), max(high, m), len(values))


def sign_flip_p_value(differences: Sequence[float]) -> float:
    """Two-sided p-value of the paired sign-flip permutation test of mean(differences) = 0.

    Under the null each paired difference is as likely negative as positive. Exact (all 2**n
    sign patterns) up to EXACT_PERMUTATION_MAX_N documents, else PERMUTATIONS seeded draws.
    """
    d = np.asarray(differences, dtype=float)
    n = len(d)
    observed = abs(d.mean())
    if n <= EXACT_PERMUTATION_MAX_N:
        signs = 1 - 2 * ((np.arange(2**n)[:, None] >> np.arange(n)) & 1)
    else:
        signs = np.random.default_rng(SEED).choice([-1.0, 1.0], size=(PERMUTATIONS, n))
    # A relative slack, so float noise does not split ties (e.g. the identity pattern itself).
    extreme = int((np.abs((signs * d).mean(axis=1)) >= observed * (1 - 1e-9) - 1e-15).sum())
    if n <= EXACT_PERMUTATION_MAX_N:
        return extreme / 2**n
    return (extreme + 1) / (PERMUTATIONS + 1)


def smallest_p_value(differences: Sequence[float]) -> float:
    """The smallest p-value the sign-flip test can give these documents: 2 / 2**m, where m
    counts the non-zero differences (the observed pattern and its mirror are always extreme)."""
    m = sum(1 for x in differences if x != 0)
    return 1.0 if m == 0 else min(1.0, 2 / 2**m)
