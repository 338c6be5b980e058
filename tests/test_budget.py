"""The length budget held for every system (harness/budget.py, the run's generation stage), the
token allowance model backends take from it, the token-limit warning and cut mark, figures cut
off at a summary's end, and the speed log. Real parts: the local chat-completions server
(tests/chat_server.py) and tiny HF models built offline (tests/tiny_models.py)."""

import json
import logging

import pytest
from chat_server import ChatServer, words_cut_at_max_tokens
from conftest import make_config

from harness.budget import hold, token_allowance
from harness.cache import GenerationCache
from harness.data import to_documents
from harness.metrics.figures import FigureFidelity
from harness.prompts import PromptTemplate
from harness.run import _instantiate, run
from harness.stages import throughput
from harness.summarizers.hf import HFChatSummarizer, HFSeq2SeqSummarizer
from harness.summarizers.openai import OpenAISummarizer
from harness.text import count_words
from harness.types import Budget, Document

TEXT = (
    "Alibaba will spend big. It said revenue rose to over 380 billion yuan in the year. "
    "Shares jumped."
)


def records(folder, name="generations.jsonl"):
    return [json.loads(line) for line in (folder / name).open()]


# --- holding a text to its budget ------------------------------------------------------------


def test_a_summary_over_its_budget_is_cut_at_the_last_sentence_end_within_it():
    # 4, 12 and 2 words: 17 words hold the first two sentences (16), 14 only the first.
    assert hold(TEXT, Budget("words", 17)) == (
        "Alibaba will spend big. It said revenue rose to over 380 billion yuan in the year.",
        "held to the budget of 17 words: cut from 18 to 16 at its last sentence end within it",
    )
    assert hold(TEXT, Budget("words", 14))[0] == "Alibaba will spend big."
    # No sentence ends within 3 words: cut at the word limit.
    assert hold(TEXT, Budget("words", 3)) == (
        "Alibaba will spend",
        "held to the budget of 3 words: cut from 18 to 3 at the word limit",
    )
    assert hold(TEXT, Budget("sentences", 2))[0] == TEXT.rsplit(" Shares", 1)[0]
    # Within the budget: as it was, no warning. Line breaks are sentence ends (bullets).
    assert hold(TEXT, Budget("words", 18)) == (TEXT, None)
    assert hold(TEXT, Budget("sentences", 3)) == (TEXT, None)
    assert hold("- BMW sold cars\n- Alibaba rose 5%\n- Qwen", Budget("words", 9))[0] == (
        "- BMW sold cars\n- Alibaba rose 5%"
    )


@pytest.mark.parametrize(
    "budget", [Budget("words", 60), Budget("words", 15), Budget("sentences", 2)]
)
def test_extractive_summaries_are_within_their_budget_so_holding_leaves_them_alone(budget):
    """What keeps the default suite's scores (and results/baseline.json) as they were."""
    cfg = make_config(["model=[lead,random,textrank,lexrank,oracle]"])
    documents = to_documents(_instantiate(cfg.dataset, "dataset").load())
    prompt = PromptTemplate("p", "{document}", budget=budget)
    requests = [prompt.render(d) for d in documents]
    for name, node in cfg.model.items():
        for _, generation in _instantiate(node, name).summarize(requests):
            assert hold(generation.summary, budget) == (generation.summary, None), name


def test_the_token_allowance_follows_the_budget():
    assert token_allowance(Budget("words", 60)) == 128  # 60 x 1.6 + 32
    assert token_allowance(Budget("words", 100)) == 192
    assert token_allowance(Budget("sentences", 3)) == 176  # 3 x 48 + 32


# --- the budget held in a run, with the cache keeping the raw text ----------------------------


