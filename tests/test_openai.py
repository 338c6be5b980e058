"""The OpenAI-compatible backend against a real chat-completions server (tests/chat_server.py)."""

import json
import time
from collections import Counter

import pytest
from chat_server import ChatServer
from conftest import make_config

from harness.cache import GenerationCache
from harness.data import to_documents
from harness.errors import UsageError
from harness.prompts import PromptTemplate
from harness.run import SystemStats, _instantiate, generate, run
from harness.summarizers.openai import OpenAISummarizer, retry_after
from harness.types import Document

KEY = "sk-test-4f9a1c0e7b2d44e1a9c3"


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    return to_documents(_instantiate(make_config().dataset, "dataset").load())


@pytest.fixture(scope="module")
def requests(documents):
    prompt = PromptTemplate("t", "In {budget}:\n\nArticle:\n{document}", "You summarize news.")
    return [prompt.render(d) for d in documents]


def marker(doc: Document) -> str:
    """Text that only this document's requests contain."""
    return doc.text[:60]


@pytest.fixture
def server():
    with ChatServer() as s:
        yield s


def collect(summarizer, requests) -> list:
    out = list(summarizer.summarize(requests))
    assert sorted(i for i, _ in out) == list(range(len(requests)))
    return [g for _, g in sorted(out, key=lambda x: x[0])]


def test_a_request_carries_the_prompt_the_settings_and_the_key(server, requests, monkeypatch):
    monkeypatch.setenv("SUMMBENCH_TEST_KEY", KEY)
    server.api_key = KEY
    summarizer = OpenAISummarizer(
        "tiny-model",
        base_url=server.url,
        api_key_env="SUMMBENCH_TEST_KEY",
        max_tokens=30,
        extra_body={"top_k": 5},
    )
    generations = collect(summarizer, requests)
    for request, generation in zip(requests, generations, strict=True):
        assert generation.error is None
        assert generation.summary == " ".join(request.doc.text.split()[:30])
    body = server.seen[0].body
    assert body["model"] == "tiny-model"
    assert body["messages"][0] == {"role": "system", "content": "You summarize news."}
    assert body["messages"][1]["role"] == "user"
    assert body["messages"][1]["content"] in {r.user for r in requests}
    assert {k: body[k] for k in ("max_tokens", "temperature", "top_p", "seed", "top_k")} == {
        "max_tokens": 30,
        "temperature": 0.0,
        "top_p": 1.0,
        "seed": 0,
        "top_k": 5,
    }
    assert all(s.authorization == f"Bearer {KEY}" for s in server.seen)
    assert KEY not in json.dumps(summarizer.identity) and KEY not in repr(summarizer)


def test_concurrency_is_honoured(server, documents):
    server.delay = 0.2
    prompt = PromptTemplate("t", "{document}")
    text = documents[0].text
    many = [prompt.render(Document(f"d{i}", f"Article {i}. {text}")) for i in range(12)]
    start = time.perf_counter()
    generations = collect(OpenAISummarizer("m", base_url=server.url, concurrency=3), many)
    seconds = time.perf_counter() - start
    assert all(g.error is None for g in generations)
    assert server.max_in_flight == 3
    assert 0.8 <= seconds < 2.0  # 12 / 3 * 0.2 s, not 12 * 0.2 s


def test_generations_are_yielded_as_they_arrive(server, requests, documents):
    server.stall = 1.0
    server.script(marker(documents[0]), "stall")
    order = [i for i, _ in OpenAISummarizer("m", base_url=server.url).summarize(requests)]
    assert order[-1] == 0 and sorted(order) == [0, 1, 2, 3]


def test_429_5xx_and_timeouts_are_retried_with_backoff_and_retry_after(server, requests, documents):
    server.retry_after = 0.6
    server.stall = 2.0
    server.script(marker(documents[0]), 429)
    server.script(marker(documents[1]), 500, 503)
    server.script(marker(documents[2]), "stall")
    summarizer = OpenAISummarizer("m", base_url=server.url, timeout=0.5, backoff=0.05)
    generations = collect(summarizer, requests)
    assert all(g.error is None and g.summary for g in generations)
    statuses = [[s.status for s in server.requests_for(marker(d))] for d in documents]
    assert statuses[0] == [429, 200]
    assert statuses[1] == [500, 503, 200]
    assert statuses[3] == [200]
    assert len(statuses[2]) == 2  # the first attempt timed out; the second was answered
    first, second = server.requests_for(marker(documents[0]))
    assert second.arrived - first.arrived >= 0.6  # Retry-After, not the 0.05 s backoff


