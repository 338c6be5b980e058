"""The index support checks through (index.py, reach.py) changes no verdict: every check, its
match and its nearest source figure are those of comparing each claim with every fact."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.metrics.figures import extract, index, support, versions
from harness.metrics.figures.figure import Figure, make_figure
from harness.metrics.figures.nearest import distance, nearest_of
from harness.metrics.figures.support import _COMPATIBLE, _same_unit


def _checks(claims, facts, monkeypatch, indexed: bool, **options) -> list[tuple]:
    """support's verdicts, with every group indexed or none; figures named by position."""
    monkeypatch.setattr(index, "SMALL", 0 if indexed else 10**9)
    monkeypatch.setattr(index, "_RECENT", {})  # no index kept from the other run
    facts = tuple(facts)
    position = {id(f): k for k, f in enumerate(facts)}
    out = []
    for ch in support(claims, facts, **options):
        match = position.get(id(ch.match)) if ch.match is not None else None
        nearest = position.get(id(ch.nearest)) if ch.nearest is not None else None
        out.append((ch.supported, ch.reason, match, nearest))
    return out


def brute_nearest(claim: Figure, facts) -> int | None:
    """The reference: the position of the first fact of the claim's kind and unit at the least
    distance, comparing every fact."""
    best, best_pos = None, None
    for k, f in enumerate(facts):
        if not _same_unit(claim, f):
            continue
        d = distance(claim, f)
        if best is None or d < best:
            best, best_pos = d, k
    return best_pos


SENTENCES = (
    "Revenue rose from 120 to 60, a total of 7.8% of them.",
    "The 2023 plan cost $52.9 billion, about 45 people, up 3 points.",
    "Sales fell 5% to 1,000 units, compared with 2,000 staff in 2024.",
)
VALUES = (0.0, 1.0, 2.0, 2.5, 3.0, 7.8, 78.0, 45.0, 60.0, 120.0, 1000.0, 2023.0, 16425.0,
          52.9, 53.0, 5.29e10, 5.3e10, 33.3, 50.0, 200.0, -5.0, 1e300, 12.0, 7.5, 1990.0, 90.0,
          1998.0, 25.0, 24.0, 0.25, 3.4, 240.0, 4.4, 4.5, 4.6)  # fmt: skip
KIND_UNITS = {
    "money": (None, "USD", "EUR", "CNY", "¥"),
    "percent": ("%",),
    "percentage_points": ("pp",),
    "count": (None, "times", "km", "mi", "m"),
    "number": (None, "times", "ordinal", "km", "mi", "m", "decade", "°c"),
    "duration": ("days",),
    "year": (None,),
    "date": (None, "time", "weekday", "Q"),
}


@st.composite
def figures(draw) -> Figure:
    kind = draw(st.sampled_from(sorted(KIND_UNITS)))
    raw = draw(st.sampled_from(VALUES))
    scale = draw(st.sampled_from((1.0, 1.0, 1e3, 1e9, 365.0)))
    value = None if kind == "date" and draw(st.booleans()) else raw * scale
    years = st.sampled_from((None, 2023, 2024))
    months = st.sampled_from((None, 3, 5))
    date = (draw(years), draw(months), draw(st.sampled_from((None, 3)))) if kind in (
        "year", "date") else draw(st.sampled_from((None, (2023, None, None))))  # fmt: skip
    sentence = draw(st.sampled_from(SENTENCES))
    words = [w.strip(",.") for w in sentence.split() if any(ch.isdigit() for ch in w)]
    return make_figure(
        kind=kind,
        value=value,
        unit=draw(st.sampled_from(KIND_UNITS[kind])),
        text=draw(st.sampled_from([*words, "a third", "tripled"])),
        start=0,
        end=1,
        sentence=sentence,
        raw=raw,
        scale=scale,
        decimals=draw(st.integers(0, 2)),
        bound=draw(st.sampled_from(("exact", "exact", "approx", "above", "below"))),
        counts=draw(st.sampled_from((None, "people", "employees", "staff", "points", "times"))),
        date=date,
        entity=draw(st.sampled_from((None, "Acme", "Globex"))),
        direction=draw(st.sampled_from((None, "up", "down"))),
        group=draw(st.sampled_from((None, (0, 2), (1, 2)))),
        group_type="range",
        group_text=draw(st.sampled_from((None, "4.4 to 4.6", "1 to 1000"))),
    )


