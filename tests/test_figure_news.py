"""How news and reports state figures: the forms the figure check reads beyond the basics of
test_figure_semantics.py (periods and shares written with an article, computed levels and
totals, months and weekdays tied to events, nouns and subjects the text leaves implicit).

Every case is general knowledge of how figures are written (issue "Figure fidelity that holds on
summaries nobody here wrote", "Semantics a reader of news and reports expects"), never a string
of a data set: (source, summary, is every summary figure supported?).
"""

from __future__ import annotations

import pytest
from figure_cases import rejected, supported

from harness.metrics.figures import FigureFidelity

CASES = {
    "hedged shares": [
        ("Some 24% opposed it.", "About a quarter opposed it", True),  # a tenth of a quarter
        ("Some 22% opposed it.", "About a quarter opposed it", False),
        ("Some 24% opposed it.", "A quarter opposed it", False),  # no hedge: the precision
    ],
    "hedges against ranges, decades and multiples": [
        ("It expects $4.4bn to $4.6bn.", "It expects roughly $4.5bn", True),  # the middle
        ("It expects $4.4bn to $4.6bn.", "It expects roughly $4.8bn", False),
        ("It expects $4.4bn to $4.6bn.", "It expects $4.5bn", False),  # unhedged: not stated
        ("It was founded in 1998.", "It was founded in the 1990s", True),
        ("It was founded in 1998.", "It was founded in the 1980s", False),
        ("Its shares rose 240%.", "Its shares more than tripled", True),
        ("Its shares rose 240%.", "Its shares more than quadrupled", False),
        ("Its shares rose 180%.", "Its shares nearly tripled", True),
        ("Its shares rose 100%.", "Its shares nearly tripled", False),
        ("It saw 2,300 cases, twice as many as last week.", "Cases doubled to 2,300", True),
        ("It saw 2,300 cases, twice as many as last week.", "Cases tripled to 2,300", False),
    ],
    "shares and periods written with an article": [
        ("It cut rates by 0.25 percentage points.", "It cut rates by a quarter of a point", True),
        ("It cut rates by 0.25 percentage points.", "It cut rates by a quarter point", True),
        ("It cut rates by 0.25 percentage points.", "It cut rates by half a point", False),
        ("It cut rates by 0.5 percentage points.", "It cut by half a percentage point", True),
        ("Profits fell by a fourth.", "Profits fell 25%", True),
        ("Profits fell by a fourth.", "Profits fell 40%", False),
        ("She won a fourth term.", "She won a fifth term", False),  # an ordinal still
        ("A week after the vote, 312 seats were declared.", "Seven days on, 312 seats", True),
        ("A week after the vote, 312 seats were declared.", "Ten days on, 312 seats", False),
        ("It orbits its star every 12 days.", "It orbits its star in under a week", False),
        ("It orbits its star every 12 days.", "It orbits its star in under a fortnight", True),
        ("The floods were the worst in 50 years.", "The worst floods in half a century", True),
        ("The floods were the worst in 50 years.", "The worst floods in a century", False),
        ("Solar grew fourfold in a decade.", "Solar grew fourfold in ten years", True),
        ("Sales fell by half.", "Sales were cut in half", True),
        ("They raised £250,000.", "They raised a quarter of a million pounds", True),
        ("They raised £250,000.", "They raised half a million pounds", False),
    ],
    "dates sharing a month": [
        ("It is on 14 and 15 November.", "It is on November 14-15", True),
        ("It is on 14 and 15 November.", "It is on November 15-16", False),
        ("It is on November 14-15.", "It is on 14 November", True),
    ],
    "a change then a level": [
        ("Deliveries fell 13% to 384,000 cars.", "Deliveries fell 13% to about 384,000", True),
        ("It processed 84,000 forms, 12% fewer.", "Forms fell 12% to 84,000", True),
        ("Rates will be 10 to 15%.", "Rates will be 10% to 15%", True),  # a range still
        ("It had 14.2m users, 300,000 fewer.", "Users fell by 300,000 to 14.2m", True),
        ("It had 14.2m users, 300,000 fewer.", "Users fell 300,000 to 14.2m", True),
        ("It had 14.2m users, 300,000 fewer.", "Users fell by 400,000 to 14.2m", False),
        ("It will cost 5 to 10 million.", "It will cost up to 10 million", True),
    ],
    "figures the summary computes": [
        # a rate stated once ("an hour") and the old level after "from"
        ("Pay will rise to £12.21 an hour from £11.44.", "Pay goes up 77p to £12.21 an hour", True),
        ("Pay will rise to £12.21 an hour from £11.44.", "Pay goes up 87p to £12.21", False),
        ("Pay will rise to £12.21 an hour from £11.44.", "a rise of nearly 7%", True),
        ("Pay will rise to £12.21 an hour from £11.44.", "a rise of nearly 9%", False),
        # a change stated with a time phrase between its two values
        ("It had 2.3bn users at the end of the year, up from 2.1bn.", "It added 200m users", True),
        ("It had 2.3bn users at the end of the year, up from 2.1bn.", "It added 300m users", False),
        # a rate over a stated period and its total, either way round
        ("It will spend £1.5bn over five years.", "It spends £300m a year for five years", True),
        ("It will spend £1.5bn over five years.", "It spends £500m a year for five years", False),
        ("It will spend £300m a year for five years.", "It spends £1.5bn over five years", True),
        ("It will spend £300m a year for five years.", "It spends £2.5bn over five years", False),
        ("It will spend £300m a year.", "It spends £1.5bn over five years", False),  # no period
        # "by X to Y" states the level before the change
        ("Bills will fall by £129 to £1,720.", "Bills will be £1,849 before the cut", True),
        ("Bills will fall by £129 to £1,720.", "Bills will be £1,949 before the cut", False),
        ("Bills will rise by £129 to £1,720.", "Bills were £1,591 before the rise", True),
        # a duration written in two units is one length of time
        ("He got eight years and six months.", "He got eight and a half years", True),
        ("He got eight years and six months.", "He got nine and a half years", False),
        ("He won in three hours and 12 minutes.", "He won in just over three hours", True),
        ("He won in three hours and 12 minutes.", "He won in under three hours", False),
        ("He won in three hours and 12 minutes.", "He won in just over four hours", False),
    ],
    "units": [
        ("It was 1.55C warmer.", "It was about 1.6C warmer", True),  # "1.8C" states tenths
        ("It was 1.55C warmer.", "It was about 1.8C warmer", False),
        ("The bridge is 1.2km long.", "The 1.2-mile bridge", False),  # a hyphenated unit
        ("The bridge is 1.2km long.", "The 1.2-kilometre bridge", True),
        ("It has a 6.1-inch screen.", "It has a 6.7in screen", False),
        ("It has a 6.1-inch screen.", "It has a 6.1in screen", True),
        ("It passed 1.8 million km away.", "It passed 1.8m miles away", False),
        ("It passed 1.8 million km away.", "It passed 1.8m km away", True),
        ("The range is 500km.", "The range is about 500 miles", False),  # a hedge converts
        ("The range is 500km.", "The range is about 310 miles", True),
        ("It burned over 40,000 hectares.", "It burned over 40,000 acres", False),
        ("The rocket is 120 metres tall.", "The 120m rocket", True),
        ("The rocket is 120 metres tall.", "The 150m rocket", False),
        ("It has 70 billion parameters.", "The 70-billion-parameter model", True),
        ("It has 70 billion parameters.", "The 7-billion-parameter model", False),
    ],
    "a noun the source leaves out": [
        ("14 people were killed and more than 60 injured.", "Over 60 people were hurt", True),
        ("14 people were killed and more than 60 injured.", "Over 60 people were killed", False),
        ("Floods displaced 1.2 million people and killed 87.", "87 people have died", True),
        ("Floods displaced 1.2 million people and killed 87.", "87 people were displaced", False),
        ("The party won 411 of the 650 seats.", "The party won 411 seats", True),
        ("He scored 31 goals, four short of the record.", "He is four goals off the record", True),
        ("14 people were killed and 60 injured.", "60 people were injured and 14 killed", True),
        ("14 people were killed and 60 injured.", "60 people were killed and 14 injured", False),
    ],
    "weekdays tied to events": [
        ("Polls open on Monday. The vote is on Thursday.", "Polls open on Monday", True),
        ("The vote is on Thursday, the third since May.", "Tuesday's vote, the third", False),
        ("The vote is on Thursday, the third since May.", "Thursday's vote, the third", True),
        ("It was adjourned on Monday and will resume on Thursday.", "It resumes on Monday", False),
        ("It was adjourned on Monday and will resume on Thursday.", "It resumes on Thursday", True),
        ("It was adjourned on Monday and will resume on Thursday.", "It adjourned on Monday", True),
        ("The embassy shut on Monday; talks are set for Wednesday.", "Talks are on Monday", False),
        ("The embassy shut on Monday; talks are set for Wednesday.", "It shut on Monday", True),
    ],
    "months named alone": [
        ("Inflation rose to 3.6% in June from 3.4% in May.", "Inflation hit 3.6% in July", False),
        ("Inflation rose to 3.6% in June from 3.4% in May.", "Inflation hit 3.6% in June", True),
        ("Fares will rise 4.6% from March. Pay rose in May.", "Fares rise 4.6% in May", False),
        ("Jobs grew in the 13 weeks to 29 March.", "Jobs grew in April", False),
        ("Jobs grew in the 13 weeks to 29 March.", "Jobs grew until March", True),
        ("Jobs grew last year.", "Jobs grew in April", True),  # no month: no evidence
        ("Shares fell in March.", "The vote is in April", True),  # another event
        ("March sales rose 5%, after a fall in February.", "Sales rose 5% in March", True),
        ("March sales rose 5%, after a fall in February.", "Sales rose 5% in April", False),
        ("May I ask? Sales fell in June.", "Sales fell in June", True),  # "May": the verb
    ],
}


