"""Tests that kill hand-made mutants which once survived the whole suite.

Each test drives public behaviour (a metric built from conf/, a command's output, a cache key),
so it survives the rewrites of the modules behind it. The mutant each one kills is named in its
docstring; the gate's own (NaN accepted) lives in test_check.py.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hydra.utils import instantiate
from omegaconf import OmegaConf
from rouge_score import rouge_scorer

from harness import ROOT
from harness.cache import cache_key
from harness.report import main as report_main
from harness.types import Budget, Document, Request

METRICS = OmegaConf.load(ROOT / "conf" / "metrics" / "default.yaml")


def metric(name: str, **settings):
    """A metric as a run builds it from conf/metrics/default.yaml."""
    return instantiate(METRICS[name], **settings)


# --------------------------------------------------------------------------- metrics


def test_rougelsum_splits_the_prediction_into_sentences():
    """Mutant: rougeLsum scored on the prediction as one line."""
    doc = Document("d", "unused", ("alpha beta.",))
    prediction = "Beta gamma. Alpha delta."
    scores = metric("rouge").score(doc, prediction)
    expected = rouge_scorer.RougeScorer(["rougeLsum"], use_stemmer=True).score(
        "alpha beta.", "Beta gamma.\nAlpha delta."
    )
    assert scores["rougeLsum"] == pytest.approx(expected["rougeLsum"].fmeasure) == 2 / 3
    assert scores["rougeL"] == pytest.approx(1 / 3)  # one line: the LCS keeps one word


def test_figure_recall_counts_a_reference_figure_whose_qualifier_differs():
    """Mutant: recall counts only fully supported reference figures."""
    source = "Revenue was nearly $50 billion."
    scores = metric("figures").score(
        Document("d", source, (source,)), "Revenue was over $50 billion."
    )
    assert scores["figure_precision"] == 0.0  # "over" contradicts "nearly"
    assert scores["figure_recall"] == 1.0  # but the summary does state the reference's figure


@pytest.mark.parametrize(
    "summary, supported",
    [("$52.9 billion", True), ("$53 billion", True), ("$52.8 billion", False)],
)
def test_rounding_keeps_the_digits_the_summary_shows(summary, supported):
    """Mutant: the source figure rounded to an integer whatever the summary shows."""
    doc = Document("d", "Revenue was $52.94 billion.")
    scores = metric("figures", rounding=True).score(doc, f"Revenue was {summary}.")
    assert scores["figure_precision"] == (1.0 if supported else 0.0)


# --------------------------------------------------------------------------- --compare


def write_run(folder: Path, dataset: str, values: dict[str, list[float]]) -> Path:
    """A run folder as harness.run writes it: values[system] = rouge1 per document."""
    folder.mkdir(parents=True)
    lines = [
        {"doc_id": f"d{i}", "system": s, "prompt": "abstract", "dataset": dataset, "rouge1": v}
        for s, vs in values.items()
        for i, v in enumerate(vs)
    ]
    (folder / "scores.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    systems = {s: {"documents": len(vs), "failures": 0, "errors": []} for s, vs in values.items()}
    info = {"dataset": dataset, "measures": {"rouge1": True}, "systems": systems}
    (folder / "run.json").write_text(json.dumps(info))
    return folder


def compare_row(capsys, *args: str) -> list[str]:
    assert report_main([*args]) in (0, 1)
    out = capsys.readouterr().out
    (line,) = [x for x in out.splitlines() if x.startswith("| rouge1 |") and "%" not in x][-1:]
    return [c.strip() for c in line.strip("|").split("|")]


def test_the_sign_flip_test_flips_signs_beyond_the_exact_limit(tmp_path, capsys):
    """Mutant: the sampled permutations (more than 16 documents) never flip a sign, p = 1."""
    n = 20
    a = [0.4 + 0.01 * i for i in range(n)]
    run = write_run(tmp_path / "run", "news", {"a": a, "b": [x - 0.1 for x in a]})
    cells = compare_row(capsys, str(run), "--compare", "a", "b")
    assert cells[1] == str(n)
    assert float(cells[6]) < 0.001 and "better" in cells[7]


def test_compare_keeps_each_dataset_s_documents_apart(tmp_path, capsys):
    """Mutant: a document's scores averaged across datasets that reuse its id."""
    a = [0.4 + 0.01 * i for i in range(5)]
    news = write_run(tmp_path / "news", "news", {"a": a, "b": [x - 0.1 for x in a]})
    blogs = write_run(tmp_path / "blogs", "blogs", {"a": a, "b": [x + 0.2 for x in a]})
    out = tmp_path / "report"
    cells = compare_row(capsys, str(news), str(blogs), "--out", str(out), "--compare", "a", "b")
    assert cells[1] == "10"  # ten documents, not five averaged pairs


# --------------------------------------------------------------------------- the cache key


@pytest.mark.slow
@pytest.mark.parametrize("setting, other", [("dtype", "bfloat16"), ("max_input_tokens", 64)])
def test_the_hf_cache_key_changes_with_every_output_setting(tiny_seq2seq, setting, other):
    """Mutant: dtype or max_input_tokens left out of the HF backend's identity."""
    node = OmegaConf.load(ROOT / "conf" / "model" / "hf_seq2seq.yaml").hf_seq2seq
    node.name_or_path = str(tiny_seq2seq)
    request = Request(Document("d", "Alpha rose 3%."), "", "Alpha rose 3%.", Budget())
    plain = instantiate(node)
    changed = instantiate(node, **{setting: other})
    assert cache_key(plain.identity, request) != cache_key(changed.identity, request)


def test_a_cache_key_ignores_the_order_of_an_identity_and_takes_any_value():
    """Mutants: the key's JSON without sort_keys, or without default=str."""
    request = Request(Document("d", "Alpha rose 3%."), "", "Alpha rose 3%.", Budget())
    one = cache_key({"backend": "x", "seed": 0, "path": Path("/m")}, request)
    assert one == cache_key({"path": Path("/m"), "seed": 0, "backend": "x"}, request)
    assert one != cache_key({"backend": "x", "seed": 1, "path": Path("/m")}, request)


# --------------------------------------------------------------------------- the API key


class _EchoHeader(BaseHTTPRequestHandler):
    """Answers 400 with the request's Authorization header in its error text."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"error": {"message": f"bad auth: {self.headers['Authorization']}"}})
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args) -> None:
        pass


def test_a_key_echoed_in_an_error_never_reaches_the_generation(monkeypatch):
    """Mutant: the API key scrub removed."""
    from harness.summarizers.openai import OpenAISummarizer

    key = "sk-gate-0123456789abcdefghij"
    monkeypatch.setenv("SUMMBENCH_GATE_KEY", key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoHeader)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        summarizer = OpenAISummarizer(
            "m", base_url=url, api_key_env="SUMMBENCH_GATE_KEY", max_retries=0
        )
        request = Request(Document("d", "Alpha rose 3%."), "", "Alpha rose 3%.", Budget())
        (_, generation), *_ = list(summarizer.summarize([request]))
    finally:
        server.shutdown()
        server.server_close()
    assert generation.error and "bad auth" in generation.error
    pieces = {key[i : i + 8] for i in range(len(key) - 7)}
    assert not [p for p in pieces if p in generation.error], generation.error
    assert not re.search(r"0123|ghij", generation.error)
