"""A summarizer for any server that speaks OpenAI's chat-completions protocol.

vLLM (``vllm serve``), Ollama, the llama.cpp server, TGI and hosted APIs all accept
``POST {base_url}/chat/completions`` with ``{"model", "messages", ...}`` and answer with
``choices[0].message.content`` (https://platform.openai.com/docs/api-reference/chat/create).

Up to ``concurrency`` requests are in flight at once, fewer while the server times out; failed
requests are retried (harness/summarizers/chat_client.py says how). A request that still fails
becomes a Generation with its error: the run records it and goes on. Each generation is yielded
the moment its reply arrives, so the cache keeps it at once. The constructor checks that a server
answers at ``base_url``, so a wrong address is one line before any run folder is touched.

The API key is read from the environment variable that ``api_key_env`` names; it is never part of
the config, the identity or any message, and every text the backend returns (summary, error,
warnings) has it replaced by ``***``, so no file or cache entry downstream can hold it.
"""

from __future__ import annotations

import asyncio
import base64
import http.client
import json
import logging
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from harness.budget import TOKEN_LIMIT_WARNINGS, allowance_identity, token_allowance
from harness.errors import UsageError
from harness.stages import throughput
from harness.summarizers.chat_client import ChatClient, Reply, retry_after, snippet
from harness.text import count_words, truncate_words
from harness.types import Generation, Request, model_label

__all__ = ["OpenAISummarizer", "api_key_from_env", "retry_after"]

log = logging.getLogger(__name__)

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_UPPER_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
# A key form shorter than this is replaced only where it stands alone, not inside a word.
_WHOLE_TOKEN_BELOW = 8


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


def _encoded_forms(key: str) -> list[str]:
    """The key as it may come back in an echo, longest first (so no form leaves a piece)."""
    escaped = json.dumps(key)[1:-1]
    b64 = base64.b64encode(key.encode()).decode()
    urlsafe = base64.urlsafe_b64encode(key.encode()).decode()
    forms = {
        key,
        escaped,
        escaped.replace("/", "\\/"),
        b64,
        urlsafe,
        b64.rstrip("="),
        urlsafe.rstrip("="),
    }
    forms |= {
        urllib.parse.quote(key, safe=""),
        urllib.parse.quote(key),
        urllib.parse.quote_plus(key),
    }
    return sorted(forms, key=len, reverse=True)