@pytest.mark.parametrize(
    ("source", "summary", "expected"),
    [case for cases in CASES.values() for case in cases],
    ids=[f"{topic}: {case[1]}" for topic, cases in CASES.items() for case in cases],
)
def test_how_news_states_figures(source: str, summary: str, expected: bool) -> None:
    assert supported(source, summary) is expected


def test_direction_stated_around_a_level():
    # the level before "up from" is the one that moved, and it moved up
    src = "Revenue fell to $12bn from $15bn."
    assert rejected(src, "Revenue was $12bn, up from $15bn.") == [("$12bn", "direction", "$15bn")]
    assert rejected(src, "Revenue was $12bn, up from a year ago.")[0][1] == "direction"
    assert rejected(src, "Revenue was $12bn, down from $15bn.") == []
    # a change word before a possessive and its noun still gives the direction
    src = "The bank lowered its deposit rate to 2% from 2.25%."
    assert rejected(src, "The bank raised its deposit rate to 2%.")[0][1] == "direction"
    assert rejected(src, "The bank cut its deposit rate to 2%.") == []
    # a summary contradicting itself is wrong whatever the source says
    src = "Last year it made $3.4bn. This year it expects about $4bn."
    assert rejected(src, "It expects $4bn this year, down from $3.4bn.") == [
        ("$4bn", "direction", "$3.4bn")
    ]
    assert rejected(src, "It expects $4bn this year, up from $3.4bn.") == []
    # a change verb four words before its figure ("cut the risk of heart attack by 20%")
    src = "The drug cut the risk of heart attack by 20%."
    assert rejected(src, "It raised heart attack risk by a fifth.")[0][1] == "direction"
    assert rejected(src, "It lowered heart attack risk by a fifth.") == []
    # the level a change reaches moved the same way
    src = "The pound fell 0.8% against the dollar to $1.26."
    assert rejected(src, "Sterling climbed to $1.26.") == [("$1.26", "direction", "$1.26")]
    assert rejected(src, "Sterling slipped to $1.26.") == []


