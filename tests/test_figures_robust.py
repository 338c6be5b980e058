"""Extraction and checking return a result for any text: random text, and every text of the
public development set (SummEdits numbers, tests/data/figures-dev)."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from harness import ROOT
from harness.metrics.figures import FigureFidelity, extract
from harness.metrics.figures.text import _ID, _LONGEST_NUMBER, _NUM, ID, NUM, SYM, WORD, prepare

DEV_SET = ROOT / "tests" / "data" / "figures-dev" / "summedits_numbers.jsonl"

# Words and marks the figure rules look at, so random text reaches the rules, not only the
# tokenizer: number words, scales, units, currencies, months, weekdays, qualifiers, names.
WORDS = """
one two three twelve twenty-five hundred thousand million billion trillion half third quarter
two-thirds three-quarters dozen first second fourth 21st double tripled threefold fivefold and a
bn mn m k b t tn lakh crore per cent percent percentage points basis point pp bps x s th st nd rd
dollars yuan euros pounds yen won real crowns Danish Hong Kong US USD RMB EUR Rs cents pence
year years month week day quarter decade century hours minutes old aged km mph GB MW barrel share
January Feb March May June Sept December Monday Sunday Q H FY mid early late pre post
about around nearly over under up to more than less fewer at least as much as some or so plus odd
between respectively the of in to from Qwen Boeing MAX S&P Windows Llama iOS Galaxy ACM NAURA
""".split()  # noqa: SIM905 (a word list reads better as text)
MARKS = list("$€£¥₹₩₽%~≈><+-–—/.,:;!?()[]'\"’“”\n\t ") + ["â‚¬", "â€™", "Ã©", " - ", "...", "\n\n"]
# Numbers at the edge of a float: too many digits, too many decimals, scales piled up.
EXTREMES = ["9" * 400, "0." + "0" * 400 + "1", "1" + "0" * 300, "1e308", "trillion trillion"]
DATES = ["Sunday, May 3, 2.30pm", "2025-07-14", "14/07/2025", "9.30am", "6pm", "10:30", "Q3 2025"]
PIECES = st.one_of(
    st.text(max_size=12),  # any unicode at all
    st.from_regex(r"[0-9]{1,5}(?:[.,][0-9]{1,4}){0,3}", fullmatch=True),
    st.from_regex(r"[0-9]{6,400}", fullmatch=True),  # numbers too big for a float
    st.sampled_from(WORDS),
    st.sampled_from(MARKS),
    st.sampled_from(DATES),
    st.sampled_from(EXTREMES),
)
TEXTS = st.lists(st.one_of(PIECES, st.sampled_from([" ", " ", "", ", ", ". ", "\n"])), max_size=60)
TEXT = TEXTS.map("".join)
METRICS = [
    FigureFidelity(),
    FigureFidelity(rel_tol=0.05, rounding=True, strict_qualifiers=True, entity_binding=False),
]


def _check_result(source: str, summary: str, references: tuple[str, ...] = ()) -> None:
    """Extraction and every option of the metric give a well-formed result."""
    for text in (source, summary, *references):
        for f in extract(text):
            assert 0 <= f.start <= f.end <= len(text)
    for metric in METRICS:
        numbers, checks = metric.score_texts(source, summary, references)
        # every figure is checked; names are checked only when the source never writes them;
        # the score leaves out the one cut off at the summary's end
        everything = metric.check(source, summary)
        names = sum(c.reason == "name" for c in everything)
        assert len(everything) == len(extract(summary)) + names
        assert numbers["figure_count"] == len(checks)
        assert len(checks) + numbers["figure_unjudged"] == len(everything)
        for key in ("figure_precision", "figure_recall", "figure_f1"):
            assert numbers[key] is None or 0.0 <= numbers[key] <= 1.0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=TEXT, summary=TEXT, reference=TEXT)
@example(
    source="Sunday, May 3, 2.30pm: Arsenal v Spurs.", summary="Spurs play on May 3.", reference=""
)
@example(source="It cost $" + "9" * 400 + ".", summary="It cost $5.", reference="It cost $5.")
@example(
    source="It cost $1" + "0" * 300 + " trillion.",  # past the float range once scaled
    summary="It cost $0." + "0" * 320 + "1 and $5.",  # below it
    reference="",
)
def test_any_text_gives_a_result(source, summary, reference):
    _check_result(source, summary, (reference,))


def test_a_temperature_with_grouped_thousands_is_read_not_fatal():
    """ "3,230°C" raised a ValueError in the temperature reader (found by comparing the reader
    before and after a speed-up on random text)."""
    figures = extract("The furnace reached 3,230°C, and -1,200C at night.")
    assert [(f.text, f.value, f.unit) for f in figures] == [
        ("3,230°C", 3230.0, "°c"),
        ("1,200C", -1200.0, "°c"),  # the sign is read, not spanned
    ]


def test_a_fixtures_list_is_read_not_fatal():
    """The crash a new user met: "May 3, 2.30pm" read "2.30" as a year after the date."""
    text = "Fixtures: Sunday, May 3, 2.30pm Arsenal v Spurs; Monday, May 4, 8pm Chelsea v Leeds."
    dates = [f for f in extract(text) if f.kind == "date" and f.unit is None]
    assert [(f.text, f.date) for f in dates] == [("May 3", (None, 5, 3)), ("May 4", (None, 5, 4))]


def _dev_rows() -> list[dict]:
    return [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()]


def test_every_text_of_the_development_set():
    rows = _dev_rows()
    assert len(rows) == 1018
    for row in rows:
        summaries = [
            row["summary"],
            *([row["original_summary"]] if "original_summary" in row else []),
        ]
        for summary in summaries:
            _check_result(row["source"], summary, (row["source"],))


# The token pattern with a group per kind, its words written plainly: what the tokenizer's kinds
# and offsets must agree with.
def test_a_digit_run_too_long_for_a_quantity_is_not_fatal():
    """A pasted serial or digit dump: int() refuses strings over 4,300 digits."""
    digits = "1" * 5000
    for source in (digits, digits + ".30pm", digits + ":30 pm", "2." + digits + "%"):
        checks = FigureFidelity().check(source, "5 people came at 9pm.")
        assert [c.supported for c in checks] == [False, False]
    assert [f.text for f in extract("A " + "9" * 5000 + " code; 12 people came.")] == ["12"]


def test_a_dump_of_digit_groups_is_not_fatal():
    """ "100 101 102 ... 999": spaced thousands ("2 500 000") chained past any quantity, and past
    a float (it was read as one infinite number and the date reader raised)."""
    dump = " ".join(str(n) for n in range(100, 1000))
    figures = extract(dump)
    assert figures and all(f.value < 10**_LONGEST_NUMBER for f in figures)
    assert extract("It cost 2 500 000 euros.")[0].value == 2_500_000


PLAIN_WORD = r"[^\W\d_]+(?:['’][^\W\d_]+)?(?:-[^\W\d_]+)*"
KIND_OF_TOKEN = re.compile(rf"(?P<word>{PLAIN_WORD})|(?P<id>{_ID})|(?P<num>{_NUM})|(?P<sym>\S)")
KINDS = {"word": WORD, "id": ID, "num": NUM, "sym": SYM}


def _kind(m: re.Match) -> int:
    too_long = m.lastgroup == "num" and len(m.group()) > _LONGEST_NUMBER  # a serial, not a number
    return ID if too_long else KINDS[m.lastgroup]


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(), TEXT))
@example(text="1" * 41 + " Q3 2025-07-14 $1,234.5 v1.2.3 ½ Ⓐ _x 3½ naïve café’s co-op\u2028x \t ٣٤")
def test_tokens_have_the_kind_and_offsets_of_the_token_pattern(text):
    t = prepare(text)
    tokens = [(m.group(), _kind(m), m.start()) for m in KIND_OF_TOKEN.finditer(t.text)]
    assert list(zip(t.words, t.types, t.starts, strict=True)) == tokens
    assert t.ends == [start + len(word) for word, _, start in tokens]
    assert t.lows == [word.lower() for word, _, _ in tokens]