def test_a_request_that_keeps_failing_is_recorded_and_the_rest_go_on(server, requests, documents):
    server.script(marker(documents[1]), *[500] * 10)
    server.script(marker(documents[2]), 400)
    summarizer = OpenAISummarizer("m", base_url=server.url, max_retries=2, backoff=0.01)
    generations = collect(summarizer, requests)
    assert generations[1].error.startswith("HTTP 500: ")
    assert generations[1].error.endswith("(after 3 attempts)")
    assert len(server.requests_for(marker(documents[1]))) == 3
    # A client error is not retried.
    assert generations[2].error.startswith("HTTP 400: ")
    assert len(server.requests_for(marker(documents[2]))) == 1
    assert generations[0].error is None and generations[3].error is None


def test_an_unreachable_server_is_one_line_naming_base_url_at_once():
    start = time.perf_counter()
    with pytest.raises(UsageError) as e:
        OpenAISummarizer("m", base_url="http://127.0.0.1:9/v1")
    assert time.perf_counter() - start < 5
    message = str(e.value)
    assert message.startswith("model.base_url http://127.0.0.1:9/v1: no server answers (")
    assert "\n" not in message


def test_a_server_that_goes_away_fails_every_document_without_hanging(requests):
    with ChatServer() as server:
        summarizer = OpenAISummarizer("m", base_url=server.url, max_retries=1, backoff=0.01)
    generations = collect(summarizer, requests)
    assert all(g.error and "ClientConnectorError" in g.error for g in generations)
    assert all(g.error.endswith("(after 2 attempts)") for g in generations)


def test_the_cache_serves_a_rerun_and_retries_only_failures(server, requests, documents, tmp_path):
    server.script(marker(documents[3]), *[503] * 3)
    summarizer = OpenAISummarizer("m", base_url=server.url, max_retries=2, backoff=0.01)
    with GenerationCache(tmp_path / "cache.sqlite") as cache:
        first = generate(summarizer, requests, cache, SystemStats())
        assert [g.error is None for g in first] == [True, True, True, False]
        server.reset()
        stats = SystemStats()
        second = generate(summarizer, requests, cache, stats)
        assert stats.cache_hits == 3
        assert [s.body["messages"][1]["content"] for s in server.seen] == [requests[3].user]
        assert second[:3] == first[:3] and second[3].error is None
        server.reset()
        generate(summarizer, requests, cache, stats)
        assert server.seen == []
        # Another model name is another cache entry; another server URL is not.
        generate(OpenAISummarizer("other", base_url=server.url), requests, cache, SystemStats())
        assert len(server.seen) == 4
        server.reset()
        with ChatServer() as elsewhere:
            generate(OpenAISummarizer("m", base_url=elsewhere.url), requests, cache, SystemStats())
            assert elsewhere.seen == []


def test_long_documents_are_cut_to_max_document_words(server, requests):
    summarizer = OpenAISummarizer("m", base_url=server.url, max_document_words=50)
    generations = collect(summarizer, requests)
    for seen in server.seen:
        article = seen.body["messages"][1]["content"].split("Article:\n", 1)[1]
        assert len(article.split()) == 50
    assert all(g.warnings[0].startswith("document truncated to 50 of ") for g in generations)


def test_bad_settings_are_one_line_errors_that_never_echo_a_key(monkeypatch):
    with pytest.raises(ValueError, match="served model name"):
        OpenAISummarizer("")
    with pytest.raises(ValueError, match="environment variable SUMMBENCH_NO_SUCH_VAR is not set"):
        OpenAISummarizer("m", api_key_env="SUMMBENCH_NO_SUCH_VAR")
    with pytest.raises(ValueError, match="NAME of an environment variable") as e:
        OpenAISummarizer("m", api_key_env=KEY.replace("-", "/"))
    assert KEY.replace("-", "/") not in str(e.value)


def test_a_key_read_with_its_newline_is_sent_clean_and_a_bad_one_is_refused(
    server, requests, monkeypatch
):
    monkeypatch.setenv("SUMMBENCH_TEST_KEY", KEY + "\r\n")  # `$(cat keyfile)` of a CRLF file
    server.api_key = KEY
    summarizer = OpenAISummarizer("m", base_url=server.url, api_key_env="SUMMBENCH_TEST_KEY")
    assert all(g.error is None for g in collect(summarizer, requests))
    monkeypatch.setenv("SUMMBENCH_TEST_KEY", "sk-caf\u00e9")
    with pytest.raises(ValueError, match="SUMMBENCH_TEST_KEY is not printable ASCII"):
        OpenAISummarizer("m", api_key_env="SUMMBENCH_TEST_KEY")
    # A key shaped like a variable name is not echoed when no such variable is set.
    with pytest.raises(ValueError, match="names a variable that is not set$"):
        OpenAISummarizer("m", api_key_env="gsk_" + KEY[3:].replace("-", ""))


