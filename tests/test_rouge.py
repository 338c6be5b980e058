"""ROUGE through rouge-score: canonical keys, several references, and what ROUGE cannot see."""

import pytest
from rouge_score import rouge_scorer

from harness.metrics.rouge import Rouge
from harness.types import Document


def test_scores_match_rouge_score_with_the_stemmer():
    doc = Document("d", "source", ("The cats were sitting on the mat.",))
    got = Rouge().score(doc, "A cat sat on the mat.")
    want = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True).score(
        "The cats were sitting on the mat.", "A cat sat on the mat."
    )
    for key in ("rouge1", "rouge2", "rougeL"):
        assert got[key] == want[key].fmeasure
        assert got[f"{key}_precision"] == want[key].precision
        assert got[f"{key}_recall"] == want[key].recall


def test_rouge1_by_hand():
    # Prediction "cat sat mat" vs reference "the cat sat": 2 shared unigrams of 3 and 3.
    got = Rouge(rouge_types=("rouge1",)).score(Document("d", "", ("the cat sat",)), "cat sat mat")
    assert got == pytest.approx(
        {"rouge1": 2 / 3, "rouge1_precision": 2 / 3, "rouge1_recall": 2 / 3}
    )


def test_several_references_take_the_best_match_per_type():
    doc = Document("d", "", ("Completely unrelated words here.", "Shares rose in Hong Kong."))
    both = Rouge().score(doc, "Shares rose in Hong Kong.")
    assert both["rouge1"] == both["rouge2"] == both["rougeLsum"] == 1.0


def test_rougelsum_reads_one_sentence_per_line():
    # Two sentences in swapped order: LCS over the whole text gets one, summary-level LCS both.
    doc = Document("d", "", ("Alpha beta gamma. Delta epsilon zeta.",))
    got = Rouge().score(doc, "Delta epsilon zeta. Alpha beta gamma.")
    assert got["rougeLsum"] == 1.0
    assert got["rougeL"] == pytest.approx(0.5)


def test_rouge_cannot_tell_78_percent_from_7_point_8_percent():
    # The reason for the figure-fidelity metric: "$", "%" and "." vanish in ROUGE's tokenizer.
    doc = Document("d", "", ("Shares rose 7.8% to $52 billion.",))
    # "8.7%" splits into the same unigrams as "7.8%": a perfect ROUGE-1 for a wrong figure.
    assert Rouge().score(doc, "Shares rose 8.7% to $52 billion.")["rouge1"] == 1.0
    assert Rouge().score(doc, "Shares rose 7.8 to 52 billion.") == Rouge().score(
        doc, "Shares rose 7.8% to $52 billion."
    )


def test_no_references_means_no_reference_scores():
    assert Rouge().score(Document("d", "text"), "summary") == {}
