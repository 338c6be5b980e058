"""A summarizer for any server that speaks OpenAI's chat-completions protocol.

vLLM (``vllm serve``), Ollama, the llama.cpp server, TGI and hosted APIs all accept
``POST {base_url}/chat/completions`` with ``{"model", "messages", ...}`` and answer with
``choices[0].message.content`` (https://platform.openai.com/docs/api-reference/chat/create).

Up to ``concurrency`` requests are in flight at once (``httpx.AsyncClient``). Rate limits (429),
server errors (5xx), timeouts and dropped connections are retried with exponential backoff and
jitter (the "equal jitter" of https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/),
waiting what a ``Retry-After`` header asks for instead where there is one. A request that still
fails becomes a Generation with its error: the run records it and goes on. Each generation is
yielded the moment its reply arrives, so the cache keeps it at once.

The API key is read from the environment variable that ``api_key_env`` names; it is never part of
the config, the identity or any message.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import os
import random
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

import httpx

from harness.text import count_words, truncate_words
from harness.types import Generation, Request

log = logging.getLogger(__name__)

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_UPPER_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


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


def api_key_from_env(variable: str) -> str:
    """The API key held by the environment variable named ``variable``.

    Checked before Hydra starts too (harness.overrides), so that a key typed where its variable's
    name goes is refused before any file is written. The messages never echo a value that might
    be a key: only an upper-case name, as environment variables are conventionally named.

    Raises:
        ValueError: not a variable name, not set, or a value no HTTP header can carry.
    """
    named = f"the environment variable {variable}" if _UPPER_NAME.match(variable) else None
    if not _ENV_NAME.match(variable):
        raise ValueError("must be the NAME of an environment variable holding the key, not the key")
    # A key read from a file often ends in a newline; an HTTP header cannot carry one.
    key = os.environ.get(variable, "").strip()
    if not key:
        raise ValueError(f"{named} is not set" if named else "names a variable that is not set")
    if not key.isascii() or not key.isprintable():
        raise ValueError(f"the value of {named or 'that variable'} is not printable ASCII")
    return key


def _snippet(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


class OpenAISummarizer:
    """Chat completions from an OpenAI-compatible server.

    Args:
        name: the served model name (``vllm serve NAME``, ``ollama pull NAME``).
        base_url: the API root, ending in ``/v1``.
        api_key_env: the NAME of the environment variable holding the API key (None: no key,
            as local servers need none).
        concurrency: requests in flight at once.
        timeout: seconds to wait for a reply (connect, read and write each).
        max_retries: retries of a request after a 429, a 5xx, a timeout or a dropped connection.
        backoff: the first retry's wait in seconds, doubling each time, with jitter.
        max_backoff: the longest wait between attempts, ``Retry-After`` included.
        max_tokens, temperature, top_p, seed: the generation settings sent with every request
            (greedy with a fixed seed by default).
        extra_body: more fields for the request body (``{"top_k": 20}``, ``{"stop": [...]}``).
        max_document_words: cut longer documents to this many words, with a warning recorded
            (the server's tokenizer is out of reach; a document over the model's context would
            otherwise fail with the server's error).
        revision: a label for what the server serves under ``name`` (a checkpoint, a quant),
            part of the identity: change it when the weights behind a name change.
    """

    backend = "openai"

    def __init__(
        self,
        name: str,
        base_url: str = "http://localhost:8000/v1",
        api_key_env: str | None = None,
        concurrency: int = 8,
        timeout: float = 120.0,
        max_retries: int = 5,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        max_tokens: int = 256,
        temperature: float = 0.0,
        top_p: float = 1.0,
        seed: int | None = 0,
        extra_body: Mapping[str, Any] | None = None,
        max_document_words: int | None = None,
        revision: str | None = None,
    ):
        if not name:
            raise ValueError("name: set the served model name (model.name=...)")
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, not {concurrency}")
        if max_retries < 0 or backoff < 0 or max_backoff < 0:
            raise ValueError("max_retries, backoff and max_backoff cannot be negative")
        if timeout <= 0:
            raise ValueError(f"timeout must be above 0 seconds, not {timeout}")
        if not re.match(r"^https?://[^/\s]+", base_url):
            raise ValueError(f"base_url {base_url!r} is not an http(s) URL (http://host:8000/v1)")
        self._api_key = None
        if api_key_env:
            try:
                self._api_key = api_key_from_env(api_key_env)
            except ValueError as e:
                raise ValueError(f"api_key_env: {e}") from None
        self.name = name
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.concurrency = concurrency
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_document_words = max_document_words
        self.body: dict[str, Any] = {
            "max_tokens": max_tokens,
            "temperature": float(temperature),  # 0 and 0.0: one cache key
            "top_p": float(top_p),
            **({"seed": seed} if seed is not None else {}),
            **dict(extra_body or {}),
        }
        # The served model's name and the sampling settings decide the output; where it is
        # served (base_url) and how fast (concurrency, timeout, retries) do not, so moving the
        # server keeps the cache. Different weights under the same name need a new `revision`.
        self.identity: dict[str, Any] = {
            "backend": self.backend,
            "model": name,
            "revision": revision,
            "max_document_words": max_document_words,
            "body": self.body,
        }

    def __repr__(self) -> str:  # no key in any log line or traceback
        return f"OpenAISummarizer(name={self.name!r}, url={self.url!r})"

    def _messages(self, request: Request) -> tuple[list[dict[str, str]], tuple[str, ...]]:
        system, user, warnings = request.system, request.user, ()
        document, limit = request.doc.text, self.max_document_words
        if limit is not None and count_words(document) > limit:
            cut = truncate_words(document, limit)
            system, user = system.replace(document, cut, 1), user.replace(document, cut, 1)
            warnings = (
                f"document truncated to {limit} of {count_words(document)} words "
                "(max_document_words)",
            )
        messages = [{"role": "system", "content": system}] if system else []
        return [*messages, {"role": "user", "content": user}], warnings

    async def _complete(
        self, client: httpx.AsyncClient, slots: asyncio.Semaphore, request: Request
    ) -> Generation:
        messages, warnings = self._messages(request)
        body = {"model": self.name, "messages": messages, **self.body}
        async with slots:
            for attempt in range(self.max_retries + 1):
                wait = None
                try:
                    reply = await client.post(self.url, json=body)
                except httpx.TimeoutException:
                    problem = f"no reply within {self.timeout:g} s (timeout)"
                except httpx.TransportError as e:
                    problem = f"{type(e).__name__}: {_snippet(str(e)) or 'connection failed'}"
                else:
                    if reply.status_code == 200:
                        return self._parse(reply, warnings)
                    problem = f"HTTP {reply.status_code}: {_snippet(reply.text)}"
                    if reply.status_code != 429 and reply.status_code < 500:
                        return Generation("", error=problem, warnings=warnings)
                    wait = retry_after(reply.headers.get("retry-after"))
                if self._api_key:  # a server or httpx may echo the header back
                    problem = problem.replace(self._api_key, "***")
                if attempt == self.max_retries:
                    break
                if wait is None:
                    cap = self.backoff * 2**attempt
                    wait = cap / 2 + random.uniform(0, cap / 2)
                wait = min(wait, self.max_backoff)
                log.warning(
                    "openai: %s: %s; retry %d of %d in %.1f s",
                    request.doc.id,
                    problem,
                    attempt + 1,
                    self.max_retries,
                    wait,
                )
                await asyncio.sleep(wait)
        attempts = self.max_retries + 1
        return Generation("", error=f"{problem} (after {attempts} attempts)", warnings=warnings)

    @staticmethod
    def _parse(reply: httpx.Response, warnings: tuple[str, ...]) -> Generation:
        try:
            choice = reply.json()["choices"][0]
            content = choice["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            return Generation("", error=f"not a chat completion: {_snippet(reply.text)}")
        if not isinstance(content, str):
            return Generation("", error="the reply has no text content", warnings=warnings)
        if choice.get("finish_reason") == "length":
            warnings = (*warnings, "the reply was cut at max_tokens")
        return Generation(content.strip(), warnings=warnings)

    def summarize(self, requests: Sequence[Request]) -> Iterator[tuple[int, Generation]]:
        """Yields each generation as its reply arrives, in the order they arrive."""
        if not requests:
            return
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        limits = httpx.Limits(
            max_connections=self.concurrency, max_keepalive_connections=self.concurrency
        )
        loop = asyncio.new_event_loop()
        client = httpx.AsyncClient(headers=headers, timeout=self.timeout, limits=limits)
        start, done = time.perf_counter(), 0

        async def one(i: int, request: Request) -> tuple[int, Generation]:
            generation = await self._complete(client, slots, request)
            error, key = generation.error, self._api_key
            if key and error and key in error:
                # A server may echo the Authorization header back in an error page.
                generation = replace(generation, error=error.replace(key, "***"))
            return i, generation

        slots = asyncio.Semaphore(self.concurrency)  # bound to the loop at its first use
        pending = {loop.create_task(one(i, r)) for i, r in enumerate(requests)}
        try:
            # The loop runs only while this generator waits for replies; between two yields the
            # caller stores what it got (a few milliseconds), and the sockets keep filling.
            while pending:
                finished, pending = loop.run_until_complete(
                    asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                )
                for task in finished:
                    done += 1
                    yield task.result()
        finally:
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(client.aclose())
            loop.close()
            seconds = time.perf_counter() - start
            log.info(
                "openai: %d/%d documents in %.1f s, %.2f docs/s",
                done,
                len(requests),
                seconds,
                done / seconds if seconds else 0.0,
            )
