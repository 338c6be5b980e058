"""A metric that fails on one document costs that document's score, not the run."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from harness import ROOT, report
from harness.metrics.figures import FigureFidelity
from harness.run import run

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
BAD = SEEDS[1].stem  # the document the metric fails on


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def failing_figures(monkeypatch):
    """The run's figure metric raises on one document, as a bug in a rule would."""
    real = FigureFidelity.score

    def score(self, doc, prediction):
        if doc.id == BAD:
            raise ValueError("invalid literal for int() with base 10: '2.30'")
        return real(self, doc, prediction)

    monkeypatch.setattr(FigureFidelity, "score", score)


def test_the_run_records_the_error_and_writes_its_leaderboard(failing_figures, config, tmp_path):
    out = tmp_path / "run"
    stats = run(config("model=[lead,textrank]"), out)
    scores = read_jsonl(out / "scores.jsonl")
    assert [(s["system"], s["doc_id"]) for s in scores] == [
        (system, p.stem) for system in ("lead", "textrank") for p in SEEDS
    ]
    for s in scores:
        assert "rouge1" in s  # the other metric still scored every document
        if s["doc_id"] == BAD:
            error = "ValueError: invalid literal for int() with base 10: '2.30'"
            assert s["metric_errors"] == {"figures": error}
            assert "figure_precision" not in s
        else:
            assert "metric_errors" not in s and "figure_count" in s
    with open(out / "leaderboard.csv", encoding="utf-8") as f:
        board = {row["system"]: row for row in csv.DictReader(f)}
    assert list(board) == ["lead", "textrank"] and all(
        r["figure_precision"] for r in board.values()
    )
    assert {s.metric_failures for s in stats.values()} == {1}
    info = json.loads((out / "run.json").read_text())
    assert info["systems"]["lead"]["errors"] == [f"{BAD}: metric figures: {error}"]
    # The report reads the run and names the failure.
    merged = report.load_runs([out])
    assert any(BAD in failure for run_ in merged.runs for failure in run_.failures)
    assert report.write_report(merged, tmp_path / "report").is_file()


@pytest.mark.slow
def test_the_command_exits_1_when_a_metric_failed(summbench, tmp_path):
    """The real command, with a metric that fails on one document added to the default ones."""
    result = summbench(
        "model=lead",
        "+metrics.fails._target_=failing_metric.FailsOnOneDocument",
        f"+metrics.fails.doc_id={BAD}",
        f"hydra.run.dir={tmp_path / 'run'}",
        env={
            "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")])
        },
    )
    assert result.returncode == 1, result.stderr
    assert "1 metric scores failed" in result.stderr
    assert "| lead |" in result.stdout  # the leaderboard is still printed and written
    assert (tmp_path / "run" / "leaderboard.csv").is_file()
    bad = [s for s in read_jsonl(tmp_path / "run" / "scores.jsonl") if "metric_errors" in s]
    assert [(s["doc_id"], s["metric_errors"]) for s in bad] == [
        (BAD, {"fails": f"RuntimeError: cannot score {BAD}"})
    ]


def test_a_metric_returning_no_mapping_is_that_documents_error(monkeypatch, config, tmp_path):
    """Not only a raise: a metric returning None costs its document's score, not the run."""
    real = FigureFidelity.score
    monkeypatch.setattr(
        FigureFidelity, "score", lambda self, d, p: None if d.id == BAD else real(self, d, p)
    )
    out = tmp_path / "run"
    stats = run(config("model=lead"), out)
    scores = {s["doc_id"]: s for s in read_jsonl(out / "scores.jsonl")}
    assert set(scores) == {p.stem for p in SEEDS}
    assert "TypeError" in scores[BAD]["metric_errors"]["figures"]
    assert stats["lead"].metric_failures == 1


def test_a_report_that_fails_is_not_listed_and_the_run_is_kept(monkeypatch, config, tmp_path):
    """run.json names report.html only once it is written; the run's results stay."""

    def broken(*args, **kwargs):
        raise RuntimeError("no room for a report")

    monkeypatch.setattr(report.html, "write_report", broken)
    out = tmp_path / "run"
    run(config("model=lead"), out)
    info = json.loads((out / "run.json").read_text())
    assert "report.html" not in info["files"] and not (out / "report.html").exists()
    assert all((out / name).exists() for name in info["files"])
    assert (out / "leaderboard.md").exists() and (out / "scores.jsonl").exists()
