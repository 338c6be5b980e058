"""A run folder holds one run's outputs: checked before it is touched, replaced as a set, kept
when a run stops early; bad settings and files are one line and exit status 2."""

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from chat_server import ChatServer
from conftest import SUMMBENCH

from harness import ROOT
from harness.errors import UsageError
from harness.run import run

# Hydra's log is appended by every invocation; everything else belongs to one run.
NOT_OWNED = {"summbench.log"}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under the folder (Hydra's .hydra/ included), by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in NOT_OWNED
    }


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_bad_setting_of_the_last_summarizer_leaves_the_folder_as_it_was(config, tmp_path):
    out = tmp_path / "run"
    run(config("model=lead"), out)
    before = snapshot(out)
    assert "generations.jsonl" in before
    # lead is fine and would run first: the openai setting must stop the run before that.
    bad = config("model=[lead,openai]", "model.openai.name=m", "model.openai.timeout=0")
    with pytest.raises(UsageError, match="model.openai: timeout must be above 0"):
        run(bad, out)
    assert snapshot(out) == before
    assert sorted(p.name for p in out.iterdir()) == sorted(before)


@pytest.mark.slow
def test_a_rerun_that_fails_on_a_model_setting_keeps_the_previous_run(summbench, tmp_path):
    out = tmp_path / "X"
    first = summbench("model=lead", f"hydra.run.dir={out}")
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    assert {"generations.jsonl", "scores.jsonl", "leaderboard.md", ".hydra/overrides.yaml"} <= set(
        before
    )
    again = summbench("model=openai", "model.name=m", "model.timeout=0", f"hydra.run.dir={out}")
    assert again.returncode == 2
    assert again.stderr.strip().splitlines() == [
        "summbench: error: model.openai: timeout must be above 0 seconds, not 0"
    ]
    # Hydra's copies of the invocation included: they still describe the outputs in the folder.
    assert snapshot(out) == before


def test_a_run_owns_exactly_the_files_it_lists(config, tmp_path):
    out = tmp_path / "run"
    run(config("model=lead"), out)
    assert (out / "unsupported_figures.jsonl").is_file()
    (out / "notes.txt").write_text("mine\n")  # not a run's: left alone
    run(config("model=lead", "~metrics.figures"), out)  # a run that does not measure figures
    listed = json.loads((out / "run.json").read_text())["files"]
    present = sorted(p.name for p in out.iterdir() if p.is_file())
    assert sorted([*listed, "notes.txt"]) == present
    assert not list(out.glob("unsupported_figures.*"))
    assert "figure_precision" not in (out / "leaderboard.csv").read_text()


