"""Extractive systems: the shared budget, and what each baseline picks."""

import time

import pytest

from harness import ROOT
from harness.metrics.rouge import Rouge
from harness.summarizers.embedding import CentroidSummarizer
from harness.summarizers.extractive import Lead, Oracle, RandomSentences, fill_budget
from harness.summarizers.graph import SumySummarizer
from harness.text import count_words, split_sentences
from harness.types import Budget, Document, Request

SENTENCES = ["One two three.", "Four five six seven eight.", "Nine ten.", "Eleven."]


def test_fill_budget_keeps_rank_order_within_words_and_returns_document_order():
    # "Nine ten." (2) + "Four ... eight." (5) = 7; "One two three." would make 10; "Eleven." fits.
    assert fill_budget(SENTENCES, [2, 1, 0, 3], Budget("words", 8)) == (
        "Four five six seven eight.\nNine ten.\nEleven."
    )
    # A sentence that overflows is skipped for a later one that fits.
    assert fill_budget(SENTENCES, [1, 0, 3], Budget("words", 7)) == (
        "Four five six seven eight.\nEleven."
    )


def test_fill_budget_sentences_and_a_top_sentence_too_long():
    assert fill_budget(SENTENCES, [3, 0, 1], Budget("sentences", 2)) == "One two three.\nEleven."
    assert fill_budget(SENTENCES, [1], Budget("words", 3)) == "Four five six"
    assert fill_budget([], [], Budget("words", 3)) == ""


TWELVE_WORDS = Budget("words", 12)


def requests(*texts, budget=TWELVE_WORDS, references=()):
    return [Request(Document(f"d{i}", t, references), "", t, budget) for i, t in enumerate(texts)]


ARTICLE = (
    "Alibaba will spend 380 billion yuan on AI. The plan runs three years.\n"
    "Shares rose 7.8% in Hong Kong. Analysts were pleased. The weather was mild."
)


def summaries(summarizer, reqs):
    out = dict(summarizer.summarize(reqs))
    return [out[i].summary for i in range(len(reqs))]


def test_lead_takes_the_longest_prefix_that_fits():
    assert summaries(Lead(), requests(ARTICLE, budget=Budget("words", 14))) == [
        "Alibaba will spend 380 billion yuan on AI.\nThe plan runs three years."
    ]
    # It stops at the first sentence that does not fit, even if a later one would.
    assert summaries(Lead(), requests(ARTICLE, budget=Budget("words", 12))) == [
        "Alibaba will spend 380 billion yuan on AI."
    ]
    assert summaries(Lead(), requests(ARTICLE, budget=Budget("sentences", 1))) == [
        "Alibaba will spend 380 billion yuan on AI."
    ]


def test_random_is_seeded_per_document():
    a = summaries(RandomSentences(seed=1), requests(ARTICLE, "X one. Y two. Z three."))
    b = summaries(RandomSentences(seed=1), requests(ARTICLE))
    assert a[0] == b[0]
    assert set(a[0].splitlines()) <= set(split_sentences(ARTICLE))
    different = {summaries(RandomSentences(seed=s), requests(ARTICLE))[0] for s in range(8)}
    assert len(different) > 1


def test_the_oracle_picks_the_sentences_that_match_the_reference():
    reqs = requests(ARTICLE, references=("Shares rose 7.8% in Hong Kong.",))
    assert summaries(Oracle(), reqs) == ["Shares rose 7.8% in Hong Kong."]
    two = requests(
        ARTICLE,
        budget=Budget("sentences", 2),
        references=("Analysts were pleased that shares rose 7.8%.",),
    )
    assert summaries(Oracle(), two) == ["Shares rose 7.8% in Hong Kong.\nAnalysts were pleased."]


def test_the_oracle_skips_a_document_without_references():
    ((_, generation),) = Oracle().summarize(requests(ARTICLE))
    assert generation.error is None and generation.summary == ""
    assert "references" in generation.skipped