@pytest.mark.parametrize(
    "setting",
    [{"max_retries": -1}, {"timeout": 0}, {"backoff": -1}, {"base_url": "localhost:8000/v1"}],
)
def test_settings_that_cannot_work_are_refused_at_once(setting):
    with pytest.raises(ValueError, match=next(iter(setting))):
        OpenAISummarizer("m", **setting)


@pytest.mark.slow
def test_a_key_typed_where_its_variable_name_goes_is_refused_before_any_file_is_written(
    summbench, tmp_path
):
    out = tmp_path / "run"
    result = summbench(
        "model=openai", "model.name=m", f"model.api_key_env={KEY}", f"hydra.run.dir={out}"
    )
    assert result.returncode == 2
    assert result.stderr.startswith("summbench: error: model.api_key_env: must be the NAME")
    assert KEY not in result.stdout + result.stderr
    assert not out.exists()


def test_retry_after_takes_seconds_or_a_date():
    assert retry_after("3") == 3.0
    assert retry_after(None) is None and retry_after("soon") is None
    later = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    assert 25 < retry_after(later) <= 30


def read_jsonl(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
def test_summbench_against_a_server_reruns_from_the_cache_and_never_writes_the_key(
    summbench, server, tmp_path
):
    server.api_key = KEY
    args = [
        "model=openai",
        f"model.base_url={server.url}",
        "model.name=tiny-model",
        "model.api_key_env=SUMMBENCH_TEST_KEY",
    ]
    env = {"SUMMBENCH_TEST_KEY": KEY}
    first = summbench(*args, f"hydra.run.dir={tmp_path / 'first'}", env=env)
    assert first.returncode == 0, first.stderr
    assert len(server.seen) == 4
    generations = read_jsonl(tmp_path / "first" / "generations.jsonl")
    scores = read_jsonl(tmp_path / "first" / "scores.jsonl")
    assert len(generations) == len(scores) == 4
    assert all(g["system"] == "tiny-model" and g["summary"] and not g["error"] for g in generations)
    second = summbench(*args, f"hydra.run.dir={tmp_path / 'second'}", env=env)
    assert second.returncode == 0, second.stderr
    assert len(server.seen) == 4  # no model call
    run = json.loads((tmp_path / "second" / "run.json").read_text())
    assert run["systems"]["tiny-model"]["cache_hits"] == 4
    # The key is nowhere: run folders (with .hydra/ and the log), the cache, the output.
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "generations.sqlite" for p in files)
    assert any(p.parent.name == ".hydra" for p in files)
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in first.stdout + first.stderr + second.stdout + second.stderr


def test_cache_false_asks_the_server_every_time(server, config, tmp_path):
    cfg = config("model=openai", f"model.base_url={server.url}", "model.name=m", "cache=false")
    for name in ("a", "b"):
        run(cfg, tmp_path / name)
    assert len(server.seen) == 8
    assert not (tmp_path / "cache").exists()
    assert (tmp_path / "a" / "generations.jsonl").read_bytes() == (
        tmp_path / "b" / "generations.jsonl"
    ).read_bytes()


def test_system_role_false_folds_the_system_text_into_the_user_message(server, requests):
    folded = OpenAISummarizer("m", base_url=server.url, system_role=False)
    assert all(g.error is None for g in collect(folded, requests[:1]))
    assert server.seen[0].body["messages"] == [
        {"role": "user", "content": f"You summarize news.\n\n{requests[0].user}"}
    ]
    server.reset()
    collect(OpenAISummarizer("m", base_url=server.url), requests[:1])
    assert [m["role"] for m in server.seen[0].body["messages"]] == ["system", "user"]
    # Another message layout is another output: another cache entry.
    assert folded.identity != OpenAISummarizer("m", base_url=server.url).identity


def test_a_one_slot_server_working_through_its_queue_gets_no_duplicate_work(documents):
    # llama.cpp with one slot: requests queue, and one a client gave up on is still computed.
    # 12 requests at 0.25 s each take 3 s, three times the timeout; none is abandoned, because
    # the server answers something every 0.25 s (a fixed per-request timeout resends 9 of them).
    prompt = PromptTemplate("t", "{document}")
    many = [
        prompt.render(Document(f"d{i}", f"Article {i}. {documents[0].text}")) for i in range(12)
    ]
    with ChatServer(delay=0.25, slots=1) as server:
        summarizer = OpenAISummarizer("m", base_url=server.url, concurrency=12, timeout=1.0)
        generations = collect(summarizer, many)
        assert all(g.error is None for g in generations)
        assert len(server.seen) == 12


