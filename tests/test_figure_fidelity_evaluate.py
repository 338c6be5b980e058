"""The evaluate module loads offline from its folder and agrees with the harness metric."""

from __future__ import annotations

import os

import pytest

from harness import ROOT
from harness.metrics.figures import FigureFidelity

MODULE = ROOT / "harness" / "metrics" / "figure_fidelity"


@pytest.fixture(scope="module")
def fidelity(tmp_path_factory):
    evaluate = pytest.importorskip("evaluate")
    os.environ["HF_HUB_OFFLINE"] = "1"
    return evaluate.load(str(MODULE), cache_dir=str(tmp_path_factory.mktemp("evaluate")))


def test_compute_means_and_totals(fidelity):
    sources = ["Alibaba plans 380 billion yuan ($52 billion) over three years."] * 3
    predictions = [
        "Alibaba will spend $53 billion over three years.",
        "Alibaba will spend 380 billion yuan.",
        "No figures here.",
    ]
    references = [["It plans 380 billion yuan."], "It plans $52 billion.", []]
    out = fidelity.compute(predictions=predictions, sources=sources, references=references)
    assert out["figure_precision"] == pytest.approx((0.5 + 1.0) / 2)  # the third is undefined
    assert out["figure_recall"] == pytest.approx((0.0 + 0.0) / 2)
    assert out["figure_f1"] == pytest.approx(0.0)
    assert (out["figure_count"], out["figure_supported"]) == (3, 2)
    assert (out["figure_reference_count"], out["figure_reference_stated"]) == (2, 0)


def test_without_references_and_with_details(fidelity):
    out = fidelity.compute(
        predictions=["Sales rose 6% to $3 million."],
        sources=["Sales rose 5% to $3 billion."],
        return_details=True,
    )
    assert out["figure_precision"] == 0.0 and out["figure_recall"] is None
    (detail,) = out["details"]
    assert [(u["text"], u["reason"], u["nearest"]) for u in detail["unsupported_figures"]] == [
        ("6%", "value", "5%"),
        ("$3 million", "scale", "$3 billion"),
    ]


def test_options_pass_through(fidelity):
    kw = {"predictions": ["It cost $53 billion."], "sources": ["It cost $52.9 billion."]}
    assert fidelity.compute(**kw)["figure_precision"] == 1.0  # rounding is on by default
    assert fidelity.compute(**kw, rounding=False)["figure_precision"] == 0.0


def test_same_numbers_as_the_harness_metric(fidelity):
    source = next((ROOT / "seeds").glob("003_*.txt")).read_text(encoding="utf-8")
    summary = "ACM rose 10% and NAURA 15%; shares rose up to 7.8% and AI may hit $4 billion."
    numbers, _ = FigureFidelity().score_texts(source, summary)
    out = fidelity.compute(predictions=[summary], sources=[source])
    assert out["figure_precision"] == numbers["figure_precision"] == pytest.approx(1 / 4)
