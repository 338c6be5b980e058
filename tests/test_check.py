"""summbench-check, the regression gate: synthetic runs whose changes are known, and the real
default suite through the real commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_report import docs, write_run

from harness import ROOT
from harness.check import main

CHECK = Path(sys.executable).parent / "summbench-check"
SCORES = {
    "lead": {
        "d0": {"rouge1": 0.3, "figure_f1": 0.5, "hallucinations": 1},
        "d1": {"rouge1": 0.5, "figure_f1": None, "hallucinations": 0},
    },
    "random": {
        "d0": {"rouge1": 0.1, "figure_f1": 1.0, "hallucinations": 2},
        "d1": {"rouge1": 0.2, "figure_f1": 0.0, "hallucinations": 4},
    },
}


def changed(scores: dict, system: str, measure: str, delta: float) -> dict:
    return {
        s: {
            d: {
                m: (v + delta if (s, m) == (system, measure) and v is not None else v)
                for m, v in values.items()
            }
            for d, values in ds.items()
        }
        for s, ds in scores.items()
    }


@pytest.fixture
def gate(tmp_path):
    """A baseline written by --update from a synthetic run; returns (baseline path, tmp_path)."""
    run = write_run(tmp_path / "base", SCORES)
    baseline = tmp_path / "baseline.json"
    assert main(["--baseline", str(baseline), "--update", str(run)]) == 0
    return baseline, tmp_path


def check(baseline: Path, run: Path, *extra: str) -> int:
    return main(["--baseline", str(baseline), *extra, str(run)])


def test_update_writes_every_row_mean_and_direction(gate):
    baseline, _ = gate
    data = json.loads(baseline.read_text())
    assert data["format"] == 1 and "summbench-check" in data["regenerate"]
    assert data["measures"] == {"rouge1": True, "figure_f1": True, "hallucinations": False}
    lead = data["rows"][0]
    assert (lead["system"], lead["prompt"], lead["dataset"], lead["n"]) == (
        "lead",
        "abstract",
        "seeds",
        2,
    )
    assert lead["scores"] == {"rouge1": 0.4, "figure_f1": 0.5, "hallucinations": 0.5}


def test_the_same_scores_pass(gate, capsys):
    baseline, tmp = gate
    assert check(baseline, write_run(tmp / "same", SCORES)) == 0
    assert "ok: 6 scores checked" in capsys.readouterr().out


def test_a_lowered_score_fails_naming_system_and_metric(gate, capsys):
    baseline, tmp = gate
    run = write_run(tmp / "low", changed(SCORES, "random", "rouge1", -0.01))
    assert check(baseline, run) == 1
    out, err = capsys.readouterr()
    assert "random/abstract/seeds rouge1 0.150000 -> 0.140000" in err
    assert "| random | abstract | seeds | rouge1 |" in out and "**worse**" in out
    assert "lead" not in err


def test_direction_decides_what_is_worse(gate, capsys):
    baseline, tmp = gate
    # More hallucinations is worse, though the number went up.
    assert check(baseline, write_run(tmp / "h", changed(SCORES, "lead", "hallucinations", 1))) == 1
    assert "lead/abstract/seeds hallucinations" in capsys.readouterr().err
    # A higher rouge1 and fewer hallucinations are improvements: reported, not failed.
    better = changed(changed(SCORES, "lead", "rouge1", 0.1), "random", "hallucinations", -1)
    assert check(baseline, write_run(tmp / "b", better)) == 0
    out = capsys.readouterr().out
    assert out.count("| better |") == 2 and "moved within tolerance or improved" in out


def test_tolerances_per_measure_and_per_system(gate, capsys):
    baseline, tmp = gate
    run = write_run(tmp / "low", changed(SCORES, "random", "rouge1", -0.01))
    tolerances = tmp / "check.yaml"
    tolerances.write_text("default: 1.0e-9\nmeasures: {rouge1: 0.02}\nsystems: {}\n")
    assert check(baseline, run, "--tolerances", str(tolerances)) == 0
    assert "worse within tolerance" in capsys.readouterr().out
    tolerances.write_text(
        "default: 1.0e-9\nmeasures: {rouge1: 0.02}\nsystems: {random: {rouge1: 0.001}}\n"
    )
    assert check(baseline, run, "--tolerances", str(tolerances)) == 1
    tolerances.write_text("systems: {random: 0.05}\n")
    assert check(baseline, run, "--tolerances", str(tolerances)) == 0
    # The default is exact: a drop of 1e-7 fails.
    tiny = write_run(tmp / "tiny", changed(SCORES, "lead", "rouge1", -1e-7))
    assert check(baseline, tiny) == 1


def test_missing_system_fails_and_added_system_is_reported(gate, capsys):
    baseline, tmp = gate
    assert check(baseline, write_run(tmp / "m", {"lead": SCORES["lead"]})) == 1
    out, err = capsys.readouterr()
    assert "missing from the run" in out and "random/abstract/seeds (row)" in err
    added = {**SCORES, "textrank": docs([0.4, 0.4], figure_f1=0.5, hallucinations=0)}
    assert check(baseline, write_run(tmp / "a", added)) == 0
    assert "| textrank | abstract | seeds | (row) |" in capsys.readouterr().out


def test_lost_documents_and_lost_measures_fail(gate, capsys):
    baseline, tmp = gate
    fewer = {s: {"d0": ds["d0"]} for s, ds in SCORES.items()}
    assert check(baseline, write_run(tmp / "f", fewer)) == 1
    assert "documents lost" in capsys.readouterr().out
    no_figures = {
        s: {d: {k: v for k, v in vals.items() if k != "figure_f1"} for d, vals in ds.items()}
        for s, ds in SCORES.items()
    }
    run = write_run(tmp / "nf", no_figures, measures={"rouge1": True, "hallucinations": False})
    assert check(baseline, run) == 1
    assert "lead/abstract/seeds figure_f1" in capsys.readouterr().err


def test_unusable_input_exits_2_with_one_line(gate, capsys):
    baseline, tmp = gate
    run = write_run(tmp / "same", SCORES)
    corrupt = tmp / "corrupt.json"
    corrupt.write_text('{"format": 1, "rows": [')
    old = tmp / "old.json"
    old.write_text(json.dumps({"rows": []}))
    no_scores = tmp / "no_scores"
    no_scores.mkdir()
    (no_scores / "run.json").write_text(json.dumps({"measures": {"rouge1": True}}))
    bad_tol = tmp / "bad.yaml"
    bad_tol.write_text("default: -1\n")
    cases = [
        (["--baseline", str(tmp / "missing.json"), str(run)], "no such baseline"),
        (["--baseline", str(corrupt), str(run)], "corrupt baseline"),
        (["--baseline", str(old), str(run)], "baseline format None, expected 1"),
        (["--baseline", str(baseline), str(no_scores)], "no scores.jsonl"),
        (["--baseline", str(baseline), str(tmp / "nowhere")], "no such folder"),
        (["--baseline", str(baseline), "--tolerances", str(bad_tol), str(run)], "default"),
    ]
    for args, message in cases:
        assert main(args) == 2, args
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1 and "Traceback" not in err, err


def test_update_refuses_an_incomplete_sweep(tmp_path, capsys):
    sweep = tmp_path / "sweep"
    write_run(sweep / "0", SCORES)
    (sweep / "1").mkdir()
    (sweep / "multirun.yaml").write_text("hydra: {}\n")
    baseline = tmp_path / "baseline.json"
    assert main(["--baseline", str(baseline), "--update", str(sweep)]) == 2
    assert "incomplete run" in capsys.readouterr().err and not baseline.exists()


@pytest.mark.slow
def test_the_gate_on_the_real_default_suite(tmp_path, summbench):
    """The default suite through the real commands: update, pass, then lower one score."""
    run = tmp_path / "gate"
    done = summbench(f"hydra.run.dir={run}")
    assert done.returncode == 0, done.stderr
    baseline = tmp_path / "baseline.json"
    env = {**os.environ}

    def gate(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(CHECK), "--baseline", str(baseline), *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )

    assert gate("--update", str(run)).returncode == 0
    ok = gate(str(run))
    assert ok.returncode == 0 and "none moved" in ok.stdout, ok.stdout + ok.stderr
    lines = (run / "scores.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    for r in records:
        if r["system"] == "textrank":
            r["rouge2"] -= 0.02
    (run / "scores.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    failed = gate(str(run))
    assert failed.returncode == 1
    assert "textrank/abstract/seeds rouge2" in failed.stderr and "lead" not in failed.stderr
