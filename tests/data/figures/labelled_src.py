"""Source of tests/data/figures/labelled.jsonl: news-style sources and summaries, hand-labelled.

In a summary, ``{+text}`` marks a figure the source supports and ``{-text}`` one it does not;
``python tests/data/figures/labelled_src.py`` writes labelled.jsonl with the markers removed and
one label per figure (its text and character span). Every figure in a summary is marked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[3] / "seeds"

ITEMS: list[tuple[str, str, list[str]]] = [
    (
        "bank-rates",
        "The Bank of England raised interest rates by 0.25 percentage points to 5.25% on Thursday,"
        " the 14th consecutive increase since December 2021. Inflation stood at 7.9% in June, down"
        " from 8.7% in May, but remains almost four times the bank's 2% target. Governor Andrew"
        " Bailey said the nine-member committee voted 6-3 for the rise, with two members preferring"
        " to hold. Mortgage costs for about 1.4 million households will rise this year, and the"
        " average two-year fixed deal now costs 6.8%, according to Moneyfacts.",
        [
            "The Bank of England raised rates by {+0.25 percentage points} to {+5.25%}, its"
            " {+14th} straight rise. Inflation fell to {+7.9%} in June from {+8.7%}.",
            "Rates rose by {-0.25%} to {+5.25%}; inflation is {-nearly five times} the {+2%} target"
            " and some {+1.4 million} households face higher mortgage costs.",
            "The committee voted {-7-2} for the rise. A {+two-year} fixed deal costs {-6.5%}.",
            "Inflation of {+7.9%} is far above the target of {+2 per cent}; the {-15th} consecutive"
            " increase since {+December 2021} takes rates to {+5.25 percent}.",
        ],
    ),
    (
        "storm",
        "Storm Ciaran left 1.2 million homes without power across northern France on Thursday as"
        " winds of up to 207km/h battered the Brittany coast. At least seven people were killed in"
        " Europe, including a truck driver in Aisne and a 64-year-old man in Le Havre. About 3,000"
        " firefighters were deployed, and rail services between Paris and Brest were suspended for"
        " 24 hours. Insurers estimate the damage at between 400 and 500 million euros.",
        [
            "Storm Ciaran cut power to {+1.2 million} homes in France, with winds of up to"
            " {+207km/h}. At least {+seven} people died, among them a {+64-year-old} man.",
            "Around {+3,000} firefighters were deployed and damage is estimated at {+400} to"
            " {+500 million euros}.",
            "The storm killed {-12} people and left {-2.1 million} homes without power; damage may"
            " reach {-500 million dollars}.",
            "Rail services were halted for {-48 hours}, and a {-46-year-old} man died in Le Havre.",
        ],
    ),
    (
        "transfer",
        "Manchester United have agreed a fee of £72m plus £8m in add-ons with Atalanta for"
        " Rasmus Hojlund, 20. The Denmark striker scored 10 goals in 32 games last season and will"
        " sign a five-year contract with the option of a further year. United finished third in the"
        " Premier League in 2022-23 and spent £60m on Mason Mount earlier this summer. Hojlund"
        " will earn about £85,000 a week, according to reports in Italy.",
        [
            "United agreed a {+£72m} fee plus {+£8m} in add-ons for {+20}-year-old Hojlund, who"
            " scored {+10} goals in {+32} games.",
            "Hojlund, {-21}, cost {-£80m} up front and will sign a {-four-year} deal.",
            "The striker will earn about {+£85,000 a week} on a {+five-year} contract; United spent"
            " {-£65m} on Mason Mount after finishing {+third} in {+2022-23}.",
            "The {+£72 million} fee could rise by {+£8 million}, and Hojlund scored {-12} times"
            " last season.",
        ],
    ),
    (
        "earnings",
        "Nvidia reported revenue of $13.51 billion for the quarter ended July 30, up 101% from a"
        " year earlier and well above analysts' forecasts of $11.22 billion. Data center revenue"
        " more than doubled to $10.32 billion. The company forecast third-quarter revenue of about"
        " $16 billion and announced a $25 billion share buyback. Its shares, which have tripled"
        " this year, rose 6% in after-hours trading. Gross margin was 71.2%, up from 43.5%.",
        [
            "Nvidia's revenue rose {+101%} to {+$13.51 billion}, beating forecasts of"
            " {+$11.22 billion}; it plans a {+$25 billion} buyback.",
            "Data center sales {+more than doubled} to {+$10.32 billion}, and the shares rose"
            " {+6%} after hours.",
            "Revenue hit {-$13.51 million}, up {-110%}, and gross margin rose {-27.7%} to"
            " {+71.2%}.",
            "Nvidia expects {+about $16 billion} in third-quarter sales; its stock has"
            " {-quadrupled} this year and margin rose from {+43.5%}.",
            "The company forecast {-over $16 billion} in revenue and a {-$25 million} buyback.",
        ],
    ),
    (
        "trial",
        "A 34-year-old man has been jailed for 12 years after a crash that killed two teenagers"
        " in Leeds in March 2022. Daniel Price was driving at 70mph in a 30mph zone when he hit"
        " the car carrying Amy Clarke, 17, and Jordan Hale, 18. He had taken cocaine and was"
        " three times over the drink-drive limit. Price, of Bradford, was also banned from"
        " driving for 15 years. The judge said the victims' families had endured 'two years of"
        " agony'.",
        [
            "Daniel Price, {+34}, was jailed for {+12 years} for killing {+two} teenagers while"
            " driving at {+70mph} in a {+30mph} zone.",
            "Price was {+three times} over the limit and banned from driving for {-10 years}.",
            "The crash in {+March 2022} killed Amy Clarke, {-16}, and Jordan Hale, {+18}.",
            "A {-43-year-old} man was jailed for {-14 years}; he was driving at {-80mph}.",
        ],
    ),
    (
        "census",
        "The population of England and Wales grew by 6.3% to 59.6 million in the decade to 2021,"
        " the largest census population ever recorded. The number of people aged 65 and over rose"
        " by more than a fifth, to 11.1 million, and now makes up 18.6% of residents, up from 16.4%"
        " in 2011. London remained the most densely populated region, with 5,596 people per"
        " square kilometre. The Office for National Statistics said one in six people was aged 65"
        " or over.",
        [
            "England and Wales's population rose {+6.3%} to {+59.6 million} over the decade to"
            " {+2021}.",
            "People aged {+65} and over now number {+11.1 million}, or {+18.6%} of residents, up"
            " {-2.2%} since {+2011}.",
            "The population grew {-3.6%} to {-56.9 million}; older people make up {-16.4%} of"
            " residents.",
            "London has {+5,596} people per square kilometre, the census shows, and the"
            " population grew by {-6.3 million}.",
        ],
    ),
    (
        "airline",
        "Ryanair carried 19.3 million passengers in July, up 11% on the same month last year,"
        " with a load factor of 96%. The Irish carrier expects to fly 183.5 million passengers in"
        " the year to March 2024. Chief executive Michael O'Leary said fares for the summer would"
        " be about 15% higher than last year. Ryanair has ordered 300 Boeing 737 MAX 10 aircraft"
        " worth more than $40 billion at list prices, for delivery between 2027 and 2033.",
        [
            "Ryanair flew {+19.3 million} passengers in July, up {+11%}, with a {+96%} load"
            " factor.",
            "It ordered {+300} Boeing 737 MAX 10 jets worth {+more than $40 billion}, due between"
            " {+2027} and {+2033}.",
            "Summer fares will be {+about 15%} higher; Ryanair expects {-185.3 million} passengers"
            " in the year to {+March 2024}.",
            "The carrier ordered {-200} Boeing 737 MAX 10 planes worth {-€40 billion}, for delivery"
            " from {-2026}.",
        ],
    ),
    (
        "quake",
        "A magnitude 6.8 earthquake struck Morocco's High Atlas mountains late on Friday, killing"
        " more than 2,000 people and injuring at least 2,059, according to the interior ministry."
        " The quake hit at 11:11 p.m. at a depth of 18.5km, 72km south-west of Marrakesh. It was"
        " the deadliest in the country since 1960, when an earthquake killed an estimated 12,000"
        " people in Agadir. Spain, Qatar, Britain and the UAE have sent rescue teams.",
        [
            "A magnitude {+6.8} quake killed {+more than 2,000} people in Morocco and injured"
            " {+at least 2,059}.",
            "It struck {+72km} from Marrakesh at a depth of {+18.5km}, the deadliest since"
            " {+1960}.",
            "The quake killed {-nearly 2,000} people; the {+1960} Agadir quake killed {+12,000}.",
            "The magnitude {-7.2} earthquake hit at {-11:41} p.m., killing {-over 2,500} people and"
            " injuring {+2,059}.",
        ],
    ),
    (
        "housing",
        "Average UK house prices fell 5.3% in the year to August, the biggest annual drop since"
        " 2009, according to Halifax. The typical home now costs £279,569, about £15,000 less than"
        " a year ago. Prices fell 1.9% in August alone. Mortgage approvals dropped to 45,400 in"
        " July, the lowest in six months, as the average two-year fixed rate reached 6.85%.",
        [
            "UK house prices fell {+5.3%} in the year to August, the biggest drop since {+2009}.",
            "A typical home costs {+£279,569}, {+about £15,000} less than last year; prices fell"
            " {+1.9%} in August.",
            "Approvals fell to {-54,400}, the lowest in {+six months}, with rates at {-6.58%}.",
            "Prices fell {-3.5%} over the year, the sharpest fall since {-2008}.",
        ],
    ),
    (
        "election",
        "The Labour Party won 412 of the 650 seats in the House of Commons, a majority of 174,"
        " on a turnout of 59.9%, the lowest since 2001. Labour's share of the vote was 33.7%, up"
        " 1.6 points from 2019. The Conservatives fell to 121 seats, their worst result in their"
        " 190-year history, while the Liberal Democrats won 72 seats.",
        [
            "Labour won {+412} of {+650} seats, a majority of {+174}, on {+33.7%} of the vote.",
            "Turnout was {+59.9%}, the lowest since {+2001}; the Conservatives won {+121} seats.",
            "Labour's vote share rose {-1.6%}; the Lib Dems took {-62} seats.",
            "The Tories had their worst result in {+190 years}, and Labour's majority was {-172}.",
        ],
    ),
    (
        "tech-layoffs",
        "Meta will cut about 10,000 jobs and close 5,000 open positions, chief executive Mark"
        " Zuckerberg said on Tuesday, four months after the company laid off 11,000 employees, or"
        " 13% of its workforce. The company expects the cuts to reduce 2023 expenses to between"
        " $86 billion and $92 billion. Meta's headcount was 86,482 at the end of 2022.",
        [
            "Meta will cut {+about 10,000} jobs and close {+5,000} open roles, {+four months}"
            " after laying off {+11,000} people.",
            "The earlier cuts removed {+13%} of staff; {+2023} expenses should be {+$86 billion} to"
            " {+$92 billion}.",
            "Meta is cutting {-15,000} jobs, {-three months} after {+11,000} layoffs, and had"
            " {-84,682} staff.",
            "Expenses should fall to between {-$89 billion} and {+$92 billion}, Zuckerberg said on"
            " Monday.",
        ],
    ),
    (
        "marathon",
        "Kelvin Kiptum set a men's marathon world record of 2:00:35 in Chicago on Sunday, beating"
        " Eliud Kipchoge's mark by 34 seconds. The 23-year-old Kenyan, running only his third"
        " marathon, earned $100,000 in prize money plus a $50,000 bonus. In the women's race,"
        " Sifan Hassan won in 2:13:44, the second-fastest time in history.",
        [
            "Kiptum, {+23}, broke the world record by {+34 seconds} in his {+third} marathon.",
            "He won {+$100,000} plus a {+$50,000} bonus.",
            "The {-24-year-old} won {-$150,000} in prize money and beat the record by"
            " {-43 seconds}.",
        ],
    ),
    (
        "pharma",
        "Novo Nordisk raised its 2023 sales growth forecast to between 32% and 38% at constant"
        " exchange rates, from 27% to 33%, as demand for its weight-loss drug Wegovy soared."
        " Second-quarter sales rose 29% to 55.4 billion Danish crowns ($8.1 billion). The Danish"
        " company, now Europe's second most valuable listed firm, said Wegovy sales jumped"
        " sixfold to 7.5 billion crowns.",
        [
            "Novo now expects sales growth of {+32%} to {+38%}, up from {+27%}-{+33%}.",
            "Quarterly sales rose {+29%} to {+$8.1 billion}; Wegovy sales rose {+sixfold}.",
            "Sales rose {-19%} to {-$8.1 million}, and Wegovy brought in {-$7.5 billion}.",
            "Growth could reach {-40%}, the company said.",
        ],
    ),
    (
        "wildfire",
        "Wildfires on the Hawaiian island of Maui have killed at least 96 people, making it the"
        " deadliest US wildfire in more than a century. About 2,200 structures were damaged or"
        " destroyed in Lahaina, 86% of them residential, and damage is estimated at $5.5 billion."
        " Governor Josh Green said 2,000 people remained in shelters and that the death toll could"
        " double in the next 10 days.",
        [
            "The Maui fires killed {+at least 96} people, the deadliest US wildfire in"
            " {+more than a century}.",
            "About {+2,200} buildings were hit, {+86%} of them homes, with {+$5.5 billion} in"
            " damage.",
            "The toll could {+double} in {+10 days}; {-3,000} people are in shelters.",
            "At least {-69} people died and damage reached {-$5.5 million}.",
        ],
    ),
    (
        "names-digits",
        "OpenAI released GPT-4o in May, while Meta's Llama 3 models come in 8B and 70B versions."
        " Apple's iPhone 15 Pro uses the A17 chip, and Samsung sold 4.2 million Galaxy S23 phones"
        " in its first month. The Boeing 737 MAX 9 was grounded for 19 days in January after a"
        " door plug blew out on Alaska Airlines Flight 1282. Nvidia's H100 sells for about"
        " $30,000.",
        [
            "Samsung sold {+4.2 million} Galaxy S23 phones in a month, and Nvidia's H100 costs"
            " {+about $30,000}.",
            "The 737 MAX 9 was grounded for {+19 days} after the Flight 1282 incident.",
            "GPT-4o came out in May; Llama 3 ships in 8B and 70B sizes; the iPhone 15 Pro runs on"
            " the A17.",
            "Samsung sold {-2.4 million} Galaxy S23 handsets, and the H100 sells for {-$40,000}.",
        ],
    ),
    (
        "words-numbers",
        "Twenty-five people were rescued from a collapsed building in Istanbul on Wednesday, three"
        " days after the quake. Half of the rescued were children. Rescuers said a dozen people"
        " were still missing and that two hundred volunteers had joined the search. The building,"
        " built in 1998, had 11 floors.",
        [
            "{+25} people were rescued {+three days} after the quake, {+half} of them children.",
            "{+12} people remain missing and {+200} volunteers joined the search.",
            "{-Thirty} people were rescued from the {+11}-storey block, built in {-1989}.",
            "Rescuers said {-two dozen} people were missing, with {+two hundred} volunteers.",
        ],
    ),
    (
        "mojibake",
        "The European Commission fined Google â‚¬4.34bn in 2018 over Android, and Apple was"
        " ordered to pay â‚¬13bn in Irish back taxes. Googleâ€™s appeal cut the fine to"
        " â‚¬4.125bn in 2022.",
        [
            "Google was fined {+€4.34bn} in {+2018}; the fine was cut to {+€4.125bn} in {+2022}.",
            "Apple must pay {+€13bn}, while Google's fine was cut to {-€4.15bn}.",
            "Google was fined {-$4.34bn} and Apple {+€13 billion}.",
        ],
    ),
]


def seed(doc_id: str) -> str:
    return (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")


SEED_ITEMS = [
    (
        "seed-000",
        "000_fbf4d785a17cf4fa",
        [
            "Alibaba's stock added {+over $100 billion}; it plans to spend {+over $50 billion} in"
            " the next {+three years}.",
            "Alibaba, ByteDance and Tencent ordered {+over $16 billion} of H20 chips; Neue Klasse"
            " cars will be built from {+2026}. Qwen 3 comes out in April.",
            "The companies ordered {-$16 million} of Nvidia H20 chips, and Alibaba plans"
            " {-380 billion yuan} of AI spending.",
            "Jack Ma's memo came in {-November 2022}; Alibaba will spend {+$50 billion} over"
            " {-five years}.",
        ],
    ),
    (
        "seed-001",
        "001_2b311ddab08680f3",
        [
            "Alibaba plans to spend {+over 380 billion yuan} ({+$52 billion}) in {+three years}.",
            "Its shares rose {+nearly 60%}, adding {+more than $100 billion}; the iX3 arrives in"
            " {+2026} with a {+99%} wake-up rate.",
            "Alibaba will spend {+380 billion yuan} ({-$53 billion}) on AI, and its shares rose"
            " {-over 60%}.",
            "The BMW iX3 launches in {-2025}; Alibaba's shares are up {-60 percentage points}.",
        ],
    ),
    (
        "seed-002",
        "002_c89df86532b12a31",
        [
            "Qwen has {+over 100,000} derivative models; on {+February 24th} Alibaba reported"
            " growth for {+six consecutive quarters}.",
            "Eddie Wu pledged {+380 billion yuan} over {+three years}, {+more than double} the"
            " past decade's spending; Alibaba is the {+fourth} largest cloud provider.",
            "AGI could do {+over 80%} of human work, and {+90%} of AI output will run on cloud.",
            "Alibaba released QwQ-32B and Wan2.1, and pledged {-$380 billion} over {-five years}.",
            "Qwen has {-over 10,000} derivative models and Alibaba is the {-third} largest cloud"
            " provider; AGI could do {-over 90%} of human work.",
        ],
    ),
    (
        "seed-003",
        "003_e42acf85389a06ce",
        [
            "Shares rose {+up to 7.8%}, the highest in {+nearly four years}; ACM rose {+15%} and"
            " NAURA {+10%}.",
            "Wu expects AI investment of {+about $4 trillion} in {+five years}; Alibaba plans"
            " {+over 380 billion yuan} ({+$53 billion}) over {+three years}.",
            "ACM Research rose {-10%} and NAURA {-15%}; Alibaba had a {+$50 billion} target.",
            "Alibaba plans {+380 billion yuan} ({-$52 billion}); AI investment may hit"
            " {-$4 billion}.",
            "Shares gained {-7.8 percentage points}; global AI spending could reach"
            " {+$4,000 billion} within {-four years}.",
        ],
    ),
]

_MARK = re.compile(r"\{([+-])(.+?)\}")


def unmark(marked: str) -> tuple[str, list[dict]]:
    """The summary without markers, and a label per marked figure with its span."""
    out, labels, pos, last = [], [], 0, 0
    for m in _MARK.finditer(marked):
        out.append(marked[last : m.start()])
        pos += m.start() - last
        text = m.group(2)
        labels.append(
            {"text": text, "start": pos, "end": pos + len(text), "supported": m.group(1) == "+"}
        )
        out.append(text)
        pos += len(text)
        last = m.end()
    out.append(marked[last:])
    return "".join(out), labels


def rows() -> list[dict]:
    out = []
    items = [(i, s, sums) for i, s, sums in ITEMS]
    items += [(i, seed(doc), sums) for i, doc, sums in SEED_ITEMS]
    for item_id, source, summaries in items:
        for n, marked in enumerate(summaries):
            summary, labels = unmark(marked)
            out.append(
                {"id": f"{item_id}/{n}", "source": source, "summary": summary, "figures": labels}
            )
    return out


if __name__ == "__main__":
    path = Path(__file__).with_name("labelled.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for row in rows():
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {path}")