def test_a_run_replaces_what_an_older_run_json_did_not_list(config, tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    for name in ("unsupported_figures.jsonl", "unsupported_figures.csv", "report.html"):
        (out / name).write_text("stale\n")
    (out / "run.json").write_text('{"measures": {}, "systems": {}}\n')  # before "files"
    run(config("model=lead", "~metrics.figures"), out)
    assert not list(out.glob("unsupported_figures.*"))
    assert "stale" not in (out / "report.html").read_text()  # every run writes its own report


def test_a_document_without_references_is_left_out_by_the_oracle_and_the_run_succeeds(
    config, tmp_path
):
    seeds, refs = tmp_path / "seeds", tmp_path / "references"
    shutil.copytree(ROOT / "seeds", seeds)
    shutil.copytree(ROOT / "references", refs)
    bare = sorted(seeds.glob("*.txt"))[0].stem
    shutil.rmtree(refs / bare)
    out = tmp_path / "run"
    stats = run(
        config(
            "model=[lead,oracle]", f"dataset.seeds_dir={seeds}", f"dataset.references_dir={refs}"
        ),
        out,
    )
    assert all(s.failures == 0 for s in stats.values())
    assert stats["oracle"].skipped == 1 and stats["lead"].skipped == 0
    generations = {(g["system"], g["doc_id"]): g for g in read_jsonl(out / "generations.jsonl")}
    skipped = generations[("oracle", bare)]
    assert skipped["summary"] == "" and skipped["error"] is None and skipped["warnings"]
    scores = {(s["system"], s["doc_id"]): s for s in read_jsonl(out / "scores.jsonl")}
    assert ("oracle", bare) not in scores  # nothing to score, and not a zero
    assert len(scores) == 2 * 4 - 1
    assert "rouge1" not in scores[("lead", bare)]  # reference-based metrics left empty
    assert scores[("lead", bare)]["words"] > 0


# --------------------------------------------------------------------------- stopped runs


@pytest.fixture
def slow_server():
    with ChatServer(delay=30.0) as server:
        yield server


@pytest.mark.slow
@pytest.mark.parametrize(
    "stop, status, said", [(signal.SIGINT, 130, "Ctrl-C"), (signal.SIGTERM, 143, "SIGTERM")]
)
def test_a_stopped_run_keeps_the_systems_it_finished(slow_server, tmp_path, stop, status, said):
    out = tmp_path / "X"
    cache = f"cache_path={tmp_path / 'cache.sqlite'}"
    command = [str(SUMMBENCH), "progress=false", cache, f"hydra.run.dir={out}"]
    earlier = subprocess.run([*command, "model=textrank"], cwd=ROOT, capture_output=True)
    assert earlier.returncode == 0, earlier.stderr
    proc = subprocess.Popen(
        [
            *command,
            "model=[lead,openai]",
            f"model.openai.base_url={slow_server.url}",
            "model.openai.name=tiny-model",
            "model.openai.concurrency=1",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not slow_server.seen:  # lead is done; openai waits for its first answer
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "openai never asked the server"
            time.sleep(0.05)
        proc.send_signal(stop)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == status
    assert stderr.strip().splitlines() == [
        f"summbench: stopped by {said}; {out} keeps the systems that finished: lead"
    ]
    # The finished system replaced the earlier run as a whole: no textrank row is left over.
    info = json.loads((out / "run.json").read_text())
    assert list(info["systems"]) == ["lead"]
    assert {g["system"] for g in read_jsonl(out / "generations.jsonl")} == {"lead"}
    assert {s["system"] for s in read_jsonl(out / "scores.jsonl")} == {"lead"}
    assert "| lead |" in (out / "leaderboard.md").read_text()
    assert not (out / ".summbench-staging").exists()


@pytest.mark.slow
def test_a_run_stopped_before_any_system_finished_leaves_the_folder_as_it_was(
    slow_server, summbench, tmp_path
):
    out = tmp_path / "X"
    assert summbench("model=lead", f"hydra.run.dir={out}").returncode == 0
    before = snapshot(out)
    proc = subprocess.Popen(
        [
            str(SUMMBENCH),
            "model=openai",
            f"model.base_url={slow_server.url}",
            "model.name=tiny-model",
            f"hydra.run.dir={out}",
            f"cache_path={tmp_path / 'cache.sqlite'}",
            "progress=false",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not slow_server.seen:
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "openai never asked the server"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert stderr.strip().splitlines() == [
        f"summbench: stopped by Ctrl-C; no system had finished, so {out} is as it was"
    ]
    assert snapshot(out) == before


# --------------------------------------------------------------------------- bad input


def unwritable_folder(tmp_path: Path) -> tuple[Path, list[str]]:
    """A read-only folder, and the command prefix under which it is read-only.

    root writes anywhere; in a user namespace of its own (``unshare -U``) it is an ordinary user.
    """
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() != 0:
        return folder, []
    if not shutil.which("unshare") or subprocess.run(["unshare", "-U", "true"]).returncode:
        pytest.skip("running as root without user namespaces: no folder is read-only")
    return folder, ["unshare", "-U"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "where, message",
    [
        ("file", "hydra.run.dir={file}: {file} is a file, not a folder"),
        ("under a file", "hydra.run.dir={file}/run: {file} is a file, not a folder"),
        ("read-only", "hydra.run.dir={ro}/run: cannot write in {ro}/run (Permission denied)"),
    ],
)
def test_an_unusable_run_folder_is_one_line_and_exit_2(tmp_path, where, message):
    file = tmp_path / "a-file"
    file.write_text("not a folder\n")
    ro, prefix = unwritable_folder(tmp_path) if where == "read-only" else (None, [])
    out = {"file": file, "under a file": file / "run", "read-only": f"{ro}/run"}[where]
    result = subprocess.run(
        [
            *prefix,
            str(SUMMBENCH),
            "model=lead",
            f"hydra.run.dir={out}",
            "progress=false",
            "cache=false",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    expected = "summbench: error: " + message.format(file=file, ro=ro)
    assert result.stderr.strip().splitlines() == [expected]
    assert file.read_text() == "not a folder\n"


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.slow
@pytest.mark.parametrize(
    "args, message",
    [
        (["modle=lead"], "modle=lead: no group or setting named 'modle' (did you mean model?)"),
        (["+modle=lead"], "+modle=lead: no group or setting named 'modle' (did you mean model?)"),
        (
            ["model=lead", "prompt.budget.size=2.5"],
            "prompt: budget.size must be a whole number, not 2.5",
        ),
        (["model=lead", "dataset.limit=-1"], "dataset.limit=-1: must be a number of documents"),
        (["model=lead", "cache=maybe"], "cache=maybe: must be true or false"),
    ],
)
def test_bad_settings_are_one_line_and_exit_2(summbench, tmp_path, args, message):
    result = summbench(*args, f"hydra.run.dir={tmp_path / 'run'}")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"summbench: error: {message}"), result.stderr
    assert not (tmp_path / "run" / "generations.jsonl").exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        (["dataset.limit=0"], "dataset.limit=0: must be a number of documents, at least 1"),
        (["cache=maybe"], "cache=maybe: must be true or false"),
        (["prompt.budget.size=2.5"], "prompt: budget.size must be a whole number, not 2.5"),
        (["prompt.budget.size=true"], "prompt: budget.size must be a whole number, not True"),
    ],
)
def test_bad_settings_stop_the_run_before_it_writes(config, tmp_path, overrides, message):
    with pytest.raises(UsageError) as e:
        run(config("model=lead", *overrides), tmp_path / "run")
    assert str(e.value).startswith(message)
    assert not list((tmp_path / "run").iterdir())


@pytest.mark.parametrize(
    "row, message",
    [
        (
            {"document": ["Alpha rose 5%.", "It was good."], "summary": "Alpha rose."},
            "dataset.text_field='document': the column holds lists in {path}, not text",
        ),
        (
            {"document": 12345, "summary": "Alpha rose."},
            "dataset.text_field='document': the column holds int64 values in {path}, not text",
        ),
        (
            {"document": "Alpha rose 5%.", "summary": 5},
            "dataset.summary_field='summary': the column holds int64 values in {path}, "
            "not text or lists of text",
        ),
    ],
)
def test_a_field_of_the_wrong_type_is_one_line_naming_the_setting(config, tmp_path, row, message):
    path = write_jsonl(tmp_path / "data.jsonl", [row])
    with pytest.raises(UsageError) as e:
        run(config("model=lead", "dataset=hf", f"dataset.path={path}"), tmp_path / "run")
    assert str(e.value) == message.format(path=path)


@pytest.mark.parametrize(
    "summaries, references",
    [
        ([["Alpha rose 5%.", "Up 5%."], ["Beta fell."]], [2, 1]),  # lists of references
        (["Alpha rose 5%.", ["Beta fell.", "Down."]], [1, 2]),  # strings and lists mixed
        ([None, None], [0, 0]),  # no references at all
    ],
)
def test_summary_columns_of_strings_lists_or_nulls_still_load(
    config, tmp_path, summaries, references
):
    texts = ["Alpha rose 5%. It was good.", "Beta fell 3%. Nobody was surprised."]
    rows = [{"document": t, "summary": s} for t, s in zip(texts, summaries, strict=True)]
    path = write_jsonl(tmp_path / "data.jsonl", rows)
    cfg = config("model=lead", "dataset=hf", f"dataset.path={path}")
    run(cfg, tmp_path / "run")
    scores = read_jsonl(tmp_path / "run" / "scores.jsonl")
    assert [("rouge1" in s) for s in scores] == [n > 0 for n in references]


def damaged_cache(path: Path) -> Path:
    """A generation cache whose pages after the first (the header and schema) are garbage."""
    from harness.cache import GenerationCache
    from harness.types import Generation

    with GenerationCache(path) as cache:
        for i in range(300):
            cache.put(f"key{i}", Generation(f"summary {i} " * 50), {"model": "m"})
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xa5" * (len(data) - 4096)
    path.write_bytes(bytes(data))
    return path


def test_a_damaged_cache_page_is_a_one_line_error_naming_the_file(tmp_path):
    from harness.cache import GenerationCache

    path = damaged_cache(tmp_path / "cache.sqlite")
    with GenerationCache(path) as cache, pytest.raises(UsageError) as e:
        cache.get("key5")
    assert str(e.value).startswith(f"cache_path {path}: database disk image is malformed")


@pytest.mark.slow
def test_a_run_on_a_damaged_cache_is_one_line_and_exit_2(tmp_path):
    path = damaged_cache(tmp_path / "cache.sqlite")
    with ChatServer() as server:
        result = subprocess.run(
            [
                str(SUMMBENCH),
                "model=openai",
                f"model.base_url={server.url}",
                "model.name=tiny-model",
                f"cache_path={path}",
                f"hydra.run.dir={tmp_path / 'run'}",
                "progress=false",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        f"summbench: error: cache_path {path}: database disk image is malformed"
    )


def test_a_stop_while_the_files_move_waits_until_all_have_moved(tmp_path, monkeypatch):
    """A second Ctrl-C (or SLURM's second TERM) during publishing must not leave a folder that
    mixes the new run's files with the old run.json: the signal comes once the moves are done."""
    from harness import run_folder

    (tmp_path / "run").mkdir()
    folder = run_folder.RunFolder(tmp_path / "run")
    names = ["a.jsonl", "b.jsonl", "run.json"]
    for name in names:
        (folder.staging / name).write_text(name)
    real = os.replace

    def replace(src, dst):
        if Path(src).name == "a.jsonl":
            os.kill(os.getpid(), signal.SIGINT)
        return real(src, dst)

    monkeypatch.setattr(run_folder.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        folder.publish(names)
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == names