def test_a_served_model_gets_its_max_tokens_from_the_budget_and_is_held_to_it(config, tmp_path):
    with ChatServer(reply=words_cut_at_max_tokens) as server:
        base = ["model=openai", f"model.base_url={server.url}", "model.name=m"]
        run(config(*base), tmp_path / "held")
        # The abstract prompt's 60 words: 128 tokens asked for, 128 words answered, cut by length.
        assert {s.body["max_tokens"] for s in server.seen} == {128}
        for record in records(tmp_path / "held"):
            assert record["cut"] == "budget"
            assert record["warnings"][0] == "the reply was cut at max_tokens"
            assert record["warnings"][1].startswith("held to the budget of 60 words: cut from 128")
            assert record["warnings"][1].endswith("at its last sentence end within it")
            assert 0 < count_words(record["summary"]) <= 60
            assert record["summary"][-1] in ".!?\u201d"
        # The cache keeps what the server said; holding is derived from it on every read.
        with GenerationCache(tmp_path / "cache" / "generations.sqlite") as cache:
            stored = cache._execute("SELECT summary FROM generations").fetchall()
        assert sorted(count_words(s) for (s,) in stored) == [128] * 4
        seen = len(server.seen)
        stats = run(config(*base, "hold_budget=false"), tmp_path / "raw")
        assert len(server.seen) == seen and stats["m"].cache_hits == 4  # named by its model
        raw = records(tmp_path / "raw")
        assert [count_words(r["summary"]) for r in raw] == [128] * 4
        assert {r["cut"] for r in raw} == {"token_limit"}
        # A set max_tokens is sent as set, and keeps the cache key it always had.
        run(config(*base, "model.max_tokens=30", "prompt.budget.size=200"), tmp_path / "set")
        assert server.seen[-1].body["max_tokens"] == 30


def test_an_explicit_token_limit_keeps_the_identity_it_had(tmp_path):
    with ChatServer() as server:
        explicit = OpenAISummarizer("m", base_url=server.url, max_tokens=256)
        default = OpenAISummarizer("m", base_url=server.url)
    assert explicit.identity == {
        "backend": "openai",
        "model": "m",
        "revision": None,
        "max_document_words": None,
        "system_role": True,
        "body": {"max_tokens": 256, "temperature": 0.0, "top_p": 1.0, "seed": 0},
    }
    assert default.identity["body"]["max_tokens"] is None
    assert default.identity["max_tokens_from_budget"]["per_word"] == 1.6


def test_hold_budget_must_be_true_or_false(config, tmp_path):
    from harness.errors import UsageError

    with pytest.raises(UsageError, match="hold_budget=maybe: must be true or false"):
        run(config("model=lead", "hold_budget=maybe"), tmp_path / "out")


# --- HF backends: the allowance, and the warning at the token limit ---------------------------


def _request(words: int, unit: str = "words") -> object:
    prompt = PromptTemplate("p", "Summarize in {budget}.\n\nArticle:\n{document}", "Be brief.")
    prompt = PromptTemplate(prompt.name, prompt.user, prompt.system, Budget(unit, words))
    return prompt.render(Document(f"d{words}", "BMW sold 2.4 million cars in 2024. " * 5))


@pytest.mark.parametrize("backend", ["chat", "seq2seq"])
def test_hf_backends_take_the_budgets_allowance_and_warn_at_the_token_limit(
    backend, tiny_chat, tiny_seq2seq
):
    cls, folder = {
        "chat": (HFChatSummarizer, tiny_chat),
        "seq2seq": (HFSeq2SeqSummarizer, tiny_seq2seq),
    }[backend]
    requests = [_request(5), _request(10), _request(1, "sentences")]  # 40, 48 and 80 tokens
    summarizer = cls(str(folder), device="cpu", batch_size=3)
    out = dict(summarizer.summarize(requests))
    # The tiny model's noise never says its end token: every summary runs to its allowance.
    for i, tokens in enumerate((40, 48, 80)):
        assert out[i].warnings == (f"the summary was cut at max_new_tokens ({tokens} tokens)",)
    # One at a time gives the same: documents of different allowances never share a batch.
    alone = [dict(cls(str(folder), device="cpu").summarize([r]))[0] for r in requests]
    assert [g.summary for g in alone] == [out[i].summary for i in range(3)]
    # A set max_new_tokens is used as set.
    fixed = dict(cls(str(folder), device="cpu", max_new_tokens=6).summarize(requests[:1]))
    assert fixed[0].warnings == ("the summary was cut at max_new_tokens (6 tokens)",)


def test_an_hf_summary_that_ends_before_the_limit_has_no_warning(tiny_chat):
    request = _request(5)
    first = HFChatSummarizer(str(tiny_chat), device="cpu", max_new_tokens=8)
    [(_, cut)] = first.summarize([request])
    # The model's third token, made its end token: it now stops there, before the limit.
    model, tokenizer = first._model, first._tokenizer
    encoded = tokenizer([first._fit(request, None)[0]], return_tensors="pt")
    ids = model.generate(**encoded, max_new_tokens=3, do_sample=False)[0, -3:].tolist()
    stop = ids[2] if ids[2] not in ids[:2] else ids[0]
    early = HFChatSummarizer(
        str(tiny_chat), device="cpu", max_new_tokens=8, generation_kwargs={"eos_token_id": stop}
    )
    [(_, ended)] = early.summarize([request])
    assert cut.warnings == ("the summary was cut at max_new_tokens (8 tokens)",)
    assert ended.warnings == () and ended.error is None