@pytest.mark.parametrize(
    "summarizer",
    [
        SumySummarizer("sumy.summarizers.text_rank.TextRankSummarizer"),
        SumySummarizer("sumy.summarizers.lex_rank.LexRankSummarizer"),
    ],
    ids=["textrank", "lexrank"],
)
def test_graph_rankers_pick_whole_sentences_within_budget(summarizer):
    (summary,) = summaries(summarizer, requests(ARTICLE))
    assert summary and count_words(summary) <= 12
    assert set(summary.splitlines()) <= set(split_sentences(ARTICLE))
    ranking = summarizer.rank(split_sentences(ARTICLE))
    assert sorted(ranking) == list(range(5))


def test_textrank_prefers_the_central_sentence():
    text = "Cats chase mice. Cats and dogs chase mice and birds. Dogs chase birds. Rain fell."
    ranking = SumySummarizer("sumy.summarizers.text_rank.TextRankSummarizer").rank(
        split_sentences(text)
    )
    assert ranking[0] == 1


def test_centroid_prefers_on_topic_sentences_and_drops_near_duplicates():
    centroid = CentroidSummarizer()
    sentences = [
        "Alibaba will invest heavily in artificial intelligence infrastructure.",
        "Alibaba will invest heavily in artificial intelligence infrastructure!",
        "Alibaba's AI models power cars built with BMW.",
        "My grandmother bakes excellent apple pie.",
    ]
    ranking = centroid.rank(sentences)
    assert sorted(ranking) == [0, 1, 2, 3]
    assert ranking.index(3) > ranking.index(2)  # off-topic after on-topic
    assert ranking[-1] in (0, 1)  # the near-duplicate of a kept sentence goes last


SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def test_centroid_encoding_documents_together_gives_each_documents_own_summary():
    # One encode call per document (how centroid ran before) against groups of documents, on the
    # seeds at every prompt's budget and with groups small enough to split them.
    centroid = CentroidSummarizer(sentences_per_call=100)
    texts = [p.read_text() for p in SEEDS]
    for budget in (Budget("words", 60), Budget("words", 100), Budget("sentences", 3)):
        reqs = requests(*texts, budget=budget)
        one_by_one = [
            fill_budget(split_sentences(t), centroid.rank(split_sentences(t)), budget)
            for t in texts
        ]
        assert summaries(centroid, reqs) == one_by_one


def megabyte_news(size: int) -> str:
    text = "\n".join(p.read_text() for p in SEEDS)
    return (text * (size // len(text) + 1))[:size]


@pytest.mark.slow  # loads the sentence model and ranks 100 sentences six ways, twice
def test_a_megabyte_document_costs_what_a_100_kb_one_costs():
    # Each system ranks its first max_sentences sentences, and only those are split, so ten times
    # the text costs about the same; without the cap textrank alone runs for many minutes.
    reference = ("Alibaba will spend 380 billion yuan on AI infrastructure over three years.",)
    systems = [
        Lead(max_sentences=100),
        RandomSentences(max_sentences=100),
        Oracle(max_sentences=100),
        SumySummarizer("sumy.summarizers.text_rank.TextRankSummarizer", max_sentences=100),
        SumySummarizer("sumy.summarizers.lex_rank.LexRankSummarizer", max_sentences=100),
        CentroidSummarizer(max_sentences=100),
    ]
    rouge = Rouge()

    def cpu_seconds(size: int) -> list[float]:
        text = megabyte_news(size)  # a new string each time: nothing cached from the other size
        reqs = requests(text, references=reference)
        seconds = []
        for summarizer in systems:
            start = time.process_time()
            (summary,) = summaries(summarizer, reqs)
            assert summary and "rougeLsum" in rouge.score(reqs[0].doc, summary)
            seconds.append(time.process_time() - start)
        return seconds

    small, large = cpu_seconds(100_000), cpu_seconds(1_000_000)
    for summarizer, s, m in zip(systems, small, large, strict=True):
        assert m < 2 * s + 0.5, (summarizer, s, m)


@pytest.mark.parametrize("bad", [0, -3, 2.5, "many", True])
def test_a_sentence_cap_below_one_is_refused(bad):
    for system in (Lead, RandomSentences, Oracle):
        with pytest.raises(ValueError, match="max_sentences"):
            system(max_sentences=bad)
    with pytest.raises(ValueError, match="max_sentences"):
        SumySummarizer("sumy.summarizers.text_rank.TextRankSummarizer", max_sentences=bad)
