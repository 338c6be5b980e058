"""Sweeps through the real Hydra launchers (joblib, submitit's local executor), the merged report
their callback writes, and the generation store shared by concurrent jobs."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from harness import report
from harness.cache import GenerationCache
from harness.types import Generation

REPORT = Path(sys.executable).parent / "summbench-report"


def board_rows(path: Path) -> list[list[str]]:
    return [
        [c.strip() for c in line.split("|")[1:-1]] for line in path.read_text().splitlines()[2:]
    ]


@pytest.mark.slow
def test_a_2x2_joblib_sweep_writes_one_merged_report(tmp_path, summbench):
    sweep = tmp_path / "sweep"
    done = summbench(
        "-m",
        "model=lead,random",
        "prompt=abstract,key_facts",
        "hydra/launcher=joblib",
        "hydra.launcher.n_jobs=2",
        f"hydra.sweep.dir={sweep}",
    )
    assert done.returncode == 0, done.stderr
    assert f"Sweep report: {sweep / 'report.html'}" in done.stdout
    merged = board_rows(sweep / "leaderboard.md")
    assert [r[:3] for r in merged] == [
        ["lead", "abstract", "seeds"],
        ["lead", "key_facts", "seeds"],
        ["random", "abstract", "seeds"],
        ["random", "key_facts", "seeds"],
    ]
    # Merging changes no number: each merged row is its job's own leaderboard row.
    for job, row in enumerate(merged):
        assert board_rows(sweep / str(job) / "leaderboard.md") == [row]
    page = (sweep / "report.html").read_text()
    assert "data:image/png;base64," in page and "16 scored summaries" in page
    assert "scored in 2 runs" not in page  # four distinct rows: nothing to warn about
    # The command merges the same sweep into the same files, and compares within it.
    before = (sweep / "leaderboard.md").read_bytes()
    again = subprocess.run(
        [str(REPORT), str(sweep), "--compare", "lead", "random"], capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert (sweep / "leaderboard.md").read_bytes() == before
    assert "lead vs random: 8 pairs (paired on doc_id, within each prompt" in again.stdout
    # Two prompts over the same four documents are four units, not eight independent pairs.
    assert "over 4 documents, averaged per document" in again.stdout
    rouge1 = next(line for line in again.stdout.splitlines() if line.startswith("| rouge1 | 4 |"))
    assert "too few documents to conclude" in rouge1


@pytest.mark.slow
def test_the_submitit_launcher_code_path(tmp_path, summbench):
    sweep = tmp_path / "sweep"
    done = summbench(
        "-m", "model=lead,random", "hydra/launcher=submitit_local", f"hydra.sweep.dir={sweep}"
    )
    assert done.returncode == 0, done.stderr
    assert (sweep / ".submitit").is_dir()  # the jobs went through submitit
    assert [r[0] for r in board_rows(sweep / "leaderboard.md")] == ["lead", "random"]
    assert (sweep / "report.html").is_file()


@pytest.mark.slow
def test_a_sweep_with_a_failed_job_reports_the_jobs_that_finished(tmp_path, summbench):
    sweep = tmp_path / "sweep"
    done = summbench(
        "-m",
        "model=lead",
        "hydra/launcher=joblib",
        f"hydra.sweep.dir={sweep}",
        'prompt.user="Summarize: {document}","Bad: {nope} {document}"',
    )
    assert done.returncode == 1
    assert "unknown placeholder {nope}" in done.stderr
    assert 'job 1 (prompt.user="Bad: {nope} {document}") failed' in done.stderr
    assert "Traceback" not in done.stderr
    assert [r[0] for r in board_rows(sweep / "leaderboard.md")] == ["lead"]
    assert (sweep / "0" / "scores.jsonl").is_file() and (sweep / "report.html").is_file()


def _writer(path: str, start: int) -> None:
    cache = GenerationCache(path)
    for i in range(start, start + 150):
        cache.put(f"key{i}", Generation(f"summary {i}"), {"model": "m"})
    cache.close()


def test_concurrent_jobs_share_the_generation_store(tmp_path):
    """Two processes writing the SQLite store at once, as the jobs of a joblib sweep do."""
    path = str(tmp_path / "generations.sqlite")
    GenerationCache(path).close()
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_writer, args=(path, s)) for s in (0, 150)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    cache = GenerationCache(path)
    assert len(cache) == 300
    assert cache.get("key299") == Generation("summary 299")
    cache.close()


def test_report_of_a_sweep_folder_without_jobs(tmp_path):
    (tmp_path / "multirun.yaml").write_text("hydra: {}\n")
    runs, problems = report.find_runs([tmp_path])
    assert runs == [] and "no job folders" in problems[0]


@pytest.mark.slow
def test_served_model_sweep_shares_the_cache_between_parallel_jobs(tmp_path, summbench):
    """model=openai (as vLLM serves it) in a joblib sweep: both jobs write the one store at
    once, and the same sweep again is answered from it without a request."""
    from chat_server import ChatServer

    with ChatServer() as server:
        args = [
            "-m",
            "model=openai",
            "model.name=tiny-served",
            f"model.base_url={server.url}",
            "prompt=abstract,key_facts",
            "hydra/launcher=joblib",
            "hydra.launcher.n_jobs=2",
        ]
        first = summbench(*args, f"hydra.sweep.dir={tmp_path / 'first'}")
        assert first.returncode == 0, first.stderr
        assert server.completed == 8  # 4 documents x 2 prompts
        again = summbench(*args, f"hydra.sweep.dir={tmp_path / 'again'}")
        assert again.returncode == 0, again.stderr
        assert server.completed == 8
    for sweep in ("first", "again"):
        rows = board_rows(tmp_path / sweep / "leaderboard.md")
        assert [r[:2] for r in rows] == [["tiny-served", "abstract"], ["tiny-served", "key_facts"]]
    assert (tmp_path / "first" / "leaderboard.md").read_bytes() == (
        tmp_path / "again" / "leaderboard.md"
    ).read_bytes()


def test_a_sweep_turns_the_garbage_collector_on_in_the_launching_process(tmp_path):
    # harness/__main__.py turns it off while the command line is answered; with joblib or
    # submitit no job runs in this process to turn it on again.
    import gc

    from omegaconf import OmegaConf

    from harness.callbacks import SweepReport

    sweep_report = SweepReport()
    gc.disable()
    try:
        sweep_report.on_multirun_start(
            OmegaConf.create({"hydra": {"sweep": {"dir": str(tmp_path)}}})
        )
        assert gc.isenabled()
    finally:
        gc.enable()
        sweep_report._sweep_dir = None  # no sweep ran: nothing to report at exit