def test_a_figure_moved_to_another_subject_named_by_a_common_noun():
    src = "Profit rose 12% to £450m, while revenue rose 5% to £3.2bn."
    assert rejected(src, "Revenue rose 12% to £3.2bn.") == [("12%", "entity", "5%")]
    assert rejected(src, "Profit jumped 12% to £450m on revenue of £3.2bn.") == []
    assert rejected(src, "Revenue rose 5%.") == []
    src = "Sales at the chain grew by 4.1%, while online sales grew by 11%."
    assert rejected(src, "Online sales rose 4.1%.")[0][:2] == ("4.1%", "entity")
    assert rejected(src, "Sales rose 4.1%.") == []  # the source's subject includes the summary's
    src = "Net income fell 8% to $2.4bn, while sales rose 3% to $19.6bn."
    assert rejected(src, "Net income dropped 8% to $2.4bn as sales climbed 3%.") == []
    assert rejected(src, "Sales dropped 8%.")[0][:2] == ("8%", "entity")
    # a list stated at once is one clause: no subject of its own for each member
    src = "Revenues were up 19%, and adjusted earnings per share increased 38%."
    assert rejected(src, "Revenues and earnings rose 19% and 38%, respectively.") == []


def test_a_fiscal_year_written_short_is_the_year_the_source_states():
    src = "Results for fiscal 2024 beat forecasts."
    assert rejected(src, "FY24 results beat forecasts.") == []
    assert rejected(src, "FY25 results beat forecasts.")[0][:2] == ("FY25", "name")


def test_an_age_group_is_the_age_the_source_states():
    src = "The jab is offered to everyone over 75."
    assert rejected(src, "Over-75s can get the jab.") == []
    assert rejected(src, "Over-65s can get the jab.")[0][:2] == ("Over-65s", "name")


def test_a_figure_written_twice_in_a_sentence_is_read_where_it_counts_its_noun():
    src = "At least 14 people were killed and more than 60 injured in the quake."
    summary = "Last year over 60 were killed there, but over 60 people were hurt in this quake."
    checks = FigureFidelity().check(src, summary)
    people = [c for c in checks if c.figure.counts and c.figure.counts.startswith("people")]
    assert people and all(c.supported for c in people)