def test_hf_chat_in_a_run_marks_a_summary_cut_at_its_token_limit(config, tiny_chat, tmp_path):
    args = ["model=hf_chat", f"model.name_or_path={tiny_chat}", "model.max_new_tokens=6"]
    run(config(*args), tmp_path / "out")
    for record in records(tmp_path / "out"):
        assert record["cut"] == "token_limit"  # 6 tokens are well within 60 words
        assert "the summary was cut at max_new_tokens (6 tokens)" in record["warnings"]


# --- a figure cut off at a summary's end is not judged ----------------------------------------

ARTICLE = "Alibaba will invest over 380 billion yuan over three years. Its shares rose 8%."


@pytest.mark.parametrize(
    "summary, judged, unjudged, stated",
    [
        ("Alibaba will invest over 380 billion", 0, 1, 0),  # cut before "yuan"
        ("Alibaba will invest over 380 billion yu", 0, 1, 0),  # cut inside "yuan"
        ("Its shares rose 8%. Alibaba will invest over 380 billion", 1, 1, 0),
        ("Alibaba will invest over 380 billion.", 1, 0, None),  # a sentence: judged
        # Ending on a whole figure cannot be told from ending on a cut one: not judged either.
        ("Alibaba will invest over 380 billion yuan over three years", 1, 1, 1),
        ("Alibaba will invest over 380 billion yuan over three years, it said", 2, 0, 1),
        ("Its shares rose 8% as Alibaba said it will", 1, 0, 0),  # the end is not on a figure
        # A list's last item is written without a full stop: judged.
        ("- Shares: up 8%\n- Investment: over 380 billion", 2, 0, 1),
        ("Highlights:\n1. Shares rose 8%\n2. It will invest 380 billion yuan", 2, 0, 1),
        ("Shares rose 8%.\nAlibaba will invest over 380 billion", 1, 1, 0),  # a line, not an item
    ],
)
def test_a_figure_cut_off_at_the_end_is_not_judged(summary, judged, unjudged, stated):
    reference = "It will invest 380 billion yuan."
    numbers, checks = FigureFidelity().score_texts(ARTICLE, summary, (reference,))
    assert (numbers["figure_count"], numbers["figure_unjudged"]) == (judged, unjudged)
    assert (
        len(checks) == judged == numbers["figure_supported"] + sum(not c.supported for c in checks)
    )
    if stated is not None:  # recall does not count a figure it does not judge
        assert numbers["figure_reference_stated"] == stated
    if summary.endswith("380 billion."):
        assert checks[0].reason == "unit"  # "over 380 billion" has no currency: flagged


def test_a_run_does_not_flag_a_figure_cut_off_by_the_token_limit(config, tmp_path):
    reply = lambda body: ("Alibaba will invest over 380 billion", "length")  # noqa: E731
    with ChatServer(reply=reply) as server:
        run(config("model=openai", f"model.base_url={server.url}", "model.name=m"), tmp_path / "o")
    assert {r["cut"] for r in records(tmp_path / "o")} == {"token_limit"}
    scores = records(tmp_path / "o", "scores.jsonl")
    assert [(s["figure_count"], s["figure_unjudged"]) for s in scores] == [(0, 1)] * 4
    unsupported = tmp_path / "o" / "unsupported_figures.jsonl"
    assert not unsupported.exists() or not unsupported.read_text().strip()


# --- the speed log ----------------------------------------------------------------------------


def test_the_speed_log_shows_seconds_per_document_below_one_a_second(tiny_chat, caplog):
    assert throughput(10, 4.0) == "2.50 docs/s"
    assert throughput(2, 500.0) == "250.0 s/doc"  # was "0.00 docs/s"
    assert throughput(0, 3.0) == "0 docs"
    summarizer = HFChatSummarizer(str(tiny_chat), device="cpu", max_new_tokens=2)
    with caplog.at_level(logging.INFO, logger="harness.summarizers.hf"):
        list(summarizer.summarize([_request(5)]))
    [line] = [r.getMessage() for r in caplog.records if "documents," in r.getMessage()]
    assert line.startswith("hf_chat: 1/1 documents, ")
    assert line.endswith((" docs/s", " s/doc")) and "0.00 docs/s" not in line
