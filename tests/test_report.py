"""summbench-report: intervals, merging, the paired comparison and report.html, on small
synthetic run folders whose numbers are known (the real end-to-end runs are in test_sweeps)."""

from __future__ import annotations

import base64
import csv
import itertools
import json
import re
from pathlib import Path

import numpy as np
import pytest

from harness import report
from harness.errors import DamagedFile, UsageError

MEASURES = {"rouge1": True, "figure_f1": True, "hallucinations": False}


def write_run(
    folder: Path,
    scores: dict[str, dict[str, dict[str, float | None]]],
    prompt: str = "abstract",
    dataset: str = "seeds",
    measures: dict[str, bool] = MEASURES,
    figures: list[dict] | None = None,
    overrides: list[str] | None = None,
) -> Path:
    """A run folder as harness.run writes it: scores[system][doc_id] = {measure: value}."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for system, docs in scores.items():
        for doc_id, values in docs.items():
            record = {"doc_id": doc_id, "system": system, "prompt": prompt, "dataset": dataset}
            lines.append(json.dumps({**record, "words": 50, **values}))
    (folder / "scores.jsonl").write_text("".join(line + "\n" for line in lines))
    info = {
        "dataset": dataset,
        "prompt": prompt,
        "documents": 4,
        "measures": measures,
        "systems": {s: {"documents": 4, "failures": 0, "errors": []} for s in scores},
    }
    (folder / "run.json").write_text(json.dumps(info))
    if figures is not None:
        (folder / "unsupported_figures.jsonl").write_text(
            "".join(json.dumps(f) + "\n" for f in figures)
        )
    if overrides is not None:
        (folder / ".hydra").mkdir(exist_ok=True)
        (folder / ".hydra" / "overrides.yaml").write_text("".join(f"- {o}\n" for o in overrides))
    return folder


def docs(values: list[float], measure: str = "rouge1", **others) -> dict[str, dict]:
    return {f"d{i}": {measure: v, **others} for i, v in enumerate(values)}


# --------------------------------------------------------------------------- intervals


def test_bootstrap_interval_equals_numpy_percentiles_of_resampled_means():
    values = [0.31, 0.12, 0.57, 0.44, 0.29, 0.38]
    rng = np.random.default_rng(0)
    resampled = [np.mean(rng.choice(values, size=len(values), replace=True)) for _ in range(2000)]
    # rng.choice draws the same indices as rng.integers: an independent route to the same draws.
    expected = np.percentile(resampled, [2.5, 97.5])
    assert report.bootstrap_interval(values) == pytest.approx(tuple(expected), abs=1e-12)


def test_bootstrap_interval_hand_computed_cases():
    # One document: every resample is that document.
    assert report.bootstrap_interval([0.4]) == (0.4, 0.4)
    # [0, 1]: resample means are 0, 0.5, 1 with probability 1/4, 1/2, 1/4, so both 2.5% tails
    # fall on the extremes.
    assert report.bootstrap_interval([0.0, 1.0]) == (0.0, 1.0)
    # [0, 0, 0, 1]: the mean is k/4, k ~ Binomial(4, 1/4). P(k=0) = 31.6% covers the low tail;
    # P(k=4) = 0.4% < 2.5% < P(k>=3) = 5.1%, so the high end is 3/4.
    assert report.bootstrap_interval([0.0, 0.0, 0.0, 1.0]) == (0.0, 0.75)


def test_estimate_mean_is_exact_and_empty_is_none():
    est = report.estimate([0.1, 0.2, 0.3])
    assert est.mean == pytest.approx(0.2, abs=1e-15) and est.n == 3
    assert est.low <= est.mean <= est.high
    assert report.estimate([]) == report.Estimate(None, None, None, 0)


# --------------------------------------------------------------------------- leaderboard


def test_leaderboard_rows_means_and_per_measure_n(tmp_path):
    run = write_run(
        tmp_path / "r",
        {
            "lead": {
                "d0": {"rouge1": 0.2, "figure_f1": None, "hallucinations": 1},
                "d1": {"rouge1": 0.4, "figure_f1": 0.5, "hallucinations": 3},
            },
            "random": docs([0.1, 0.3], figure_f1=1.0, hallucinations=0),
        },
    )
    merged = report.merge(*report.find_runs([run]))
    lead, rnd = merged.rows
    assert (lead["system"], lead["n"], rnd["system"]) == ("lead", 2, "random")
    assert lead["rouge1"].mean == pytest.approx(0.3)
    assert lead["figure_f1"] == report.Estimate(0.5, 0.5, 0.5, 1)  # None left out, n says so
    assert lead["hallucinations"].mean == 2
    md = report.markdown(merged.rows, list(merged.measures))
    assert "0.500 [0.500, 0.500] (n=1)" in md
    assert "run" not in md.splitlines()[0]  # one run: no run column


def test_two_reports_of_the_same_runs_are_identical(tmp_path):
    run = write_run(
        tmp_path / "r",
        {"lead": docs([0.1, 0.5, 0.3, 0.9], figure_f1=0.5)},
        figures=[
            {
                "doc_id": "d0",
                "system": "lead",
                "prompt": "abstract",
                "dataset": "seeds",
                "text": "$5bn",
                "reason": "value",
            }
        ],
    )
    outputs = []
    for name in ("a", "b"):
        assert report.main([str(run), "--out", str(tmp_path / name)]) == 0
        outputs.append(
            {
                f: (tmp_path / name / f).read_bytes()
                for f in ("leaderboard.md", "leaderboard.csv", "report.html")
            }
        )
    assert outputs[0] == outputs[1]


def test_leaderboard_csv_has_mean_bounds_and_n(tmp_path):
    run = write_run(tmp_path / "r", {"lead": docs([0.2, 0.4, 0.6, 0.8], figure_f1=None)})
    assert report.main([str(run)]) == 0
    rows = list(csv.DictReader((run / "leaderboard.csv").open()))
    assert rows[0]["system"] == "lead" and rows[0]["n"] == "4"
    assert float(rows[0]["rouge1"]) == pytest.approx(0.5)
    low, high = report.bootstrap_interval([0.2, 0.4, 0.6, 0.8])
    assert (float(rows[0]["rouge1_low"]), float(rows[0]["rouge1_high"])) == (low, high)
    assert rows[0]["figure_f1"] == "" and rows[0]["figure_f1_n"] == "0"


def test_the_same_row_in_two_runs_is_kept_apart_and_said_loudly(tmp_path, capsys):
    a = write_run(tmp_path / "sweep" / "0", {"lead": docs([0.2, 0.4])}, overrides=["size=60"])
    b = write_run(tmp_path / "sweep" / "1", {"lead": docs([0.6, 0.8])}, overrides=["size=40"])
    assert report.main([str(a), str(b), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "lead/abstract/seeds was scored in 2 runs" in err and "separate rows" in err
    board = (tmp_path / "out" / "leaderboard.md").read_text().splitlines()
    assert board[0].startswith("| system | prompt | dataset | run | n |")
    assert "| size=60 |" in board[2] and "0.300" in board[2]
    assert "| size=40 |" in board[3] and "0.700" in board[3]
    assert "scored in 2 runs" in (tmp_path / "out" / "report.html").read_text()


def test_runs_scored_with_different_metric_settings_are_flagged(tmp_path):
    a = write_run(tmp_path / "a", {"lead": docs([0.2])})
    b = write_run(tmp_path / "b", {"random": docs([0.1])})
    (a / "config.yaml").write_text("metrics:\n  rouge:\n    use_stemmer: true\n")
    (b / "config.yaml").write_text("metrics:\n  rouge:\n    use_stemmer: false\n")
    merged = report.merge(*report.find_runs([a, b]))
    assert any("different metric settings" in w for w in merged.warnings)


# --------------------------------------------------------------------------- report.html


def test_report_html_is_self_contained_with_chart_figures_and_scores(tmp_path):
    figure = {
        "doc_id": "d1",
        "system": "lead",
        "prompt": "abstract",
        "dataset": "seeds",
        "text": "$5<bn>",
        "start": 3,
        "end": 8,
        "sentence": "It made $5<bn>.",
        "kind": "money",
        "nearest": "$4bn",
        "reason": "value",
    }
    run = write_run(
        tmp_path / "r",
        {"lead": docs([0.2, 0.4], figure_f1=0.5), "random": docs([0.1, 0.3], figure_f1=1.0)},
        figures=[figure],
    )
    assert report.main([str(run), "--compare", "lead", "random"]) == 0
    page = (run / "report.html").read_text()
    # Self-contained: nothing fetched from elsewhere, every script inline.
    assert not re.search(r"(src|href)=\"?https?://", page) and "<script src" not in page
    png = re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)", page)
    assert png and base64.b64decode(png.group(1)).startswith(b"\x89PNG")
    # The tables are data for the page's script; no "<" in it can close its <script>.
    data = json.loads(re.search(r'id="summbench-data">(.*?)</script>', page).group(1))
    assert data["unsupported"]["rows"] == [
        [None, None, "d1", "$5<bn>", "value", "$4bn", "It made $5<bn>."]
    ]
    assert "$5<bn>" not in page
    assert "4 scored summaries" in page and len(data["scores"]["rows"]) == 4
    assert "<h2>Comparison</h2>" in page and "too few documents" in page
    assert (run / "comparison.md").is_file()


def test_report_says_when_runs_have_no_figure_metric(tmp_path):
    run = write_run(tmp_path / "r", {"lead": docs([0.2])}, measures={"rouge1": True})
    assert report.main([str(run)]) == 0
    assert "did not measure figure fidelity" in (run / "report.html").read_text()


# --------------------------------------------------------------------------- bad input


def test_bad_folders_are_one_line_errors_with_status_2(tmp_path, capsys):
    old = tmp_path / "old"
    old.mkdir()
    (old / "run.json").write_text(json.dumps({"dataset": "seeds", "systems": {}}))
    (old / "scores.jsonl").write_text("{}\n")
    corrupt = write_run(tmp_path / "corrupt", {"lead": docs([0.2])})
    (corrupt / "scores.jsonl").write_text('{"doc_id": 1\n{"doc_id": "d0"}\n')
    empty = tmp_path / "empty"
    empty.mkdir()
    cases = {
        str(tmp_path / "nope"): "no such folder",
        str(old): "older run format",
        str(corrupt): "scores.jsonl:1: damaged line",
        str(empty): "neither a run folder",
    }
    for folder, message in cases.items():
        assert report.main([folder]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1 and "Traceback" not in err, err
    run = write_run(tmp_path / "r", {"lead": docs([0.2])})
    assert report.main([str(run), str(run)]) == 2
    assert "--out" in capsys.readouterr().err


def test_a_sweep_with_a_failed_job_reports_the_rest_with_status_1(tmp_path, capsys):
    sweep = tmp_path / "sweep"
    write_run(sweep / "0", {"lead": docs([0.2, 0.4])}, overrides=["model=lead", "x=1"])
    (sweep / "1" / ".hydra").mkdir(parents=True)  # started, never wrote results
    (sweep / "1" / ".hydra" / "overrides.yaml").write_text("- model=lead\n- x=2\n")
    (sweep / "multirun.yaml").write_text("hydra: {}\n")
    assert report.main([str(sweep)]) == 1
    captured = capsys.readouterr()
    assert "job 1 (x=2) failed or is unfinished" in captured.err
    assert (sweep / "report.html").is_file() and "| lead |" in captured.out


def test_a_cut_last_line_is_a_damaged_file_not_a_shorter_report(tmp_path, capsys):
    # A truncated scores.jsonl used to be read up to the cut: systems silently went missing.
    run = write_run(tmp_path / "r", {"lead": docs([0.2, 0.4]), "random": docs([0.1, 0.3])})
    text = (run / "scores.jsonl").read_text()
    (run / "scores.jsonl").write_text(text[: text.rindex('"system"')])
    assert report.main([str(run)]) == 2
    err = capsys.readouterr().err
    assert f"{run / 'scores.jsonl'}:4: damaged line" in err and err.count("\n") == 1
    with pytest.raises(DamagedFile):
        report.find_runs([run])  # fatal: never "a failed job" left out of a merged report
    assert not (run / "report.html").exists()


# --------------------------------------------------------------------------- comparison


def brute_force_p(differences):
    """The sign-flip p-value by listing every sign pattern with itertools."""
    observed = abs(sum(differences) / len(differences))
    hits = 0
    patterns = list(itertools.product([1, -1], repeat=len(differences)))
    for signs in patterns:
        flipped = abs(sum(s * d for s, d in zip(signs, differences, strict=True)))
        hits += flipped / len(differences) >= observed - 1e-12
    return hits / len(patterns)


@pytest.mark.parametrize(
    "diffs",
    [
        [0.1, 0.2, 0.3, 0.4],
        [0.1, -0.2, 0.3, 0.05, -0.01],
        [0.3, -0.1, 0.2, 0.2, 0.0, 0.1, -0.05],
        [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
    ],
)
def test_sign_flip_p_value_equals_brute_force_enumeration(diffs):
    assert report.sign_flip_p_value(diffs) == pytest.approx(brute_force_p(diffs), abs=1e-12)


def test_four_documents_can_never_conclude(tmp_path):
    # A beats B on every one of four documents: still p = 2/16 = 0.125.
    run = write_run(
        tmp_path / "r", {"a": docs([0.5, 0.6, 0.7, 0.8]), "b": docs([0.1, 0.2, 0.3, 0.4])}
    )
    merged = report.merge(*report.find_runs([run]))
    title, comps = report.compare(merged, "a", "b")
    c = comps[0]
    assert (c.measure, c.n, c.p_value) == ("rouge1", 4, 0.125)
    assert c.difference == pytest.approx(0.4) and c.low == pytest.approx(0.4)
    assert c.verdict.startswith("too few documents to conclude")
    assert "nothing can be concluded" in title and "0.125" in title


def test_pairing_finds_a_consistent_difference_an_unpaired_view_would_miss(tmp_path):
    # Documents differ wildly; A is 0.01 above B on every one of them.
    base = [0.05, 0.9, 0.3, 0.7, 0.1, 0.5, 0.8, 0.2]
    run = write_run(
        tmp_path / "r",
        {
            "a": {f"d{i}": {"rouge1": v + 0.01, "hallucinations": 2} for i, v in enumerate(base)},
            "b": {f"d{i}": {"rouge1": v, "hallucinations": 3} for i, v in enumerate(base)},
        },
    )
    merged = report.merge(*report.find_runs([run]))
    _, comps = report.compare(merged, "a", "b")
    by = {c.measure: c for c in comps}
    assert by["rouge1"].p_value == pytest.approx(2 / 2**8)
    assert by["rouge1"].low == pytest.approx(0.01) and by["rouge1"].high == pytest.approx(0.01)
    assert by["rouge1"].verdict == "a better than b"
    # Lower is better: fewer hallucinations is better.
    assert by["hallucinations"].verdict == "a better than b"
    # The two rows' own intervals overlap almost entirely: unpaired, nothing would show.
    a_row, b_row = merged.rows
    assert a_row["rouge1"].low < b_row["rouge1"].high


def test_compare_pairs_within_each_prompt_and_fills_the_other_side(tmp_path):
    write_run(tmp_path / "s" / "0", {"lead": docs([0.5, 0.5])}, prompt="abstract")
    write_run(tmp_path / "s" / "1", {"lead": docs([0.9, 0.9])}, prompt="key_facts")
    write_run(tmp_path / "s" / "2", {"random": docs([0.1, 0.1])}, prompt="abstract")
    write_run(tmp_path / "s" / "3", {"random": docs([0.2, 0.2])}, prompt="key_facts")
    merged = report.merge(*report.find_runs([tmp_path / "s"]))
    title, comps = report.compare(merged, "lead", "random")
    # Two documents under two prompts: the unit is the document (n=2), not the pair (4).
    assert comps[0].n == 2 and comps[0].difference == pytest.approx((0.4 + 0.7) / 2)
    assert "within each prompt and dataset" in title
    assert "4 pairs" in title and "over 2 documents, averaged per document" in title
    _, comps = report.compare(merged, "lead/key_facts", "random")
    assert comps[0].n == 2 and comps[0].difference == pytest.approx(0.7)
    _, comps = report.compare(merged, "lead/key_facts", "lead/abstract")
    assert comps[0].difference == pytest.approx(0.4)
    with pytest.raises(UsageError, match="no such rows"):
        report.compare(merged, "lead", "nobody")
    with pytest.raises(UsageError, match="expected SYSTEM"):
        report.compare(merged, "lead//x", "random")


# --------------------------------------------------------------------------- report items


def write_documents(run: Path, texts: dict[str, str], dataset: str = "seeds") -> None:
    lines = [json.dumps({"doc_id": d, "dataset": dataset, "text": t}) for d, t in texts.items()]
    (run / "documents.jsonl").write_text("".join(line + "\n" for line in lines))


def test_compare_across_datasets_pairs_documents_by_text_not_by_row(tmp_path):
    # Hub datasets number their rows: row d0 of one dataset is not row d0 of another.
    a = write_run(tmp_path / "a", {"lead": docs([0.1, 0.2, 0.3])}, dataset="xsum")
    b = write_run(tmp_path / "b", {"lead": docs([0.5, 0.6, 0.9])}, dataset="cnn")
    write_documents(a, {"d0": "alpha", "d1": "beta", "d2": "gamma"}, "xsum")
    write_documents(b, {"d0": "beta", "d1": "alpha", "d2": "delta"}, "cnn")
    merged = report.merge(*report.find_runs([a, b]))
    text, comps = report.compare(merged, "lead/abstract/xsum", "lead/abstract/cnn")
    rouge = next(c for c in comps if c.measure == "rouge1")
    assert "paired on document text" in text and rouge.n == 2
    # alpha: 0.1 vs 0.6; beta: 0.2 vs 0.5
    assert rouge.mean_a == pytest.approx(0.15) and rouge.mean_b == pytest.approx(0.55)
    (b / "documents.jsonl").unlink()
    merged = report.merge(*report.find_runs([a, b]))
    with pytest.raises(UsageError, match="pair by document text"):
        report.compare(merged, "lead/abstract/xsum", "lead/abstract/cnn")


def test_systems_that_read_the_references_are_never_best_and_listed_apart(tmp_path):
    systems = {"lead": docs([0.2, 0.4]), "random": docs([0.1, 0.1]), "oracle": docs([0.8, 0.9])}
    run = write_run(tmp_path / "r", systems)
    info = json.loads((run / "run.json").read_text())
    (run / "run.json").write_text(json.dumps({**info, "reads_references": ["oracle"]}))
    merged = report.merge(*report.find_runs([run]))
    assert merged.reads_references == {"oracle"}
    lead = next(i for i, r in enumerate(merged.rows) if r["system"] == "lead")
    oracle = next(i for i, r in enumerate(merged.rows) if r["system"] == "oracle")
    found = report.best(merged.rows, merged.measures, merged.reads_references)
    assert (lead, "rouge1") in found and (oracle, "rouge1") not in found
    html = report.render_html(merged)
    body = html[html.index('<table class="leaderboard">') :]
    assert body.index("Systems that read the references") < body.index("<td>oracle</td>")
    assert body.index("<td>lead</td>") < body.index("Systems that read the references")
    assert "<b>0.300</b>" in body and "<b>0.850</b>" not in body


def test_diagnostics_have_no_direction_and_are_never_best_or_gated(tmp_path):
    from harness.baseline import load_baseline, snapshot
    from harness.check import Tolerances, check

    measures = {"rouge1": True, "extractive_density": None}
    run = write_run(tmp_path / "r", {"a": docs([0.2], extractive_density=3.0)}, measures=measures)
    merged = report.merge(*report.find_runs([run]))
    assert merged.measures == measures
    assert report.best(merged.rows, merged.measures) == set()  # one row, nothing to beat
    base = tmp_path / "base.json"
    content = snapshot(merged, {("a", "abstract", "seeds"): {}})
    assert content["measures"] == {"rouge1": True}  # the baseline never holds a diagnostic
    base.write_text(json.dumps(content))
    moved = write_run(tmp_path / "m", {"a": docs([0.2], extractive_density=9.0)}, measures=measures)
    outcome = check(load_baseline(base), report.merge(*report.find_runs([moved])), Tolerances(0.0))
    assert outcome.changes == []  # density tripled: not a regression, not an improvement
    assert outcome.compared == 1  # rouge1 only


def test_chart_axes_are_fixed_per_measure():
    zero, low = report.Estimate(0.0, 0.0, 0.0, 4), report.Estimate(0.25, 0.2, 0.3, 4)
    rows = [
        {"rouge1": low, "figure_recall": zero, "extractive_density": report.Estimate(3, 2, 7, 4)}
    ]
    assert report.axis_range("rouge1", rows) == (0.0, 1.0)
    assert report.axis_range("figure_recall", rows) == (0.0, 1.0)  # not -0.04 to 0.04
    assert report.axis_range("extractive_density", rows) == (0.0, 10.0)


def test_merged_rows_are_labelled_by_the_settings_that_differ(tmp_path):
    a = write_run(tmp_path / "a", {"lead": docs([0.2, 0.4])})
    b = write_run(tmp_path / "b", {"lead": docs([0.6, 0.8])})
    for run, size in ((a, 40), (b, 60)):
        (run / "config.yaml").write_text(
            f"prompt:\n  name: abstract\n  budget: {{unit: words, size: {size}}}\n"
            "model:\n  lead: {_target_: harness.summarizers.extractive.Lead}\n"
            f"cache_path: /x/{size}.sqlite\n"
        )
    assert report.main([str(a), str(b), "--out", str(tmp_path / "out")]) == 0
    board = (tmp_path / "out" / "leaderboard.md").read_text().splitlines()
    assert "| prompt.budget.size=40 |" in board[2] and "| prompt.budget.size=60 |" in board[3]
    html = (tmp_path / "out" / "report.html").read_text()
    assert "<code>prompt.budget.size</code></td><td>40</td>" in html  # each run's configuration
    assert "cache_path" not in html  # where a run caches is not what it measured


def test_the_document_view_never_shows_a_summary_beside_another_datasets_article(tmp_path):
    from harness.report import page

    runs = []
    for name, text in (("a", "Sales rose 5%."), ("b", "Profit fell 9%.")):
        run = write_run(tmp_path / name, {name: docs([0.2])}, dataset="hf")
        write_documents(run, {"d0": text}, "hf")
        generation = {"doc_id": "d0", "system": name, "prompt": "abstract", "dataset": "hf"}
        (run / "generations.jsonl").write_text(json.dumps({**generation, "summary": text}) + "\n")
        runs.append(run)
    data = page.build(report.merge(*report.find_runs(runs)))
    documents = json.loads(data.chunks[0])
    assert [d["text"] for d in documents] == ["Sales rose 5%.", "Profit fell 9%."]
    assert [[s[1] for s in d["summaries"]] for d in documents] == [[d["text"]] for d in documents]
    assert [row[0] for row in data.data["scores"]["rows"]] == [0, 1]


def test_the_chart_draws_reference_readers_last_below_a_line(tmp_path, monkeypatch):
    import matplotlib.axes

    mid = report.Estimate(0.5, 0.4, 0.6, 4)
    rows = [
        {"system": s, "prompt": "p", "dataset": "d", "rouge1": mid}
        for s in ("lead", "oracle", "edited")
    ]
    drawn = []
    real = matplotlib.axes.Axes.set_yticks
    monkeypatch.setattr(
        matplotlib.axes.Axes,
        "set_yticks",
        lambda ax, ticks, labels=None, **kw: drawn.append(list(labels)) or real(ax, ticks, labels),
    )
    report.chart_png(rows, {"rouge1": True}, frozenset({"oracle"}))
    assert drawn == [["lead", "edited", "oracle (reads refs)"]]


def test_an_interval_always_holds_its_mean_so_charts_draw():
    """Identical scores: numpy's bootstrap mean and fsum's mean differ by float noise, which
    gave an error bar of negative length and no chart, and no report.html for the run."""
    for value in (0.7, 0.1, 0.2, 0.16129032258064516):
        est = report.estimate([value] * 7)
        assert est.low <= est.mean <= est.high
    rows = report.leaderboard(
        [
            {"system": "a", "prompt": "p", "dataset": "d", "doc_id": str(i), "m": 0.7, "words": 3}
            for i in range(7)
        ],  # fmt: skip
        ["m"],
    )
    assert report.chart_png(rows, {"m": True}).startswith(b"\x89PNG")
