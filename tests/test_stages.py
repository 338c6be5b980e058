"""Per-stage figures are per run, also when several runs share one process (a sweep with Hydra's
basic launcher runs every job in the process that started it)."""

from __future__ import annotations

from harness.run import score
from harness.scoring import pool_usage, score_all
from harness.stages import Stages
from harness.types import Document

MIB = 2**20


class HoldsMemory:
    """Scores 1.0, holding ``mib`` MiB while it does (touched, so resident)."""

    def __init__(self, mib: int):
        self.mib = mib
        self.higher_is_better = {"held": True}

    def score(self, doc: Document, prediction: str) -> dict[str, float]:
        block = bytearray(b"\x01") * (self.mib * MIB)
        return {"held": float(block[-1])}


def test_this_processs_peak_starts_again_with_each_run():
    first = Stages()
    with first("generate"):
        block = bytearray(b"\x01") * (300 * MIB)
        del block
    second = Stages()
    with second("generate"):
        pass
    high, low = first.totals["generate"]["peak_rss_mib"], second.totals["generate"]["peak_rss_mib"]
    assert high - low > 200, (high, low)


def test_the_scoring_pools_peak_starts_again_with_each_run():
    """The pool's part of a stage's peak (this process's own may be larger, as in a test
    session that loaded models before)."""
    pairs = [(Document(f"d{i}", "A text."), "A text.") for i in range(8)]
    peaks = []
    for mib in (400, 1):
        stages = Stages()
        with stages("score"):
            futures = score_all(score, {"m": HoldsMemory(mib)}, pairs, workers=2)
        assert [f.result()[0]["held"] for f in futures] == [1.0] * len(pairs)
        assert stages.totals["score"]["peak_rss_mib"] >= pool_usage["peak_rss_mib"]
        peaks.append(pool_usage["peak_rss_mib"])
    assert peaks[0] > 400 and peaks[0] - peaks[1] > 300, peaks
