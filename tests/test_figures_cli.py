"""summbench-figures: one summary from files, many from --pairs, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from harness import ROOT
from harness.metrics.figures import FigureFidelity
from harness.metrics.figures_cli import main

SEED_003 = next((ROOT / "seeds").glob("003_*.txt"))


@pytest.fixture
def files(tmp_path):
    summary = tmp_path / "summary.txt"
    summary.write_text("Alibaba plans 380 billion yuan ($52 billion); ACM rose 15%.\n")
    reference = tmp_path / "ref.txt"
    reference.write_text("ACM and NAURA rose 15% and 10%, respectively.\n")
    return summary, reference


def test_report(files, capsys):
    summary, reference = files
    assert (
        main(["--source", str(SEED_003), "--summary", str(summary), "--reference", str(reference)])
        == 0
    )
    out = capsys.readouterr().out
    assert "FAIL '$52 billion' (money): value, nearest '$53 billion'" in out
    assert "ok   '15%'" in out
    assert "precision 0.667 (2/3 supported), recall 0.500 (1/2 reference figures stated)" in out


def test_json(files, capsys):
    summary, _ = files
    assert main(["--source", str(SEED_003), "--summary", str(summary), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert [(f["text"], f["supported"]) for f in record["figures"]] == [
        ("380 billion yuan", True),
        ("$52 billion", False),
        ("15%", True),
    ]
    assert record["figure_recall"] is None and record["figure_count"] == 3


def test_pairs(tmp_path, capsys):
    pairs = tmp_path / "pairs.jsonl"
    lines = [
        {"id": "a", "source": "Sales rose 5% to $3 billion.", "summary": "Sales rose 5%."},
        "not json at all",
        {
            "id": "b",
            "source": "Sales rose 5%.",
            "summary": "Sales rose 6%.",
            "references": ["Sales rose 5%."],
        },
        {"id": "c", "summary": "no source"},
        {"id": "d", "source": "x", "summary": "y", "references": [1]},
        {"source": "x", "summary": "y"},
    ]
    raw = [json.dumps(x) if isinstance(x, dict) else x for x in lines]
    data = ("\n".join(raw[:2]) + "\n").encode() + b'{"id": "e", "source": "\xff"}\n'
    data += ("\n".join(raw[2:]) + "\n\n").encode()
    pairs.write_bytes(data)
    assert main(["--pairs", str(pairs)]) == 1
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    assert records[0]["figures"][0]["text"] == "5%" and records[0]["figures"][0]["supported"]
    assert records[0]["figure_precision"] == 1.0
    assert records[1]["figures"][0]["supported"] is False
    assert records[1]["figure_recall"] == 0.0
    errors = err.splitlines()
    assert errors == [
        f"summbench-figures: error: {pairs}:2: not JSON (Expecting value at column 1)",
        f"summbench-figures: error: {pairs}:3: not UTF-8 (byte 23 of the line)",
        f"summbench-figures: error: {pairs}:5: 'source' missing or not a string",
        f"summbench-figures: error: {pairs}:6: 'references' must be a list of strings",
        f"summbench-figures: error: {pairs}:7: 'id' missing",
    ]


def test_a_pair_the_check_fails_on_is_reported_by_line_and_the_rest_are_checked(
    tmp_path, capsys, monkeypatch
):
    real = FigureFidelity.score_texts

    def score_texts(self, source, summary, references=()):
        if "crash" in summary:
            raise ValueError("invalid literal for int() with base 10: '2.30'")
        return real(self, source, summary, references)

    monkeypatch.setattr(FigureFidelity, "score_texts", score_texts)
    rows = [("a", "Sales rose 5%."), ("b", "It will crash: 5%."), ("c", "Sales rose 6%.")]
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        "".join(
            json.dumps({"id": i, "source": "Sales rose 5%.", "summary": s}) + "\n" for i, s in rows
        )
    )
    assert main(["--pairs", str(pairs)]) == 1
    out, err = capsys.readouterr()
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["a", "c"]
    assert err.splitlines() == [
        f"summbench-figures: error: {pairs}:2: cannot check "
        "(ValueError: invalid literal for int() with base 10: '2.30')"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty file"), (b"  \n", "empty file"), (b"caf\xe9 5%", "1: not UTF-8 (byte 3)")],
)
def test_bad_files(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("Sales rose 5%.")
    assert main(["--source", str(good), "--summary", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err == f"summbench-figures: error: {bad}: {message}\n".replace(": 1:", ":1:")


def test_empty_pairs_file_and_missing_arguments(tmp_path, capsys):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert main(["--pairs", str(empty)]) == 2
    assert capsys.readouterr().err == f"summbench-figures: error: {empty}: empty file\n"
    assert main(["--summary", str(empty)]) == 2
    assert "give --source and --summary, or --pairs" in capsys.readouterr().err
    assert main(["--pairs", str(tmp_path / "missing.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.slow
def test_module_runs_as_a_command(tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        json.dumps({"id": 1, "source": "It cost €78bn.", "summary": "It cost â‚¬78bn."})
    )
    done = subprocess.run(
        [sys.executable, "-m", "harness.metrics.figures_cli", "--pairs", str(pairs)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["figures"][0]["text"] == "â‚¬78bn" and record["figures"][0]["supported"]
