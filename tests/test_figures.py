"""Figure extraction and support: hand-computed cases from the seeds and beyond."""

from __future__ import annotations

import json

import pytest
from omegaconf import OmegaConf

from harness import ROOT
from harness.data import SeedArticles
from harness.metrics.figures import Figure, FigureFidelity, extract, repair, support
from harness.types import Document

SEED = {p.stem[:3]: p for p in (ROOT / "seeds").glob("*.txt")}
LABELLED = ROOT / "tests" / "data" / "figures" / "labelled.jsonl"


@pytest.fixture(scope="module")
def seeds() -> dict[str, Document]:
    """The seeds cleaned as the harness cleans them (conf/dataset/seeds.yaml)."""
    cfg = OmegaConf.load(ROOT / "conf" / "dataset" / "seeds.yaml")
    source = SeedArticles(
        seeds_dir=str(ROOT / "seeds"),
        references_dir=str(ROOT / "references"),
        drop_lines=list(cfg.drop_lines),
        drop_headings=cfg.drop_headings,
    )
    return {
        r["id"][:3]: Document(r["id"], r["text"], tuple(r["references"])) for r in source.load()
    }


def one(text: str) -> Figure:
    figures = extract(text)
    assert len(figures) == 1, figures
    return figures[0]


def verdicts(source: str, summary: str, **options) -> list[tuple[str, bool, str | None]]:
    checks = FigureFidelity(**options).check(source, summary)
    return [(c.figure.text, c.supported, c.reason) for c in checks]


# --- extraction: each format ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit"),
    [
        ("a $52 billion plan", "money", 52e9, "USD"),
        ("costs US$52bn now", "money", 52e9, "USD"),
        ("it is 52 billion dollars", "money", 52e9, "USD"),
        ("over 380 billion yuan", "money", 380e9, "CNY"),
        ("RMB380bn of spending", "money", 380e9, "CNY"),
        ("a fine of €78bn", "money", 78e9, "EUR"),
        ("a £57m deal", "money", 57e6, "GBP"),
        ("about $4 trillion", "money", 4e12, "USD"),
        ("$4,000 billion", "money", 4e12, "USD"),
        ("1.2 million Hong Kong dollars", "money", 1.2e6, "HKD"),
        ("55.4 billion Danish crowns", "money", 55.4e9, "DKK"),
        ("30 cents", "money", 0.3, "USD"),
        ("one hundred billion yuan", "money", 100e9, "CNY"),
        ("a 60% rise", "percent", 60.0, "%"),
        ("60 percent", "percent", 60.0, "%"),
        ("60 per cent", "percent", 60.0, "%"),
        ("half of the global GDP", "percent", 50.0, "%"),
        ("two-thirds of voters", "percent", 200 / 3, "%"),
        ("up 2 percentage points", "percentage_points", 2.0, "pp"),
        ("a cut of 50 basis points", "percentage_points", 0.5, "pp"),
        ("over 100,000 derivative models", "count", 100_000.0, None),
        ("100k users", "count", 100_000.0, None),
        ("a dozen cars", "count", 12.0, None),
        ("two dozen cars", "count", 24.0, None),
        ("twenty-five people", "count", 25.0, None),
        ("two and a half million people", "count", 2.5e6, None),
        ("six consecutive quarters", "duration", 6 * 365.25 / 4, "days"),
        ("a three-year plan", "duration", 3 * 365.25, "days"),
        ("in 3 years", "duration", 3 * 365.25, "days"),
        ("a 45-year-old man", "duration", 45 * 365.25, "days"),
        ("more than double", "number", 2.0, "times"),
        ("sales rose sixfold", "number", 6.0, "times"),
        ("the fourth largest", "number", 4.0, "ordinal"),
        ("from 2026 onwards", "year", 2026.0, None),
        ("by mid-2026", "year", 2026.0, None),
    ],
)
def test_formats(text: str, kind: str, value: float, unit: str | None):
    f = one(text)
    assert (f.kind, f.unit) == (kind, unit)
    assert f.value == pytest.approx(value)


def test_dates():
    assert one("memo in November 2023").date == (2023, 11, None)
    assert one("On February 24th, it said").date == (None, 2, 24)
    assert one("on 24 Feb 2025 it said").date == (2025, 2, 24)
    q = one("revenue in Q3 2025 rose")
    assert (q.kind, q.unit, q.date) == ("date", "Q", (2025, 3, None))
    assert one("in the third quarter sales").date == (None, 3, None)


