"""Scoring across processes: the same numbers as one process, and a failure stays its document's."""

from __future__ import annotations

import json
import pickle

import pytest

from harness import ROOT
from harness.data import clean_text
from harness.errors import UsageError
from harness.run import run, score
from harness.scoring import resolve_workers, score_all
from harness.types import Document


def write_corpus(path, documents: int = 48) -> None:
    """Articles of five consecutive seed paragraphs; the reference is the first of them."""
    paragraphs = [
        line
        for seed in sorted((ROOT / "seeds").glob("*.txt"))
        for line in clean_text(seed.read_text(encoding="utf-8"), drop_headings=True).splitlines()
        if len(line.split()) >= 12
    ]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(documents):
            window = [paragraphs[(i + k) % len(paragraphs)] for k in range(5)]
            row = {"document": "\n\n".join(window), "summary": window[0]}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


@pytest.mark.slow
def test_two_workers_write_the_same_files_as_one(config, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus)
    folders = {}
    for workers in (1, 2):
        folders[workers] = tmp_path / f"workers{workers}"
        cfg = config(
            "model=[lead,random]",
            "dataset=hf",
            f"dataset.path={corpus}",
            f"scoring.workers={workers}",
        )
        run(cfg, folders[workers])
    for name in ("scores.jsonl", "generations.jsonl", "unsupported_figures.jsonl"):
        one, two = (folders[w] / name for w in (1, 2))
        assert one.read_bytes() == two.read_bytes(), name
    assert len((folders[2] / "scores.jsonl").read_text().splitlines()) == 2 * 48


class FailsOnMarkedDocuments:
    """A metric that raises on documents whose id starts with "bad" (importable by workers)."""

    higher_is_better = {"length": True}

    def score(self, doc: Document, prediction: str) -> dict:
        if doc.id.startswith("bad"):
            raise ValueError(f"cannot score {doc.id}")
        return {"length": len(prediction)}


class Unpicklable(Exception):
    def __init__(self, code: int, detail: str):  # pickle re-creates it with one argument only
        super().__init__(f"{code}: {detail}")


class FailsUnpicklably(FailsOnMarkedDocuments):
    def score(self, doc: Document, prediction: str) -> dict:
        if doc.id.startswith("bad"):
            raise Unpicklable(7, doc.id)
        return super().score(doc, prediction)


def score_or_raise(metrics, doc: Document, summary: str) -> tuple[dict, dict]:
    """A scoring function that lets a metric's exception out (run.score records it instead)."""
    return {k: v for m in metrics.values() for k, v in m.score(doc, summary).items()}, {}


@pytest.mark.parametrize("workers", [1, 2])
def test_a_metric_failure_stays_with_its_document(workers):
    pairs = [(Document(f"{'bad' if i % 7 == 3 else 'ok'}{i}", "text"), "x" * i) for i in range(30)]
    futures = score_all(score_or_raise, {"m": FailsOnMarkedDocuments()}, pairs, workers)
    assert len(futures) == len(pairs)
    for (doc, summary), future in zip(pairs, futures, strict=True):
        if doc.id.startswith("bad"):
            with pytest.raises(ValueError, match=f"cannot score {doc.id}$"):
                future.result()
        else:
            assert future.result() == ({"length": len(summary)}, {})
    # run.score records the failure in the document's numbers, the same through a pool.
    recorded = [f.result() for f in score_all(score, {"m": FailsOnMarkedDocuments()}, pairs, 2)]
    assert recorded[3][0]["metric_errors"] == {"m": "ValueError: cannot score bad3"}
    assert recorded == [
        f.result() for f in score_all(score, {"m": FailsOnMarkedDocuments()}, pairs, 1)
    ]


def test_an_exception_that_cannot_cross_processes_keeps_its_type_and_message():
    with pytest.raises(TypeError):
        pickle.loads(pickle.dumps(Unpicklable(7, "x")))
    pairs = [(Document(f"{'bad' if i == 5 else 'ok'}{i}", "text"), "a b") for i in range(12)]
    futures = score_all(score_or_raise, {"m": FailsUnpicklably()}, pairs, workers=2)
    with pytest.raises(RuntimeError, match=r"^Unpicklable: 7: bad5$"):
        futures[5].result()
    assert futures[4].result()[0]["length"] == 3


def test_workers_null_uses_a_pool_only_for_enough_documents(monkeypatch):
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert resolve_workers(None, 4) == 1  # the seeds: in-process
    assert resolve_workers(None, 600) == 2
    assert resolve_workers(None, 100_000) == 4
    assert resolve_workers(3, 4) == 3  # a number is taken as it is


@pytest.mark.parametrize("value", ["0", "-1", "two", "true", "1.5"])
def test_a_bad_workers_setting_is_one_line_naming_it(config, tmp_path, value):
    with pytest.raises(UsageError, match=r"^scoring\.workers="):
        run(config("model=lead", f"scoring.workers={value}"), tmp_path / "run")
    assert not (tmp_path / "run" / "generations.jsonl").exists()
