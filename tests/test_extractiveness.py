"""Extractiveness (Grusky et al. 2018): fragments, coverage, density, compression, checked
against a direct transcription of the paper's greedy scan and against values worked by hand."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from harness.metrics.extractiveness import Extractiveness, extractiveness, fragments, tokenize
from harness.types import Document


def newsroom_fragments(summary, article):
    """Fragments._match of github.com/lil-lab/newsroom, transcribed: every article position."""
    out, i = [], 0
    while i < len(summary):
        best, j = 0, 0
        while j < len(article):
            if summary[i] == article[j]:
                i2, j2 = i, j
                while i2 < len(summary) and j2 < len(article) and summary[i2] == article[j2]:
                    i2, j2 = i2 + 1, j2 + 1
                best = max(best, i2 - i)
                j = j2
            else:
                j += 1
        if best:
            out.append((i, best))
        i += max(best, 1)
    return out


def test_values_worked_by_hand():
    article = "the cat sat on the mat . the dog ate the cat food ."
    summary = "the cat sat on a mat with the dog ."
    # fragments: "the cat sat on" (4), "mat" (1), "the dog" (2), "." (1); "a", "with" are new.
    assert fragments(tokenize(summary), tokenize(article)) == [(0, 4), (5, 1), (7, 2), (9, 1)]
    got = extractiveness(summary, article)
    assert got["extractive_coverage"] == 8 / 10
    assert got["extractive_density"] == (16 + 1 + 4 + 1) / 10
    assert got["extractive_compression"] == 14 / 10


def test_a_copied_sentence_is_one_fragment_and_nothing_copied_is_zero():
    article = "Revenue rose 12% to $5.2 billion. Shares fell."
    got = extractiveness("Revenue rose 12% to $5.2 billion.", article)
    n = len(tokenize("Revenue rose 12% to $5.2 billion."))
    assert got["extractive_coverage"] == 1.0 and got["extractive_density"] == n
    assert extractiveness("Completely unrelated words", article)["extractive_coverage"] == 0.0
    assert extractiveness("", article) == dict.fromkeys(got)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from("abcde"), max_size=25), st.lists(st.sampled_from("abcde"), max_size=40)
)
def test_the_indexed_scan_equals_the_papers_scan(summary, article):
    assert fragments(summary, article) == newsroom_fragments(summary, article)


def test_real_text_equals_the_papers_scan():
    rng = random.Random(0)
    words = [
        "the",
        "company",
        "said",
        "revenue",
        "rose",
        "in",
        "the",
        "quarter",
        "and",
        "profit",
        "fell",
    ]
    for _ in range(200):
        article = [rng.choice(words) for _ in range(rng.randint(0, 80))]
        summary = [rng.choice(words) for _ in range(rng.randint(0, 20))]
        assert fragments(summary, article) == newsroom_fragments(summary, article)


def test_the_metric_is_a_diagnostic_without_direction():
    metric = Extractiveness()
    assert set(metric.higher_is_better.values()) == {None}
    doc = Document("d", "A b c.", ("ref",))
    assert metric.score(doc, "A b c.")["extractive_coverage"] == 1.0