def test_spans_text_and_sentence():
    text = "Shares fell. Alibaba will spend over 380 billion yuan ($52 billion) on AI."
    yuan, usd = extract(text)
    assert (yuan.text, yuan.qualifier, yuan.bound) == ("over 380 billion yuan", "over", "above")
    assert text[yuan.start : yuan.end] == yuan.text
    assert (usd.text, usd.start, usd.end) == ("$52 billion", 55, 66)
    assert usd.sentence == "Alibaba will spend over 380 billion yuan ($52 billion) on AI."


@pytest.mark.parametrize(
    ("text", "qualifier", "bound"),
    [
        ("over $100 billion", "over", "above"),
        ("more than $100 billion", "more than", "above"),
        ("nearly 60%", "nearly", "below"),
        ("up to 7.8%", "up to", "below"),
        ("about $4 trillion", "about", "approx"),
        ("some 500 people", "some", "approx"),
        ("100,000-plus users", "plus", "above"),
        ("20 or more people", "or more", "above"),
    ],
)
def test_qualifiers(text: str, qualifier: str, bound: str):
    f = one(text)
    assert (f.qualifier, f.bound) == (qualifier, bound)


def test_over_before_a_duration_means_during():
    assert one("spent over three years").bound == "exact"


@pytest.mark.parametrize(
    "text",
    [
        "Alibaba will release Qwen 3 later in April.",
        "Previous releases like Qwen 2.5 and Qwen2.5-Omni-7B impressed.",
        "It released QwQ-32B and Wan2.1 and the Qwen2 series.",
        "They ordered Nvidia's H20 chips for the BMW iX3.",
        "GPT-4o, COVID-19, Windows 11, the S&P 500 and 5G networks.",
        "The Boeing 737-800 and the 737 MAX are planes.",
        "Llama 3 comes in 8B and 70B versions.",
    ],
)
def test_digits_in_names_are_not_figures(text: str):
    assert [f.text for f in extract(text) if f.unit != "month"] == []  # "in April" is a month


def test_scores_after_team_names_are_figures():
    assert verdicts("Chelsea beat Arsenal 3-1 on Sunday.", "Chelsea won 3-1.") == [
        ("3", True, None),
        ("1", True, None),
    ]
    assert verdicts("Chelsea beat Arsenal 3-1 on Sunday.", "Chelsea won 2-1.")[0][:2] == (
        "2",
        False,
    )


def test_names_do_not_hide_real_figures():
    figures = extract("NAURA rose 10% as Nvidia sold 300 H20 chips worth $16 billion.")
    assert [(f.kind, f.text) for f in figures] == [
        ("percent", "10%"),
        ("count", "300"),
        ("money", "$16 billion"),
    ]


@pytest.mark.parametrize("text", ["", "   ", "No figures at all here.", "?!.,;:—…", "\n\n"])
def test_texts_without_figures(text: str):
    assert extract(text) == ()


def test_lone_one_and_first_are_not_figures():
    assert extract("It is one of the largest, the first time, and second to none.") == ()


# --- ranges, lists, respectively ------------------------------------------------------------------


def test_respectively_binds_members_to_names():
    text = (
        "It lifted chipmakers ACM Research (Shanghai) Inc. and NAURA Technology Group Co., "
        "rising by 15% and 10%, respectively."
    )
    a, b = extract(text)
    assert (a.value, b.value) == (15.0, 10.0)
    assert (a.group, b.group, a.group_type) == ((0, 2), (1, 2), "respectively")
    assert a.entity == "ACM Research (Shanghai) Inc"
    assert b.entity == "NAURA Technology Group Co"


@pytest.mark.parametrize(
    ("text", "values", "kind"),
    [
        ("between 2 and 5 billion dollars", [2e9, 5e9], "money"),
        ("$2-5 billion", [2e9, 5e9], "money"),
        ("10-15%", [10.0, 15.0], "percent"),
        ("from 10 to 15 percent", [10.0, 15.0], "percent"),
        ("25-50 basis points", [0.25, 0.5], "percentage_points"),
        ("two to three years", [730.5, 1095.75], "duration"),
        ("the 2025-26 season", [2025.0, 2026.0], "year"),
    ],
)
def test_ranges_share_their_unit(text: str, values: list[float], kind: str):
    figures = extract(text)
    assert [f.kind for f in figures] == [kind, kind]
    assert [f.value for f in figures] == pytest.approx(values)
    assert figures[0].group_type == "range" or kind == "year"


