"""The Hugging Face backends on tiny random-weight models built offline (tests/tiny_models.py)."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import make_config

from harness.errors import UsageError
from harness.prompts import PromptTemplate
from harness.run import run
from harness.summarizers.hf import HFChatSummarizer, HFSeq2SeqSummarizer
from harness.types import Budget, Document


@pytest.fixture(scope="module")
def requests():
    from harness.data import to_documents
    from harness.run import _instantiate

    documents = to_documents(_instantiate(make_config().dataset, "dataset").load())
    prompt = PromptTemplate("t", "Summarize in {budget}.\n\nArticle:\n{document}", "Be brief.")
    return [prompt.render(d) for d in documents]


def summaries(summarizer, requests) -> list:
    out = dict(summarizer.summarize(requests))
    assert sorted(out) == list(range(len(requests)))
    return [out[i] for i in range(len(requests))]


@pytest.mark.parametrize("backend", ["seq2seq", "chat"])
def test_batches_give_what_one_document_at_a_time_gives(backend, requests, tiny_seq2seq, tiny_chat):
    """Sorting, padding (left for the causal model) and batching do not change the answers."""
    cls, folder = {
        "seq2seq": (HFSeq2SeqSummarizer, tiny_seq2seq),
        "chat": (HFChatSummarizer, tiny_chat),
    }[backend]
    settings = {"max_new_tokens": 12, "max_input_tokens": 300, "device": "cpu"}
    # Short documents beside the long ones, so a batch pads some rows by hundreds of tokens.
    prompt = PromptTemplate("t", "Summarize in {budget}.\n\nArticle:\n{document}", "Be brief.")
    short = [prompt.render(Document(f"s{n}", "BMW sold cars. " * n)) for n in (1, 5, 20)]
    mixed = [*requests, *short]
    one = summaries(cls(str(folder), batch_size=1, **settings), mixed)
    batched = summaries(cls(str(folder), batch_size=3, **settings), mixed)
    assert [g.summary for g in one] == [g.summary for g in batched]
    assert all(g.error is None and g.summary for g in one)
    # Every seed is longer than 300 tokens: each is cut, and says so; the short ones are not.
    truncated = [[w for w in g.warnings if "input truncated to" in w] for g in batched]
    assert all(len(found) == 1 for found in truncated[: len(requests)])
    assert not any(truncated[len(requests) :])


def test_the_default_limit_is_the_models_context(requests, tiny_chat, tiny_seq2seq):
    chat = HFChatSummarizer(str(tiny_chat), max_new_tokens=8, device="cpu")
    chat._load()
    assert chat._context(8) == 512 - 8  # max_position_embeddings less the answer
    for request in requests:
        text, _, warning = chat._fit(request, chat._context(8))
        assert chat._length(text) <= 504 and warning
        # The document is cut, the chat markers and the instructions stay.
        assert text.startswith("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n")
        assert text.endswith("<|im_end|>\n<|im_start|>assistant\n")
    seq2seq = HFSeq2SeqSummarizer(str(tiny_seq2seq), device="cpu")
    seq2seq._load()
    assert seq2seq._context(8) == 512  # the tokenizer's model_max_length


def test_seq2seq_reads_the_document_or_the_prompt_with_a_prefix(requests, tiny_seq2seq):
    request = requests[0]
    document = HFSeq2SeqSummarizer(str(tiny_seq2seq), prefix="summarize: ")
    assert document._render(request) == "summarize: " + request.doc.text
    prompt = HFSeq2SeqSummarizer(str(tiny_seq2seq), input="prompt")
    assert prompt._render(request) == f"Be brief.\n\n{request.user}"
    assert document.identity != prompt.identity
    with pytest.raises(ValueError, match="input must be"):
        HFSeq2SeqSummarizer(str(tiny_seq2seq), input="article")


def test_chat_without_a_system_role_puts_the_system_part_in_the_user_message(requests, tiny_chat):
    chat = HFChatSummarizer(str(tiny_chat), system_role=False)
    chat._load()
    assert chat._render(requests[0]).startswith("<|im_start|>user\nBe brief.\n\nSummarize in")


def test_identity_has_the_revision_and_every_setting(tiny_chat, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(tiny_chat, folder)
    a = HFChatSummarizer(str(folder), temperature=0.5, do_sample=True, top_p=0.9)
    assert a.identity["backend"] == "hf_chat"
    assert a.identity["revision"].startswith("folder:")
    assert a.identity["generation"] == {
        "max_new_tokens": None,  # from the budget, as the next key says how
        "do_sample": True,
        "num_beams": 1,
        "temperature": 0.5,
        "top_p": 0.9,
    }
    assert HFChatSummarizer(str(folder), temperature=0.5, do_sample=True, top_p=0.9).identity == (
        a.identity
    )
    from_budget = {"per_word": 1.6, "per_sentence": 48, "margin": 32}
    assert a.identity["max_new_tokens_from_budget"] == from_budget
    assert HFChatSummarizer(str(folder), max_new_tokens=10).identity != a.identity
    assert (
        HFChatSummarizer(str(folder), generation_kwargs={"top_k": 3}).identity["generation"][
            "top_k"
        ]
        == 3
    )
    # Batch size and device change speed, not the answer: the cache is shared across them.
    assert (
        HFChatSummarizer(str(folder), batch_size=1).identity
        == HFChatSummarizer(str(folder), batch_size=16, device="cpu").identity
    )
    # New weights (or a new config, template, tokenizer) are a new revision.
    before = HFChatSummarizer(str(folder)).identity["revision"]
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "rms_norm_eps": 1e-5}))
    assert HFChatSummarizer(str(folder)).identity["revision"] != before
    # Large files (weights) count by name, size and modification time, not content.
    shard = folder / "model-00002-of-00002.safetensors"
    shard.write_bytes(b"\0" * (2 << 20))
    with_shard = HFChatSummarizer(str(folder)).identity["revision"]
    os.utime(shard, ns=(shard.stat().st_atime_ns, shard.stat().st_mtime_ns + 10**9))
    assert HFChatSummarizer(str(folder)).identity["revision"] != with_shard


def test_greedy_is_repeatable_and_sampling_follows_the_seed(requests, tiny_chat):
    settings = {"max_new_tokens": 10, "max_input_tokens": 200, "device": "cpu"}
    greedy = [g.summary for g in summaries(HFChatSummarizer(str(tiny_chat), **settings), requests)]
    again = [g.summary for g in summaries(HFChatSummarizer(str(tiny_chat), **settings), requests)]
    assert greedy == again
    sample = {**settings, "do_sample": True, "temperature": 1.5}
    s1 = [g.summary for g in summaries(HFChatSummarizer(str(tiny_chat), **sample), requests)]
    s2 = [g.summary for g in summaries(HFChatSummarizer(str(tiny_chat), **sample), requests)]
    s3 = summaries(HFChatSummarizer(str(tiny_chat), seed=1, **sample), requests)
    assert s1 == s2 != [g.summary for g in s3]


def test_a_sampled_document_does_not_depend_on_the_documents_beside_it(requests, tiny_chat):
    # A resumed run samples only the missing documents: each must come out as in a full run.
    sample = {"max_new_tokens": 10, "max_input_tokens": 200, "device": "cpu", "do_sample": True}
    full = summaries(
        HFChatSummarizer(str(tiny_chat), batch_size=4, temperature=1.5, **sample), requests
    )
    rest = summaries(HFChatSummarizer(str(tiny_chat), temperature=1.5, **sample), requests[2:])
    assert [g.summary for g in full[2:]] == [g.summary for g in rest]


@pytest.mark.parametrize(
    "setting, message",
    [
        ({"max_new_tokens": 0}, "max_new_tokens"),
        ({"num_beams": 0}, "num_beams"),
        ({"do_sample": True, "temperature": -1.0}, "temperature"),
    ],
)
def test_bad_generation_settings_are_refused_before_the_model_loads(tiny_chat, setting, message):
    with pytest.raises(ValueError, match=message):
        HFChatSummarizer(str(tiny_chat), **setting)


def test_a_model_that_cannot_take_the_input_is_a_usage_error(tiny_chat, requests, tmp_path):
    folder = shutil.copytree(tiny_chat, tmp_path / "no_template")
    (folder / "chat_template.jinja").unlink()
    with pytest.raises(UsageError, match="no chat template"):
        list(HFChatSummarizer(str(folder)).summarize(requests))
    with pytest.raises(UsageError, match="lower max_new_tokens"):
        list(HFChatSummarizer(str(tiny_chat), max_new_tokens=600).summarize(requests))


def test_an_input_whose_instructions_alone_overflow_fails_that_document_only(tiny_chat):
    doc = Document("d", "A short article about BMW.")
    long_prompt = PromptTemplate("long", "word " * 400 + "{document}")
    request = long_prompt.render(doc)
    ok = PromptTemplate("ok", "{document}", budget=Budget()).render(doc)
    out = dict(HFChatSummarizer(str(tiny_chat), max_new_tokens=4).summarize([request, ok]))
    assert "over the limit of 508" in out[0].error
    assert out[1].error is None


def test_a_wrong_kind_of_model_or_folder_is_a_clear_error(tiny_chat, tiny_seq2seq, tmp_path):
    with pytest.raises(ValueError, match="not an encoder-decoder model .*use model=hf_chat"):
        HFSeq2SeqSummarizer(str(tiny_chat))
    with pytest.raises(ValueError, match="not a decoder-only .*use model=hf_seq2seq"):
        HFChatSummarizer(str(tiny_seq2seq))
    with pytest.raises(ValueError, match="no such folder"):
        HFChatSummarizer(str(tmp_path / "nope"))


def test_a_hub_model_not_in_the_cache_offline_names_the_setting(config, tmp_path):
    cfg = config("model=hf_chat", "model.name_or_path=someone/not-cached-model")
    with pytest.raises(UsageError) as e:
        run(cfg, tmp_path / "out")
    message = str(e.value)
    assert "\n" not in message
    assert message.startswith("model.hf_chat: name_or_path 'someone/not-cached-model'")
    assert "not a local folder nor in the Hugging Face cache" in message


@pytest.mark.slow
@pytest.mark.parametrize("model", ["hf_seq2seq", "hf_chat"])
def test_summbench_runs_a_local_model_folder_and_reruns_from_the_cache(
    model, summbench, tiny_seq2seq, tiny_chat, tmp_path
):
    folder = tiny_seq2seq if model == "hf_seq2seq" else tiny_chat
    args = [f"model={model}", f"model.name_or_path={folder}", "model.max_new_tokens=16"]
    for attempt in ("first", "second"):
        out = tmp_path / attempt
        result = summbench(*args, f"hydra.run.dir={out}")
        assert result.returncode == 0, result.stderr
        generations = [json.loads(line) for line in (out / "generations.jsonl").open()]
        scores = [json.loads(line) for line in (out / "scores.jsonl").open()]
        assert [g["doc_id"] for g in generations] == [s["doc_id"] for s in scores]
        # The system is named by its model: the folder's name, not the backend.
        assert len(generations) == 4 and all(g["system"] == folder.name for g in generations)
        assert all(g["summary"] and g["error"] is None for g in generations)
        assert all("input truncated" in g["warnings"][0] for g in generations)
        assert all("rouge1" in s for s in scores)
    first = json.loads((tmp_path / "first" / "run.json").read_text())["systems"][folder.name]
    second = json.loads((tmp_path / "second" / "run.json").read_text())["systems"][folder.name]
    assert (first["cache_hits"], second["cache_hits"]) == (0, 4)
    # The second run did not even load the model.
    assert f"{model}: loaded" in (tmp_path / "first" / "summbench.log").read_text()
    assert f"{model}: loaded" not in (tmp_path / "second" / "summbench.log").read_text()
    for name in ("generations.jsonl", "scores.jsonl"):
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()


HUB_PROBE = """
import json, sys
from harness.prompts import PromptTemplate
from harness.summarizers.hf import HFChatSummarizer
from harness.types import Document
s = HFChatSummarizer(sys.argv[1], max_new_tokens=4, max_input_tokens=64)
request = PromptTemplate("p", "{document}").render(Document("d", "BMW sold 2.4 million cars."))
[(_, generation)] = s.summarize([request])
print(json.dumps({"revision": s.identity["revision"], "error": generation.error}))
"""


@pytest.mark.slow
def test_a_hub_id_in_the_local_cache_loads_offline_at_its_commit(tiny_chat, tmp_path):
    """The layout huggingface_hub writes: models--ORG--NAME/{refs/main, snapshots/COMMIT/}."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hf" / "hub" / "models--summbench--tiny-chat"
    shutil.copytree(tiny_chat, repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    env = {**os.environ, "HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1"}
    probe = subprocess.run(
        [sys.executable, "-c", HUB_PROBE, "summbench/tiny-chat"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout.splitlines()[-1]) == {"revision": commit, "error": None}


def test_a_models_own_code_never_runs_unless_trust_remote_code_is_on(tiny_chat, tmp_path):
    folder = tmp_path / "custom"
    shutil.copytree(tiny_chat, folder)
    config = json.loads((folder / "config.json").read_text())
    config.update(model_type="summbench_custom", auto_map={"AutoConfig": "custom.CustomConfig"})
    (folder / "config.json").write_text(json.dumps(config))
    ran = tmp_path / "the-code-ran"
    (folder / "custom.py").write_text(f"open({str(ran)!r}, 'w').close()\n")
    with pytest.raises(ValueError, match="trust_remote_code"):
        HFChatSummarizer(str(folder))
    assert not ran.exists()
