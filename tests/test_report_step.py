"""A run's report step: report.html drawn from what the run holds in memory, staged and published
with the run's other files, timed as a stage, and an extra a stop or a failure never costs the
results."""

from __future__ import annotations

import json
import time

import pytest

from harness import report
from harness.app import _kept
from harness.report import page
from harness.run import run


def listed(out) -> list[str]:
    return json.loads((out / "run.json").read_text())["files"]


def test_the_report_from_memory_is_the_one_its_folder_gives(config, tmp_path):
    out = tmp_path / "run"
    run(config("model=[lead,oracle]"), out)
    assert (out / "report.html").read_text() == report.render_html(report.load_runs([out]))
    info = json.loads((out / "run.json").read_text())
    assert "report.html" in info["files"] and info["reads_references"] == ["oracle"]
    assert set(info["stages"]["report"]) == {"wall_s", "cpu_s", "peak_rss_mib"}
    assert info["stages"]["report"]["cpu_s"] > 0


def test_a_stop_in_the_report_step_publishes_every_result_without_it(config, tmp_path, monkeypatch):
    out = tmp_path / "run"
    run(config("model=lead"), out)  # an earlier run, with its report
    assert (out / "report.html").is_file()

    def stopped(run_, folder):
        (folder / "report.html").write_text("<html>half")  # cut short while writing
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "write_run_report", stopped)
    started = time.time() - 1
    with pytest.raises(KeyboardInterrupt):
        run(config("model=[lead,oracle]"), out)
    info = json.loads((out / "run.json").read_text())
    assert info["finished"] is True and list(info["systems"]) == ["lead", "oracle"]
    assert "report.html" not in info["files"] and "scores.jsonl" in info["files"]
    # Neither the half-written report nor the earlier run's stands beside the new results.
    assert not (out / "report.html").exists() and not (out / ".summbench-staging").exists()
    assert _kept(out, started) == (
        f"every system had finished: {out} holds all their results, but no report.html "
        f"(summbench-report {out} writes it)"
    )


def test_a_failing_report_is_a_warning_and_the_run_is_published(config, tmp_path, monkeypatch):
    out = tmp_path / "run"

    def fails(run_, folder):
        raise RuntimeError("no chart today")

    monkeypatch.setattr(report, "write_run_report", fails)
    stats = run(config("model=lead"), out)
    assert stats["lead"].documents == 4 and "report.html" not in listed(out)
    assert (out / "leaderboard.md").is_file() and not (out / "report.html").exists()


def test_a_rerun_removes_the_previous_reports_folder(config, tmp_path, monkeypatch):
    out = tmp_path / "run"
    monkeypatch.setattr(page, "INLINE_LIMIT", 0)  # a large run's report: chunks in report_files/
    run(config("model=lead"), out)
    assert list((out / "report_files").glob("docs-*.js")) and "report_files" in listed(out)
    monkeypatch.undo()
    run(config("model=lead"), out)
    assert not (out / "report_files").exists() and "report_files" not in listed(out)


def test_a_rerun_removes_a_reports_folder_an_older_run_did_not_list(config, tmp_path):
    out = tmp_path / "run"
    (out / "report_files").mkdir(parents=True)
    (out / "report_files" / "docs-0.js").write_text("stale")
    (out / "report.html").write_text("stale")
    (out / "run.json").write_text(json.dumps({"files": ["report.html", "run.json"]}))
    run(config("model=lead"), out)
    assert not (out / "report_files").exists()
    assert "stale" not in (out / "report.html").read_text()
