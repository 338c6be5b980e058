"""The speed-ups of figure extraction change nothing: the form readers are tried only where
they can read something (checked against trying every reader, on real and random text), and
long texts cost time in proportion to their length. The whole output's identity, before and
after a speed-up, is what bench/figures_identity.py hashes."""

from __future__ import annotations

import json
import re
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_figures_robust import DEV_SET, TEXT

from harness import ROOT
from harness.metrics.figures import Figure, extract, lists
from harness.metrics.figures.extraction import _marked, _special_word, _starts
from harness.metrics.figures.figure import make_figure
from harness.metrics.figures.forms import _DIGIT_READERS, _WORD_READERS, join_spoken, read_form
from harness.metrics.figures.names import NAME_REACH, _names_among, name_near, names_before
from harness.metrics.figures.numbers import _number_word_runs, is_number_word, word_numbers
from harness.metrics.figures.text import (
    _ABBREVIATIONS,
    _BOUNDARY,
    ID,
    NUM,
    WORD,
    _boundaries,
    _sentences,
    prepare,
)

LABELLED = ROOT / "tests" / "data" / "figures" / "labelled.jsonl"


def _every_reader(t, i: int, wordnums: dict):
    """read_form as it was: every reader tried in order, the first figure read wins."""
    if t.types[i] == WORD:
        readers = [lambda t, i, read=read: read(t, i, wordnums) for read, _ in _WORD_READERS]
    elif t.types[i] == NUM:
        readers = [read for read, _ in _DIGIT_READERS]
    else:
        readers = []
    return next((d for read in readers if (d := read(t, i))), None)


def _same_forms(text: str) -> int:
    """Asserts the dispatch reads what every reader reads at each token; the forms read."""
    t = prepare(text)
    wordnums = word_numbers(t)
    join_spoken(t, wordnums)
    read = 0
    for i, kind in enumerate(t.types):
        if kind == NUM or (kind == WORD and (i in wordnums or read_form(t, i, wordnums))):
            d = read_form(t, i, wordnums)
            assert d == _every_reader(t, i, wordnums), (text[t.starts[i] : t.starts[i] + 40], d)
            read += d is not None
        elif kind == WORD:  # a word the first test in read_form skips: no reader reads it
            assert _every_reader(t, i, wordnums) is None, text[t.starts[i] : t.starts[i] + 40]
    return read


def test_form_readers_are_tried_wherever_they_read_something():
    rows = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()]
    rows += [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    texts = {text for row in rows for text in (row["source"], row["summary"])}
    texts |= {p.read_text(encoding="utf-8") for p in (ROOT / "seeds").glob("*.txt")}
    assert _same_forms(FORMS) >= 23
    assert sum(map(_same_forms, sorted(texts))) > 100


FORMS = """At 9.30am and 6 pm on 2025-07-14 (14/07/2025), in their 40s, 4Q20 and the 2nd
    quarter, it was -12C or 30°C; a 3.4m-long python, one in five, 1 out of 4, the 5th-largest,
    it shipped 2023 units; a fifth of, two-thirds, halved, cut in half, the fifth-biggest, a
    seven-storey block, twenty - five, third-quarter, the first half of 2020; half a million
    for a fortnight, one fortnight on Tuesday, a quarter of a million, almost a third voted.
    By half, in half of, a two-fold rise, a well-known three-year-old, first-quarter, an eighth."""


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_form_readers_are_tried_wherever_they_read_something_in_any_text(text):
    _same_forms(text)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(TEXT, st.text(alphabet=" \t\n.!?)”1-•*aA", max_size=40)))
@example(text="1. One.\n2) Two!\n\n - a\n\t• b\nEnd... \u201cQuote.\u201d Next?\n\nLast")
@example(text="Wait.?! Really?!\u201d\n\n Yes.\n\nA b.. C d!.) E")
def test_scans_that_skip_ahead_find_what_the_plain_regex_finds(text):
    assert [m.span() for m in _boundaries(text)] == [m.span() for m in _BOUNDARY.finditer(text)]
    for line, at_line_starts in (
        (lists._NUMBERED, lists._numbered_lines),
        (lists._BULLET, lists._bulleted_lines),
    ):
        plain = re.compile("^" + line, re.M)  # what the lists were read with
        found = [(m.start(1), m.end(), m.groups()) for m in at_line_starts(text)]
        assert found == [(m.start(), m.end(), m.groups()) for m in plain.finditer(text)]


def _skipped_words_read_nothing(text: str) -> None:
    """The words _starts leaves out ("a" but in "a fifth", "in" but in "in half", "well-known")
    start no figure: neither a form nor a word text2num does not read."""
    t = prepare(text)
    digits, numerals, special = _marked(t)
    wordnums = word_numbers(t, numerals)
    join_spoken(t, wordnums)
    starts = set(_starts(t, wordnums, digits, special))
    for i, kind in enumerate(t.types):
        if kind == WORD and i not in starts:
            read = read_form(t, i, wordnums) or _special_word(t, i, t.lows[i])
            assert read is None, text[t.starts[i] :][:40]


def _runs_as_they_were(t) -> list[list[int]]:
    """Every maximal run of number words ("a" and "and" among them), each token tested."""
    runs: list[list[int]] = []
    for k, (kind, low) in enumerate(zip(t.types, t.lows, strict=True)):
        if kind == WORD and is_number_word(low):
            if runs and runs[-1][1] == k - 1:
                runs[-1][1] = k
            else:
                runs.append([k, k])
    return [run for run in runs if {*t.lows[run[0] : run[1] + 1]} - {"a", "and"}]


def _same_tokens_marked(text: str) -> None:
    t = prepare(text)
    digits, numerals, _ = _marked(t)
    assert digits == [k for k, kind in enumerate(t.types) if kind in (NUM, ID)]
    assert _number_word_runs(t, numerals) == _runs_as_they_were(t)


