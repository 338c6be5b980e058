"""summbench-check, the regression gate: synthetic runs whose changes are known, and the real
default suite through the real commands."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from chat_server import ChatServer
from test_report import MEASURES, docs
from test_report import write_run as write_report_run

from harness import ROOT
from harness.check import main
from harness.run import run

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


def write_run(folder: Path, scores: dict, budget: int = 60, **options) -> Path:
    """A finished run folder as harness.run writes it, with what it ran on in run.json."""
    write_report_run(folder, scores, **options)
    info = json.loads((folder / "run.json").read_text())
    info["systems"] = {
        s: {"documents": len(ds), "failures": 0, "errors": []} for s, ds in scores.items()
    }
    info["finished"] = True
    info["provenance"] = {
        "dataset": {"name": info["dataset"], "documents": 2, "fingerprint": "f00d"},
        "prompt": {"name": info["prompt"], "budget": {"size": budget, "unit": "words"}},
        "metrics": {"rouge": {"use_stemmer": True}},
        "systems": {s: {"_target_": f"summarizers.{s}"} for s in scores},
    }
    (folder / "run.json").write_text(json.dumps(info))
    return folder


def edit_run_json(folder: Path, edit) -> None:
    info = json.loads((folder / "run.json").read_text())
    edit(info)
    (folder / "run.json").write_text(json.dumps(info))


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
    assert data["format"] == 2 and "summbench-check" in data["regenerate"]
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
    assert err.endswith(": random/abstract/seeds rouge1 0.150000 -> 0.140000\n")
    assert "| random | abstract | seeds | rouge1 |" in out and "**worse**" in out
    assert out.endswith("gate: 5 passed, 1 failed\n")  # 6 compared, 1 of them worse
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
    tolerances.write_text("systems: {random: {default: 0.05}}\n")
    assert check(baseline, run, "--tolerances", str(tolerances)) == 0
    # The default is exact: a drop of 1e-7 fails.
    tiny = write_run(tmp / "tiny", changed(SCORES, "lead", "rouge1", -1e-7))
    assert check(baseline, tiny) == 1


def test_missing_system_fails_and_added_system_is_reported(gate, capsys):
    baseline, tmp = gate
    assert check(baseline, write_run(tmp / "m", {"lead": SCORES["lead"]})) == 1
    out, err = capsys.readouterr()
    assert "missing from the run" in out
    assert "random/abstract/seeds (row) (missing from the run)" in err
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
        (["--baseline", str(old), str(run)], "baseline format None, expected 2"),
        (["--baseline", str(baseline), str(no_scores)], "no scores.jsonl"),
        (["--baseline", str(baseline), str(tmp / "nowhere")], "no such folder"),
        (["--baseline", str(baseline), "--tolerances", str(bad_tol), str(run)], "default"),
    ]
    for args, message in cases:
        assert main(args) == 2, args
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1 and "Traceback" not in err, err


def test_many_failures_are_summed_up_and_clashing_runs_refused(gate, capsys):
    baseline, tmp = gate
    worse = SCORES
    for system in SCORES:
        for measure in ("rouge1", "figure_f1"):
            worse = changed(worse, system, measure, -0.1)
    worse = changed(changed(worse, "lead", "hallucinations", 1), "random", "hallucinations", 1)
    assert check(baseline, write_run(tmp / "worse", worse)) == 1
    out, err = capsys.readouterr()
    assert "; and 1 more (see the table)" in err and out.endswith("gate: 0 passed, 6 failed\n")
    # One row from two runs: which one is the run under test?
    twice = [str(write_run(tmp / name, SCORES)) for name in ("one", "two")]
    assert main(["--baseline", str(baseline), *twice]) == 2
    assert "appears in several runs" in capsys.readouterr().err


def test_edges_of_the_comparison(gate, capsys):
    baseline, tmp = gate
    tolerances = tmp / "check.yaml"
    # A move exactly as large as its tolerance is within it; with no tolerance, any real
    # move fails, however small beside the score.
    tolerances.write_text("default: 0.0\nmeasures: {hallucinations: 0.25}\n")
    run = write_run(tmp / "edge", changed(SCORES, "lead", "hallucinations", 0.25))
    assert check(baseline, run, "--tolerances", str(tolerances)) == 0
    assert "worse within tolerance" in capsys.readouterr().out
    run = write_run(tmp / "tiny", changed(SCORES, "lead", "rouge1", -1e-10))
    assert check(baseline, run, "--tolerances", str(tolerances)) == 1
    capsys.readouterr()
    # A missing first row does not stop the check of the rows after it.
    assert (
        check(
            baseline,
            write_run(tmp / "r", changed({"random": SCORES["random"]}, "random", "rouge1", -0.1)),
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "lead/abstract/seeds (row)" in err and "random/abstract/seeds rouge1" in err
    # A new measure and an added document are reported, not failed.
    more = {s: {**ds, "d2": {**ds["d0"]}} for s, ds in SCORES.items()}
    more = {s: {d: {**v, "coverage": 0.5} for d, v in ds.items()} for s, ds in more.items()}
    run = write_run(tmp / "more", more, measures={**MEASURES, "coverage": True})
    assert check(baseline, run) in (0, 1)
    out = capsys.readouterr().out
    assert "| lead | abstract | seeds | coverage | – | 0.500000 | – | – | new measure |" in out
    assert "| lead | abstract | seeds | n | 2 | 3 | +1 | – | documents added |" in out


def test_update_refuses_an_incomplete_sweep(tmp_path, capsys):
    sweep = tmp_path / "sweep"
    write_run(sweep / "0", SCORES)
    (sweep / "1").mkdir()
    (sweep / "multirun.yaml").write_text("hydra: {}\n")
    baseline = tmp_path / "baseline.json"
    assert main(["--baseline", str(baseline), "--update", str(sweep)]) == 2
    err = capsys.readouterr().err
    assert "unusable input: job 1" in err and not baseline.exists()


# ------------------------------------------------------------------ a gate that cannot be fooled


def test_directions_come_from_the_baseline_not_the_run(gate, capsys):
    baseline, tmp = gate
    # The run claims rouge1 is lower-is-better: its drop must still fail.
    run = write_run(tmp / "flip", changed(SCORES, "lead", "rouge1", -0.3))
    edit_run_json(run, lambda info: info["measures"].update(rouge1=False))
    assert check(baseline, run) == 1
    assert "lead/abstract/seeds rouge1 0.400000 -> 0.100000" in capsys.readouterr().err


def test_update_refuses_a_run_that_did_not_finish(tmp_path, capsys):
    run = write_run(tmp_path / "cut", SCORES)
    edit_run_json(run, lambda info: info.update(finished=False))
    baseline = tmp_path / "baseline.json"
    assert main(["--baseline", str(baseline), "--update", str(run)]) == 2
    assert "did not finish" in capsys.readouterr().err and not baseline.exists()


@pytest.mark.slow
def test_a_run_cut_by_ctrl_c_says_so_and_update_refuses_it(config, tmp_path, capsys):
    """A real run interrupted while its second system waits on a slow local model server:
    the first system is published, and run.json says the run did not finish."""
    out = tmp_path / "cut"
    with ChatServer(delay=5.0) as server:

        def interrupt() -> None:
            while not server.requests_for("Article"):
                time.sleep(0.02)
            os.kill(os.getpid(), signal.SIGINT)

        threading.Thread(target=interrupt, daemon=True).start()
        settings = [
            "model=[lead,openai]",
            "model.openai.name=m",
            f"model.openai.base_url={server.url}",
        ]
        with pytest.raises(KeyboardInterrupt):
            run(config(*settings), out)
    info = json.loads((out / "run.json").read_text())
    assert info["finished"] is False and list(info["systems"]) == ["lead"]
    baseline = tmp_path / "baseline.json"
    assert main(["--baseline", str(baseline), "--update", str(out)]) == 2
    assert "did not finish" in capsys.readouterr().err and not baseline.exists()


def test_a_failed_sweep_job_beside_a_usable_folder_is_exit_2(gate, capsys):
    baseline, tmp = gate
    sweep = tmp / "sweep"
    write_run(sweep / "0", SCORES)
    (sweep / "1").mkdir()
    (sweep / "multirun.yaml").write_text("hydra: {}\n")
    assert check(baseline, sweep) == 2
    assert "job 1" in capsys.readouterr().err
    usable = write_run(tmp / "same", SCORES)
    assert main(["--baseline", str(baseline), str(usable), str(tmp / "nowhere")]) == 2
    assert "nowhere: no such folder" in capsys.readouterr().err


def test_nan_is_refused_in_the_baseline_and_in_the_run(gate, capsys):
    baseline, tmp = gate
    nan_run = write_run(tmp / "nan", changed(SCORES, "lead", "rouge1", float("nan")))
    assert check(baseline, nan_run) == 2
    assert "lead/abstract/seeds rouge1: mean is nan" in capsys.readouterr().err
    fresh = tmp / "fresh.json"
    assert main(["--baseline", str(fresh), "--update", str(nan_run)]) == 2
    assert not fresh.exists()
    # A NaN in the baseline would let any value pass.
    data = json.loads(baseline.read_text())
    data["rows"][0]["scores"]["rouge1"] = float("nan")
    baseline.write_text(json.dumps(data))
    assert check(baseline, write_run(tmp / "low", changed(SCORES, "lead", "rouge1", -0.3))) == 2
    assert "NaN is not a score" in capsys.readouterr().err


def test_float_noise_is_not_a_change(gate, capsys):
    baseline, tmp = gate
    noisy = changed(changed(SCORES, "lead", "rouge1", 5.55e-17), "random", "rouge1", -5.55e-17)
    assert check(baseline, write_run(tmp / "noise", noisy)) == 0
    out = capsys.readouterr().out
    assert "none moved" in out and "better" not in out


@pytest.mark.parametrize(
    "text, key",
    [
        ("measures: {rouge_1: 0.1}", "measures.rouge_1: unknown name (did you mean rouge1?)"),
        ("systems: {raandom: 0.1}", "systems.raandom: unknown name (did you mean random?)"),
        ("systems: {lead: {rouge: 0.1}}", "systems.lead.rouge: unknown name"),
    ],
)
def test_unknown_names_in_the_tolerances_are_refused(gate, capsys, text, key):
    baseline, tmp = gate
    tolerances = tmp / "check.yaml"
    tolerances.write_text(text + "\n")
    assert check(baseline, write_run(tmp / "same", SCORES), "--tolerances", str(tolerances)) == 2
    assert f"check.yaml: {key}" in capsys.readouterr().err


def test_the_closing_count_counts_only_scores_checked(gate, capsys):
    baseline, tmp = gate
    assert check(baseline, write_run(tmp / "m", {"lead": SCORES["lead"]})) == 1
    # lead's 3 scores were compared; random's row is one failure, not 3 passes.
    assert "gate: 3 passed, 1 failed" in capsys.readouterr().out


def test_other_settings_or_data_are_exit_2_naming_what_differs(gate, capsys):
    baseline, tmp = gate
    assert check(baseline, write_run(tmp / "b40", SCORES, budget=40)) == 2
    assert "prompt.budget.size: 60 -> 40" in capsys.readouterr().err
    run = write_run(tmp / "data", SCORES)
    edit_run_json(run, lambda info: info["provenance"]["dataset"].update(fingerprint="beef"))
    assert check(baseline, run) == 2
    assert "dataset.fingerprint" in capsys.readouterr().err
    run = write_run(tmp / "sys", SCORES)
    edit_run_json(run, lambda info: info["provenance"]["systems"]["lead"].update(seed=3))
    assert check(baseline, run) == 2
    assert "system.seed: (none) -> 3 [lead/abstract/seeds]" in capsys.readouterr().err
    # Another dataset shares no row: not "missing from the run", but nothing to compare.
    assert check(baseline, write_run(tmp / "news", SCORES, dataset="news")) == 2
    assert "dataset seeds -> news" in capsys.readouterr().err


def test_update_with_fewer_systems_refuses_unless_asked(gate, capsys):
    baseline, tmp = gate
    before = baseline.read_text()
    fewer = write_run(tmp / "fewer", {"lead": SCORES["lead"]})
    assert main(["--baseline", str(baseline), "--update", str(fewer)]) == 2
    assert "lacks 1 of its rows (random/abstract/seeds)" in capsys.readouterr().err
    assert baseline.read_text() == before
    assert main(["--baseline", str(baseline), "--update", "--drop-missing", str(fewer)]) == 0
    assert [r["system"] for r in json.loads(baseline.read_text())["rows"]] == ["lead"]


@pytest.mark.parametrize("cut", ["line", "mid-line", "broken"])
def test_a_damaged_scores_file_is_exit_2_naming_the_file(gate, capsys, cut):
    baseline, tmp = gate
    run = write_run(tmp / "damaged", SCORES)
    path = run / "scores.jsonl"
    lines = path.read_text().splitlines(keepends=True)
    if cut == "line":  # cut at a line boundary: every line left is valid JSON
        path.write_text("".join(lines[:-1]))
    elif cut == "mid-line":
        path.write_text("".join(lines[:-1]) + lines[-1][:20])
    else:
        path.write_text("".join(lines[:1]) + "{oops\n" + "".join(lines[2:]))
    assert check(baseline, run) == 2
    err = capsys.readouterr().err
    assert f"{path}" in err and "Traceback" not in err
    if cut == "broken":
        assert f"{path}:2" in err


def test_a_run_records_what_it_ran_on_and_the_gate_tells_it_apart(config, tmp_path, capsys):
    """Real runs on a local JSONL file: the dataset is named after the file; its fingerprint,
    the budget and each system's settings reach run.json and the baseline."""
    data = tmp_path / "news.jsonl"
    rows = [
        {"document": "Beta fell 3% on Monday. Nobody was surprised. Rain fell.", "summary": "x"},
        {"document": "Gamma rose 5% in May. Analysts cheered. It rained.", "summary": "y"},
    ]

    def run_on(name: str, *overrides: str) -> Path:
        data.write_text("".join(json.dumps(r) + "\n" for r in rows))
        out = tmp_path / name
        run(config("model=[lead,random]", "dataset=hf", f"dataset.path={data}", *overrides), out)
        return out

    base = run_on("base")
    info = json.loads((base / "run.json").read_text())
    assert info["finished"] is True and info["dataset"] == "news"
    ran_on = info["provenance"]
    assert ran_on["dataset"]["name"] == "news" and ran_on["dataset"]["documents"] == 2
    assert ran_on["prompt"]["budget"] == {"size": 60, "unit": "words"}
    assert ran_on["systems"]["random"]["seed"] == 0
    baseline = tmp_path / "baseline.json"
    assert main(["--baseline", str(baseline), "--update", str(base)]) == 0
    assert check(baseline, base) == 0
    capsys.readouterr()
    assert check(baseline, run_on("budget", "prompt.budget.size=40")) == 2
    assert "prompt.budget.size: 60 -> 40" in capsys.readouterr().err
    assert check(baseline, run_on("seed", "model.random.seed=1")) == 2
    assert "system.seed: 0 -> 1 [random/abstract/news]" in capsys.readouterr().err
    rows[1]["summary"] = "Gamma rose 5%."
    assert check(baseline, run_on("refs")) == 2
    assert "dataset.fingerprint" in capsys.readouterr().err


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


def test_a_baseline_measure_without_a_direction_is_refused(gate, capsys):
    """A null direction (a diagnostic) read as false would gate it as lower-is-better."""
    baseline, tmp = gate
    data = json.loads(baseline.read_text())
    data["measures"]["hallucinations"] = None
    baseline.write_text(json.dumps(data))
    assert check(baseline, write_run(tmp / "same", SCORES)) == 2
    assert "measure hallucinations has direction None" in capsys.readouterr().err
