"""A dataset's name and its broken lines: what the gate and the user read about a data file."""

from __future__ import annotations

import json

import pytest

from harness.data import HFDataset
from harness.errors import UsageError


def test_a_dataset_is_named_after_its_file_or_hub_id(tmp_path):
    assert HFDataset(str(tmp_path / "news.jsonl")).name == "news"
    assert HFDataset("abisee/cnn_dailymail", config_name="3.0.0").name == "cnn_dailymail-3.0.0"
    assert HFDataset("EdinburghNLP/xsum").name == "xsum"
    assert HFDataset(str(tmp_path / "news.jsonl"), name="mine").name == "mine"


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_a_broken_json_line_is_reported_by_its_own_line_number(tmp_path, suffix):
    path = tmp_path / f"data{suffix}"
    good = json.dumps({"document": "Alpha rose 3%.", "summary": "Alpha rose."})
    path.write_text(f'{good}\n{good}\n{{"document": "x", oops\n{good}\n')
    with pytest.raises(UsageError) as e:
        HFDataset(str(path)).load()
    assert str(e.value).startswith(f"{path}:3: not valid JSON")
