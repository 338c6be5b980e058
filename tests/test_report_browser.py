"""report.html in a real browser (Debian's chromium, headless, through chromedriver): what a
reader sees after the page's script ran, on a real run over 12 SummEdits earnings-call excerpts
where one system replays summaries with an edited figure (tests/data/report/README.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from omegaconf import open_dict

from harness.run import run

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data" / "report" / "summedits_ectsum12.jsonl"
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
webdriver = pytest.importorskip("selenium.webdriver")
if CHROMIUM is None or CHROMEDRIVER is None:  # .ci/run installs both
    pytest.skip("needs Debian's chromium and chromium-driver", allow_module_level=True)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1600",
]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """A real run: lead, the oracle and the replayed edited summaries over 12 documents."""
    from conftest import make_config

    tmp = tmp_path_factory.mktemp("browser")
    cfg = make_config(
        [
            "dataset=hf",
            f"dataset.path={DATA}",
            "dataset.text_field=document",
            "dataset.summary_field=summary",
            "dataset.id_field=id",
            "model=[lead,oracle]",
        ],
        cache_dir=tmp / "cache",
    )
    with open_dict(cfg):
        cfg.model.edited = {"_target_": "replay.Replay", "path": str(DATA)}
    out = tmp / "run"
    run(cfg, out)
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(CHROMEDRIVER))
    yield driver
    driver.quit()


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def open_report(browser, run_dir: Path, fragment: str = "") -> None:
    browser.get_log("browser")  # each check starts with an empty console
    browser.get("about:blank")  # a new load even when only the fragment differs
    browser.get((run_dir / "report.html").as_uri() + fragment)


def shown_document(browser) -> str:
    return Select(browser.find_element(By.ID, "doc-select")).first_selected_option.text


def test_every_summary_of_a_document_is_shown_beside_its_article(browser, run_dir):
    documents = records(run_dir / "documents.jsonl")
    generations = records(run_dir / "generations.jsonl")
    assert len(documents) == 12
    open_report(browser, run_dir)
    for n in (0, 7, 11):
        doc = documents[n]
        browser.execute_script(f"location.hash = 'doc={n}'")
        assert shown_document(browser) == doc["doc_id"]
        article = browser.find_element(By.CSS_SELECTOR, "#doc-view .article").text
        assert article.split()[:30] == doc["text"].split()[:30]
        cards = browser.find_elements(By.CSS_SELECTOR, "#doc-view .card")
        texts = [c.find_element(By.CSS_SELECTOR, ".text").text for c in cards]
        expected = [g["summary"] for g in generations if g["doc_id"] == doc["doc_id"]]
        assert len(expected) == 3
        for summary in [*expected, *doc["references"]]:
            assert summary.strip() in texts
    assert browser.get_log("browser") == []


def test_an_unsupported_figure_is_marked_at_its_own_offsets(browser, run_dir):
    figures = [f for f in records(run_dir / "figures.jsonl") if f["system"] == "edited"]
    bad = next(f for f in figures if not f["supported"])
    documents = [d["doc_id"] for d in records(run_dir / "documents.jsonl")]
    summary = next(
        g["summary"]
        for g in records(run_dir / "generations.jsonl")
        if g["system"] == "edited" and g["doc_id"] == bad["doc_id"]
    )
    open_report(browser, run_dir, f"#doc={documents.index(bad['doc_id'])}")
    card = browser.find_element(By.CSS_SELECTOR, '#doc-view .card[data-variant="2"]')
    assert card.find_element(By.TAG_NAME, "h4").text.startswith("edited")
    # The mark covers exactly [start, end) of the summary: the text before it is the prefix.
    prefix = browser.execute_script(
        "const card = arguments[0]; const mark = card.querySelector('mark.fig.bad');"
        "const range = document.createRange();"
        "range.setStart(card.querySelector('.text'), 0); range.setEndBefore(mark);"
        "return [range.toString(), mark.textContent, mark.title];",
        card,
    )
    assert prefix[0] == summary[: bad["start"]]
    assert prefix[1] == summary[bad["start"] : bad["end"]] == bad["text"]
    assert bad["reason"] in prefix[2] and (bad["nearest"] or "no such figure") in prefix[2]
    # Its nearest figure is marked in the article, at the offsets the metric stored.
    if bad["source_start"] is not None:
        evidence = browser.find_element(By.ID, f"src-{bad['source_start']}-{bad['source_end']}")
        assert evidence.text == bad["nearest"]
    assert browser.get_log("browser") == []


def test_navigation_and_filters(browser, run_dir):
    documents = [d["doc_id"] for d in records(run_dir / "documents.jsonl")]
    flagged = {f["doc_id"] for f in records(run_dir / "unsupported_figures.jsonl")}
    assert 0 < len(flagged) < len(documents)
    open_report(browser, run_dir)
    assert shown_document(browser) == documents[0]
    browser.find_element(By.ID, "doc-next").click()
    assert shown_document(browser) == documents[1]
    browser.find_element(By.ID, "doc-prev").click()
    assert shown_document(browser) == documents[0]
    Select(browser.find_element(By.ID, "filter-system")).select_by_value("edited")
    browser.find_element(By.ID, "filter-unsupported").click()
    options = Select(browser.find_element(By.ID, "doc-select")).options
    assert [o.text for o in options] == [d for d in documents if d in flagged]
    cards = browser.find_elements(By.CSS_SELECTOR, "#doc-view .card:not(.ref)")
    assert [c.find_element(By.TAG_NAME, "h4").text.split()[0] for c in cards] == ["edited"]
    Select(browser.find_element(By.ID, "filter-system")).select_by_value("lead")
    assert "No document matches" in browser.find_element(By.ID, "doc-view").text
    assert browser.get_log("browser") == []


def test_the_unsupported_table_sorts_filters_and_links_to_the_document(browser, run_dir):
    rows = records(run_dir / "unsupported_figures.jsonl")
    open_report(browser, run_dir)
    box = browser.find_element(By.ID, "unsupported-table")
    body = box.find_elements(By.CSS_SELECTOR, "tbody tr:not(.group)")
    assert len(body) == len(rows)
    assert [g.text for g in box.find_elements(By.CSS_SELECTOR, "tr.group")] == ["edited"]
    header = box.find_elements(By.CSS_SELECTOR, "th")[1]  # document
    header.click()
    header = box.find_elements(By.CSS_SELECTOR, "th")[1]
    header.click()  # descending
    ids = [
        r.find_elements(By.TAG_NAME, "td")[1].text
        for r in box.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]
    assert ids == sorted((r["doc_id"] for r in rows), reverse=True)
    box.find_element(By.CSS_SELECTOR, "input[type=text]").send_keys(rows[0]["text"])
    shown = box.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert 0 < len(shown) <= len(rows) and all(rows[0]["text"] in r.text for r in shown)
    shown[0].find_element(By.TAG_NAME, "a").click()
    assert shown_document(browser) == shown[0].find_elements(By.TAG_NAME, "td")[1].text
    assert browser.get_log("browser") == []


def test_the_run_wrote_its_report_and_names_what_reads_the_references(run_dir):
    info = json.loads((run_dir / "run.json").read_text())
    assert info["reads_references"] == ["oracle"]
    assert {"documents.jsonl", "report.html", "figures.jsonl"} <= set(info["files"])
    html = (run_dir / "report.html").read_text()
    body = html[html.index('<table class="leaderboard">') :]
    assert body.index("Systems that read the references") < body.index("<td>oracle</td>")