NUMBER_SOUP = st.lists(
    st.sampled_from(["a", "and", "A", "one", "hundred", "Two", "5", "-", ",", "million", "x"]),
    max_size=30,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(TEXT, NUMBER_SOUP))
def test_number_word_runs_found_from_the_numerals_are_all_the_runs(text):
    _same_tokens_marked(text)


def test_words_no_figure_starts_at_are_skipped():
    _skipped_words_read_nothing(FORMS)
    rows = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()]
    for text in sorted({row["source"] for row in rows})[:100]:
        _skipped_words_read_nothing(text)


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_words_no_figure_starts_at_are_skipped_in_any_text(text):
    _skipped_words_read_nothing(text)


def _names_of_whole_text(t, i: int) -> list[tuple[str, int]]:
    """names_before as it was: the whole text scanned for names, then the sentence's taken."""
    every = _names_among(t, 0, len(t.words))
    s_start = t.sentence_of(t.starts[i])[0]
    return [(text, last) for start, last, text in every if start >= s_start and last < i]


def _same_names(text: str) -> None:
    t = prepare(text)
    for i in range(len(t.words)):
        assert names_before(t, i) == _names_of_whole_text(t, i), text[t.starts[i] :][:40]
        for after in (-1, i - 6, i - 2):
            # the name a figure is bound to, as group_figures found it from the sentence's names
            names = _names_of_whole_text(t, i)[-1:]
            near = names and names[-1][1] > after and i - names[-1][1] <= NAME_REACH
            assert name_near(t, i, after) == (names[-1][0] if near else None)


def test_names_read_sentence_by_sentence_are_those_of_the_whole_text():
    _same_names("Acme Group. (Reuters) Beta Corp\n  Gamma Ltd rose 5%.\nDelta & Co (EU)\n\tZeta 3")
    _same_names("In March, The Big Bank Of Acme (ABA) & Sons said 5% and Previously, Zed rose 3.")
    rows = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()]
    for text in sorted({row["source"] for row in rows})[:60]:
        _same_names(text)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(TEXT, st.text(alphabet=" \t\n.!?()&,AaBb1", max_size=60)))
def test_names_read_sentence_by_sentence_are_those_of_the_whole_text_in_any_text(text):
    _same_names(text)


def _sentences_as_they_were(text: str) -> tuple[list[int], list[int]]:
    """text._sentences before its fast paths: each word before a period lowered and looked up."""
    starts, ends, start = [], [], 0
    for m in _BOUNDARY.finditer(text):
        dot = m.start()
        if text[dot] == ".":
            run = len(re.match(r"[\w.]*", text[:dot][::-1]).group())
            word = text[dot - min(run, dot - start) : dot].lower()
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or "." in word:
                continue
        if text[start:dot].strip():
            starts.append(start)
            ends.append(dot + 1 if text[dot] != "\n" else dot)
        start = m.end()
    if text[start:].strip() or not starts:
        starts.append(start)
        ends.append(len(text.rstrip()))
    return starts, ends


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(TEXT, st.text(alphabet=" \n.!?Aa1İ_", max_size=60)))
@example(text="Acme Inc. rose. It fell 5%. The U.S. and approx. 3 at 9.30. Approximately. \n  x")
def test_sentences_are_those_the_plain_rule_finds(text):
    assert _sentences(text) == _sentences_as_they_were(text)


def _seconds(text: str) -> float:
    extract.cache_clear()
    start = time.process_time()
    extract(text)
    return time.process_time() - start


@pytest.mark.parametrize(
    ("unit", "small"),
    [
        # No sentence break: binding a figure to the name before it looked at every name of the
        # sentence so far, and each figure copied its sentence (6.7 s at 1 MB, 0.07 at 100 KB).
        ("Acme Corp sold 12 units and Beta Group bought 7 tonnes for $3 million while ", 40_000),
        # One list of thousands of numbers: each member copied the whole list's text (25.8 s at
        # 200 KB, 0.37 at 50 KB; the next test pins the sharing).
        ("12, ", 20_000),
    ],
)
def test_a_long_text_takes_time_in_proportion(unit, small):
    _seconds(unit * 1000)  # warm the word caches
    short, long = (_seconds(unit * (size // len(unit))) for size in (small, 10 * small))
    assert long < 30 * max(short, 1e-3)  # 10x the text: 10x the time, with room for noise


def test_the_members_of_a_list_share_its_text_and_sentence():
    """One string per list and per sentence, however many figures hold it: a copy each made a
    list of 50,000 numbers cost 10 GB."""
    figures = extract("Scores: " + ", ".join(str(n % 97) for n in range(5000)) + ".")
    assert len(figures) == 5000 and figures[0].group_text.startswith("0, 1, 2")
    assert len({id(f.group_text) for f in figures}) == len({id(f.sentence) for f in figures}) == 1


def test_a_figure_built_fast_is_the_figure_the_constructor_builds():
    fields = {"kind": "money", "value": 5e9, "unit": "USD", "text": "$5bn", "start": 3, "end": 7}
    fields |= {"qualifier": "about", "bound": "approx", "group": (0, 2), "entity": "Acme"}
    fast, plain = make_figure(**fields), Figure(**fields)
    assert fast == plain and hash(fast) == hash(plain)
    assert list(fast.as_dict().items()) == list(plain.as_dict().items())
    # extraction builds each figure from all its fields, in the class's order
    extracted = extract("Acme's revenue rose 12% to about $5bn in 2025.")
    assert [list(f.as_dict()) for f in extracted] == [list(plain.as_dict())] * len(extracted)
    assert extracted[1] == Figure(**extracted[1].as_dict())  # the money figure: no tuples