# --- encodings ---


def test_mojibake_is_repaired_and_spans_stay_in_the_given_text():
    text = "Google was fined â‚¬4.34bn; itâ€™s 7.8% lower."
    assert repair(text)[0] == "Google was fined €4.34bn; it’s 7.8% lower."
    euro, pct = extract(text)
    assert (euro.kind, euro.unit, euro.value) == ("money", "EUR", 4.34e9)
    assert euro.text == "â‚¬4.34bn" == text[euro.start : euro.end]
    assert pct.text == "7.8%" == text[pct.start : pct.end]
    assert verdicts("It was fined €4.34bn.", "It was fined â‚¬4.34bn.") == [
        ("â‚¬4.34bn", True, None)
    ]


def test_legitimate_accents_are_untouched():
    assert repair("Zoë paid €5 in São Paulo")[0] == "Zoë paid €5 in São Paulo"


# --- support -------------------------------------------------------------------------------------


def test_scale_normalization():
    assert verdicts("about $4 trillion", "$4,000 billion") == [("$4,000 billion", True, None)]
    assert verdicts("100,000 users", "100k users and one hundred thousand users") == [
        ("100k", True, None),
        ("one hundred thousand", True, None),
    ]


def test_scale_error(seeds):
    src = seeds["000"].text
    assert verdicts(src, "They ordered $16 million of chips.") == [("$16 million", False, "scale")]
    check = FigureFidelity().check(src, "They ordered $16 million of chips.")[0]
    assert check.nearest is not None and check.nearest.text == "over $16 billion"


def test_a_moved_decimal_point_is_caught_and_traced_to_its_source(seeds):
    # ROUGE scores "78%" and "7.8%" alike; the nearest source figure is the one with its digits.
    check = FigureFidelity().check(seeds["003"].text, "Shares rose 78% in Hong Kong.")[0]
    assert (check.supported, check.reason, check.nearest.text) == (False, "value", "up to 7.8%")


def test_currency_swap(seeds):
    src = seeds["001"].text
    assert verdicts(src, "Alibaba will spend $380 billion.") == [
        ("$380 billion", False, "currency")
    ]


def test_conversion_stated_in_one_seed_not_the_other(seeds):
    assert verdicts(seeds["001"].text, "380 billion yuan ($52 billion)") == [
        ("380 billion yuan", True, None),
        ("$52 billion", True, None),
    ]
    assert verdicts(seeds["001"].text, "380 billion yuan ($53 billion)")[1] == (
        "$53 billion",
        False,
        "value",
    )
    assert verdicts(seeds["003"].text, "380 billion yuan ($53 billion)")[1][1] is True
    # Seed 002 states the yuan figure and no dollar conversion at all.
    assert verdicts(seeds["002"].text, "380 billion yuan ($52 billion)")[1][:2] == (
        "$52 billion",
        False,
    )


def test_percent_and_percentage_points_are_apart(seeds):
    assert verdicts(seeds["003"].text, "Shares rose 7.8 percentage points.") == [
        ("7.8 percentage points", False, "unit")
    ]
    assert verdicts("Rates rose 0.25 percentage points.", "Rates rose 0.25%.") == [
        ("0.25%", False, "unit")
    ]


def test_number_words_against_digits(seeds):
    src = seeds["002"].text
    got = verdicts(
        src, "Growth lasted 6 consecutive quarters; Wu pledged 380 billion yuan in 3 years."
    )
    assert [g[1] for g in got] == [True, True, True]
    assert verdicts("Twenty-five people and a dozen cars", "25 people and 12 cars") == [
        ("25", True, None),
        ("12", True, None),
    ]
    assert verdicts("half of the workers", "50% of the workers") == [("50%", True, None)]


