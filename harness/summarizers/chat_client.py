"""The HTTP side of the OpenAI-compatible backend: concurrent POSTs with retries, on aiohttp.

aiohttp rather than httpx: httpx's connection pool re-scans every pooled connection on each
request (about 5.5 CPU-ms per request at 64 in flight, a ceiling near 180 requests per second);
aiohttp's costs a fraction of a millisecond (bench/bench_openai.py measures both).

Rate limits (429), server errors (5xx), timeouts and dropped connections are retried with
exponential backoff and jitter (the "equal jitter" of
https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/), waiting what a
``Retry-After`` header asks for instead where there is one.

A timeout rarely means a dead server: more often a busy one (a llama.cpp server with one slot
queues the requests and keeps computing the ones a client gave up on, so a resent request only
adds work). So a request times out only when the server has answered nothing, to any request,
for ``timeout`` seconds since it was sent: a server working through its queue is waited for.
When requests do time out, the number in flight adapts as TCP's congestion window does
(additive increase, multiplicative decrease): it halves on each timeout or 429 and grows by one
per window of answered requests, up to ``concurrency``; and a request that timed out is retried
with twice the time (up to 4x), since its first copy is likely still ahead of it in the queue.
"""

from __future__ import annotations

import asyncio
import collections
import email.utils
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp.helpers import get_env_proxy_for_url
from yarl import URL

log = logging.getLogger(__name__)

_MAX_TIMEOUT_SCALE = 4  # a retried timeout waits at most 4 times `timeout`
# A chat completion is kilobytes; a body past this is a broken server's, and reading (then
# scoring) all of it would stall the run.
MAX_BODY_BYTES = 16 * 2**20


