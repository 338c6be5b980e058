"""A chat-completions server that answers every request after a fixed latency, cheaply.

For bench/bench_openai.py: the benchmark measures the client, so the server must cost little
per request (aiohttp.web spent 0.2-0.3 CPU-ms on each, as much as the client it served, and 64
requests arriving at once were answered one after another). It is still a real HTTP/1.1 server
on a real socket: it reads each request's headers and its Content-Length body, parses the body
as JSON, answers ``POST /v1/chat/completions`` with a chat completion whose content is the first
40 words of the last message, ``GET /v1/models`` with an empty list and anything else with 404,
keeps connections alive (unless asked to close) and answers pipelined requests in order. Each
completion is written ``latency`` seconds after its request arrived, by one timer (the other
answers at once); only the body is built per request, the status line and headers are a
template.

    python bench/latency_server.py LATENCY_SECONDS

prints the port it listens on (127.0.0.1) and serves until its standard input closes.
"""

from __future__ import annotations

import asyncio
import collections
import json
import sys

_HEAD = b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
_MODELS = json.dumps({"object": "list", "data": []}).encode()
_MAX_HEAD = 64 * 1024


def _answer(status: int, reason: bytes, body: bytes) -> bytes:
    return _HEAD % (status, reason, len(body)) + body


def _reply(method: bytes, path: bytes, body: bytes) -> bytes:
    """The whole HTTP answer to one request."""
    if method == b"POST" and path == b"/v1/chat/completions":
        try:
            request = json.loads(body)
            words = request["messages"][-1]["content"].split(None, 40)[:40]
            model = request["model"]
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            return _answer(400, b"Bad Request", b'{"error": "not a chat-completions request"}')
        completion = {
            "object": "chat.completion",
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": " ".join(words)},
                    "finish_reason": "stop",
                }
            ],
        }
        return _answer(200, b"OK", json.dumps(completion).encode())
    if method == b"GET" and path == b"/v1/models":
        return _answer(200, b"OK", _MODELS)
    return _answer(404, b"Not Found", b'{"error": "not found"}')


class _Connection(asyncio.Protocol):
    """One keep-alive connection: requests parsed as bytes arrive, answers written in order."""

    def __init__(self, latency: float):
        self.latency = latency
        self.buffer = bytearray()
        # Answers not yet written, in request order: [bytes or None (not due yet), close after].
        self.queue: collections.deque[list] = collections.deque()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.loop = asyncio.get_running_loop()

    def data_received(self, data: bytes) -> None:
        if self.transport.is_closing():
            return  # after a request that asked to close, or a bad one
        self.buffer += data
        while self._take_request():
            pass

    def _take_request(self) -> bool:
        """Parses one whole request off the buffer and schedules its answer (False: none yet)."""
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buffer) > _MAX_HEAD:
                self._fail(b"431 Request Header Fields Too Large")
            return False
        lines = bytes(self.buffer[:end]).split(b"\r\n")
        try:
            method, target, version = lines[0].split(b" ")
        except ValueError:
            self._fail(b"400 Bad Request")
            return False
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        if b"chunked" in headers.get(b"transfer-encoding", b""):
            self._fail(b"411 Length Required")
            return False
        try:
            length = int(headers.get(b"content-length", b"0"))
        except ValueError:
            self._fail(b"400 Bad Request")
            return False
        if len(self.buffer) < end + 4 + length:
            return False  # the body is still coming
        body = bytes(self.buffer[end + 4 : end + 4 + length])
        del self.buffer[: end + 4 + length]
        connection = headers.get(b"connection", b"").lower()
        close = connection == b"close" or (version == b"HTTP/1.0" and connection != b"keep-alive")
        entry = [None, close]
        self.queue.append(entry)
        path = target.partition(b"?")[0]
        answer = _reply(method, path, body)
        # Only a completion takes the model's time; the client's start-up check does not.
        delay = self.latency if path == b"/v1/chat/completions" else 0.0
        self.loop.call_later(delay, self._ready, entry, answer)
        return not close

    def _ready(self, entry: list, answer: bytes) -> None:
        entry[0] = answer
        while self.queue and self.queue[0][0] is not None:
            answer, close = self.queue.popleft()
            if self.transport.is_closing():
                return
            self.transport.write(answer)
            if close:
                self.transport.close()

    def _fail(self, status: bytes) -> None:
        body = b'{"error": "bad request"}'
        code, _, reason = status.partition(b" ")
        self.transport.write(_answer(int(code), reason, body))
        self.transport.close()
        self.buffer.clear()


async def serve(latency: float) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Connection(latency), "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    await loop.run_in_executor(None, sys.stdin.read)  # until the benchmark closes our stdin
    server.close()


if __name__ == "__main__":
    asyncio.run(serve(float(sys.argv[1])))