@pytest.mark.parametrize(
    ("source", "summary", "supported"),
    [
        ("over $100 billion", "more than $100 billion", True),
        ("over $100 billion", "$100 billion", True),  # a dropped hedge keeps the number
        ("over $100 billion", "about $100 billion", True),
        ("over $100 billion", "under $100 billion", False),
        ("nearly 60%", "60%", True),
        ("nearly 60%", "over 60%", False),
        ("nearly 60%", "almost 60%", True),
        ("up to 7.8%", "7.8%", True),
        ("up to 7.8%", "more than 7.8%", False),
        ("$50 billion", "over $50 billion", False),  # adds a direction the source lacks
        ("$50 billion", "about $50 billion", True),
    ],
)
def test_qualifier_compatibility(source: str, summary: str, supported: bool):
    (got,) = verdicts(f"It was {source}.", f"It was {summary}.")
    assert got[1] is supported
    if not supported:
        assert got[2] == "qualifier"


def test_strict_qualifiers_reject_dropped_hedges():
    assert verdicts("over $100 billion", "$100 billion", strict_qualifiers=True)[0][1] is False
    assert verdicts("about $100 billion", "$100 billion", strict_qualifiers=True)[0][1] is True


def test_rounding_is_on_by_default_and_configurable():
    # an unhedged figure may round the source to the digits it shows, as news writes; with
    # rounding off it must be exact (a hedged one is read at the precision it states)
    assert verdicts("$52.9 billion", "$53 billion")[0][1] is True
    assert verdicts("$52.9 billion", "$53 billion", rounding=False)[0][1] is False
    assert verdicts("$52 billion", "$53 billion")[0][1] is False
    assert verdicts("$52.9 billion", "$53 billion", rounding=False, rel_tol=0.01)[0][1] is True
    assert verdicts("$52.9 billion", "$53 billion", rounding=False, rel_tol=0.001)[0][1] is False


def test_entity_binding(seeds):
    src = seeds["003"].text
    assert verdicts(src, "ACM rose 15% and NAURA 10%.") == [
        ("15%", True, None),
        ("10%", True, None),
    ]
    assert verdicts(src, "ACM rose 10% and NAURA 15%.") == [
        ("10%", False, "entity"),
        ("15%", False, "entity"),
    ]
    assert verdicts(src, "ACM rose 10%.", entity_binding=False) == [("10%", True, None)]


def test_years_and_dates(seeds):
    src = seeds["000"].text
    assert verdicts(src, "Ma's memo came in November 2023, production from 2026.") == [
        ("November 2023", True, None),
        ("2026", True, None),
    ]
    assert verdicts(src, "In 2023 Ma wrote a memo.") == [("2023", True, None)]
    assert verdicts(src, "Ma's memo came in November 2022.")[0][:2] == ("November 2022", False)
    assert verdicts(src, "Production starts in 2025.") == [("2025", False, "value")]


def test_years_are_not_counts():
    assert verdicts("They built 2,026 cars.", "Production starts in 2026.")[0][1] is False
    assert verdicts("Production starts in 2026.", "They built 2,026 cars.")[0][1] is False


def test_count_nouns_only_conflict_when_the_source_counts_the_same_thing():
    src = "Meta laid off 11,000 employees. About 3,000 firefighters came and 2,000 soldiers left."
    assert verdicts(src, "Meta cut 11,000 people.")[0][1] is True  # a paraphrased noun
    assert verdicts(src, "Meta cut 11,000 workers.")[0][1] is True
    assert verdicts(src, "About 3,000 soldiers left.")[0][:3] == ("About 3,000", False, "value")


def test_figure_from_another_article(seeds):
    assert verdicts(seeds["000"].text, "Shares rose up to 7.8%.") == [
        ("up to 7.8%", False, "not in source")
    ]


# --- the metric ---


def test_score_counts_and_table():
    doc = Document("d", "Sales rose 5% to $3 billion in 2024.", ("Sales rose 5% to $3 billion.",))
    out = FigureFidelity().score(doc, "Sales rose 5% to $3 million in 2024.")
    assert out["figure_count"] == 3 and out["figure_supported"] == 2
    assert out["figure_precision"] == pytest.approx(2 / 3)
    assert (out["figure_reference_count"], out["figure_reference_stated"]) == (2, 1)
    assert out["figure_recall"] == pytest.approx(0.5)
    assert out["figure_f1"] == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert out["unsupported_figures"] == [
        {
            "text": "$3 million",
            "start": 17,
            "end": 27,
            "sentence": "Sales rose 5% to $3 million in 2024.",
            "kind": "money",
            "nearest": "$3 billion",
            "reason": "scale",
        }
    ]


