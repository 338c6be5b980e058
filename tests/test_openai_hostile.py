"""The OpenAI-compatible backend against a broken or hostile server: what a server sends back
(an echoed key in any encoding, unparseable or oversized bodies) or a proxy in the way costs
one document or one clear line, never the run."""

import base64
import json
import urllib.parse

import pytest
from chat_server import ChatServer
from conftest import make_config
from test_openai import collect, marker

from harness.data import to_documents
from harness.errors import UsageError
from harness.prompts import PromptTemplate
from harness.run import _instantiate
from harness.summarizers.chat_client import MAX_BODY_BYTES
from harness.summarizers.openai import OpenAISummarizer

PROMPT = PromptTemplate("t", "In {budget}:\n\nArticle:\n{document}", "You summarize news.")


@pytest.fixture(scope="module")
def documents():
    return to_documents(_instantiate(make_config().dataset, "dataset").load())


@pytest.fixture(scope="module")
def requests(documents):
    return [PROMPT.render(d) for d in documents]


def test_the_key_is_scrubbed_percent_encoded_or_base64(monkeypatch):
    # A server or proxy echoing the request may percent-encode the header or base64 the key.
    key = "sk-a+b/c=d e?f&g%h*[i]{2}$"
    monkeypatch.setenv("SUMMBENCH_TEST_KEY", key)
    with ChatServer() as server:
        summarizer = OpenAISummarizer("m", base_url=server.url, api_key_env="SUMMBENCH_TEST_KEY")
    forms = (
        urllib.parse.quote(key),
        urllib.parse.quote(key, safe=""),
        urllib.parse.quote_plus(key),
        base64.b64encode(key.encode()).decode(),
        base64.urlsafe_b64encode(key.encode()).decode().rstrip("="),
    )
    for echoed in forms:
        assert summarizer.scrub(f"you sent: {echoed}.") == "you sent: ***.", echoed


def test_a_reply_too_deeply_nested_to_parse_fails_only_its_document(requests, documents):
    hostile = marker(documents[1])

    def raw_body(body):
        return b"[" * 100_000 if hostile in json.dumps(body, ensure_ascii=False) else None

    with ChatServer(raw_body=raw_body) as server:
        summarizer = OpenAISummarizer("m", base_url=server.url, max_retries=0)
        generations = collect(summarizer, requests)
    assert [bool(g.error) for g in generations] == [False, True, False, False]
    assert generations[1].error.startswith("not a chat completion: [[[")


def test_a_reply_too_big_for_a_chat_completion_fails_its_document_at_once(requests, documents):
    hostile = marker(documents[2])
    huge = json.dumps({"choices": [{"message": {"content": "word " * MAX_BODY_BYTES}}]})

    def raw_body(body):
        return huge.encode() if hostile in json.dumps(body, ensure_ascii=False) else None

    with ChatServer(raw_body=raw_body) as server:
        summarizer = OpenAISummarizer("m", base_url=server.url)
        generations = collect(summarizer, requests)
        assert len(server.requests_for(hostile)) == 1  # a broken server: not retried
    assert [bool(g.error) for g in generations] == [False, False, True, False]
    assert generations[2].error.startswith(f"a reply over {MAX_BODY_BYTES} bytes: ")
    assert len(generations[2].error) < 300


def test_a_proxy_from_the_environment_that_refuses_is_named(monkeypatch):
    for name in ("NO_PROXY", "no_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", "http://user:secret@127.0.0.1:9")
    with ChatServer() as server:
        with pytest.raises(UsageError) as error:
            OpenAISummarizer("m", base_url=server.url)
        message = str(error.value)
        assert message.startswith(f"model.base_url {server.url}: no server answers through the")
        assert "proxy http://127.0.0.1:9 " in message and "secret" not in message
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        OpenAISummarizer("m", base_url=server.url)  # the server itself answers


@pytest.mark.parametrize("charset", ["no-such-charset", "zlib", "latin-1"])
def test_a_reply_in_any_declared_charset_is_read(requests, charset):
    # "zlib" is a codec Python knows but not a text encoding: decoding with it raised.
    with ChatServer(content_type=f"application/json; charset={charset}") as server:
        generations = collect(OpenAISummarizer("m", base_url=server.url), requests)
    assert all(g.summary and not g.error for g in generations)


def test_a_placeholder_key_is_scrubbed_where_it_stands_alone_not_inside_words(monkeypatch):
    # Local servers ignore the key, so people set "x" or "EMPTY": a summary must stay whole.
    monkeypatch.setenv("SUMMBENCH_TEST_KEY", "x")
    with ChatServer() as server:
        summarizer = OpenAISummarizer("m", base_url=server.url, api_key_env="SUMMBENCH_TEST_KEY")
    assert (
        summarizer.scrub("Tax rose 6%; you sent: Bearer x.") == "Tax rose 6%; you sent: Bearer ***."
    )
