"""End to end: the default suite over the seeds, through run() and through the real command."""

import csv
import json
from pathlib import Path

import pysbd
import pytest
from rouge_score import rouge_scorer

from harness import ROOT
from harness.run import run

SYSTEMS = ["lead", "random", "textrank", "lexrank", "centroid", "oracle"]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    from conftest import make_config

    base = tmp_path_factory.mktemp("runs")
    for name in ("a", "b"):
        run(make_config(cache_dir=base / "cache"), base / name)
    return base / "a", base / "b"


def test_the_default_suite_writes_every_output(two_runs):
    out, _ = two_runs
    for name in (
        "generations.jsonl",
        "scores.jsonl",
        "leaderboard.csv",
        "leaderboard.md",
        "config.yaml",
        "run.json",
    ):
        assert (out / name).is_file(), name
    generations = read_jsonl(out / "generations.jsonl")
    assert [(g["system"], g["doc_id"]) for g in generations] == [
        (s, p.stem) for s in SYSTEMS for p in sorted((ROOT / "seeds").glob("*.txt"))
    ]
    assert all(g["summary"] and g["error"] is None for g in generations)
    assert all("{document}" in g["prompt_user"] for g in generations)
    with open(out / "leaderboard.csv", encoding="utf-8") as f:
        board = {row["system"]: row for row in csv.DictReader(f)}
    assert list(board) == SYSTEMS
    rouge1 = {system: float(row["rouge1"]) for system, row in board.items()}
    # The oracle is the upper bound, and random below the graph-based rankers.
    assert rouge1["oracle"] == max(rouge1.values())
    assert rouge1["random"] < min(rouge1["textrank"], rouge1["lexrank"])
    assert "| oracle |" in (out / "leaderboard.md").read_text()


