"""A real chat-completions server on 127.0.0.1 for the tests and benchmarks of the HTTP backend.

It speaks the part of OpenAI's protocol summbench uses (``POST /v1/chat/completions`` and
``GET /v1/models``), answers deterministically (the first words of the article in the prompt),
and can be told to be slow, to answer 429 with ``Retry-After``, 500 or 503, to stall past the
client's timeout, to compute one request at a time as a one-slot llama.cpp server does (and,
like it, to finish a request its client gave up on), or to echo the Authorization header back.
It counts requests and the most it served at once. Standard library only (``http.server``),
real sockets.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# An outcome a test scripts for a request: an HTTP status to answer with, or "stall" (sleep
# `stall` seconds before answering, past the client's timeout).
Outcome = int | str


def first_words(body: dict[str, Any], limit: int = 40) -> str:
    """The reply: the first words of the article (the text after 'Article:', else the prompt)."""
    user = body["messages"][-1]["content"]
    article = user.split("Article:", 1)[-1]
    return " ".join(article.split()[: min(limit, int(body.get("max_tokens") or limit))])


def words_cut_at_max_tokens(body: dict[str, Any]) -> tuple[str, str]:
    """The article's words one per token, as many as ``max_tokens`` allows, as a model that
    copies would: finish_reason "length" when they ran out before the article did."""
    words = body["messages"][-1]["content"].split("Article:", 1)[-1].split()
    limit = int(body["max_tokens"])
    return " ".join(words[:limit]), "length" if len(words) > limit else "stop"


@dataclass
class Seen:
    """One request the server received."""

    body: dict[str, Any]
    authorization: str | None
    arrived: float
    status: int = 0


@dataclass
class ChatServer:
    """Start with ``with ChatServer(...) as server:``; ``server.url`` is the ``base_url``.

    Args:
        delay: seconds before every answer.
        api_key: if set, requests without ``Authorization: Bearer <api_key>`` get 401.
        retry_after: the ``Retry-After`` header of a 429, in seconds (None: no header).
        stall: how long a "stall" outcome sleeps.
        reply: the answer's text for a request body, or its text and finish_reason.
        slots: how many requests are computed at once (None: all); the others queue.
        echo_authorization: put the Authorization header in every answer, in an error's text
            after 170 characters (so a 200-character cut falls inside it) and at the end of a
            reply's content, as a careless proxy or a prompt-injected model might.
        raw_body: if set, the bytes of a 200 answer for a request body (None: a chat completion
            with ``reply``), for a broken or hostile server's answers.
        content_type: the Content-Type of every answer.
        models_route: answer ``GET /v1/models`` (False: 404, as some servers do).
    """

    delay: float = 0.0
    api_key: str | None = None
    retry_after: float | None = 1.0
    stall: float = 3.0
    reply: Callable[[dict[str, Any]], str | tuple[str, str]] = first_words
    slots: int | None = None
    echo_authorization: bool = False
    raw_body: Callable[[dict[str, Any]], bytes | None] | None = None
    content_type: str = "application/json"
    models_route: bool = True
    probes: int = 0
    seen: list[Seen] = field(default_factory=list)
    completed: int = 0
    max_in_flight: int = 0
    _script: dict[str, list[Outcome]] = field(default_factory=dict)
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, marker: str, *outcomes: Outcome) -> None:
        """Requests whose prompt contains ``marker`` get these outcomes first, one each."""
        self._script.setdefault(marker, []).extend(outcomes)

    def requests_for(self, marker: str) -> list[Seen]:
        return [s for s in self.seen if marker in json.dumps(s.body, ensure_ascii=False)]

    def reset(self) -> None:
        with self._lock:
            self.seen.clear()
            self._script.clear()
            self.completed = self.max_in_flight = 0

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> ChatServer:
        self._slots = threading.Semaphore(self.slots) if self.slots else None
        self._httpd = _Server(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _next_outcome(self, body: dict[str, Any]) -> Outcome:
        text = json.dumps(body, ensure_ascii=False)
        with self._lock:
            for marker, outcomes in self._script.items():
                if marker in text and outcomes:
                    return outcomes.pop(0)
        return 200

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        try:
            body = json.loads(handler.rfile.read(length))
        except (ValueError, ConnectionResetError):
            return  # the client was killed mid-request
        if not isinstance(body, dict) or "messages" not in body:
            _send(handler, 400, {"error": {"message": "no messages"}}, {})
            return
        seen = Seen(body, handler.headers.get("Authorization"), time.monotonic())
        with self._lock:
            self.seen.append(seen)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            if self._slots:
                with self._slots:
                    self._compute(handler, body, seen)
            else:
                self._compute(handler, body, seen)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout) or was killed
        finally:
            with self._lock:
                self._in_flight -= 1

    def _compute(self, handler: BaseHTTPRequestHandler, body: dict[str, Any], seen: Seen) -> None:
        time.sleep(self.delay)
        outcome = self._next_outcome(body)
        if self.api_key and seen.authorization != f"Bearer {self.api_key}":
            outcome = 401
        if outcome == "stall":
            time.sleep(self.stall)
            outcome = 200
        seen.status = int(outcome)
        raw = self.raw_body(body) if self.raw_body and outcome == 200 else None
        if raw is not None:
            _send(handler, 200, raw, {"Content-Type": self.content_type})
            return
        if outcome == 200:
            content, finish_reason = self.reply(body), "stop"
            if isinstance(content, tuple):
                content, finish_reason = content
            if self.echo_authorization:
                content = f"{content} (you sent: {seen.authorization})"
            payload = {
                "id": f"chatcmpl-{len(self.seen)}",
                "object": "chat.completion",
                "model": body.get("model"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": finish_reason,
                    }
                ],
            }
        else:
            message = f"injected {outcome}"
            if self.echo_authorization:
                message = f"{message}: {'.' * 120} you sent: {seen.authorization}"
            payload = {"error": {"message": message, "code": outcome}}
        headers = {"Content-Type": self.content_type}
        if outcome == 429 and self.retry_after is not None:
            headers["Retry-After"] = f"{self.retry_after:g}"
        _send(handler, int(outcome), payload, headers)
        if outcome == 200:
            with self._lock:
                self.completed += 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The listen backlog: socketserver's default of 5 drops the SYNs of a burst of connections,
    # which the client then resends a second later.
    request_queue_size = 128


def _send(handler: BaseHTTPRequestHandler, status: int, payload: Any, headers: dict) -> None:
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
    handler.send_header("Content-Length", str(len(data)))
    for key, value in headers.items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(data)
    handler.wfile.flush()


def _handler(server: ChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
        disable_nagle_algorithm = True  # TCP_NODELAY, as real servers set: no 40 ms stalls

        def do_GET(self) -> None:
            if self.path.rstrip("/") != "/v1/models" or not server.models_route:
                _send(self, 404, {"error": {"message": f"no route {self.path}"}}, {})
                return
            with server._lock:
                server.probes += 1
            _send(self, 200, {"object": "list", "data": [{"id": "any", "object": "model"}]}, {})

        def do_POST(self) -> None:
            if self.path.rstrip("/") != "/v1/chat/completions":
                _send(self, 404, {"error": {"message": f"no route {self.path}"}}, {})
                return
            server._answer(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
