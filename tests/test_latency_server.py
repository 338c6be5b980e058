"""bench/latency_server.py, the server bench/bench_openai.py measures the client against: a real
HTTP/1.1 server that parses what it is sent and answers the real client."""

import json
import socket
import subprocess
import sys
import time

import pytest

from harness import ROOT
from harness.prompts import PromptTemplate
from harness.summarizers.openai import OpenAISummarizer
from harness.types import Document

LATENCY = 0.2


@pytest.fixture(scope="module")
def port():
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "latency_server.py"), str(LATENCY)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        yield int(server.stdout.readline())
    finally:
        server.stdin.close()
        server.wait(timeout=30)


def exchange(port: int, data: bytes, answers: int) -> list[tuple[bytes, dict, bytes]]:
    """Sends raw bytes on one connection; the status line, headers and body of each answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        received, out = b"", []
        while len(out) < answers:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
            while b"\r\n\r\n" in received:
                head, rest = received.split(b"\r\n\r\n", 1)
                lines = head.split(b"\r\n")
                headers = dict(line.lower().split(b": ", 1) for line in lines[1:])
                length = int(headers[b"content-length"])
                if len(rest) < length:
                    break
                out.append((lines[0], headers, rest[:length]))
                received = rest[length:]
        return out


def post(body: bytes, extra: bytes = b"") -> bytes:
    return (
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + extra
        + b"Content-Length: %d\r\n\r\n" % len(body)
        + body
    )


def test_the_real_client_gets_the_first_words_of_each_article_after_the_latency(port):
    prompt = PromptTemplate("t", "Summarize.\n\nArticle:\n{document}", "Be brief.")
    words = [f"w{i}" for i in range(60)]
    requests = [prompt.render(Document(f"d{n}", f"Doc{n} " + " ".join(words))) for n in range(8)]
    summarizer = OpenAISummarizer("m", base_url=f"http://127.0.0.1:{port}/v1", concurrency=8)
    start = time.perf_counter()
    out = dict(summarizer.summarize(requests))
    seconds = time.perf_counter() - start
    for n in range(8):  # the first 40 words of the last message: "Summarize." opens it
        assert out[n].summary == " ".join(["Summarize.", "Article:", f"Doc{n}", *words[:37]])
        assert out[n].error is None
    assert LATENCY <= seconds < 6 * LATENCY  # eight at once: one latency, not eight


def test_requests_sent_in_one_piece_are_answered_in_order_and_a_close_is_honoured(port):
    bodies = [
        json.dumps({"model": "m", "messages": [{"role": "user", "content": f"n{i} ü"}]}).encode()
        for i in range(3)
    ]
    data = post(bodies[0]) + post(bodies[1]) + post(bodies[2], b"Connection: close\r\n")
    answers = exchange(port, data + post(bodies[0]), 4)
    assert len(answers) == 3  # nothing after the request that asked to close
    for i, (status, headers, body) in enumerate(answers):
        assert status == b"HTTP/1.1 200 OK"
        assert headers[b"content-type"] == b"application/json"
        assert json.loads(body)["choices"][0]["message"]["content"] == f"n{i} ü"


def test_what_is_not_a_chat_completion_request_is_refused(port):
    not_json = exchange(port, post(b"{not json"), 1)
    no_messages = exchange(port, post(b'{"model": "m"}'), 1)
    elsewhere = exchange(port, b"GET /v1/other HTTP/1.1\r\nHost: x\r\n\r\n", 1)
    models = exchange(port, b"GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n", 1)
    assert [a[0][0] for a in (not_json, no_messages, elsewhere, models)] == [
        b"HTTP/1.1 400 Bad Request",
        b"HTTP/1.1 400 Bad Request",
        b"HTTP/1.1 404 Not Found",
        b"HTTP/1.1 200 OK",
    ]
    assert json.loads(models[0][2]) == {"object": "list", "data": []}