def test_two_runs_give_identical_files(two_runs):
    a, b = two_runs
    for name in ("generations.jsonl", "scores.jsonl", "leaderboard.csv", "leaderboard.md"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_rouge_in_scores_equals_an_independent_rouge_score_computation(two_runs):
    """Recompute ROUGE from generations.jsonl and the reference files with rouge-score alone."""
    out, _ = two_runs
    segmenter = pysbd.Segmenter(language="en", clean=False)

    def lines(text):  # one sentence per line, as rougeLsum wants
        return "\n".join(
            s.strip()
            for line in text.splitlines()
            if line.strip()
            for s in segmenter.segment(line)
            if s.strip()
        )

    types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    scorer = rouge_scorer.RougeScorer(types, use_stemmer=True)
    scores = {(s["system"], s["doc_id"]): s for s in read_jsonl(out / "scores.jsonl")}
    generations = read_jsonl(out / "generations.jsonl")
    assert len(scores) == len(generations) == 24
    for g in generations:
        refs = [
            p.read_text(encoding="utf-8")
            for p in sorted((ROOT / "references" / g["doc_id"]).glob("*.txt"))
        ]
        per_ref = [scorer.score(lines(r), lines(g["summary"])) for r in refs]
        for t in types:
            best = max(per_ref, key=lambda s: s[t].fmeasure)[t]
            got = scores[(g["system"], g["doc_id"])]
            assert got[t] == pytest.approx(best.fmeasure, abs=1e-12), (g["system"], t)
            assert got[f"{t}_recall"] == pytest.approx(best.recall, abs=1e-12)


def test_run_json_records_measures_and_timings(two_runs):
    info = json.loads((two_runs[0] / "run.json").read_text())
    assert info["measures"]["rouge1"] is True
    assert set(info["systems"]) == set(SYSTEMS)
    assert all(s["failures"] == 0 for s in info["systems"].values())


@pytest.mark.slow
def test_the_command_runs_a_list_of_models(summbench, tmp_path):
    result = summbench("model=[lead,textrank]", f"hydra.run.dir={tmp_path / 'run'}")
    assert result.returncode == 0, result.stderr
    assert "| lead |" in result.stdout and "| textrank |" in result.stdout
    assert "| random |" not in result.stdout
    systems = {g["system"] for g in read_jsonl(tmp_path / "run" / "generations.jsonl")}
    assert systems == {"lead", "textrank"}


@pytest.mark.slow
def test_help_and_cfg_show_the_groups_and_the_composed_config(summbench):
    helped = summbench("--help")  # (tests/test_help.py pins what it lists)
    assert helped.returncode == 0
    for group in ("model", "prompt", "dataset", "metrics"):
        assert f"\n  {group}  " in helped.stdout
    assert "textrank" in helped.stdout and "key_facts" in helped.stdout
    shown = summbench("--cfg", "job", "model=lead", "prompt=key_facts")
    assert shown.returncode == 0
    assert "harness.summarizers.extractive.Lead" in shown.stdout
    assert "name: key_facts" in shown.stdout and "textrank" not in shown.stdout


@pytest.mark.slow
def test_a_sweep_over_prompts_writes_a_folder_per_job(summbench, tmp_path):
    result = summbench(
        "-m", "model=lead", "prompt=abstract,key_facts", f"hydra.sweep.dir={tmp_path / 'sweep'}"
    )
    assert result.returncode == 0, result.stderr
    prompts = {read_jsonl(tmp_path / "sweep" / j / "scores.jsonl")[0]["prompt"] for j in "01"}
    assert prompts == {"abstract", "key_facts"}


@pytest.mark.slow
def test_a_local_jsonl_dataset_from_the_command_line(summbench, tmp_path):
    data = tmp_path / "my.jsonl"
    rows = [
        {
            "document": "Beta fell 3% on Monday. Nobody was surprised. Rain fell.",
            "summary": "Beta fell 3% on Monday.",
        }
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = summbench(
        "dataset=hf",
        f"dataset.path={data}",
        "dataset.text_field=document",
        "dataset.summary_field=summary",
        "model=[lead,oracle]",
        f"hydra.run.dir={tmp_path / 'run'}",
    )
    assert result.returncode == 0, result.stderr
    (oracle,) = [
        s for s in read_jsonl(tmp_path / "run" / "scores.jsonl") if s["system"] == "oracle"
    ]
    assert oracle["rouge1"] == 1.0 and oracle["dataset"] == "my"


@pytest.mark.slow
@pytest.mark.parametrize(
    "args, message",
    [
        (["model=nope"], "summbench: error: model=nope: no such model in "),
        (["model=[lead,nope]"], "summbench: error: model=nope: no such model in "),
        (["prompt=nope"], "summbench: error: prompt=nope: no such prompt in "),
        (
            ["model=lead", "prompt.user='{document} {oops}'"],
            "summbench: error: prompt 'abstract': unknown placeholder {oops} in prompt.user",
        ),
        (
            ["model=lead", "dataset=hf", "dataset.path=missing.jsonl"],
            "summbench: error: dataset.path: no such file missing.jsonl",
        ),
        (
            ["model=lead", "dataset.seeds_dir=/nonexistent"],
            "summbench: error: dataset.seeds_dir: /nonexistent is not a folder",
        ),
        (
            ["model=lead", "prompt.budget.unit=chars"],
            "summbench: error: prompt: budget.unit must be words or sentences, not 'chars'",
        ),
        (
            ["model=openai", "model.name=m", "model.max_new_tokens=5"],
            "summbench: error: model.openai.max_new_tokens: openai has no setting 'max_new_tokens'",
        ),
        (
            ["model=openai", "model.name=m", "model.max_retries=-1"],
            "summbench: error: model.openai: max_retries, backoff and max_backoff cannot be",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(summbench, tmp_path, args, message):
    result = summbench(*args, f"hydra.run.dir={tmp_path / 'run'}")
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    assert len(errors) == 1 and errors[0].startswith(message), result.stderr
    assert "Traceback" not in result.stderr
