"""ROUGE through rouge-score-rs, checked against rouge-score: canonical keys, several references,
and what ROUGE cannot see."""

import json
from collections import defaultdict

import pytest
from rouge_score import rouge_scorer

from harness import ROOT
from harness.metrics.rouge import ROUGE_TYPES, Rouge
from harness.text import one_sentence_per_line
from harness.types import Document

DEV_SET = ROOT / "tests" / "data" / "figures-dev" / "summedits_numbers.jsonl"


def dev_set_pairs() -> list[tuple[Document, str]]:
    """Real (references, prediction) pairs from SummEdits: each summary against its source alone,
    each consistent original against its source, and each summary against its source, its original
    and two other summaries of the same source together."""
    rows = [json.loads(line) for line in DEV_SET.read_text().splitlines()]
    summaries = defaultdict(list)
    for row in rows:
        summaries[row["source"]].append(row["summary"])
    pairs = []
    for i, row in enumerate(rows):
        source, summary, original = row["source"], row["summary"], row.get("original_summary")
        pairs.append((Document(f"s{i}", "", (source,)), summary))
        if original:
            pairs.append((Document(f"o{i}", "", (source,)), original))
        others = [s for s in summaries[source] if s != summary][:2]
        several = (source, *([original] if original else []), *others)
        pairs.append((Document(f"m{i}", "", several), summary))
    return pairs


@pytest.mark.slow  # rouge-score's pure-Python LCS: about 40 CPU-seconds for both settings
@pytest.mark.parametrize("use_stemmer", [True, False], ids=["stemmer", "no-stemmer"])
def test_scores_are_bit_identical_to_rouge_score_on_real_pairs(use_stemmer):
    pairs = dev_set_pairs()
    assert len(pairs) >= 2000 and sum(len(doc.references) > 1 for doc, _ in pairs) >= 1000
    ours = Rouge(use_stemmer=use_stemmer)
    reference = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=use_stemmer)
    for doc, prediction in pairs:
        got = ours.score(doc, prediction)
        want = reference.score_multi(
            [one_sentence_per_line(r) for r in doc.references], one_sentence_per_line(prediction)
        )
        for t in ROUGE_TYPES:
            # float.hex: the same bits, not merely close.
            assert got[t].hex() == want[t].fmeasure.hex(), (doc.id, t)
            assert got[f"{t}_precision"].hex() == want[t].precision.hex(), (doc.id, t)
            assert got[f"{t}_recall"].hex() == want[t].recall.hex(), (doc.id, t)


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


def test_rougelsum_splits_the_prediction_into_sentences():
    # A summary on one line, its sentences in the reference's reverse order: split, each matches
    # part of the reference sentence (union LCS = all 4 words); unsplit, the LCS finds only 2.
    doc = Document("d", "", ("Alpha beta gamma delta.",))
    got = Rouge().score(doc, "Gamma delta. Alpha beta.")
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
