"""hf_chat loads a GGUF file (transformers' ``gguf_file=`` with the ``gguf`` package): a tiny
Llama written as a GGUF file offline (tests/tiny_models.py) says what its model folder says."""

import json

import pytest

from harness.errors import UsageError
from harness.prompts import PromptTemplate
from harness.run import run
from harness.summarizers.hf import HFChatSummarizer
from harness.types import Document


def test_a_gguf_file_generates_what_the_same_model_folder_generates(tiny_gguf):
    folder, gguf = tiny_gguf
    prompt = PromptTemplate("t", "Summarize in {budget}.\n\nArticle:\n{document}", "Be brief.")
    requests = [prompt.render(Document(f"d{n}", "BMW sold 2.4 million cars. " * n)) for n in (1, 9)]
    settings = {"max_new_tokens": 12, "device": "cpu", "batch_size": 2}
    from_folder = dict(HFChatSummarizer(str(folder), **settings).summarize(requests))
    from_gguf = HFChatSummarizer(str(gguf), **settings)
    generated = dict(from_gguf.summarize(requests))
    assert [g.summary for g in generated.values()] == [g.summary for g in from_folder.values()]
    assert all(g.summary and g.error is None for g in generated.values())
    # The GGUF's metadata brought the chat template and the context.
    assert from_gguf._tokenizer.chat_template and from_gguf._context(12) == 512 - 12
    assert from_gguf.label == "tiny-llama-chat.F32"
    assert from_gguf.identity["name_or_path"] == str(gguf)
    assert from_gguf.identity["revision"].startswith("gguf:")


def test_summbench_runs_a_gguf_file_named_by_its_stem(config, tiny_gguf, tmp_path):
    _, gguf = tiny_gguf
    cfg = config("model=hf_chat", f"model.name_or_path={gguf}", "model.max_new_tokens=8")
    stats = run(cfg, tmp_path / "out")
    assert list(stats) == ["tiny-llama-chat.F32"]
    generations = [json.loads(line) for line in (tmp_path / "out" / "generations.jsonl").open()]
    assert len(generations) == 4
    assert all(g["system"] == "tiny-llama-chat.F32" and g["summary"] for g in generations)


def test_a_gguf_file_whose_content_changes_is_another_revision(tiny_gguf, tmp_path):
    _, gguf = tiny_gguf
    copy = tmp_path / gguf.name
    copy.write_bytes(gguf.read_bytes())
    before = HFChatSummarizer(str(copy)).identity["revision"]
    data = bytearray(copy.read_bytes())
    data[-4:] = b"\0\0\0\0"  # the last weight
    copy.write_bytes(bytes(data))
    assert HFChatSummarizer(str(copy)).identity["revision"] != before


def test_a_bad_gguf_path_or_file_is_one_line_naming_the_setting(config, tiny_chat, tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        HFChatSummarizer(str(tmp_path / "missing.gguf"))
    with pytest.raises(ValueError, match="a file, but not a .gguf file"):
        HFChatSummarizer(str(tiny_chat / "config.json"))
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 64)
    cfg = config("model=hf_chat", f"model.name_or_path={broken}")
    with pytest.raises(UsageError) as e:
        run(cfg, tmp_path / "out")
    assert str(e.value).startswith("model.hf_chat: ") and "\n" not in str(e.value)
    assert not (tmp_path / "out" / "scores.jsonl").exists()
