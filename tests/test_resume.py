"""Resume: a run killed half-way, or with failed documents, is finished by the next run.

Through the real ``summbench`` command against a real local chat-completions server: the next
run asks only for what the first did not store, and writes the same files an uninterrupted run
writes.
"""

import json
import os
import signal
import subprocess
import time

import pytest
from chat_server import ChatServer
from conftest import SUMMBENCH, make_config, run_summbench

from harness import ROOT
from harness.data import to_documents
from harness.run import _instantiate

pytestmark = pytest.mark.slow

OUTPUTS = ("generations.jsonl", "scores.jsonl", "leaderboard.csv")


@pytest.fixture(scope="module")
def markers() -> dict[str, str]:
    """doc_id -> text only that document's requests contain."""
    documents = to_documents(_instantiate(make_config().dataset, "dataset").load())
    return {d.id: d.text[:60] for d in documents}


@pytest.fixture(scope="module")
def server():
    with ChatServer() as s:
        yield s


def args(server: ChatServer, out, cache, *more: str) -> list[str]:
    return [
        "model=openai",
        f"model.base_url={server.url}",
        "model.name=tiny-model",
        f"hydra.run.dir={out}",
        f"cache_path={cache}",
        *more,
    ]


def asked(server: ChatServer, markers: dict[str, str], status: int | None = None) -> list[str]:
    """The documents the server was asked about (and answered with ``status``), per request."""
    return sorted(
        doc_id
        for s in server.seen
        if status is None or s.status == status
        for doc_id, m in markers.items()
        if m in json.dumps(s.body)
    )


@pytest.fixture(scope="module")
def uninterrupted(server, tmp_path_factory, markers):
    """A run that nothing disturbs: what every resumed run must write."""
    base = tmp_path_factory.mktemp("uninterrupted")
    server.reset()
    result = run_summbench(*args(server, base / "out", base / "cache.sqlite"))
    assert result.returncode == 0, result.stderr
    assert asked(server, markers) == sorted(markers)
    return base / "out"


def same_outputs(a, b) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_a_run_killed_half_way_is_finished_by_the_next(server, uninterrupted, markers, tmp_path):
    server.reset()
    server.delay = 1.0
    cache = tmp_path / "cache.sqlite"
    command = [
        str(SUMMBENCH),
        *args(server, tmp_path / "killed", cache, "model.concurrency=2"),
        "progress=false",
    ]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while server.completed < 2:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the run never got two replies"
            time.sleep(0.02)
        # Two replies are in and stored; two more requests are in flight (1 s each).
        time.sleep(0.3)
        stored = asked(server, markers, status=200)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert len(stored) == 2 and not (tmp_path / "killed" / "generations.jsonl").exists()

    server.reset()
    server.delay = 0.0
    result = subprocess.run(
        [str(SUMMBENCH), *args(server, tmp_path / "resumed", cache), "progress=false"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    # Only the documents that were not stored, each once: every document summarized once overall.
    assert asked(server, markers) == sorted(set(markers) - set(stored))
    run = json.loads((tmp_path / "resumed" / "run.json").read_text())
    assert run["systems"]["tiny-model"]["cache_hits"] == 2
    same_outputs(tmp_path / "resumed", uninterrupted)


def test_failed_documents_end_in_exit_1_and_only_they_are_retried(
    server, uninterrupted, markers, tmp_path
):
    server.reset()
    failing = sorted(markers)[1]
    server.script(markers[failing], *[500] * 10)
    cache = tmp_path / "cache.sqlite"
    more = ("model.max_retries=2", "model.backoff=0.01")
    first = run_summbench(*args(server, tmp_path / "first", cache, *more))
    assert first.returncode == 1
    assert first.stderr.strip().splitlines()[-1] == (
        "summbench: 1 generations failed (tiny-model: 1 of 4); see generations.jsonl, "
        "and re-run to retry only those"
    )
    assert asked(server, markers).count(failing) == 3
    records = [json.loads(line) for line in (tmp_path / "first" / "generations.jsonl").open()]
    errors = {r["doc_id"]: r["error"] for r in records}
    assert errors.pop(failing).startswith("HTTP 500")
    assert set(errors.values()) == {None}
    scored = [json.loads(line)["doc_id"] for line in (tmp_path / "first" / "scores.jsonl").open()]
    assert failing not in scored and len(scored) == 3

    server.reset()
    second = run_summbench(*args(server, tmp_path / "second", cache, *more))
    assert second.returncode == 0, second.stderr
    assert asked(server, markers) == [failing]
    same_outputs(tmp_path / "second", uninterrupted)
