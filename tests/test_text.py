"""Sentence splitting: pysbd's sentences, in time linear in the text's length."""

import json
import time

import pysbd

from harness import ROOT
from harness.text import WINDOW, segment_line, split_sentences

DEV_SET = ROOT / "tests" / "data" / "figures-dev" / "summedits_numbers.jsonl"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def real_texts() -> list[str]:
    """The seeds and every SummEdits source and summary."""
    rows = [json.loads(line) for line in DEV_SET.read_text().splitlines()]
    texts = (
        [p.read_text() for p in SEEDS] + [r["source"] for r in rows] + [r["summary"] for r in rows]
    )
    return list(dict.fromkeys(texts))


def pysbd_sentences(text: str) -> list[str]:
    """What the harness split before: pysbd on each line of the whole text."""
    segmenter = pysbd.Segmenter(language="en", clean=False)
    return [s.strip() for line in text.splitlines() for s in segmenter.segment(line) if s.strip()]


def test_sentences_of_real_text_are_pysbds():
    texts = real_texts()
    assert any(len(line) > WINDOW for t in texts for line in t.splitlines())
    for text in texts:
        assert list(split_sentences(text)) == pysbd_sentences(text)


def test_long_lines_are_split_as_pysbd_splits_them_whole():
    # Each text on one line (up to 10 KB, with lists and quotes): the window moves.
    lines = [" ".join(t.splitlines()) for t in real_texts()]
    long_lines = [line for line in lines if len(line) > WINDOW]
    assert len(long_lines) >= 30
    for line in long_lines:
        assert list(split_sentences(line)) == pysbd_sentences(line)


def test_a_line_without_sentence_boundaries_is_cut_at_the_window():
    line = "word " * 1000
    pieces = list(segment_line(line, window=600, margin=100))
    assert "".join(pieces) == line and max(map(len, pieces)) == 600


def test_the_first_sentences_only():
    text = "One. Two. Three.\nFour."
    assert split_sentences(text, 2) == ("One.", "Two.")
    assert split_sentences(text) == ("One.", "Two.", "Three.", "Four.")


def cpu_seconds(text: str) -> float:
    start = time.process_time()
    split_sentences(text)
    return time.process_time() - start


def news_line(size: int) -> str:
    line = " ".join(" ".join(p.read_text().splitlines()) for p in SEEDS)
    return (line * (size // len(line) + 1))[:size]


def test_splitting_time_grows_linearly():
    # 8 times the text: about 8 times the time; pysbd on the whole line takes about 64 times.
    small, large = news_line(20_000), news_line(160_000)
    cpu_seconds(news_line(5_000))  # warm up pysbd's compiled rules
    ratio = cpu_seconds(large) / cpu_seconds(small)
    assert ratio < 20, ratio