def retry_after(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def snippet(text: str, limit: int = 200) -> str:
    """Text on one line, cut to ``limit`` characters (scrub secrets BEFORE cutting)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


class AdaptiveLimit:
    """At most ``limit`` holders at once; ``limit`` halves on congestion, regrows on success.

    Waiters queue in order and are woken one per free slot, which ``release`` hands over (counts
    as taken) at once: a waiter woken is never woken again, and a thousand queued requests cost
    nothing while they wait. (Handing over matters: counting a slot only when its waiter runs
    let each release wake waiters for slots already promised, which then queued again, seven
    times per request at 64 in flight.)
    """

    def __init__(self, ceiling: int):
        self.ceiling = ceiling
        self.limit = float(ceiling)
        self.in_flight = 0
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    async def acquire(self) -> None:
        if self.in_flight < int(self.limit) and not self._waiters:
            self.in_flight += 1
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter  # done: ``_wake`` counted the slot as this holder's
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():  # handed a slot, then cancelled
                self.in_flight -= 1
                self._wake()
            raise

    def release(self, congested: bool = False, answered: bool = False) -> None:
        self.in_flight -= 1
        if congested:
            self.limit = max(1.0, self.limit / 2)
        elif answered:
            self.limit = min(float(self.ceiling), self.limit + 1 / self.limit)
        self._wake()

    def _wake(self) -> None:
        while self._waiters and self.in_flight < int(self.limit):
            waiter = self._waiters.popleft()
            if not waiter.done():  # (a cancelled waiter is skipped)
                self.in_flight += 1
                waiter.set_result(None)


@dataclass(frozen=True)
class Reply:
    """A request's end: the body of a 200 answer, or why there is none."""

    text: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class _Answer:
    """One attempt's outcome: an HTTP status and body, or no status and the problem."""

    status: int | None
    text: str
    retry_after: float | None = None
    timed_out: bool = False
    too_big: bool = False  # the body was cut at MAX_BODY_BYTES


class _Silence:
    """Cancels the running task once ``due()`` (a time.monotonic() deadline, which may move
    later) has passed: one timer per request, where a task and ``asyncio.wait`` per request
    cost a third of the client's CPU."""

    def __init__(self, due: Callable[[], float]):
        self._due = due
        self._task = asyncio.current_task()
        self._loop = asyncio.get_running_loop()  # its time() is time.monotonic()
        self.fired = False
        self._handle = self._loop.call_at(due(), self._check)

    def _check(self) -> None:
        due = self._due()
        if self._loop.time() < due:  # the server answered meanwhile: wait on
            self._handle = self._loop.call_at(due, self._check)
        else:
            self.fired = True
            self._task.cancel()

    def cancel(self) -> bool:
        """Stops the timer; True when it had fired (its cancellation is then taken back, and
        any other, such as the run's, stays)."""
        self._handle.cancel()
        if self.fired:
            return self._task.uncancel() == 0
        return False


class ChatClient:
    """POSTs JSON bodies to one URL, retrying what a retry can fix.

    Use inside a running event loop: ``client = await ChatClient.open(...)``, ``await
    client.post(body, label)``, ``await client.close()``. ``scrub`` is applied to every text
    taken from the server or the HTTP library before it is cut, logged or returned.
    """

    def __init__(
        self,
        url: str,
        headers: dict[str, str],
        concurrency: int,
        timeout: float,
        max_retries: int,
        backoff: float,
        max_backoff: float,
        scrub: Callable[[str], str],
    ):
        self.url = url
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.scrub = scrub
        self.limit = AdaptiveLimit(concurrency)
        connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency)
        # No timeout of aiohttp's own (its default ends any request at 5 minutes): `_attempt`
        # times a request out by the server's progress.
        self.session = aiohttp.ClientSession(
            headers=headers, connector=connector, timeout=aiohttp.ClientTimeout(total=None)
        )
        self.last_answer = 0.0  # time.monotonic() of the server's latest answer
        # HTTP(S)_PROXY and NO_PROXY are honoured, as they were with httpx, but looked up once:
        # aiohttp's trust_env looks them (and ~/.netrc) up in a thread for every request.
        try:
            self.proxy, self.proxy_auth = get_env_proxy_for_url(URL(url))
        except LookupError:
            self.proxy = self.proxy_auth = None

    @classmethod
    async def open(cls, *args: Any, **kwargs: Any) -> ChatClient:
        return cls(*args, **kwargs)  # aiohttp wants its session made in a running loop

    async def close(self) -> None:
        await self.session.close()

    async def post(self, body: dict[str, Any], label: str) -> Reply:
        timeouts = 0
        for attempt in range(self.max_retries + 1):
            seconds = self.timeout * min(2**timeouts, _MAX_TIMEOUT_SCALE)
            answer = await self._attempt(body, seconds)
            if answer.status == 200 and answer.too_big:
                excerpt = snippet(self.scrub(answer.text))
                return Reply(error=f"a reply over {MAX_BODY_BYTES} bytes: {excerpt}")
            if answer.status == 200:
                return Reply(text=answer.text)
            wait = answer.retry_after
            if answer.status is None:
                problem = answer.text
                timeouts += answer.timed_out
            else:
                problem = f"HTTP {answer.status}: {snippet(self.scrub(answer.text))}"
                if answer.status != 429 and answer.status < 500:
                    return Reply(error=problem)
            if attempt == self.max_retries:
                break
            if wait is None:
                cap = self.backoff * 2**attempt
                wait = cap / 2 + random.uniform(0, cap / 2)
            wait = min(wait, self.max_backoff)
            log.warning(
                "openai: %s: %s; retry %d of %d in %.1f s",
                label,
                problem,
                attempt + 1,
                self.max_retries,
                wait,
            )
            await asyncio.sleep(wait)
        return Reply(error=f"{problem} (after {self.max_retries + 1} attempts)")

    async def _attempt(self, body: dict[str, Any], seconds: float) -> _Answer:
        """One request, holding one of the adaptive limit's slots while it is out."""
        await self.limit.acquire()
        congested = answered = False
        sent = time.monotonic()
        # Timed out once the server has answered nothing (to any request) for `seconds` since
        # this one was sent: a server working through its queue is not waited out.
        silence = _Silence(lambda: max(sent, self.last_answer) + seconds)
        try:
            try:
                answer = await self._send(body)
            except asyncio.CancelledError:
                if silence.cancel():  # the timeout's: closes the connection (the server may
                    congested = True  # see the client gone)
                    return _Answer(None, f"no reply within {seconds:g} s (timeout)", timed_out=True)
                raise  # the run's
            silence.cancel()
            answered, congested = answer.status == 200, answer.status == 429
            return answer
        except aiohttp.ClientError as e:
            silence.cancel()
            detail = snippet(self.scrub(str(e))) or "connection failed"
            return _Answer(None, f"{type(e).__name__}: {detail}")
        finally:
            self.limit.release(congested=congested, answered=answered)

    async def _send(self, body: dict[str, Any]) -> _Answer:
        async with self.session.post(
            self.url, json=body, proxy=self.proxy, proxy_auth=self.proxy_auth
        ) as reply:
            length = reply.content_length  # (of the body as sent: compressed, it may grow)
            if (
                length is not None
                and length <= MAX_BODY_BYTES
                and not reply.headers.get("Content-Encoding")
            ):
                data = await reply.read()  # in one piece: aiohttp reads Content-Length bytes
            else:
                data = bytearray()
                async for chunk in reply.content.iter_any():
                    data += chunk
                    if len(data) > MAX_BODY_BYTES:
                        break  # leaving the block unread closes the connection
            charset = reply.charset or "utf-8"
            try:
                text = data[:MAX_BODY_BYTES].decode(charset, errors="replace")
            except LookupError:  # an unknown charset
                text = data[:MAX_BODY_BYTES].decode("utf-8", errors="replace")
        self.last_answer = time.monotonic()
        wait = retry_after(reply.headers.get("Retry-After"))
        return _Answer(reply.status, text, wait, too_big=len(data) > MAX_BODY_BYTES)
