"""A system is named by its model (its ``label``) wherever results show it; extractive systems
keep their config key, and two systems of one run cannot share a name."""

import csv
import json

import pytest
from test_report import docs, write_run

from harness import report
from harness.check import main as check_main
from harness.run import run
from harness.types import model_label


@pytest.mark.parametrize(
    ("name_or_path", "label"),
    [
        ("Qwen/Qwen2.5-0.5B-Instruct", "Qwen2.5-0.5B-Instruct"),  # a hub id, or a served name
        ("/models/my-model/", "my-model"),  # a folder, trailing slash or not
        ("~/models/SmolLM2-135M-Instruct.Q4_1.gguf", "SmolLM2-135M-Instruct.Q4_1"),  # a GGUF
        ("C:\\models\\phi.GGUF", "phi"),
        ("gpt-4o-mini", "gpt-4o-mini"),
    ],
)
def test_a_models_name_is_the_last_part_of_its_path(name_or_path, label):
    assert model_label(name_or_path) == label


def test_a_model_system_is_named_by_its_model_everywhere(config, tiny_chat, tmp_path, capsys):
    """scores, generations, run.json and its provenance, config.yaml, the leaderboards,
    report.html and summbench-check all say the folder's name; lead stays lead."""
    name = tiny_chat.name
    runs = {}
    for tokens in (8, 9):
        cfg = config(
            "model=[lead,hf_chat]",
            f"model.hf_chat.name_or_path={tiny_chat}",
            f"model.hf_chat.max_new_tokens={tokens}",
        )
        runs[tokens] = out = tmp_path / f"run{tokens}"
        run(cfg, out)
    out = runs[8]
    for file in ("scores.jsonl", "generations.jsonl"):
        systems = [json.loads(line)["system"] for line in (out / file).open()]
        assert systems == ["lead"] * 4 + [name] * 4
    info = json.loads((out / "run.json").read_text())
    assert list(info["systems"]) == list(info["provenance"]["systems"]) == ["lead", name]
    assert f"label: {name}\n" in (out / "config.yaml").read_text()
    with open(out / "leaderboard.csv") as f:
        assert [row["system"] for row in csv.DictReader(f)] == ["lead", name]
    assert f"| {name} | abstract |" in (out / "leaderboard.md").read_text()
    html = (out / "report.html").read_text()
    assert f'{{"system":"{name}","prompt":"abstract"' in html  # the document view's variants
    assert f"<td>{name}</td>" in html and "<td>hf_chat</td>" not in html  # the leaderboard

    baseline = tmp_path / "baseline.json"
    assert check_main(["--baseline", str(baseline), "--update", str(out)]) == 0
    assert check_main(["--baseline", str(baseline), str(out)]) == 0
    capsys.readouterr()
    # The other run's setting is named under its system's name.
    assert check_main(["--baseline", str(baseline), str(runs[9])]) == 2
    error = capsys.readouterr().err
    assert f"system.max_new_tokens: 8 -> 9 [{name}/abstract/seeds]" in error
    assert "[lead/" not in error


def test_a_label_setting_names_the_system(config, tiny_chat, tmp_path):
    cfg = config("model=hf_chat", f"model.name_or_path={tiny_chat}", "model.max_new_tokens=4")
    cfg.model.hf_chat.label = "my-tiny-chat"
    run(cfg, tmp_path / "out")
    systems = {json.loads(line)["system"] for line in (tmp_path / "out" / "scores.jsonl").open()}
    assert systems == {"my-tiny-chat"}


def test_two_systems_with_one_name_are_refused_before_anything_runs(summbench, tiny_chat, tmp_path):
    out = tmp_path / "out"
    result = summbench(
        "model=[lead,hf_chat]",
        f"model.hf_chat.name_or_path={tiny_chat}",
        "model.hf_chat.label=lead",
        f"hydra.run.dir={out}",
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "summbench: error: model.hf_chat: named 'lead' like model.lead; two systems of one run "
        "need two names (set model.hf_chat.label)"
    ]
    assert not (out / "scores.jsonl").exists()


def test_merged_rows_of_one_named_model_are_labelled_by_its_settings(tmp_path):
    """Two runs of one model under its name: the rows say which setting differs, as
    ``model.<setting>``, and not the settings of the other systems beside it."""
    runs = []
    for tokens, lead_cap in ((64, 400), (128, 300)):
        folder = write_run(tmp_path / str(tokens), {"tiny": docs([0.2, 0.4]), "lead": docs([0.3])})
        (folder / "config.yaml").write_text(
            "model:\n"
            "  hf_chat: {_target_: harness.summarizers.hf.HFChatSummarizer, label: tiny,"
            f" max_new_tokens: {tokens}}}\n"
            "  lead: {_target_: harness.summarizers.extractive.Lead,"
            f" max_sentences: {lead_cap}}}\n"
        )
        runs.append(folder)
    assert report.main([*map(str, runs), "--out", str(tmp_path / "out")]) == 0
    board = (tmp_path / "out" / "leaderboard.md").read_text()
    assert "| tiny | abstract | seeds | model.max_new_tokens=64 |" in board
    assert "| tiny | abstract | seeds | model.max_new_tokens=128 |" in board
    assert "| lead | abstract | seeds | model.max_sentences=400 |" in board