def _env_proxy(url: str) -> str | None:
    """The proxy HTTP(S)_PROXY and NO_PROXY pick for ``url``, without its credentials."""
    proxy = urllib.request.getproxies().get(urllib.parse.urlsplit(url).scheme)
    if not proxy or urllib.request.proxy_bypass(urllib.parse.urlsplit(url).hostname or ""):
        return None
    parts = urllib.parse.urlsplit(proxy)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


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
        max_tokens: the most tokens a summary may take; None (the default): an allowance from
            the prompt's length budget, with headroom (harness.budget.token_allowance). A reply
            cut there (finish_reason "length") carries a warning saying so.
        temperature, top_p, seed: the generation settings sent with every request (greedy
            with a fixed seed by default).
        extra_body: more fields for the request body (``{"top_k": 20}``, ``{"stop": [...]}``).
        max_document_words: cut longer documents to this many words, with a warning recorded
            (the server's tokenizer is out of reach; a document over the model's context would
            otherwise fail with the server's error).
        revision: a label for what the server serves under ``name`` (a checkpoint, a quant),
            part of the identity: change it when the weights behind a name change.
        system_role: send the prompt's system part as a system message. Some chat templates
            reject the system role: turn this off and the system part opens the user message.
        label: the system's name in the results; default: ``name``'s last part (``model_label``).
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
        max_tokens: int | None = None,
        temperature: float = 0.0,
        top_p: float = 1.0,
        seed: int | None = 0,
        extra_body: Mapping[str, Any] | None = None,
        max_document_words: int | None = None,
        revision: str | None = None,
        system_role: bool = True,
        label: str | None = None,
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
        self._key_forms = _encoded_forms(self._api_key) if self._api_key else []
        self.name = name
        self.label = label or model_label(name)
        self.base_url = base_url.rstrip("/")
        self.url = self.base_url + "/chat/completions"
        self.system_role = system_role
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
            "system_role": system_role,
            "body": self.body,
            # How an unset max_tokens follows the budget (the budget is in every cache key).
            **({"max_tokens_from_budget": allowance_identity()} if max_tokens is None else {}),
        }
        self.check_server()

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
        if not system:
            messages = []
        elif self.system_role:
            messages = [{"role": "system", "content": system}]
        else:
            messages, user = [], f"{system}\n\n{user}"
        return [*messages, {"role": "user", "content": user}], warnings

    def check_server(self) -> None:
        """Raise a one-line UsageError naming ``model.base_url`` unless a server answers there.

        Any HTTP answer to ``GET {base_url}/models`` counts (a 401 too): the point is a refused
        connection or a wrong host, which would otherwise cost every document minutes of
        retries. A 404 there is a server at a wrong path (most often a base_url without its
        ``/v1``) unless ``{base_url}/chat/completions`` exists (a server without ``/models``):
        asked with an empty body, it answers anything but a 404. Called by the constructor, so
        it runs before any run folder is touched.
        """
        try:
            status = self._probe("GET", "/models")
            if status == 404 and self._chat_status() == 404:
                root = self.base_url if self.base_url.endswith("/v1") else self.base_url + "/v1"
                hint = "check the path" if root == self.base_url else f"try model.base_url={root}"
                raise UsageError(
                    f"model.base_url {self.base_url}: the server there answers 404 Not Found "
                    f"for /models and /chat/completions: not an OpenAI-compatible API root "
                    f"(it usually ends in /v1; {hint})"
                )
        except (OSError, http.client.HTTPException) as e:
            reason = getattr(e, "reason", None) or e
            # A proxy from the environment is what refused, not the server: say so.
            proxy = _env_proxy(self.base_url)
            through = f" through the proxy {proxy} (from the environment)" if proxy else ""
            raise UsageError(
                f"model.base_url {self.base_url}: no server answers{through} ({reason}); "
                "start the server or point model.base_url at it"
            ) from None

    def _probe(self, method: str, path: str) -> int:
        """The HTTP status of one request to ``{base_url}{path}`` (OSError when none comes)."""
        body = b"{}" if method == "POST" else None
        probe = urllib.request.Request(self.base_url + path, data=body, method=method)
        probe.add_header("Content-Type", "application/json")
        try:
            # A fresh opener: urlopen's shared one keeps the proxies of its first use.
            with urllib.request.build_opener().open(probe, timeout=min(self.timeout, 30.0)) as r:
                return r.status
        except urllib.error.HTTPError as e:  # an HTTP status: something answers
            e.close()
            return e.code

    def _chat_status(self) -> int | None:
        """What ``POST {base_url}/chat/completions`` with an empty body answers (None: no
        status, as when a server drops a request it cannot parse: something is there)."""
        try:
            return self._probe("POST", "/chat/completions")
        except (OSError, http.client.HTTPException):
            return None

    def scrub(self, text: str) -> str:
        """The text with the API key replaced by ``***``: raw, or as an echo may encode it
        (JSON-escaped, percent-encoded as in a URL or form, or base64)."""
        if not self._api_key or not text:
            return text
        for form in self._key_forms:
            if len(form) >= _WHOLE_TOKEN_BELOW:
                text = text.replace(form, "***")
            else:  # a placeholder key ("x", "EMPTY"): inside words it would mangle summaries
                text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(form)}(?![A-Za-z0-9])", "***", text)
        return text

    def _generation(self, reply: Reply, warnings: tuple[str, ...]) -> Generation:
        """The generation a reply makes, with the key scrubbed from every text in it."""
        generation = self._parse(reply, warnings)
        if not self._api_key:
            return generation  # no key to scrub
        return Generation(
            self.scrub(generation.summary),
            error=self.scrub(generation.error) if generation.error is not None else None,
            warnings=tuple(self.scrub(w) for w in generation.warnings),
        )

    def _parse(self, reply: Reply, warnings: tuple[str, ...]) -> Generation:
        if reply.text is None:
            return Generation("", error=reply.error, warnings=warnings)
        try:
            choice = json.loads(reply.text)["choices"][0]
            content = choice["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError, RecursionError):
            # (RecursionError: JSON nested too deep to parse, as a hostile server may send.)
            # Scrubbed here as well: the cut must not leave a piece of the key behind.
            error = f"not a chat completion: {snippet(self.scrub(reply.text))}"
            return Generation("", error=error, warnings=warnings)
        if not isinstance(content, str):
            return Generation("", error="the reply has no text content", warnings=warnings)
        if choice.get("finish_reason") == "length":
            warnings = (*warnings, TOKEN_LIMIT_WARNINGS[0])
        return Generation(content.strip(), warnings=warnings)

    async def _complete(self, client: ChatClient, request: Request) -> Generation:
        messages, warnings = self._messages(request)
        body = {"model": self.name, "messages": messages, **self.body}
        if body["max_tokens"] is None:
            body["max_tokens"] = token_allowance(request.budget)
        return self._generation(await client.post(body, request.doc.id), warnings)

    def summarize(self, requests: Sequence[Request]) -> Iterator[tuple[int, Generation]]:
        """Yields each generation as its reply arrives, in the order they arrive."""
        if not requests:
            return
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        loop = asyncio.new_event_loop()
        client = loop.run_until_complete(
            ChatClient.open(
                self.url,
                headers,
                self.concurrency,
                self.timeout,
                self.max_retries,
                self.backoff,
                self.max_backoff,
                self.scrub,
            )
        )
        # Each finished task drops itself here and wakes the generator: waiting costs the same
        # for 10 or 10,000 pending requests (asyncio.wait over all of them is linear in their
        # number), and less than an asyncio.Queue.
        finished: list[asyncio.Task[tuple[int, Generation]]] = []
        wake: list[asyncio.Future[None]] = []

        def on_done(task: asyncio.Task[tuple[int, Generation]]) -> None:
            finished.append(task)
            if wake and not wake[0].done():
                wake[0].set_result(None)

        async def one(i: int, request: Request) -> tuple[int, Generation]:
            return i, await self._complete(client, request)

        start, done = time.perf_counter(), 0
        tasks = [loop.create_task(one(i, r)) for i, r in enumerate(requests)]
        for task in tasks:
            task.add_done_callback(on_done)
        try:
            # The loop runs only while this generator waits for replies; between two yields the
            # caller stores what it got (a few milliseconds), and the sockets keep filling.
            while done < len(requests):
                if not finished:
                    wake[:] = [loop.create_future()]
                    loop.run_until_complete(wake[0])
                batch = finished.copy()
                finished.clear()
                for task in batch:
                    done += 1
                    yield task.result()
        finally:
            for task in tasks:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            loop.run_until_complete(client.close())
            loop.close()
            seconds = time.perf_counter() - start
            rate = throughput(done, seconds)
            log.info("openai: %d/%d documents in %.1f s, %s", done, len(requests), seconds, rate)