OPTIONS = st.fixed_dictionaries(
    {
        "rel_tol": st.sampled_from((0.0, 0.05)),
        "rounding": st.booleans(),
        "strict_qualifiers": st.booleans(),
        "entity_binding": st.booleans(),
    }
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(figures(), max_size=6), st.lists(figures(), max_size=60), OPTIONS)
def test_indexed_verdicts_are_the_brute_force_ones(monkeypatch, claims, facts, options):
    brute = _checks(claims, facts, monkeypatch, indexed=False, **options)
    assert _checks(claims, facts, monkeypatch, indexed=True, **options) == brute


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(figures(), st.lists(figures(), min_size=1, max_size=80))
def test_nearest_is_the_brute_force_nearest(monkeypatch, claim, facts):
    """An unsupported claim's nearest source figure, through the index, is the reference's."""
    monkeypatch.setattr(index, "SMALL", 0)
    facts = tuple(facts)
    kindred = index.Group([f for f in facts if f.kind in _COMPATIBLE.get(claim.kind, ())])
    found = nearest_of(claim, kindred, lambda f: _same_unit(claim, f))
    expected = brute_nearest(claim, facts)
    assert (None if found is None else facts.index(found)) == expected or (
        found is not None and facts[expected] is found  # equal figures at two positions
    )


def _filler(n: int) -> str:
    """n figures of another kind and magnitude than the claims below."""
    return " ".join(f"Team {k} scored {k % 9 + 1} goals." for k in range(n))


@pytest.mark.parametrize(
    ("source_figure", "summary", "supported"),
    [
        ("He is 45.", "a 45-year-old", True),  # value 16,425 days against 45: only raw matches
        ("It ran 12 km.", "It ran 7.5 miles.", True),  # another unit, another value
        ("Profit was $52.9 billion.", "Profit was $53 billion.", True),  # rounded
        ("The deal closed in March 2023.", "It closed in 2023.", True),  # a year by its date
        ("Output fell from 120 to 60 tonnes.", "Output halved.", True),  # computed, far away
    ],
)
def test_a_match_far_from_the_claim_in_value_order_is_found(source_figure, summary, supported):
    source = f"{_filler(300)} {source_figure} {_filler(300)}"
    facts = extract(source)
    assert len(facts) > 10 * index.SMALL  # the index is used
    (check,) = support(extract(summary), facts)
    assert check.supported is supported


def test_the_nearest_figure_is_the_same_digits_far_away_in_value():
    """ "78%" for a source's 7.8%: the same digits win over percents close in value."""
    source = " ".join(f"Share {k} was {60 + k % 9}.5%." for k in range(200)) + " Growth was 7.8%."
    facts = extract(source)
    (check,) = support(extract("Growth was 78%."), facts)
    assert not check.supported and check.nearest.text == "7.8%"
    assert math.isclose(check.nearest.value, 7.8)


# One sentence per rule family the index narrows: the summary against a long source holding it.
RULE_CASES = [
    ("Output rose from 20 to 60 tonnes.", "Output tripled."),  # a ratio
    ("Output rose from 20 to 60 tonnes.", "Output rose 200%."),  # a percent change
    ("Output rose from 20 to 60 tonnes.", "Output rose by 40 tonnes."),  # a difference
    ("It took $40.2m and $10.1m, in all.", "A total of $50.3m."),  # a sum
    ("Of its 5,000 staff, 500 left.", "10% of staff left."),  # a part
    ("It cut 10% of its 5,000 staff.", "It cut 500 staff."),  # a share
    ("Sales rose 200%.", "Sales tripled."),  # a multiple and a percent
    ("Sales tripled.", "Sales rose threefold."),  # two multiples
    ("Sales quadrupled.", "Sales rose 300%."),  # a percent and a multiple
    ("Prices are three times higher.", "Prices quadrupled."),  # "higher": three or four times
    ("It was the 1990s.", "It was the 90s."),  # decades
    ("He won the 100m.", "He won the 100m sprint."),  # metres or millions
    ("It starts at 7.", "It starts at 7pm."),  # a time and an hour
    ("It shipped 2023 units.", "It shipped in 2023."),  # a count and a year
    ("A third of voters agreed.", "33% of voters agreed."),  # a fraction in words
    ("Some 33.3% agreed.", "A third agreed."),
    ("It made 45 million.", "It made $45 million."),  # a bare number and money
    ("It fell 5 percentage points.", "It fell 5 points."),
    ("About $40.8bn was spent.", "About $41bn was spent."),  # stated precision
    ("It has 34 stores.", "It has more than 30 stores."),  # a bound
    ("It opened at 3.15pm.", "It opened shortly after 3pm."),  # a time bound
    ("Between 2,000 and 3,000 came.", "Up to 3,000 came."),  # a range's end
    ("At least $6 per share, at least $7 per share.", "At least $6.5 per share."),  # rivals
    ("It had 2,000 people and 3,000 firefighters.", "It had 3,000 people."),  # count conflict
    ("ACM rose 15%, NAURA 10%.", "ACM rose 10%."),  # entity conflict
    ("The vote is on Tuesday.", "The vote is on Thursday."),  # weekday
    ("Results came in Q3 2024.", "Results came in Q3 2023."),  # a date's year
    ("It earned $5 billion.", "It earned $5 million."),  # scale
    ("It earned €5 billion.", "It earned $5 billion."),  # currency
    ("It ran 12 km.", "It ran 12 miles."),  # unit
    ("It grew 7.8%.", "It grew 78%."),  # same digits
]