def test_undefined_scores_are_none_not_one():
    metric = FigureFidelity()
    out = metric.score(Document("d", "Sales rose 5%."), "Sales rose.")
    assert out["figure_precision"] is None and out["figure_count"] == 0
    assert out["figure_recall"] is None and out["figure_f1"] is None
    out = metric.score(Document("d", "Sales rose 5%.", ("Sales rose.",)), "Sales rose 5%.")
    assert out["figure_recall"] is None  # references without figures
    out = metric.score(Document("d", "Sales rose 5%.", ("Sales rose 5%.",)), "Sales rose 6%.")
    assert (out["figure_precision"], out["figure_recall"], out["figure_f1"]) == (0.0, 0.0, 0.0)


def test_a_summary_that_drops_every_figure_has_f1_zero_not_undefined():
    # Precision is undefined (nothing stated), but the references' figures were all lost.
    out = FigureFidelity().score(
        Document("d", "Sales rose 5%.", ("Sales rose 5%.",)), "Sales rose."
    )
    assert (out["figure_precision"], out["figure_recall"], out["figure_f1"]) == (None, 0.0, 0.0)


def test_reference_figures_are_pooled_and_deduplicated():
    doc = Document("d", "It rose 5% in 2024.", ("It rose 5%.", "Up 5 percent in 2024."))
    out = FigureFidelity().score(doc, "It rose 5%.")
    assert (out["figure_reference_count"], out["figure_reference_stated"]) == (2, 1)


def test_metric_protocol():
    metric = FigureFidelity()
    assert metric.higher_is_better == {
        "figure_precision": True,
        "figure_recall": True,
        "figure_f1": True,
    }
    with pytest.raises(ValueError):
        FigureFidelity(rel_tol=-1)


def test_support_function_on_figures():
    (check,) = support(extract("$53 billion"), extract("380 billion yuan ($52 billion)"))
    assert (check.supported, check.reason, check.nearest.text) == (False, "value", "$52 billion")


# --- the references and the labelled set ---------------------------------------------------------


def test_every_reference_figure_is_supported_by_its_seed(seeds):
    metric = FigureFidelity()
    checked = 0
    for doc in seeds.values():
        for ref in doc.references:
            bad = [
                (c.figure.text, c.reason) for c in metric.check(doc.text, ref) if not c.supported
            ]
            assert not bad, f"{doc.id}: {bad}"
            checked += len(extract(ref))
    assert checked > 0 or not any(d.references for d in seeds.values())


def test_extractive_sentences_are_fully_supported(seeds):
    metric = FigureFidelity()
    for doc in seeds.values():
        for sentence in doc.text.splitlines()[:12]:
            assert all(c.supported for c in metric.check(doc.text, sentence)), sentence


def test_labelled_set_flagging_quality():
    """The held-out target: F1 >= 0.9 at flagging unsupported figures, < 5% false flags."""
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    metric = FigureFidelity()
    tp = fp = fn = 0
    supported = 0
    for row in rows:
        checks = metric.check(row["source"], row["summary"])
        for label in row["figures"]:
            flagged = any(
                not c.supported
                for c in checks
                if c.figure.start < label["end"] and label["start"] < c.figure.end
            )
            supported += label["supported"]
            tp += flagged and not label["supported"]
            fn += not flagged and not label["supported"]
            fp += flagged and label["supported"]
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.9 and fp / supported < 0.05, (tp, fp, fn)


def test_a_definite_count_refers_back_and_is_judged_only_against_another_count():
    source = "Alibaba and BMW signed a deal on Tuesday. Both firms will build cars in China."
    m = FigureFidelity()
    # "the two companies" names again what the article named: no new figure, no false alarm.
    assert m.check(source, "A partnership between the two companies.") == []
    # Without "the" it is a count the article never states.
    assert [c.reason for c in m.check(source, "Two companies signed a deal.")] == ["not in source"]
    # Against another count of the same noun it is still a wrong figure.
    other = "The three companies signed a deal."
    assert [c.supported for c in m.check(other, "A deal between the two companies.")] == [False]
