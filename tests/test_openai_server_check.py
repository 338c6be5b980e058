"""The OpenAI backend's start-up check: a server at a wrong path is one line before the run, not
a 404 per document."""

from __future__ import annotations

import pytest
from chat_server import ChatServer

from harness.errors import UsageError
from harness.prompts import PromptTemplate
from harness.summarizers.openai import OpenAISummarizer
from harness.types import Document


def test_a_base_url_without_v1_is_one_line_suggesting_it():
    with ChatServer() as server:
        root = server.url.removesuffix("/v1")
        with pytest.raises(UsageError) as e:
            OpenAISummarizer("m", base_url=root)
        assert server.seen == []  # not a document was sent
    assert str(e.value) == (
        f"model.base_url {root}: the server there answers 404 Not Found for /models and "
        "/chat/completions: not an OpenAI-compatible API root (it usually ends in /v1; "
        f"try model.base_url={root}/v1)"
    )


def test_a_wrong_path_ending_in_v1_is_one_line_too():
    with ChatServer() as server, pytest.raises(UsageError) as e:
        OpenAISummarizer("m", base_url=server.url.replace("/v1", "/api/v1"))
    assert str(e.value).endswith("(it usually ends in /v1; check the path)")


def test_a_server_without_a_models_route_is_still_used():
    with ChatServer(models_route=False) as server:
        summarizer = OpenAISummarizer("m", base_url=server.url)
        request = PromptTemplate("p", "Article:\n{document}").render(Document("d", "Ten words."))
        [(_, generation)] = list(summarizer.summarize([request]))
    assert generation.error is None and generation.summary == "Ten words."