@pytest.mark.parametrize(("sentence", "summary"), RULE_CASES)
def test_each_rule_through_the_index_gives_the_brute_force_verdict(monkeypatch, sentence, summary):
    filler = " ".join(
        f"Unit {k} sold {k % 7 + 1002} cars for ${k % 5 + 71}.{k % 3}bn, {k % 11 + 81}% more, "
        f"in March {2000 + k % 20}, on Monday."
        for k in range(60)
    )
    source = f"{filler} {sentence} {filler}"
    claims, facts = extract(summary), extract(source)
    assert claims and len(facts) > 4 * index.SMALL
    for options in ({}, {"rel_tol": 0.05}, {"strict_qualifiers": True}, {"rounding": False}):
        brute = _checks(claims, facts, monkeypatch, indexed=False, **options)
        assert _checks(claims, facts, monkeypatch, indexed=True, **options) == brute


def test_of_equally_near_figures_the_first_is_the_nearest():
    """Two source figures as far from the claim: the nearest is the first, as min() gives."""
    far = " ".join(f"Item {k} cost $900 million." for k in range(60))
    source = f"Rent was $5 million. {far} Tax was $5 million. {far}"
    (check,) = support(extract("Rent was $9 million."), extract(source))
    assert not check.supported and check.nearest.start == source.index("$5 million")


def brute_nearest_name(claim: Figure, facts) -> Figure | None:
    """The reference: the first source name sharing the longest start with the claim's."""

    def shared(f: Figure) -> int:
        a, b = claim.unit or "", f.unit or ""
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        return n

    best = max(facts, key=shared, default=None)
    return best if best is not None and shared(best) > 0 else None


def _name(key: str | None) -> Figure:
    return make_figure(kind="name", value=None, unit=key, text=key or "", start=0, end=1)


@given(
    st.text("lam34", max_size=6),
    st.lists(st.one_of(st.none(), st.text("lam34", max_size=6)), max_size=30),
)
def test_the_nearest_name_is_the_brute_force_one(claim_key, fact_keys):
    claim, facts = _name(claim_key), [_name(k) for k in fact_keys]
    assert versions._Names(facts).nearest(claim) is brute_nearest_name(claim, facts)


def _long_pair(sentences: int) -> tuple[str, str]:
    """A source of ``sentences`` sentences (four figures each, all different) and a summary of
    one in 33 of them, its counts and percents changed."""
    source = " ".join(
        f"Unit {k} sold {k * 7 + 2} cars for ${k // 10 + 1}.{k % 10}bn, up {k / 10 + 0.05:.2f}%"
        f" in {1990 + k % 30}."
        for k in range(sentences)
    )
    summary = " ".join(
        f"Unit {k} sold {k * 7 + 3} cars for ${k // 10 + 1}.{k % 10}bn, up {k / 10:.1f}%."
        for k in range(0, sentences, 33)
    )
    return source, summary


def _check_seconds(source: str, summary: str) -> float:
    claims, facts = extract(summary), extract(source)  # extracted before the clock starts
    index._RECENT.clear()  # nor indexed
    start = time.process_time()
    support(claims, facts)
    return time.process_time() - start


def test_twenty_times_the_claims_against_twenty_times_the_source_take_about_twenty_times():
    """Comparing every claim with every fact took 400 times as long (8 CPU-s for 500 summary
    figures against 20,000 source figures); through the index, about 20 times."""
    _check_seconds(*_long_pair(100))  # warm the caches
    short, long = (min(_check_seconds(*_long_pair(n)) for _ in range(3)) for n in (100, 2000))
    assert len(extract(_long_pair(2000)[0])) >= 8_000
    assert long < 100 * max(short, 1e-3)