def test_a_server_slower_than_the_timeout_gets_fewer_requests_and_more_time(documents):
    # Each summary takes 0.6 s against a 0.5 s timeout on a one-slot server: the first wave
    # times out whatever the client does, and the server goes on computing the abandoned
    # copies. In-flight requests halve on each timeout and a retried request waits twice, then
    # four times, as long: every document is answered by its third request. (Without the
    # halving, or without the longer waits, each is sent 6 times and some fail.)
    prompt = PromptTemplate("t", "{document}")
    many = [prompt.render(Document(f"d{i}", f"Article {i}. {documents[0].text}")) for i in range(4)]
    with ChatServer(delay=0.6, slots=1) as server:
        summarizer = OpenAISummarizer(
            "m", base_url=server.url, concurrency=4, timeout=0.5, backoff=0.05, max_backoff=0.1
        )
        generations = collect(summarizer, many)
        assert all(g.error is None for g in generations)
        sent = Counter(s.body["messages"][-1]["content"].split(".")[0] for s in server.seen)
        assert sorted(sent) == [f"Article {i}" for i in range(4)]
        assert max(sent.values()) <= 3, sent


def key_pieces(key: str, size: int = 8) -> set[str]:
    return {key[i : i + size] for i in range(len(key) - size + 1)}


def test_a_key_the_server_echoes_is_scrubbed_from_errors_and_summaries(
    requests, documents, monkeypatch
):
    monkeypatch.setenv("SUMMBENCH_TEST_KEY", KEY)
    with ChatServer(echo_authorization=True) as server:
        server.script(marker(documents[0]), 400)  # the key straddles the 200-character cut
        server.script(marker(documents[1]), 500, 500)
        summarizer = OpenAISummarizer(
            "m",
            base_url=server.url,
            api_key_env="SUMMBENCH_TEST_KEY",
            max_retries=1,
            backoff=0.01,
        )
        generations = collect(summarizer, requests)
    assert generations[0].error.startswith("HTTP 400: ")
    assert generations[1].error.endswith("(after 2 attempts)")
    assert generations[2].summary.endswith("(you sent: Bearer ***)")
    texts = [t for g in generations for t in (g.summary, g.error or "", *g.warnings)]
    for piece in key_pieces(KEY):
        assert not any(piece in text for text in texts), piece


@pytest.mark.slow
def test_no_piece_of_an_echoed_key_reaches_any_file_a_run_writes(summbench, documents, tmp_path):
    with ChatServer(echo_authorization=True, api_key=KEY) as server:
        server.script(marker(documents[0]), 400)  # the key straddles the 200-character cut
        server.script(marker(documents[1]), *[500] * 3)  # retried, logged, then recorded
        result = summbench(
            "model=openai",
            f"model.base_url={server.url}",
            "model.name=m",
            "model.api_key_env=SUMMBENCH_TEST_KEY",
            "model.max_retries=1",
            "model.backoff=0.01",
            f"hydra.run.dir={tmp_path / 'run'}",
            env={"SUMMBENCH_TEST_KEY": KEY},
        )
    assert result.returncode == 1, result.stderr  # two documents failed, two were summarized
    generations = read_jsonl(tmp_path / "run" / "generations.jsonl")
    assert [bool(g["error"]) for g in generations] == [True, True, False, False]
    assert all(g["summary"].endswith("(you sent: Bearer ***)") for g in generations[2:])
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "generations.sqlite" for p in files)
    assert any(p.name == "run.json" for p in files)
    for path in files:
        data = path.read_bytes()
        assert not [piece for piece in key_pieces(KEY) if piece.encode() in data], path
    assert not [p for p in key_pieces(KEY) if p in result.stdout + result.stderr]


@pytest.mark.slow
def test_summbench_against_no_server_stops_at_once_naming_base_url(summbench, tmp_path):
    start = time.perf_counter()
    result = summbench(
        "model=openai",
        "model.name=m",
        "model.base_url=http://127.0.0.1:9/v1",
        f"hydra.run.dir={tmp_path / 'run'}",
    )
    assert result.returncode == 2
    assert result.stderr.startswith("summbench: error: model.base_url http://127.0.0.1:9/v1: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert time.perf_counter() - start < 30  # start-up included; 121 s for ten documents before


def test_the_key_is_scrubbed_as_json_may_escape_it(server, monkeypatch):
    key = 'sk-a/b"c\\d-9f8e7d6c5b4a'
    monkeypatch.setenv("SUMMBENCH_TEST_KEY", key)
    summarizer = OpenAISummarizer("m", base_url=server.url, api_key_env="SUMMBENCH_TEST_KEY")
    for echoed in (key, json.dumps(key)[1:-1], json.dumps(key)[1:-1].replace("/", "\\/")):
        assert summarizer.scrub(f"you sent: Bearer {echoed}.") == "you sent: Bearer ***."
